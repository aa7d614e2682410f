"""The pure model: pandas in, pandas out.  No widgets, no charts.

Every tool's module is imported here, so ``kw.model.readiness`` (and the
others) work in a fresh kernel.  ``kw.model.classify`` is the function; its
module is :mod:`kamwidgets.model.classification`.  The module's old path,
``kamwidgets.model.classify``, still imports (``from kamwidgets.model.classify
import balance``): it is that module under a second name in ``sys.modules``, as
``os.path`` is, so the package attribute stays the function.
"""

import sys

from . import (
    buyers,
    checks,
    classification,
    contacts,
    criteria,
    display,
    dmu,
    io,
    plans,
    quiz,
    readiness,
    room,
    rules,
    spectrum,
    stakeholders,
    swot,
)
from .classification import (
    DEFAULT_HOURS,
    DEFAULT_LABELS,
    REFERENCE_MIX,
    SEGMENTS,
    STATUSES,
    Scorer,
    balance,
    classify,
    compare,
    effort,
    segment_keys,
    segment_labels,
    stability,
    transitions,
)
from .criteria import Criterion, criteria_table, criterion_scores, weighted_score
from .io import FIELDS, accounts_from_transactions, load_portfolio

# the module's old path (see above); the package attribute ``classify`` is the function
sys.modules[f"{__name__}.classify"] = classification

__all__ = [
    # the tools' modules
    "buyers",
    "checks",
    "classification",
    "contacts",
    "criteria",
    "dmu",
    "io",
    "plans",
    "quiz",
    "display",
    "readiness",
    "room",
    "rules",
    "spectrum",
    "stakeholders",
    "swot",
    "DEFAULT_HOURS",
    "DEFAULT_LABELS",
    "REFERENCE_MIX",
    "SEGMENTS",
    "FIELDS",
    "STATUSES",
    "Scorer",
    "Criterion",
    "accounts_from_transactions",
    "balance",
    "classify",
    "compare",
    "effort",
    "stability",
    "transitions",
    "criteria_table",
    "criterion_scores",
    "load_portfolio",
    "segment_keys",
    "segment_labels",
    "weighted_score",
]

"""The pure model: pandas in, pandas out.  No widgets, no charts.

What every lesson uses (loading, criteria, classification, checks, display)
is imported here; each other tool's module is imported the first time it is
named, so ``kw.model.readiness`` (and the others) work in a fresh kernel
while ``import kamwidgets`` stays close to ``import pandas``.  ``kw.model.classify`` is the function; its
module is :mod:`kamwidgets.model.classification`.  The module's old path,
``kamwidgets.model.classify``, still imports (``from kamwidgets.model.classify
import balance``): it is that module under a second name in ``sys.modules``, as
``os.path`` is, so the package attribute stays the function.
"""

import importlib
import sys
from types import ModuleType

from . import checks, classification, criteria, display, io
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

#: The tools' modules imported when first named (``kw.model.swot``).
_LATER = (
    *("buyers", "contacts", "dmu", "plans", "quiz", "readiness"),
    *("room", "rules", "spectrum", "stakeholders", "swot"),
)


def __getattr__(name: str) -> ModuleType:
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return importlib.import_module(f"{__name__}.{name}")  # the import also sets it on the package


def __dir__() -> list[str]:
    return sorted({*globals(), *_LATER})


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

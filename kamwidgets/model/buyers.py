"""The buyer chart: where a purchaser stands on interest and involvement in what we sell.

Level of interest (y) and level of involvement (x), 0-10 each, split at 5:

====================  =========================  ==========================
\\                     involvement low            involvement high
====================  =========================  ==========================
interest high         specifier                  strategic
interest low          gatekeeper                 ratifier
====================  =========================  ==========================

The keys in :data:`QUADRANTS` drive the logic; labels are only shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import KamDataError
from . import checks
from ._schema import Field, check_table

__all__ = [
    "QUADRANTS",
    "DEFAULT_LABELS",
    "ADVICE",
    "QUESTIONS",
    "FIELDS",
    "check_buyers",
    "place_buyers",
    "score_answers",
]

QUADRANTS: tuple[str, ...] = ("strategic", "specifier", "ratifier", "gatekeeper")
DEFAULT_LABELS: dict[str, str] = {
    "strategic": "Strategic",
    "specifier": "Specifier",
    "ratifier": "Ratifier",
    "gatekeeper": "Gatekeeper",
}

#: What each position suggests: how strategic our offer is to the buyer, how
#: dependent they are on us, and what to do.
ADVICE: dict[str, dict[str, str]] = {
    "strategic": {
        "meaning": "Our product matters to them and they are deeply involved in buying it.",
        "our_offer": "strategic to them",
        "dependency": "high",
        "action": "Explore it together: joint plans, early access to their projects, more functions at the table.",
    },
    "specifier": {
        "meaning": "They care about what they buy, but others (technical, production) run the process.",
        "our_offer": "important, decided elsewhere",
        "dependency": "medium",
        "action": "Meet the people who write the specification; keep the buyer informed and credited.",
    },
    "ratifier": {
        "meaning": "They run the purchase closely: it is important to them, but not strategic (a service, say).",
        "our_offer": "important to them, not strategic",
        "dependency": "medium",
        "action": "Make buying easy and reliable; show the cost of a change rather than new features.",
    },
    "gatekeeper": {
        "meaning": "Little interest and little involvement: they pass orders on, or the product is not strategic.",
        "our_offer": "not strategic to them",
        "dependency": "low",
        "action": "Find who really decides; keep the gatekeeper friendly, but do not invest there.",
    },
}

#: A short questionnaire; each answer 1 (not at all) to 5 (completely).
QUESTIONS: tuple[dict[str, str], ...] = (
    {"id": "i1", "axis": "interest", "text": "Our product affects the quality or cost of what they sell."},
    {"id": "i2", "axis": "interest", "text": "They follow new developments in our kind of product."},
    {"id": "i3", "axis": "interest", "text": "A failure of our product would be noticed by their management."},
    {"id": "v1", "axis": "involvement", "text": "They take part in defining what is bought, not only the price."},
    {"id": "v2", "axis": "involvement", "text": "They meet our technical or service people, not only sales."},
    {"id": "v3", "axis": "involvement", "text": "They decide, or sign off, which supplier is chosen."},
)

FIELDS: tuple[Field, ...] = (
    Field("buyer", "text", required=True, help="the buyer's name or role"),
    Field("interest", "number", low=0, high=10, default=5.0, help="interest runs from 0 to 10"),
    Field("involvement", "number", low=0, high=10, default=5.0, help="involvement runs from 0 to 10"),
)


def check_buyers(buyers: Any) -> pd.DataFrame:
    """The buyers as a clean frame (``buyer``, ``interest``, ``involvement``)."""
    return check_table(buyers, FIELDS, what="buyer list", key="buyer")


def buyer_labels(labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """The names of the four positions: the defaults, overridden by key (or by default name)."""
    return checks.names(labels, DEFAULT_LABELS, "buyer position")


def place_buyers(
    buyers: Any, *, thresholds: tuple[float, float] = (5, 5), labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Each buyer's quadrant and what it suggests.

    ``thresholds`` is ``(interest, involvement)``; a score equal to it counts
    as high.  Returns the buyers with ``quadrant`` (the label, a categorical
    of the four), ``key``, ``meaning``, ``our_offer``, ``dependency`` and
    ``action``.
    """
    frame = check_buyers(buyers)
    names = buyer_labels(labels)
    t_int, t_inv = checks.score_pair(thresholds, ("interest", "involvement"))
    hi_int = frame["interest"].to_numpy() >= t_int
    hi_inv = frame["involvement"].to_numpy() >= t_inv
    codes = np.where(hi_int, np.where(hi_inv, 0, 1), np.where(hi_inv, 2, 3))
    keys = np.array(QUADRANTS, dtype=object)[codes]
    out = frame.copy()
    out["quadrant"] = pd.Categorical.from_codes(codes, categories=[names[k] for k in QUADRANTS])
    out["key"] = pd.Series(keys, dtype="str")
    for col in ("meaning", "our_offer", "dependency", "action"):
        out[col] = pd.Series([ADVICE[k][col] for k in keys], dtype="str")
    return out


def score_answers(answers: Mapping[str, Any]) -> tuple[float, float]:
    """``(interest, involvement)`` on 0-10 from questionnaire answers (1-5 each).

    Every question must be answered; ``answers`` maps question id to 1-5.
    """
    by_axis: dict[str, list[float]] = {"interest": [], "involvement": []}
    for q in QUESTIONS:
        if q["id"] not in answers:
            raise KamDataError(
                f"question {q['id']!r} is not answered", column=q["id"], fix=f"Answer 1 to 5: {q['text']}"
            )
        value = answers[q["id"]]
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not 1 <= value <= 5:
            raise KamDataError(
                f"the answer {value!r} to question {q['id']!r} is not 1 to 5",
                column=q["id"],
                fix="Answer with a whole number from 1 (not at all) to 5 (completely).",
            )
        by_axis[q["axis"]].append(float(value))
    unknown = set(answers) - {q["id"] for q in QUESTIONS}
    if unknown:
        raise KamDataError(f"unknown question {sorted(unknown)[0]!r}", fix="Use the ids in QUESTIONS.")
    score = {axis: (np.mean(v) - 1) / 4 * 10 for axis, v in by_axis.items()}
    return round(float(score["interest"]), 2), round(float(score["involvement"]), 2)

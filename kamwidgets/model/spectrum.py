"""The account-management spectrum: four levels of relationship, and where an account stands.

The level to aim for follows from two intentions, ours and the customer's
(0-10 each).  The course says they must grow side by side, or at least with
the customer's acknowledgement; the workbook reads that as "the lower of the
two sets the level", with thresholds of its own, and a large gap is a
warning.  Where the account stands today is read off its contact matrix, with
rules of the workbook's own: from one seller facing one buyer (the
literature's bow-tie) to all departments working directly with their
counterparts (the diamond).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from . import checks
from .contacts import check_contacts

__all__ = ["LEVELS", "LEVEL_INFO", "recommend_level", "team_shape", "spectrum_table"]

LEVELS: tuple[str, ...] = ("early", "direct_access", "early_kam", "diamond")

#: The four levels, as the course describes them (``label``, ``who``).  The rest is the workbook's own
#: illustration, not the course's: ``shape`` (the literature's bow-tie and diamond pictures, and the
#: workbook's names for the two shapes in between), ``people``, ``hours`` (a week, for the whole team: an
#: illustration of "each level costs more", to adjust to your business) and ``next`` (what the next level
#: adds, in the course's words where it has them).
LEVEL_INFO: dict[str, dict[str, Any]] = {
    "early": {
        "number": 1,
        "label": "Early account management",
        "shape": "bow-tie",
        "who": "One seller and one buyer are the only contacts; the seller takes questions to his own "
        "departments and comes back with the answers.",
        "people": "1 seller",
        "hours": 4,
        "next": "With the buyer's consent, the seller deals directly with their technical, quality and "
        "production people.",
    },
    "direct_access": {
        "number": 2,
        "label": "Account management with direct access",
        "shape": "bow-tie with side doors",
        "who": "The seller also deals with the customer's other departments, with access granted by the buyer; "
        "our own departments still go through the seller, the focal point. A tricky place that can be "
        "a transition.",
        "people": "1 account manager, the focal point on both sides",
        "hours": 6,
        "next": "Our departments start talking to their counterparts, with seller and buyer in the middle.",
    },
    "early_kam": {
        "number": 3,
        "label": "Early key account management",
        "shape": "growing diamond",
        "who": "Departments on both sides talk to each other; seller and buyer stay in the middle, aware of "
        "every exchange, and filter it.",
        "people": "the account manager and some of our departments",
        "hours": 10,
        "next": "All departments work directly together; seller and buyer step out of those talks and focus on "
        "commercial terms, issues and contracts (it takes management support and a key account plan).",
    },
    "diamond": {
        "number": 4,
        "label": "Key account management (diamond team)",
        "shape": "diamond",
        "who": "All departments work directly with their counterparts; seller and buyer are informed at most "
        "and focus on the commercial terms, the issues and the contracts.",
        "people": "our departments, each with its counterpart",
        "hours": 20,
        "next": "No level above: keep the key account plan up to date and check that the effort is still justified.",
    },
}


def _intent(value: Any, name: str) -> float:
    return checks.number(
        value, name, low=0, high=10, fix="0 = no interest in a deeper relationship, 10 = a strategic priority."
    )


def recommend_level(our_intent: float, customer_intent: float) -> dict[str, Any]:
    """The level to aim for, from our strategic intent and the customer's (0-10 each).

    Returns a dict: ``key``, ``number`` (1-4), ``label``, ``why`` and
    ``warning`` ('' when the two intentions are in step).
    """
    ours, theirs = _intent(our_intent, "our intent"), _intent(customer_intent, "the customer's intent")
    shared = min(ours, theirs)
    key = LEVELS[0 if shared < 3 else 1 if shared < 5 else 2 if shared < 7.5 else 3]
    info = LEVEL_INFO[key]
    warning = ""
    if ours - theirs >= 3:
        warning = (
            "We want far more than the customer does: a big team would meet a half-open door. "
            "Win the customer's interest first."
        )
    elif theirs - ours >= 3:
        warning = (
            "The customer wants more than we plan to give: a chance to grow, or a risk of "
            "disappointing them. Decide deliberately."
        )
    why = (
        f"Our intent {ours:g} and theirs {theirs:g}: the relationship can go as far as the lower of the two "
        f"allows, level {info['number']}."
    )
    return {"key": key, "number": info["number"], "label": info["label"], "why": why, "warning": warning}


def team_shape(contacts: Any, *, seller: str = "Sales", buyer: str = "Purchasing") -> dict[str, Any]:
    """Where the account stands today, read off its contact matrix.

    ``seller`` is our side's name for the account's salesperson or sales
    function, ``buyer`` theirs for the purchaser (as written in the matrix).
    Returns ``key``, ``number``, ``label``, ``shape`` and ``why``.
    """
    frame = check_contacts(contacts)
    if frame.empty:
        return {
            "key": None,
            "number": 0,
            "label": "No contact yet",
            "shape": "none",
            "why": "The contact matrix is empty.",
        }
    ours_other = frame[frame["our_side"] != seller]
    seller_wide = frame[(frame["our_side"] == seller) & (frame["their_side"] != buyer)]
    their_functions = set(frame["their_side"]) - {buyer}
    if ours_other.empty and seller_wide.empty:
        key = "early"
        why = f"Only {seller} talks, and only with {buyer}."
    elif ours_other.empty:
        key = "direct_access"
        others = ", ".join(sorted(set(seller_wide["their_side"])))
        why = f"{seller} also talks with {others}; no other function of ours does."
    elif len(ours_other) == 1:
        key = "direct_access"
        link = ours_other.iloc[0]
        why = (
            f"Almost everything runs through {seller}; one direct link ({link['our_side']} with "
            f"{link['their_side']}) is the first step towards level 3."
        )
    else:
        direct = set(ours_other["their_side"]) - {buyer}
        share = len(direct) / len(their_functions) if their_functions else 0.0
        teams = ours_other["our_side"].nunique()
        key = "diamond" if share >= 0.5 and teams >= 2 else "early_kam"
        why = (
            f"{teams} of our functions besides {seller} talk with the customer directly, "
            f"reaching {len(direct)} of their {len(their_functions)} functions besides {buyer}."
        )
    info = LEVEL_INFO[key]
    return {"key": key, "number": info["number"], "label": info["label"], "shape": info["shape"], "why": why}


def spectrum_table() -> pd.DataFrame:
    """The four levels side by side: who talks to whom, what it costs, what the next adds.

    The course gives no hours per level (it says the top level's contacts can
    be light); the ``hours a week, whole team (assumed)`` column is the
    workbook's own illustration, to discuss, not a rule.  It is our whole
    team's time on the account; the course's order of magnitude (4, 3, 2 and
    1 hours a week per account, by bucket) is one salesperson's.
    """
    return pd.DataFrame(
        [
            {
                "level": v["number"],
                "name": v["label"],
                "shape": v["shape"],
                "who talks": v["who"],
                "people": v["people"],
                "hours a week, whole team (assumed)": v["hours"],
                "the next level adds": v["next"],
            }
            for v in LEVEL_INFO.values()
        ]
    )

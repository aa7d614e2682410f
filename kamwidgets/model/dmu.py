"""The decision-making unit: who at the customer takes part in buying, and how well we reach them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._schema import Field, check_table

__all__ = ["ROLES", "COVERAGE", "FIELDS", "check_dmu", "dmu_summary"]

#: Buying-centre roles, in the order a purchase usually passes through them.
ROLES: tuple[str, ...] = ("initiator", "user", "influencer", "decider", "approver", "buyer", "gatekeeper")
#: How well we reach a person: 0 none, 1 weak, 2 good, 3 strong.
COVERAGE: tuple[str, ...] = ("none", "weak", "good", "strong")

FIELDS: tuple[Field, ...] = (
    Field("person", "text", required=True, help="the person's name or title"),
    Field("function", "text", default="", help="their department, e.g. Purchasing, Technical"),
    Field("role", "choice", choices=ROLES, required=True, help=f"the role is one of {', '.join(ROLES)}"),
    Field("influence", "number", low=0, high=10, default=5.0, help="influence runs from 0 to 10"),
    Field("coverage", "choice", choices=COVERAGE, default="none", help=f"coverage is one of {', '.join(COVERAGE)}"),
)


def check_dmu(people: Any) -> pd.DataFrame:
    """The people as a clean frame: ``person``, ``function``, ``role``, ``influence``, ``coverage``."""
    return check_table(people, FIELDS, what="decision-making unit", key="person")


def dmu_summary(people: Any, *, strong_influence: float = 7.0) -> tuple[pd.DataFrame, list[str]]:
    """Who really decides, and what to worry about.

    Returns ``(frame, warnings)``: the people sorted by influence with
    ``reach`` (coverage 0-3) and ``gap`` (influence of 7 or more, reached
    weakly or not at all), and warnings in words: the purchaser as the only
    contact, influential people we do not reach, no known decider.
    """
    frame = check_dmu(people)
    frame["reach"] = frame["coverage"].map({c: i for i, c in enumerate(COVERAGE)}).astype(int)
    frame["gap"] = (frame["influence"] >= strong_influence) & (frame["reach"] <= 1)
    frame = frame.sort_values(["influence", "person"], ascending=[False, True], ignore_index=True)
    warnings: list[str] = []
    reached = frame[frame["reach"] >= 1]
    if len(frame) and len(reached) and (reached["role"] == "buyer").all():
        others = len(frame) - len(reached)
        warnings.append(
            "Your only contact is the purchaser"
            + (
                f": {others} other {'person takes' if others == 1 else 'people take'} part in the decision."
                if others
                else ". Who else uses, specifies or approves what you sell?"
            )
        )
    if len(frame) and reached.empty:
        warnings.append("Nobody in this decision-making unit is reached by your team yet.")
    for row in frame[frame["gap"]].itertuples():
        warnings.append(f"{row.person} ({row.role}, influence {row.influence:g}) is hardly reached.")
    if len(frame) and not (frame["role"] == "decider").any():
        warnings.append("No decider is known: who signs off the choice of supplier?")
    return frame, warnings

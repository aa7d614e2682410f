"""Supporters and opponents: where each person at the customer stands, and who can move whom."""

from __future__ import annotations

from typing import Any

import pandas as pd

from . import checks
from ._schema import Field, check_table
from .contacts import PER_YEAR, check_contacts

__all__ = ["STANCES", "FIELDS", "check_stakeholders", "suggest_moves"]

#: From for us to against us; the position (0-4) is what the logic uses.
STANCES: tuple[str, ...] = ("supporter", "cautious supporter", "neutral", "constructive critic", "opponent")

FIELDS: tuple[Field, ...] = (
    Field("person", "text", required=True, help="the person's name or title"),
    Field("function", "text", default="", help="their department, as in the contact matrix"),
    Field("stance", "choice", choices=STANCES, required=True, help=f"the stance is one of {', '.join(STANCES)}"),
    Field("influence", "number", low=0, high=10, default=5.0, help="influence runs from 0 to 10"),
)


def check_stakeholders(people: Any) -> pd.DataFrame:
    """The people as a clean frame with ``support`` (+2 supporter ... -2 opponent)."""
    frame = check_table(people, FIELDS, what="stakeholder map", key="person")
    frame["support"] = 2 - frame["stance"].map({s: i for i, s in enumerate(STANCES)}).astype(int)
    return frame


def suggest_moves(people: Any, contacts: Any = None, *, min_influence: float = 5.0) -> pd.DataFrame:
    """Which influential supporters could move which reluctant people, and who of ours can ask them.

    A reluctant person is neutral, a constructive critic or an opponent with
    at least ``min_influence``.  For each, the supporters (supporter or
    cautious supporter) with at least as much influence are proposed, the
    stronger and the same-function ones first.  With a contact matrix, the
    member of our team who talks most often with the supporter's function (or
    the supporter by name) is named as the one to ask.

    Returns one row per suggestion: ``reluctant``, ``reluctant_stance``,
    ``supporter``, ``supporter_influence``, ``ask``, ``why``.
    """
    min_influence = checks.score(min_influence, "min_influence")
    frame = check_stakeholders(people)
    links = check_contacts(contacts) if contacts is not None else None
    reluctant = frame[(frame["support"] <= 0) & (frame["influence"] >= min_influence)]
    backers = frame[frame["support"] > 0]
    rows = []
    for r in reluctant.sort_values("influence", ascending=False).itertuples():
        able = backers[backers["influence"] >= r.influence].copy()
        if able.empty:
            continue
        able["same"] = (able["function"] == r.function) & (r.function != "")
        able = able.sort_values(["support", "same", "influence"], ascending=False)
        for s in able.itertuples():
            ask = _who_reaches(links, s.person, s.function)
            why = (
                f"{s.person} ({s.stance}, influence {s.influence:g}) has at least as much weight as "
                f"{r.person} ({r.stance}, influence {r.influence:g})"
            )
            if s.same:
                why += ", in the same function"
            rows.append(
                {
                    "reluctant": r.person,
                    "reluctant_stance": r.stance,
                    "supporter": s.person,
                    "supporter_influence": s.influence,
                    "ask": ask,
                    "why": why + ".",
                }
            )
    return pd.DataFrame(
        rows, columns=["reluctant", "reluctant_stance", "supporter", "supporter_influence", "ask", "why"]
    )


def _who_reaches(links: pd.DataFrame | None, person: str, function: str) -> str:
    if links is None or links.empty:
        return ""
    hit = links[(links["their_side"] == person) | ((links["their_side"] == function) & (function != ""))]
    if hit.empty:
        return "(nobody yet)"
    hit = hit.assign(per_year=hit["frequency"].map(PER_YEAR)).sort_values(
        ["per_year", "owner"], ascending=[False, True]
    )
    return str(hit["owner"].iloc[0])

"""Making it happen: is the team ready for Key Account Management, and which accounts go first?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import KamDataError
from .classification import segment_keys
from .criteria import size_column
from .rules import how_placed

__all__ = ["AREAS", "QUESTIONS", "readiness", "suggest_pilots"]

AREAS: tuple[str, ...] = ("customer", "return", "resources", "teams", "departments", "systems", "training")

#: (id, area, question); each answered 1 (not at all) to 5 (fully).  The workbook's own questions
#: on the course's checklist (lesson 8): the customer's willingness, a pre-assessment of whether it
#: is worth it, and whether departments, teams, systems, training and resources are ready.
#: Answers are kept by id: add new ids, never rename old ones (saved answers load by id).
QUESTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "c1",
        "customer",
        "The customer is willing to work as a partner: to share technical and financial information "
        "and to meet our other departments.",
    ),
    (
        "w1",
        "return",
        "We have pre-assessed whether it is worth it: what it could return, and what we are missing today.",
    ),
    ("r1", "resources", "We can free time for a key account manager on the pilot accounts."),
    ("r2", "resources", "There is a budget for visits, samples and joint projects."),
    ("t1", "teams", "The sales team agrees on which accounts are key, and why."),
    ("t2", "teams", "Salespeople are measured on the long term, not only on this quarter."),
    ("d1", "departments", "Technical, quality, logistics and finance will meet customers when asked."),
    ("d2", "departments", "Management backs KAM and will review it every year."),
    (
        "s1",
        "systems",
        "Our systems (customer records, reporting, shared files) can hold each key account's contacts, "
        "analysis and plan.",
    ),
    ("g1", "training", "The people involved know the KAM tools (classification, contact matrix, account plan)."),
    ("g2", "training", "Someone can coach the team through the first year."),
)


def readiness(answers: Mapping[str, Any]) -> pd.DataFrame:
    """Readiness per area (0-100 %) with a status: ``ready`` (75 % or more), ``partly``, ``not yet`` (below 50 %).

    ``answers`` maps question id to 1-5; every question must be answered.
    """
    rows = []
    for qid, area, text in QUESTIONS:
        if qid not in answers:
            raise KamDataError(f"question {qid!r} is not answered", column=qid, fix=f"Answer 1 to 5: {text}")
        v = answers[qid]
        if isinstance(v, bool) or not isinstance(v, (int, float, np.number)) or not 1 <= v <= 5:
            raise KamDataError(
                f"the answer {v!r} to {qid!r} is not 1 to 5",
                column=qid,
                fix="Answer with a whole number from 1 (not at all) to 5 (fully).",
            )
        rows.append({"area": area, "score": (float(v) - 1) / 4})
    frame = pd.DataFrame(rows).groupby("area", sort=False)["score"].mean().reindex(list(AREAS)).to_frame("readiness")
    frame["status"] = np.select([frame["readiness"] >= 0.75, frame["readiness"] >= 0.5], ["ready", "partly"], "not yet")
    return frame


def suggest_pilots(classified: pd.DataFrame, *, n: int = 3, stability: pd.DataFrame | None = None) -> pd.DataFrame:
    """One to three pilot accounts: key accounts first, the firmest (if known), then the most attractive.

    ``classified`` is the course's placement (:func:`kamwidgets.place_by_rules`:
    then the biggest revenue first) or the matrix's (:func:`kamwidgets.classify`:
    the most attractive first).

    Falls back to key development accounts when there are too few key
    accounts.  Returns the chosen rows with a ``why`` column.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= 3:
        raise KamDataError(f"a pilot has 1 to 3 accounts, not {n!r}", fix="Start small: one to three accounts.")
    keys = segment_keys(classified)
    frame = classified.assign(_key=keys.to_numpy())
    if stability is not None:
        frame = frame.merge(stability[["account", "kept_share"]], on="account", how="left")
    else:
        frame["kept_share"] = np.nan
    order = {"key": 0, "development": 1}
    frame = frame[frame["_key"].isin(order)].assign(_rank=lambda f: f["_key"].map(order))
    # the matrix's scores where there are any; for the course's placement (criteria per bucket) the biggest first
    size = "attractiveness" if "attractiveness" in frame.columns else size_column(frame)
    frame = frame.assign(_size=frame[size] if size else np.nan)
    frame = frame.sort_values(["_rank", "kept_share", "_size"], ascending=[True, False, False], na_position="last")
    picked = frame.head(n).copy()
    picked["why"] = [_why(row, size) for _, row in picked.iterrows()]
    return picked.drop(columns=["_key", "_rank", "_size"]).reset_index(drop=True)


def _why(row: pd.Series, size: str | None) -> str:
    """Why an account is suggested, in words: its bucket, how it got there, and what ranks it."""
    text = ", ".join(filter(None, [str(row["segment"]), how_placed(row)]))
    if size == "attractiveness" and pd.notna(row.get("attractiveness")):
        text += f", attractiveness {row['attractiveness']:.1f}"
    elif size == "revenue" and pd.notna(row.get("revenue")):
        text += f", revenue {row['revenue']:,.0f}"
    if pd.notna(row.get("kept_share")):
        text += f", keeps its bucket in {row['kept_share']:.0%} of weight changes"
    return text

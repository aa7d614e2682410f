"""SWOT towards a customer or a market, with the strategies of the TOWS cross.

Items: one row per strength, weakness, opportunity or threat, with an
importance from 1 (minor) to 5 (decisive).  Strategies cross them:

====  ============================================  ===========
SO    use a strength to seize an opportunity         offensive
ST    use a strength to blunt a threat               confront
WO    fix a weakness to seize an opportunity         improve
WT    guard a weakness against a threat              protective
====  ============================================  ===========

Each strategy has an owner and a timing (start and end dates).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..errors import KamDataError
from ._schema import Field, check_table

__all__ = [
    "QUADRANTS",
    "HEADINGS",
    "CROSSES",
    "ITEM_FIELDS",
    "STRATEGY_FIELDS",
    "check_items",
    "items_long",
    "check_strategies",
    "swot_grid",
    "tows_prompts",
]

QUADRANTS: tuple[str, ...] = ("strength", "weakness", "opportunity", "threat")
#: Headings for the four boxes.
HEADINGS: dict[str, str] = {
    "strength": "Strengths",
    "weakness": "Weaknesses",
    "opportunity": "Opportunities",
    "threat": "Threats",
}
#: The TOWS crosses and what each kind of strategy is called.
CROSSES: dict[str, str] = {"SO": "offensive", "ST": "confront", "WO": "improve", "WT": "protective"}

ITEM_FIELDS: tuple[Field, ...] = (
    Field(
        "quadrant",
        "choice",
        choices=QUADRANTS,
        required=True,
        help="the quadrant is strength, weakness, opportunity or threat",
        aliases=tuple((spelling, q) for q in QUADRANTS for spelling in (HEADINGS[q], q[0].upper())),
    ),
    Field("text", "text", required=True, help="write the item in a few words"),
    Field("importance", "number", low=1, high=5, default=3.0, help="importance runs from 1 (minor) to 5 (decisive)"),
)

STRATEGY_FIELDS: tuple[Field, ...] = (
    Field(
        "cross",
        "choice",
        choices=tuple(CROSSES),
        required=True,
        help="the cross is SO (offensive), ST, WO or WT (protective)",
    ),
    Field("strategy", "text", required=True, help="say what will be done"),
    Field("owner", "text", default="", help="who makes it happen"),
    Field("start", "text", default="", help="the start date, e.g. 2026-01-15"),
    Field("end", "text", default="", help="the end date, e.g. 2026-06-30"),
)


def items_long(items: Any) -> Any:
    """SWOT items one per row: a wide table (a column per quadrant, items below) is turned into that.

    Columns are recognised by the quadrant spellings (``Strengths``,
    ``strength``, ``S`` ...); a table that already has a ``quadrant``
    column, or anything else, is returned as it is.
    """
    if not isinstance(items, pd.DataFrame) or any(str(c).strip().casefold() == "quadrant" for c in items.columns):
        return items
    field = ITEM_FIELDS[0]
    quadrant_of = {}
    for c in items.columns:
        q, problem = field.check(str(c))
        if problem is None:
            quadrant_of[c] = q
    if not quadrant_of:
        return items
    rows = [
        {"quadrant": q, "text": text}
        for c, q in quadrant_of.items()
        for text in items[c].tolist()
        if isinstance(text, str) and text.strip()
    ]
    return pd.DataFrame(rows, columns=["quadrant", "text"])


def check_items(items: Any) -> pd.DataFrame:
    """The SWOT items, checked: ``quadrant``, ``text``, ``importance`` (wide tables are turned long)."""
    return check_table(items_long(items), ITEM_FIELDS, what="SWOT")


def check_strategies(strategies: Any) -> pd.DataFrame:
    """The strategies, checked, with ``kind`` (offensive, protective...) and real dates.

    A start after its end, or a date that cannot be read, is an error naming
    the row.
    """
    frame = check_table(strategies, STRATEGY_FIELDS, what="strategy list")
    frame["kind"] = frame["cross"].map(CROSSES).astype("str")
    for col in ("start", "end"):
        text = frame[col].fillna("")
        dates = pd.to_datetime(text.where(text != "", None), errors="coerce", format="ISO8601")
        bad = (text != "") & dates.isna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0]) + 1
            raise KamDataError(
                f"{text[bad].iloc[0]!r} is not a date",
                source="the strategy list",
                column=col,
                rows=[row],
                fix="Write dates as 2026-03-31.",
            )
        frame[col + "_date"] = dates
    late = frame["start_date"].notna() & frame["end_date"].notna() & (frame["start_date"] > frame["end_date"])
    if late.any():
        row = int(late.to_numpy().nonzero()[0][0]) + 1
        raise KamDataError(
            "the start is after the end",
            source="the strategy list",
            column="end",
            rows=[row],
            fix="Swap the dates or correct one of them.",
        )
    return frame


def swot_grid(items: Any) -> dict[str, list[str]]:
    """The four quadrants, each item's text in order of importance (most important first)."""
    frame = check_items(items)
    out = {}
    for q in QUADRANTS:
        part = frame[frame["quadrant"] == q].sort_values("importance", ascending=False, kind="stable")
        out[q] = part["text"].tolist()
    return out


def tows_prompts(items: Any, *, top: int = 2) -> pd.DataFrame:
    """Questions that start the strategy talk: the most important items of each cross, paired.

    One row per pair: ``cross``, ``kind``, ``first``, ``second``, ``question``.
    """
    frame = check_items(items)
    best = {q: frame[frame["quadrant"] == q].nlargest(top, "importance")["text"].tolist() for q in QUADRANTS}
    phrasing = {
        "SO": "Strength \u201c{a}\u201d, opportunity \u201c{b}\u201d: how can the one win the other?",
        "ST": "Strength \u201c{a}\u201d, threat \u201c{b}\u201d: how can the one blunt the other?",
        "WO": "Weakness \u201c{a}\u201d, opportunity \u201c{b}\u201d: what must we fix to seize it?",
        "WT": "Weakness \u201c{a}\u201d, threat \u201c{b}\u201d: how do we keep the threat from hitting there?",
    }
    pick = {
        "SO": ("strength", "opportunity"),
        "ST": ("strength", "threat"),
        "WO": ("weakness", "opportunity"),
        "WT": ("weakness", "threat"),
    }
    rows = []
    for cross, (qa, qb) in pick.items():
        for a in best[qa]:
            for b in best[qb]:
                rows.append(
                    {
                        "cross": cross,
                        "kind": CROSSES[cross],
                        "first": a,
                        "second": b,
                        "question": phrasing[cross].format(a=a, b=b),
                    }
                )
    return pd.DataFrame(rows, columns=["cross", "kind", "first", "second", "question"])

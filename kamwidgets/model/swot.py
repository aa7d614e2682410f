"""SWOT towards a customer or a market, with its offensive and protective strategies.

Items: one row per strength, weakness, opportunity or threat, with an
importance from 1 (minor) to 5 (decisive).

Strategies are what the course asks for: each one is **offensive** (how we
move forward with this customer or in this market) or **protective** (how we
defend the position we have), with an owner and a timing (start and end
dates).  A strategy may also name the TOWS cross it comes from (Weihrich's
addition, optional):

====  ============================================  ========================
SO    use a strength to seize an opportunity         offensive
ST    use a strength to blunt a threat               protective
WO    fix a weakness to seize an opportunity         offensive
WT    guard a weakness against a threat              protective
====  ============================================  ========================

A strategy saved before strategies had a kind (a cross and no kind) gets the
kind of its cross: towards an opportunity it is offensive, against a threat
protective.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import KamDataError
from ._schema import Field, check_table

__all__ = [
    "QUADRANTS",
    "HEADINGS",
    "KINDS",
    "CROSSES",
    "CROSS_MEANINGS",
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
#: The course's two kinds of strategy.
KINDS: tuple[str, ...] = ("offensive", "protective")
#: The TOWS crosses (Weihrich; the workbook's addition) and the kind each one's strategies have when a saved
#: strategy gives its cross and no kind: towards an opportunity offensive, against a threat protective.
CROSSES: dict[str, str] = {"SO": "offensive", "ST": "protective", "WO": "offensive", "WT": "protective"}
#: What each cross pairs, in words.
CROSS_MEANINGS: dict[str, str] = {
    "SO": "use a strength to seize an opportunity",
    "ST": "use a strength to blunt a threat",
    "WO": "fix a weakness to seize an opportunity",
    "WT": "guard a weakness against a threat",
}


@dataclass(frozen=True)
class _Blankable(Field):
    """A choice that may be left blank: the blank is the first option the form offers, so nothing is picked
    for the learner."""

    def check(self, value: Any) -> tuple[Any, str | None]:
        clean, problem = super().check(value)
        if problem:
            shown = ", ".join(c for c in self.choices if c)
            problem = f"{str(value).strip()!r} is not one of: {shown} (or leave it blank)"
        return clean, problem


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
    _Blankable(
        "kind",
        "choice",
        choices=("", *KINDS),
        default="",
        help="the kind is offensive (moving forward) or protective (defending the position)",
        aliases=(("defensive", "protective"), ("offense", "offensive"), ("offence", "offensive")),
    ),
    Field("strategy", "text", required=True, help="say what will be done"),
    Field("owner", "text", default="", help="who makes it happen"),
    Field("start", "text", default="", help="the start date, e.g. 2026-01-15"),
    Field("end", "text", default="", help="the end date, e.g. 2026-06-30"),
    _Blankable(
        "cross",
        "choice",
        choices=("", *CROSSES),
        default="",
        help="the cross, if you use one, is SO, ST, WO or WT; it can stay blank",
    ),
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
    """The strategies, checked: ``kind`` (offensive or protective), an optional ``cross``, and real dates.

    A strategy with a cross and no kind (as saved before strategies had a
    kind) gets its cross's kind (see :data:`CROSSES`).  A strategy with
    neither, a start after its end, or a date that cannot be read, is an
    error naming the row.
    """
    frame = check_table(strategies, STRATEGY_FIELDS, what="strategy list")
    derived = frame["cross"].map(CROSSES).fillna("").astype("str")
    frame["kind"] = frame["kind"].where(frame["kind"] != "", derived).astype("str")
    missing = frame["kind"] == ""
    if missing.any():
        row = int(missing.to_numpy().nonzero()[0][0]) + 1
        raise KamDataError(
            "the strategy has no kind",
            source="the strategy list",
            column="kind",
            rows=[row],
            fix="Say whether it is offensive (moving forward) or protective (defending the position).",
        )
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

    One row per pair: ``cross``, ``kind`` (the kind its strategies usually
    have: offensive towards an opportunity, protective against a threat),
    ``first``, ``second``, ``question``.
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

"""The contact matrix: who in our team talks with whom at the customer, and how often.

Long form (one row per contact): ``our_side`` (our person or function),
``their_side`` (their function or person), ``owner`` (who on our side owns
the contact; defaults to ``our_side``) and ``frequency``.  Wide form: our
side down, theirs across, the frequency in each cell.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import KamDataError
from ._schema import Field, check_table

__all__ = ["FREQUENCIES", "PER_YEAR", "FIELDS", "check_contacts", "to_wide", "from_wide", "coverage"]

FREQUENCIES: tuple[str, ...] = ("weekly", "monthly", "quarterly", "yearly")
#: Contacts a year for each frequency.
PER_YEAR: dict[str, int] = {"weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1}

FIELDS: tuple[Field, ...] = (
    Field("our_side", "text", required=True, help="our person or function"),
    Field("their_side", "text", required=True, help="their function or person"),
    Field(
        "frequency",
        "choice",
        choices=FREQUENCIES,
        required=True,
        help=f"the frequency is one of {', '.join(FREQUENCIES)}",
    ),
    Field("owner", "text", default="", help="who on our side owns the contact"),
)


def check_contacts(contacts: Any) -> pd.DataFrame:
    """The contacts as a clean long frame; the owner defaults to our side."""
    frame = check_table(contacts, FIELDS, what="contact matrix")
    frame["owner"] = frame["owner"].where(frame["owner"].fillna("") != "", frame["our_side"])
    pair = frame.duplicated(["our_side", "their_side"], keep=False).to_numpy()
    if pair.any():
        first = frame[pair].iloc[0]
        same = (frame["our_side"] == first["our_side"]) & (frame["their_side"] == first["their_side"])
        lines = frame.attrs.get("rows") or range(1, len(frame) + 1)  # a file's own lines, as the other checks
        rows = [int(lines[int(i)]) for i in np.flatnonzero(same.to_numpy())]  # this pair's rows, not every repeat's
        raise KamDataError(
            f"{first['our_side']!r} and {first['their_side']!r} are paired twice",
            source=frame.attrs.get("source") or "the contact matrix",
            column="their_side",
            rows=rows,
            fix="Keep one row per pair, with its usual frequency.",
        )
    return frame


def to_wide(contacts: Any, *, our: list[str] | None = None, their: list[str] | None = None) -> pd.DataFrame:
    """The matrix: our side down, theirs across, frequency in the cells ('' where nobody talks)."""
    frame = check_contacts(contacts)
    rows = our if our is not None else list(dict.fromkeys(frame["our_side"]))
    cols = their if their is not None else list(dict.fromkeys(frame["their_side"]))
    wide = pd.DataFrame("", index=pd.Index(rows, name="our side"), columns=pd.Index(cols, name="their side"))
    for r in frame.itertuples():
        if r.our_side in wide.index and r.their_side in wide.columns:
            wide.loc[r.our_side, r.their_side] = r.frequency
    return wide


def from_wide(wide: pd.DataFrame) -> pd.DataFrame:
    """Back to the long form from a wide matrix (empty cells are no contact)."""
    if not isinstance(wide, pd.DataFrame):
        raise KamDataError("the contact matrix must be a DataFrame", fix="Our side as rows, their side as columns.")
    rows = []
    for our in wide.index:
        for their in wide.columns:
            cell = wide.loc[our, their]
            if cell is None or (isinstance(cell, float) and np.isnan(cell)) or not str(cell).strip():
                continue
            rows.append({"our_side": str(our), "their_side": str(their), "frequency": str(cell).strip(), "owner": ""})
    return check_contacts(rows)


def coverage(contacts: Any, *, their: list[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """For each of their functions: how many of ours reach it, how often; gaps and single points of failure.

    Returns ``(frame, warnings)``.  ``frame`` has one row per their side
    (those in ``their`` too, even with no contact): ``links``, ``our_people``,
    ``contacts_per_year``, ``gap`` (nobody reaches it) and
    ``single_point`` (only one of ours does).  The warnings also name any of
    our people who alone hold more than half of all the links.
    """
    frame = check_contacts(contacts)
    names = list(dict.fromkeys((their or []) + frame["their_side"].tolist()))
    frame["per_year"] = frame["frequency"].map(PER_YEAR)
    rows = []
    for name in names:
        part = frame[frame["their_side"] == name]
        owners = sorted(set(part["owner"]))
        rows.append(
            {
                "their_side": name,
                "links": len(part),
                "our_people": ", ".join(owners),
                "contacts_per_year": int(part["per_year"].sum()),
                "gap": part.empty,
                "single_point": len(owners) == 1,
            }
        )
    out = pd.DataFrame(rows, columns=["their_side", "links", "our_people", "contacts_per_year", "gap", "single_point"])
    warnings = [f"Nobody in our team talks with {n}." for n in out.loc[out["gap"], "their_side"]]
    warnings += [
        f"Only {p} talks with {n}: if {p} leaves, the link is lost."
        for n, p in zip(out.loc[out["single_point"], "their_side"], out.loc[out["single_point"], "our_people"])
    ]
    if len(frame) >= 3:
        share = frame["owner"].value_counts(normalize=True)
        for person, s in share[share > 0.5].items():
            warnings.append(f"{person} holds {s:.0%} of all contacts with this customer: a single point of failure.")
    return out, warnings

"""Numbers for people: a frame's values as the text a reader expects (for display, never for computing)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

__all__ = ["readable", "is_share"]

_SHARE = re.compile(r"(share|rate|pct|percent|kept|ratio|readiness|agreement|right)", re.IGNORECASE)


def is_share(name: object, values: pd.Series) -> bool:
    """A column of fractions to show in %: its name says so and its values lie in 0-1."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    return bool(_SHARE.search(str(name))) and len(numbers) > 0 and numbers.between(0, 1).all()


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def _numbers(values: pd.Series, places: int, percent: bool = False) -> list[str]:
    scale, suffix = (100, "%") if percent else (1, "")
    return ["" if _missing(v) else f"{scale * v:,.{places}f}{suffix}" for v in values]


def header(name: object) -> str:
    """A column name as words (``"hours_per_week"`` -> ``"hours per week"``)."""
    return str(name).replace("_", " ")


def flag_text(values: Iterable[object]) -> list[str]:
    """Yes/no values as a person reads them in a table: "yes", or nothing."""
    return ["yes" if v else "" for v in values]


def readable(frame: pd.DataFrame, *, decimals: int = 1, headers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """``frame`` with its values as text for people.

    Shares (a column named like ``*share*``, ``*rate*``, ``*pct*``,
    ``kept*``... holding fractions 0-1) in %, with one decimal when small;
    other decimals to ``decimals`` places (none when every value is whole,
    or for amounts in the thousands and more);
    thousands separated; yes/blank for flags; headers with spaces for
    underscores (or as ``headers`` names them); a named index kept as a
    column, a plain row number dropped.
    """
    out = frame.reset_index() if any(frame.index.names) else frame.reset_index(drop=True)
    shown = {}
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_bool_dtype(col.dtype):
            text = flag_text(col)
        elif pd.api.types.is_numeric_dtype(col.dtype):
            values = col.astype("float64")
            known = values.dropna()
            if is_share(name, values):
                text = _numbers(values, 1 if known.abs().lt(0.1).any() else 0, percent=True)
            else:
                whole = known.eq(known.round()).all() or (len(known) > 0 and known.abs().median() >= 1000)
                text = _numbers(values, 0 if whole else decimals)
        else:
            text = ["" if _missing(v) else str(v) for v in col]
        shown[(headers or {}).get(str(name), header(name))] = list(text)
    return pd.DataFrame(shown)

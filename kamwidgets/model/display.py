"""Numbers for people: a frame's values as the text a reader expects (for display, never for computing)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["readable", "is_share", "Shown", "column_words", "column_named"]

_SHARE = re.compile(r"(share|rate|pct|percent|kept|ratio|readiness|agreement|right)", re.IGNORECASE)
_CHANGE = re.compile(r"growth", re.IGNORECASE)


def is_share(name: object, values: pd.Series) -> bool:
    """A column of fractions to show in %: its name says so and its values lie in 0-1 (a growth: -1 to 1)."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return _is_share(name, numbers[~np.isnan(numbers)])


def _is_share(name: object, known: np.ndarray) -> bool:
    """:func:`is_share` of the known values (no NaN) of a column."""
    if known.size == 0:
        return False
    if _SHARE.search(str(name)) and bool(((known >= 0) & (known <= 1)).all()):
        return True
    return bool(_CHANGE.search(str(name))) and bool(((known >= -1) & (known <= 1)).all())


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))


def _numbers(values: Iterable[float], places: int, percent: bool = False) -> list[str]:
    scale, suffix = (100, "%") if percent else (1, "")
    return ["" if _missing(v) else f"{scale * v:,.{places}f}{suffix}" for v in values]


def header(name: object) -> str:
    """A column name as words (``"hours_per_week"`` -> ``"hours per week"``)."""
    return str(name).replace("_", " ")


#: The workbook's own column names that read better as other words in a table for people.
WORDS: dict[str, str] = {"segment": "bucket", "unscored": "not placed yet", "matched": "criteria met"}


def column_words(name: object) -> str:
    """A column's name as people read it: the workbook's own names in words (:data:`WORDS`), else :func:`header`."""
    return WORDS.get(str(name), header(name))


def column_named(name: object) -> str:
    """A column as a message names it: quoted as the page shows it, with its name in the file beside when that
    differs, so a participant finds it on the page and an analyst in the code.

    >>> column_named("share_of_wallet"), column_named("revenue")
    ("'share of wallet' (share_of_wallet)", "'revenue'")
    """
    words = column_words(name)
    return repr(words) if words == str(name) else f"{words!r} ({name})"


class Shown(pd.DataFrame):
    """A table for people, as :func:`readable` makes it: shown without pandas' row numbers.

    It is a DataFrame in every other way; anything computed from it is a
    plain DataFrame again (with its index).
    """

    @property
    def _constructor(self):
        return pd.DataFrame

    def _repr_html_(self) -> str:
        return self.to_html(index=False, notebook=True, na_rep="", max_rows=pd.get_option("display.max_rows"))

    def __repr__(self) -> str:
        if self.empty:
            return "(no rows)"
        return self.to_string(index=False, na_rep="", max_rows=pd.get_option("display.max_rows"))


def whole_percents(parts: Sequence[float]) -> list[int]:
    """``parts`` as whole percentages of their total that add up to 100 (the largest remainders rounded up),
    as a reader adds them; all 0 when the total is 0.

    >>> whole_percents([3, 2, 2])  # 42.9, 28.6, 28.6: rounded one by one they would make 101
    [43, 29, 28]
    """
    total = float(sum(parts))
    if total <= 0:
        return [0] * len(parts)
    exact = [100 * p / total for p in parts]
    whole = [int(e) for e in exact]
    by_remainder = sorted(range(len(parts)), key=lambda i: exact[i] - whole[i], reverse=True)
    for i in by_remainder[: 100 - sum(whole)]:
        whole[i] += 1
    return whole


def flag_text(values: Iterable[object]) -> list[str]:
    """Yes/no values as a person reads them in a table: "yes", or nothing."""
    return ["yes" if v else "" for v in values]


def readable(
    frame: pd.DataFrame,
    *,
    decimals: int = 1,
    headers: Mapping[str, str] | None = None,
    share_decimals: int | None = None,
) -> Shown:
    """``frame`` with its values as text for people.

    Shares (a column named like ``*share*``, ``*rate*``, ``*pct*``,
    ``kept*``... holding fractions 0-1, or ``*growth*`` holding -1 to 1)
    in %, with one decimal when small (or ``share_decimals``, to match a
    table shown elsewhere); other decimals to ``decimals`` places (none
    when every value is whole, or for amounts in the thousands and more);
    thousands separated; yes/blank for flags; dates without a time of day
    when they have none; headers with spaces for underscores, the
    workbook's own names in words (:data:`WORDS`: a ``segment`` is a
    ``bucket``), or as ``headers`` names them; a named index kept as a
    column, a plain row number dropped and not shown (a :class:`Shown`
    table).

    Examples
    --------
    >>> print(readable(pd.DataFrame({"hours_per_week": [4.0], "kept_share": [0.5], "score": [4.844828]})))
    hours per week kept share score
                 4        50%   4.8
    """
    out = frame.reset_index() if any(frame.index.names) else frame.reset_index(drop=True)
    shown = {}
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_bool_dtype(col.dtype):
            text = flag_text(col)
        elif pd.api.types.is_datetime64_any_dtype(col.dtype):
            times = pd.to_datetime(col)
            whole_days = bool((times.dropna() == times.dropna().dt.normalize()).all())
            text = ["" if pd.isna(t) else t.strftime("%Y-%m-%d" if whole_days else "%Y-%m-%d %H:%M") for t in times]
        elif pd.api.types.is_numeric_dtype(col.dtype):  # in numpy: a slider move formats a table of these
            values = col.to_numpy(dtype="float64", na_value=np.nan)
            known = values[~np.isnan(values)]
            if _is_share(name, known):
                places = share_decimals if share_decimals is not None else 1 if (np.abs(known) < 0.1).any() else 0
                text = _numbers(values.tolist(), places, percent=True)
            else:
                whole = bool((known == np.round(known)).all()) or (known.size > 0 and np.median(np.abs(known)) >= 1000)
                text = _numbers(values.tolist(), 0 if whole else decimals)
        else:
            text = ["" if _missing(v) else str(v) for v in col]
        shown[(headers or {}).get(str(name), column_words(name))] = list(text)
    return Shown(shown)

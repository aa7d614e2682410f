"""Small tables the user fills in by hand (people, contacts, SWOT items): their columns and checks.

A :class:`Field` says what one column holds; :func:`check_table` turns
whatever the user gave (a DataFrame, a list of dicts) into a clean frame or
raises a :class:`KamDataError` that names the column and the row.  Widgets use
the same checks to put a message next to the field.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import KamDataError
from .load._fields import normalise_name, tidy_header
from .load._numbers import read_number
from .load._tabular import read_table

__all__ = ["Field", "check_table", "as_frame", "raw_rows", "typed_rows"]


@dataclass(frozen=True)
class Field:
    """One column of a hand-filled table.

    ``kind`` is ``"text"``, ``"choice"`` (one of ``choices``, compared
    without case), ``"number"`` (between ``low`` and ``high``; typed
    text is read as the file loader reads a cell: "0,3", "150 000" and
    "1.200,50" are read, "1,200" alone is refused as 1200 or 1.2) or
    ``"value"`` (a number given as a number stays one, anything else is
    text: a rule's value, read once the column it is compared with is known).
    """

    name: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    low: float = 0.0
    high: float = 10.0
    required: bool = False
    default: Any = None
    help: str = ""
    #: other spellings of the choices, as (spelling, choice) pairs: ("S", "strength")
    aliases: tuple[tuple[str, str], ...] = ()
    #: a number field held in %, 0-100: "12.5%" typed there is 12.5 (elsewhere a "%" is refused, not guessed)
    percent: bool = False
    #: how choices are shown, as (choice, words) pairs: ("share_of_wallet", "share of wallet"); the choice is kept
    labels: tuple[tuple[str, str], ...] = ()

    def shown(self, choice: str) -> str:
        """A choice as the form shows it (its words, else itself)."""
        return dict(self.labels).get(choice, choice)

    def named(self, choice: str) -> str:
        """A choice as a message names it: as the form shows it, and itself beside when that differs.

        >>> Field("column", "choice", choices=("share_of_wallet",), labels=(("share_of_wallet", "share of wallet"),)
        ...       ).named("share_of_wallet")
        'share of wallet (share_of_wallet)'
        """
        shown = self.shown(choice)
        return shown if shown == choice else f"{shown} ({choice})"

    def check(self, value: Any) -> tuple[Any, str | None]:
        """``(clean value, problem or None)`` for one cell."""
        missing = (
            value is None
            or value is pd.NA
            or (isinstance(value, float) and np.isnan(value))
            or (isinstance(value, str) and not value.strip())
        )
        if missing:
            if self.required:
                return None, "is empty"
            return self.default, None
        if self.kind == "number":
            try:
                number = self._number(value)
            except KamDataError as err:
                return value, f"{err.problem}. {err.fix}"
            if number is None:
                return value, f"{value!r} is not a number"
            if not np.isfinite(number) or not self.low <= number <= self.high:
                shown = f"{number:g}" if np.isfinite(number) else repr(value)
                return value, f"{shown} is outside {self.low:g}-{self.high:g}"
            return number, None
        if self.kind == "value" and isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
            return value, None  # 12.345 given as a number is not text to read again ("12.345" is 12345 or 12.345)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 150000, not 150000.0, in a text field read from a table of numbers
        text = str(value).strip()
        if self.kind == "choice":
            lookup = {c.casefold(): c for c in self.choices}
            lookup.update({a.casefold(): c for a, c in self.aliases})
            found = lookup.get(text.casefold())
            if found is None:
                return value, f"{text!r} is not one of: {', '.join(map(self.named, self.choices))}"
            return found, None
        return text, None

    def _number(self, value: Any) -> float | None:
        """A number typed as text read as the file loader reads a cell (:func:`read_number`); None: not one."""
        if isinstance(value, str):
            return read_number(value, percent="points" if self.percent else "refuse")
        try:
            return float(value)
        except (TypeError, ValueError):
            return None


def as_frame(rows: Any, columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame from a DataFrame, a list of dicts, a CSV/Excel path or None (empty)."""
    if rows is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    if isinstance(rows, pd.DataFrame):
        return rows.copy()
    if isinstance(rows, (str, os.PathLike)):
        table = read_table(rows, text_columns=lambda headers: headers)
        frame = table.frame
        frame.attrs.update(source=table.label, rows=[int(r) for r in table.rows])  # errors name the file's rows
        return frame
    if isinstance(rows, Mapping):
        return pd.DataFrame(rows)
    if isinstance(rows, Iterable) and not isinstance(rows, (str, bytes)):
        records = list(rows)
        if not records:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
        return pd.DataFrame(records)
    raise KamDataError(f"cannot make a table from a {type(rows).__name__}", fix="Pass a DataFrame or a list of dicts.")


def _align_headers(frame: pd.DataFrame, fields: Sequence[Field]) -> pd.DataFrame:
    """Headers written another way ("Our side", "OUR_SIDE") renamed to the field they mean."""
    by_key: dict[str, Any] = {}
    for c in frame.columns:
        by_key.setdefault(normalise_name(c), c)
    rename = {}
    for f in fields:
        found = by_key.get(normalise_name(f.name))
        if f.name not in frame.columns and found is not None and found not in rename:
            rename[found] = f.name
    return frame.rename(columns=rename)


def _as_given(rows: Any, fields: Sequence[Field]) -> pd.DataFrame:
    """``rows`` as a frame, headers matched to the fields as :func:`check_table` matches them; unchecked."""
    return _align_headers(as_frame(rows, [f.name for f in fields]).rename(columns=tidy_header), fields)


def raw_rows(rows: Any, fields: Sequence[Field]) -> pd.DataFrame:
    """The rows as given, one column per field (headers matched as :func:`check_table` does), unchecked.

    For showing a table that does not pass its checks: every row is kept as
    it was typed, so the problem can be pointed at and fixed in place.
    """
    try:
        frame = _as_given(rows, fields)
    except KamDataError:
        return as_frame(None, [f.name for f in fields])
    out = pd.DataFrame(index=range(len(frame)))
    for f in fields:
        out[f.name] = frame[f.name].to_numpy() if f.name in frame.columns else f.default
    return out


def typed_rows(rows: Any, fields: Sequence[Field]) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows as given, one dict per row keyed by the fields' names, unchecked; and the columns that are none of
    the fields.

    Headers are matched as :func:`check_table` matches them; a field the rows lack gets its default, an empty
    cell is None.  Raises :class:`KamDataError` when ``rows`` are not a table at all.

    >>> typed_rows([{"Name": "Ana", "age": 40}], [Field("name"), Field("role")])
    ([{'name': 'Ana', 'role': None}], ['age'])
    """
    frame = _as_given(rows, fields)
    names = [f.name for f in fields]
    others = [str(c) for c in frame.columns if c not in names]
    columns = {f.name: frame[f.name].tolist() if f.name in frame.columns else [f.default] * len(frame) for f in fields}
    typed = [{n: _given(columns[n][i]) for n in names} for i in range(len(frame))]
    return typed, others


def _given(value: Any) -> Any:
    """A cell as given, an empty one (NaN, NA) as None."""
    return None if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else value


def check_table(rows: Any, fields: Sequence[Field], *, what: str, key: str | None = None) -> pd.DataFrame:
    """Check a hand-filled table; return it clean (known columns first, others kept).

    Raises :class:`KamDataError` for the first bad cell (column and row named,
    rows counted from 1) and, with ``key``, for a repeated key.
    """
    frame = as_frame(rows, [f.name for f in fields])
    if frame.empty and len(frame.columns) == 0:
        frame = as_frame(None, [f.name for f in fields])
    frame.columns = [tidy_header(c) for c in frame.columns]
    source = str(frame.attrs.get("source") or f"the {what}")
    user_rows = list(frame.attrs.get("rows") or range(1, len(frame) + 1))
    dup = frame.columns[frame.columns.duplicated()].tolist()
    if dup:
        raise KamDataError(
            f"the header {dup[0]!r} appears more than once",
            source=source,
            column=dup[0],
            fix="Give each column its own title.",
        )
    frame = _align_headers(frame, fields)
    for f in fields:
        if f.name not in frame.columns:
            if f.required:
                raise KamDataError(
                    f"the {what} has no {f.name!r} column",
                    column=f.name,
                    fix=f"Add the column {f.name!r}" + (f" ({f.help})." if f.help else "."),
                )
            frame[f.name] = f.default
    frame = frame.reset_index(drop=True)
    for f in fields:
        clean = []
        for i, value in enumerate(frame[f.name].tolist()):
            good, problem = f.check(value)
            if problem:
                raise KamDataError(
                    problem,
                    source=source,
                    column=f.name,
                    rows=[user_rows[i]],
                    fix=f"{f.help[0].upper() + f.help[1:]}." if f.help else "Correct the value.",
                )
            clean.append(good)
        if f.kind == "number":
            frame[f.name] = pd.Series(clean, dtype=float)
        elif f.kind == "value":
            frame[f.name] = pd.Series(clean, dtype=object)
        else:
            frame[f.name] = pd.Series(clean, dtype="object").astype("str")
    if key is not None and len(frame):
        dup = frame[key].duplicated(keep=False).to_numpy()
        if dup.any():
            first = frame[key][dup].iloc[0]
            rows_ = [user_rows[int(i)] for i in np.flatnonzero((frame[key] == first).to_numpy())]  # this name's
            raise KamDataError(
                f"{first!r} appears more than once",
                source=source,
                column=key,
                rows=rows_,
                fix=f"Give each {key} once.",
            )
    known = [f.name for f in fields]
    return frame[known + [c for c in frame.columns if c not in known]]

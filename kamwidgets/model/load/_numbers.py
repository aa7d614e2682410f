"""Stage 5, numbers: amounts, percentages and dates read from cells as people write them."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ...errors import KamDataError
from ._tabular import NA_STRINGS, Table

_NUMBER_JUNK = re.compile(r"[\s\u00a0\u202f'’$€£¥₹]|(?i:\b(?:usd|eur|gbp|chf|jpy|inr|aud|cad)\b)")
# A first group of thousands never starts with 0: "0,300" and "0.300" are 0.3 in any file.
_THOUSANDS_DOT = re.compile(r"^[-+(]?[1-9]\d{0,2}(?:\.\d{3})+[)]?$")
_THOUSANDS_COMMA = re.compile(r"^[-+(]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?[)]?$")


_NA_FOLDED = frozenset(t.lower() for t in NA_STRINGS)


def text_cells(column: pd.Series) -> pd.Series:
    """The column as text with missing cells as NA (markers like 'n/a' too).

    Each distinct text is trimmed and checked once (an export repeats its products, dates and stages over
    millions of rows), then put back in every row that has it.
    """
    code, distinct = pd.factorize(column.astype("string"))
    tidy = pd.Series(distinct, dtype="string").str.strip()
    tidy = tidy.mask(tidy.str.lower().isin(_NA_FOLDED))
    values = np.append(tidy.to_numpy(dtype=object, na_value=pd.NA), pd.NA)  # code -1 (missing): the last
    return pd.Series(pd.array(values[code], dtype="string"), index=column.index)


def parse_numbers(column: pd.Series, decimal: str = ".") -> tuple[pd.Series, pd.Series]:
    """Numbers from cells like ``"$1,200.00"``, ``"1.200,50 €"``, ``"50%"`` or ``"(300)"``.

    Returns ``(values, bad)``: ``values`` as float (NaN where a cell is empty
    or not a number) and ``bad``, true where a cell has text that is not a
    number.  Percentages become fractions (``"50%"`` -> 0.5).  The decimal
    mark is decided per column: the last of ``.``/``,`` in a cell that has
    both, otherwise the file's convention (``decimal``).
    """
    if pd.api.types.is_bool_dtype(column.dtype):
        return column.astype(float), pd.Series(False, index=column.index)
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column.astype(float), pd.Series(False, index=column.index)
    if column.dtype == object:
        # cells that are already numbers (an Excel column with a few text cells)
        is_num = column.map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool))
        if is_num.all():
            return pd.to_numeric(column, errors="coerce").astype(float), pd.Series(False, index=column.index)
    s = text_cells(column)
    present = s.notna()
    if not present.any():
        return pd.Series(np.nan, index=column.index), pd.Series(False, index=column.index)
    # fast path: plain numbers already
    plain = s[present]
    if decimal == "." or not plain.str.contains(".", regex=False).any():
        fast = pd.to_numeric(plain, errors="coerce")
        if fast.notna().all():
            out = pd.Series(np.nan, index=column.index)
            out[present] = fast.astype(float).to_numpy()
            return out, pd.Series(False, index=column.index)
    cleaned = plain.str.replace(_NUMBER_JUNK, "", regex=True)
    percent = cleaned.str.endswith("%")
    cleaned = cleaned.str.rstrip("%")
    negative = cleaned.str.startswith("(") & cleaned.str.endswith(")")
    cleaned = cleaned.str.strip("()")
    mark = _decimal_mark(cleaned, decimal)
    if mark == ",":
        cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        cleaned = cleaned.str.replace(",", "", regex=False)
    values = pd.to_numeric(cleaned, errors="coerce").astype(float)
    values = values.where(~percent, values / 100.0)
    values = values.where(~negative, -values)
    out = pd.Series(np.nan, index=column.index)
    out[present] = values.to_numpy()
    bad = pd.Series(False, index=column.index)
    bad[present] = values.isna().to_numpy()
    return out, bad


class MixedDecimalMarks(ValueError):
    """A column writes some numbers as 1,234.56 and others as 1.234,56; ``mask`` marks the fewer."""

    def __init__(self, mask: pd.Series) -> None:
        super().__init__("mixed decimal marks")
        self.mask = mask


def parse_numbers_in(table: Table, name: object, column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_numbers` for a column of ``table``: mixed decimal marks are named by row, never guessed."""
    try:
        return parse_numbers(column, table.decimal)
    except MixedDecimalMarks as mixed:
        raise KamDataError(
            "mixes decimal marks: some numbers are written like 1,234.56 and others like 1.234,56, "
            "so one kind would be misread",
            source=table.label,
            column=str(name),
            rows=table.user_rows(mixed.mask.reindex(column.index, fill_value=False).to_numpy()),
            fix="Write every number in the column the same way (for example 1234.56), starting with these rows.",
        ) from None


def _decimal_mark(cells: pd.Series, default: str) -> str:
    has_dot = cells.str.contains(".", regex=False)
    has_comma = cells.str.contains(",", regex=False)
    both = has_dot & has_comma
    if both.any():
        last_comma = cells[both].str.rfind(",") > cells[both].str.rfind(".")
        if last_comma.any() and not last_comma.all():  # both conventions in one column: refuse to guess
            minority = last_comma if last_comma.mean() < 0.5 else ~last_comma
            raise MixedDecimalMarks(minority.reindex(cells.index, fill_value=False))
        return "," if last_comma.all() else "."
    if has_comma.any():
        comma_cells = cells[has_comma]
        if default == "." and comma_cells.str.fullmatch(_THOUSANDS_COMMA).all():
            return "."
        return ","
    if has_dot.any() and default == ",":
        if cells[has_dot].str.fullmatch(_THOUSANDS_DOT).all():
            return ","
        return "."
    return default


def numeric_columns(table: Table, skip: set) -> None:
    """Turn every text column whose cells are all numbers into a number column.

    A column whose first cells already hold text that is not a number is
    left as text without parsing the rest.
    """
    frame = table.frame
    for name in frame.columns:
        if name in skip or name in table.keep_text:
            continue
        col = frame[name]
        if pd.api.types.is_bool_dtype(col.dtype):
            continue
        if pd.api.types.is_numeric_dtype(col.dtype):
            _refuse_infinite(table, name, col)
            continue
        if pd.api.types.is_datetime64_any_dtype(col.dtype):
            continue
        head = col.dropna().head(200)
        if parse_numbers_in(table, name, head)[1].any():
            frame[name] = _text_or_original(col, strip=table.padded)
            continue
        values, bad = parse_numbers_in(table, name, col)
        if bad.any() or values.isna().all():
            frame[name] = _text_or_original(col, strip=table.padded)
            continue
        _refuse_infinite(table, name, values)
        whole = values.notna().all() and np.all(np.abs(values) < 2**53)
        if whole and np.all(np.mod(values.to_numpy(dtype=float), 1) == 0):
            frame[name] = values.astype("int64")
        else:
            frame[name] = values


def _refuse_infinite(table: Table, name: object, values: pd.Series) -> None:
    """A number too large for a computer (such as 1e309) would be read as infinity: say so instead."""
    if not pd.api.types.is_float_dtype(values.dtype):
        return
    infinite = np.isinf(values.to_numpy(dtype=float, na_value=np.nan))
    if infinite.any():
        raise KamDataError(
            "has a number too large to compute with (it would be read as infinite)",
            source=table.label,
            column=str(name),
            rows=table.user_rows(infinite),
            fix="Check the cell: a value such as 1e309 is usually a typing or export error.",
        )


def _text_or_original(col: pd.Series, *, strip: bool = True) -> pd.Series:
    """A text column (trimmed when ``strip``), empty cells as NA; a mixed Excel column as it is."""
    if col.dtype == object:
        is_text = col.map(lambda v: isinstance(v, str) or v is None or v is pd.NA or v != v)
        if not is_text.all():
            return col
    s = col.astype("str")
    if strip:
        s = s.str.strip()
    return s.mask(s == "")


def as_text_keys(col: pd.Series, *, strip: bool = True) -> pd.Series:
    """Key values (account names, owners) as trimmed text; numbers keep no '.0'."""

    def one(v: object) -> object:
        if v is None or v is pd.NA:
            return None
        if isinstance(v, float):
            if np.isnan(v):
                return None
            return str(int(v)) if v.is_integer() else repr(v)
        if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
            return str(int(v))
        text = str(v).strip()
        return text or None

    if pd.api.types.is_string_dtype(col.dtype) and col.dtype != object:
        if not strip:  # a CSV key column with no padded cells: empty cells are already NA
            return col
        s = col.str.strip()
        return s.mask(s == "")
    return col.map(one).astype("str")


def fail_on(table: Table, column: object, mask: np.ndarray, problem: str, fix: str) -> None:
    if mask.any():
        raise KamDataError(problem, source=table.label, column=str(column), rows=table.user_rows(mask), fix=fix)


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T].*)?$")
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T].*)?$")


def _dates_from_numbers(col: pd.Series, table: Table, name: object, must: np.ndarray) -> pd.Series:
    """Numbers as dates: 20240105 (year, month, day run together) or Excel's serial day numbers."""
    values = col.astype(float).reset_index(drop=True)
    present = values.notna()
    whole = present & np.isfinite(values) & (values == np.floor(values.fillna(0)))
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    if present.any() and (whole[present] & values[present].between(19000101, 21001231)).all():
        digits = values[present].astype("int64").astype(str)
        result[present] = pd.to_datetime(digits, format="%Y%m%d", errors="coerce")
    else:
        serial = present & values.between(1, 2_958_465)  # Excel's days 1900-01-01 .. 9999-12-31
        result[serial] = pd.Timestamp("1899-12-30") + pd.to_timedelta(values[serial], unit="D")
    fail_on(
        table,
        name,
        (present & result.isna()).to_numpy() & must,
        "has a number that is not a date (neither like 20240105 nor an Excel day number)",
        "Write dates as 2025-03-31, or format the column as dates in the spreadsheet.",
    )
    return result


def _read_date_texts(values: pd.Series) -> pd.Series:
    """Texts that are all present as dates (NaT where one cannot be read): ISO, else day/month/year with the
    order read from the values themselves, else whatever pandas makes of each."""
    if values.str.match(_ISO).all():  # 2024-01-05 or 2024-1-5, with or without a time
        parts = values.str.extract(r"^(\d{4})-(\d{1,2})-(\d{1,2})").astype(int)
        return pd.to_datetime(
            pd.DataFrame({"year": parts[0], "month": parts[1], "day": parts[2]}), errors="coerce"
        ).astype("datetime64[us]")
    if values.str.match(_DMY).all():
        parts = values.str.extract(_DMY).astype(int)
        first, second, year = parts[0], parts[1], parts[2]
        year = year.where(year >= 100, year + 2000)
        if (first > 12).any():
            day, month = first, second
        elif (second > 12).any():
            day, month = second, first
        elif values.str.contains("/", regex=False).any():
            day, month = second, first  # ambiguous slashes: US month-first
        else:
            day, month = first, second
        return pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce").astype(
            "datetime64[us]"
        )
    return pd.to_datetime(values, format="mixed", errors="coerce").astype("datetime64[us]")


def parse_dates(col: pd.Series, table: Table, name: object, must: np.ndarray) -> pd.Series:
    """Dates in ISO, day-first or month-first form; the order is read from the data."""
    stamps = pd.api.types.is_datetime64_any_dtype(col.dtype) or (
        col.dtype == object and col.map(lambda v: isinstance(v, pd.Timestamp) or hasattr(v, "year")).all()
    )
    if stamps:  # times with a zone (one or several) are compared in UTC; times without one are taken as UTC
        return pd.to_datetime(col, utc=True).dt.tz_localize(None).astype("datetime64[us]").reset_index(drop=True)
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return _dates_from_numbers(col, table, name, must)
    text = text_cells(col).reset_index(drop=True)
    present = text.notna()
    # An export repeats a few hundred dates over millions of rows: each distinct text is read once.
    codes, distinct = pd.factorize(text)
    read = _read_date_texts(pd.Series(distinct, dtype="str")).to_numpy()
    read = np.append(read, np.datetime64("NaT", "us"))  # code -1 (no text) takes the last: no date
    result = pd.Series(read[codes], dtype="datetime64[us]")
    bad = present & result.isna()
    fail_on(
        table,
        name,
        bad.to_numpy() & must,
        "has a date that cannot be read",
        "Write dates as 2025-03-31 (or one consistent day/month/year form).",
    )
    return result

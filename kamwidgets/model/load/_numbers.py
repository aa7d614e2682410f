"""Stage 5, numbers: amounts, percentages and dates read from cells as people write them.

A file's column is read by :func:`parse_numbers` (the decimal mark decided for the whole column); one
number typed by hand (a cell of a hand-filled table, a rule's value, a setting) by :func:`read_number`,
with the same rules for one cell, refusing what only a column could decide ("1,200": 1200 or 1.2?).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd

from ...errors import KamDataError
from ._tabular import NA_STRINGS, Table

_CURRENCY_SIGNS = "$€£¥₹"
_CURRENCY_CODES = "usd|eur|gbp|chf|jpy|inr|aud|cad"
_NUMBER_JUNK = re.compile(rf"[\s\u00a0\u202f'’{_CURRENCY_SIGNS}]|(?i:\b(?:{_CURRENCY_CODES})\b)")
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


_LONGEST_NA = max(map(len, _NA_FOLDED))


def tidy_texts(cells: Iterable[str]) -> list[str | None]:
    """Text cells as :func:`text_cells` reads them, one by one: trimmed, None when empty or a marker like 'n/a'.

    A cell that needs no change is returned as it is (the same object).
    """
    return [
        text if (text := cell.strip()) and (len(text) > _LONGEST_NA or text.lower() not in _NA_FOLDED) else None
        for cell in cells
    ]


def tidy_keys(cells: Iterable[str]) -> list[str | None]:
    """Text cells as :func:`as_text_keys` reads them (accounts, salespeople): trimmed, None when empty."""
    return [cell.strip() or None for cell in cells]


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


# -- one number a person types (a cell of a hand-filled table, a rule's value, a setting) -------------------------
_CURRENCY = rf"(?:[{_CURRENCY_SIGNS}]|\b(?:{_CURRENCY_CODES})\b)"
_TYPED = re.compile(
    rf"""(?P<open>\()?\s*(?P<sign>[-+])?\s*(?:{_CURRENCY}\s*)?(?P<sign_after>[-+])?
    (?P<body>[.,]?[0-9](?:[0-9.,'’\u00a0\u202f ]*[0-9])?)(?P<exponent>e[-+]?[0-9]+)?
    \s*(?:{_CURRENCY}\s*)?(?P<percent>%)?\s*(?P<close>\))?""",
    re.VERBOSE | re.IGNORECASE,
)
_SPACES = str.maketrans({"'": " ", "’": " ", "\u00a0": " ", "\u202f": " "})  # thousands marks, never decimals
_FIRST_GROUP = re.compile(r"[1-9][0-9]{0,2}")
_MARK_NAMES = {",": "comma", ".": "dot", " ": "space"}
#: How a percentage is read where one number is typed (:func:`read_number`).
Percent: TypeAlias = Literal["fraction", "points", "refuse"]


def read_number(text: str, *, percent: Percent = "fraction") -> float | None:
    """One number as a person types it, read by the rules :func:`parse_numbers` applies to a file's cell.

    ``"1200"``, ``"1 200"``, ``"1,200.50"``, ``"1.200,50"``, ``"0,3"``, ``"-5"``, ``"(300)"``, ``"$950"``,
    ``"1e5"``.  A dot or comma is the decimal mark when it comes last of the two or stands alone; one
    repeated, or beside the other, separates thousands (groups of three after a first group of one to three
    digits that does not start with 0); spaces and apostrophes only ever separate thousands.  Alone, one
    dot or comma followed by exactly three digits (``"1,200"``, ``"1.200"``) could be either: it is refused,
    never guessed, with both readings and how to write each.  A percentage is, by ``percent``: a fraction
    (``"30%"`` -> 0.3, as a share is held and as a file's cell is read), points (``"30%"`` -> 30, for a field
    in %), or refused where a plain number is expected.

    Returns None when ``text`` is not written as a number at all (the caller says what it wanted); raises
    :class:`KamDataError` (what is wrong and how to write it, no place: the caller knows the field and row)
    for a number that cannot be read with certainty.

    >>> read_number("0,3"), read_number("150 000"), read_number("1.200,50 €"), read_number("30%")
    (0.3, 150000.0, 1200.5, 0.3)
    >>> read_number("1,200")
    Traceback (most recent call last):
    ...
    kamwidgets.errors.KamDataError: '1,200' can be read two ways: 1200 (the comma separating thousands) \
or 1,2 (the comma as the decimal mark). Write 1200 or 1,2, whichever is meant.
    >>> read_number("lots") is None
    True
    """
    text = text.strip()
    found = _TYPED.fullmatch(text)
    if found is None or bool(found["open"]) != bool(found["close"]):
        return None
    if sum(bool(found[part]) for part in ("open", "sign", "sign_after")) > 1:
        return None  # "(-5)", "--5": two signs
    whole, fraction = _number_parts(text, found)
    value = float(f"{whole or 0}.{fraction or 0}{found['exponent'] or ''}")
    if not np.isfinite(value):
        raise KamDataError(
            f"{text!r} is too large to compute with",
            fix="Check the value: a number such as 1e309 is usually a typing error.",
        )
    if found["open"] or "-" in (found["sign"], found["sign_after"]):
        value = -value
    if found["percent"]:
        if percent == "refuse":
            raise KamDataError(f"{text!r} is a percentage, where a plain number is expected", fix="Write it without %.")
        if percent == "fraction":
            value = value / 100.0
    return value


def number_text(value: float) -> str:
    """A number written as text that :func:`read_number` reads back as the same number.

    >>> number_text(150000.0), number_text(0.3), number_text(12.345)
    ('150000', '0.3', '12.3450')
    """
    value = float(value)
    text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    whole, dot, fraction = text.lstrip("-").partition(".")
    if dot and len(fraction) == 3 and _FIRST_GROUP.fullmatch(whole):
        text += "0"  # "12.345" alone could be 12345: a fourth decimal says it is not
    return text


def _number_parts(text: str, found: re.Match[str]) -> tuple[str, str]:
    """The digits before and after the decimal mark of a number's ``body``, its thousands marks taken out."""
    body = found["body"].translate(_SPACES)
    unclear = KamDataError(
        f"the marks in {text!r} do not make one clear number",
        fix="Write one decimal mark and thousands in groups of three, or no thousands marks at all: "
        "1234.5, 1,234.5, 1.234,5 or 1 234,5.",
    )
    if re.search(r"[., ]{2}", body):
        raise unclear
    marks = [m for m in ".," if m in body]
    if len(marks) == 2:  # the last of the two is the decimal mark
        decimal = max(marks, key=body.rfind)
        grouping = "," if decimal == "." else "."
    elif marks and body.count(marks[0]) > 1:
        decimal, grouping = "", marks[0]
    elif marks:
        decimal, grouping = marks[0], " "
        whole, _, fraction = body.partition(decimal)
        if " " not in body and len(fraction) == 3 and _FIRST_GROUP.fullmatch(whole) and not found["exponent"]:
            raise _two_readings(text, found, whole, fraction, decimal)
    else:
        decimal, grouping = "", " "
    whole, _, fraction = body.partition(decimal) if decimal else (body, "", "")
    if (decimal and not fraction.isdigit()) or not set(whole) <= set("0123456789" + grouping):
        raise unclear  # two decimal marks, or two kinds of thousands marks
    groups = whole.split(grouping)
    if len(groups) > 1 and (
        found["exponent"] or not _FIRST_GROUP.fullmatch(groups[0]) or any(len(g) != 3 for g in groups[1:])
    ):
        raise unclear
    return "".join(groups), fraction


def _two_readings(text: str, found: re.Match[str], whole: str, fraction: str, mark: str) -> KamDataError:
    """``"1,200"``: 1200 or 1.2 -- both said, with how to write each so that it reads one way only."""
    start, end = found.span("body")
    as_thousands = text[:start] + whole + fraction + text[end:]
    decimals = fraction.rstrip("0")
    decimals += "0" if len(decimals) == 3 else ""  # "2,125" as a decimal is written "2,1250"
    as_decimal = text[:start] + whole + (mark + decimals if decimals else "") + text[end:]
    name = _MARK_NAMES[mark]
    return KamDataError(
        f"{text!r} can be read two ways: {as_thousands} (the {name} separating thousands) "
        f"or {as_decimal} (the {name} as the decimal mark)",
        fix=f"Write {as_thousands} or {as_decimal}, whichever is meant.",
    )


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
    """Refuse the rows ``mask`` marks in ``column``, naming them and quoting the first one's cell."""
    if mask.any():
        said = f"{problem} (the first: {_cell_text(table, column, mask)})"
        raise KamDataError(said, source=table.label, column=str(column), rows=table.user_rows(mask), fix=fix)


def _cell_text(table: Table, column: object, mask: np.ndarray) -> str:
    """The first marked cell of ``column`` as the file has it, quoted (``an empty cell`` when it is empty)."""
    try:
        cell = table.frame[column].iloc[int(np.flatnonzero(mask)[0])]
    except (KeyError, IndexError, AttributeError):  # a header given twice: no one cell to quote
        return "see the row"
    if isinstance(cell, pd.Series):  # a header given twice: no one cell to quote
        return "see the row"
    if not isinstance(cell, str) and pd.isna(cell):
        return "an empty cell"
    text = f"{cell:g}" if isinstance(cell, float) else str(cell)  # 20241399, not 20241399.0
    return repr(text if len(text) <= 40 else text[:40] + "\u2026")


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


def read_date_texts(values: pd.Series) -> pd.Series:
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
    read = read_date_texts(pd.Series(distinct, dtype="str")).to_numpy()
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

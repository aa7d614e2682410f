"""Stage 3, table: a CSV's dialect or a spreadsheet's sheet read into a DataFrame, with its header row.

In two halves, with the fields stage between them.  :func:`open_table` reads
the header row (stages 1 and 2 first: the bytes, and a CSV's text);
:func:`read_rows` reads the rows once the fields are known, so that the
columns naming things (the account, the salesperson) are read from a CSV as
text, as written, while pandas' parser reads the other columns' plain numbers
at its own speed.  A spreadsheet (.xlsx, .xlsm, .xls, .ods, read by
python-calamine) comes with its cells typed already, a DataFrame as it is.
:func:`read_table` does both halves for readers that need no fields.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import warnings
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook, PasswordError

from ...errors import KamDataError
from ._bytes import Raw, Source, read_source
from ._fields import header_row
from ._text import HEAD, as_utf8

_DELIMITERS = (",", ";", "\t", "|")


@dataclass
class Table:
    """A table read from a file or a DataFrame, with where each row came from.

    ``rows[i]`` is how the user finds row ``i`` of ``frame``: the spreadsheet
    row number for a file (header = 1), the index label for a DataFrame.
    """

    frame: pd.DataFrame
    label: str
    rows: np.ndarray
    decimal: str = "."
    #: False when the source is known to have no cell with spaces around it
    #: (checked on a CSV's text), so trimming can be skipped
    padded: bool = True
    #: columns that look like numbers but must stay text (codes with leading zeros)
    keep_text: set = field(default_factory=set)
    #: True when empty cells were already read as missing (CSV files)
    empty_is_na: bool = False

    def user_rows(self, mask: np.ndarray | pd.Series) -> list:
        """The user's row numbers where ``mask`` is true."""
        return [_plain(r) for r in self.rows[np.asarray(mask, dtype=bool)]]


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


# --------------------------------------------------------------------- reading
TextColumns = Callable[[list], Iterable]


@dataclass
class _Csv:
    """What reading a CSV's rows needs: its UTF-8 bytes and its dialect."""

    raw: bytes
    delimiter: str
    decimal: str


@dataclass
class Sheet:
    """A table whose header row is read (the first half of stage 3).

    ``header`` holds the column names (:func:`~._fields.header_row`),
    ``unnamed`` those made up for columns with no header.  A CSV keeps what
    :func:`read_rows` needs (``csv``); an Excel sheet or a DataFrame has its
    ``cells`` and the user's row numbers (``rows``).  ``sheets`` lists the
    sheets of a spreadsheet, ``sheet`` the one read.
    """

    label: str
    header: list[str]
    unnamed: set[str] = field(default_factory=set)
    csv: _Csv | None = None
    cells: pd.DataFrame | None = None
    rows: np.ndarray | None = None
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None


def read_table(source: Source, *, sheet: str | int | None = None, text_columns: TextColumns | None = None) -> Table:
    """Read ``source`` into a :class:`Table`: :func:`open_table`, then :func:`read_rows`.

    ``text_columns`` is called with the header and returns the columns to
    read as text whatever they look like (keys such as account names, so an
    id like ``00123`` keeps its zeros).
    """
    opened = open_table(source, sheet=sheet)
    return read_rows(opened, text=set(text_columns(list(opened.header))) if text_columns else ())


def open_table(source: Source, *, sheet: str | int | None = None) -> Sheet:
    """The header row of ``source``, read through stages 1 (bytes) and 2 (a CSV's text).

    ``sheet`` chooses the sheet of a spreadsheet (a name, or a number from
    0); the first by default.
    """
    raw = read_source(source)
    if raw.kind == "frame":
        return _open_frame(raw)
    if raw.kind == "csv":
        return _open_csv(raw)
    return _open_spreadsheet(raw, sheet)


def read_rows(opened: Sheet, *, text: Collection[str] = ()) -> Table:
    """The rows of an opened table; the columns in ``text`` read from a CSV as text, as written.

    Unnamed columns with no value are left out (a separator at the end of
    each line makes one), and so are rows with no value at all.
    """
    if opened.csv is not None:
        table = _read_csv(opened, set(text))
    else:
        assert opened.cells is not None and opened.rows is not None
        table = Table(opened.cells, opened.label, opened.rows)
    frame = table.frame
    empty = [n for n in opened.unnamed if n in frame.columns and n not in text and frame[n].isna().all()]
    if empty:
        table.frame = table.frame.drop(columns=empty)
    if len(table.frame.columns) == 0:
        raise KamDataError("has no columns", source=table.label, fix="Export the data again with a header row.")
    keep = ~_blank_rows(table.frame, empty_strings=not table.empty_is_na)
    if not keep.all():
        table.frame = table.frame.loc[keep].reset_index(drop=True)
        table.rows = table.rows[keep]
    if table.frame.empty:
        raise KamDataError(
            "has a header but no rows of data",
            source=table.label,
            fix="Check that you exported the data and not only the column titles.",
        )
    return table


def _open_frame(raw: Raw) -> Sheet:
    assert raw.frame is not None
    frame = raw.frame.copy()
    header, unnamed = header_row(list(frame.columns), raw.label)
    rows = np.asarray(frame.index, dtype=object)
    frame = frame.reset_index(drop=True)
    frame.columns = header
    return Sheet(raw.label, header, unnamed, cells=frame, rows=rows)


def _open_csv(raw: Raw) -> Sheet:
    content, text = as_utf8(raw.content, raw.label)
    delim = _sniff_delimiter(text)
    # ';' is the European CSV: decimal commas, thousands dots ("1.234" is 1234); a tab file is
    # European only when its numbers show a decimal comma
    decimal = "," if delim == ";" or (delim == "\t" and _comma_decimals(text)) else "."
    header, unnamed = header_row(_header_record(content, text, delim), raw.label)
    return Sheet(raw.label, header, unnamed, csv=_Csv(content, delim, decimal))


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text[:65536].splitlines()[:20] if ln.strip()]
    if not lines:
        return ","
    best, best_score = ",", 0
    for delim in _DELIMITERS:
        counts = []
        for line in lines:
            try:
                counts.append(len(next(csv.reader([line], delimiter=delim))) - 1)
            except (csv.Error, StopIteration):
                counts.append(0)
        header = counts[0]
        if header == 0:
            continue
        # a delimiter that splits the header and most lines the same way wins
        consistent = sum(1 for c in counts if c == header)
        score = header * consistent
        if score > best_score:
            best, best_score = delim, score
    return best


#: Cells that mean "no value" in number columns (text columns keep them as written).
NA_STRINGS = (
    "",
    "-",
    "--",
    "NA",
    "N/A",
    "n/a",
    "na",
    "NaN",
    "nan",
    "NULL",
    "null",
    "None",
    "none",
    "#N/A",
    "#NA",
    "#VALUE!",
    "#DIV/0!",
)


def csv_options(opened: Sheet) -> dict[str, Any]:
    """How pandas reads this CSV, whole (:func:`read_rows`) or a chunk at a time (``_lines``): its separator and
    decimal mark, blank rows kept (their row numbers count), no cell read as missing but those named."""
    assert opened.csv is not None
    return dict(
        sep=opened.csv.delimiter,
        skip_blank_lines=False,
        keep_default_na=False,
        decimal=opened.csv.decimal,
        engine="c",
        encoding="utf-8-sig",
    )


def _read_csv(opened: Sheet, keys: set[str]) -> Table:
    """A CSV's rows: ``keys`` as text (empty cells missing), other columns numbers where pandas reads them so."""
    assert opened.csv is not None
    raw, delim, label, header = opened.csv.raw, opened.csv.delimiter, opened.label, opened.header
    options = csv_options(opened)
    cells: dict[str, Any] = dict(
        dtype={i: str for i, name in enumerate(header) if name in keys},
        na_values={i: ([""] if name in keys else list(NA_STRINGS)) for i, name in enumerate(header)},
    )
    try:
        frame = pd.read_csv(io.BytesIO(raw), **cells, **options)
        if not isinstance(frame.index, pd.RangeIndex):
            frame = _trailing_separators(frame, raw, {**cells, **options}, label)
    except pd.errors.EmptyDataError:
        raise KamDataError(
            "the file is empty", source=label, fix="Export the data again and check it has rows."
        ) from None
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+), saw (\d+)", str(exc))
        raise KamDataError(
            f"a row has more cells than the header ({exc})",
            source=label,
            rows=[int(match.group(1))] if match else None,
            fix=f"Check the quotes on that row, or that the file uses {delim!r} between values.",
        ) from None
    frame.columns = header if len(header) == len(frame.columns) else header_row(list(frame.columns), label)[0]
    leading_zeros, padded = _scan(memoryview(raw)[raw.find(b"\n") + 1 :], delim)
    protected = _keep_leading_zeros(frame, raw, keys, options) if leading_zeros else set()
    numbers = np.arange(2, len(frame) + 2)
    return Table(
        frame, label, numbers, decimal=opened.csv.decimal, padded=padded, keep_text=protected, empty_is_na=True
    )


def _trailing_separators(frame: pd.DataFrame, raw: bytes, options: dict[str, Any], label: str) -> pd.DataFrame:
    """Every row has more cells than the header, and pandas took the first cells as the rows' index (the
    columns then hold their neighbours' values).  When the cells past the header are empty on every row (a
    separator after each row's last value, as some exports write), the file is read again with each value
    under its own header; otherwise it is refused, not read shifted."""
    extra = frame.index.nlevels
    beyond = frame.iloc[:, -extra:] if extra <= frame.shape[1] else frame
    blank = beyond.isna() | beyond.apply(lambda cells: cells.astype(str).str.strip() == "")
    if not blank.to_numpy().all():
        raise KamDataError(
            f"every row has {extra} more cell(s) than the header, and they are not empty",
            source=label,
            rows=[2],
            fix="Give each column a name in the header (the first row), or remove the extra values.",
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.ParserWarning)  # the cells dropped are the empty ones
        return pd.read_csv(io.BytesIO(raw), index_col=False, **options)


def _keep_leading_zeros(frame: pd.DataFrame, raw: bytes, keys: set[str], options: dict[str, Any]) -> set[str]:
    """Number columns written with leading zeros (codes, postcodes) read again as text: to the user they are text."""
    protected = set()
    for i, name in enumerate(frame.columns):
        if name not in keys and pd.api.types.is_numeric_dtype(frame[name].dtype):
            cells = pd.read_csv(io.BytesIO(raw), usecols=[i], dtype=str, na_values=list(NA_STRINGS), **options)
            cells = cells.iloc[:, 0]
            if cells.str.match(r"^\s*0\d").any():
                frame[name] = cells.str.strip()
                protected.add(name)
    return protected


def _header_record(raw: bytes, text: str, delim: str) -> list[str]:
    """The header's cells: the first record, as the CSV rules read it.

    A quoted header may hold a line break, and old Mac files end lines with a
    carriage return alone, so the record is read by the csv module, not cut
    at the first line feed.  A header longer than the decoded start of the
    file (64 KB: thousands of columns) is read from the whole file.
    """

    def first_record(chunk: str) -> tuple[list[str], bool]:
        """(cells, cut): cut when the record ran to the end of ``chunk`` with no line end."""
        stream = io.StringIO(chunk, newline="")
        try:
            record = next(csv.reader(stream, delimiter=delim))
        except (csv.Error, StopIteration):
            return [], False
        return record, not (stream.tell() < len(chunk) or chunk.endswith(("\n", "\r")))

    header, cut = first_record(text)
    if cut and len(raw) > HEAD:  # the header may go on past what was decoded
        whole = raw.decode("utf-8-sig", errors="replace")
        header, _ = first_record(whole)
    return header


def _scan(data: bytes | memoryview, delim: str, block: int = 1 << 20) -> tuple[bool, bool]:
    """Two facts about a CSV body, found on its bytes at C speed.

    ``(leading_zeros, padded)``: whether some cell starts with a zero
    followed by a digit ("01234"), and whether some cell has a space or
    tab at its start or end.  Works in 1 MB blocks (overlapping by two
    bytes) so that each pass stays in the processor's cache, and stops
    looking for a fact once it is found.
    """
    a = np.frombuffer(data, dtype=np.uint8)
    d = np.uint8(ord(delim))
    leading = padded = False
    for start in range(0, max(a.size - 2, 0), block):
        c = a[start : start + block + 2]
        if not leading:
            before, zero, after = c[:-2], c[1:-1] == 48, c[2:]
            starts = (before == d) | (before == 10) | (before == 34)
            leading = bool((starts & zero & ((after - np.uint8(48)) < 10)).any())
        if not padded:
            space = _spaces(c, delim)
            edge = (c == d) | (c == 10) | (c == 13) | (c == 34)  # a quote closes or opens a cell too
            padded = bool((space[:-1] & edge[1:]).any() or (edge[:-1] & space[1:]).any())
        if leading and padded:
            break
    if a.size and not padded:
        padded = bool(_spaces(a[[0, -1]], delim).any())
    return leading, padded


def _spaces(c: np.ndarray, delim: str) -> np.ndarray:
    """Which bytes may be (part of) a space that Python's ``str.strip`` removes: a space, a tab (unless it
    separates the cells), the other ASCII spaces, and any byte of a non-ASCII character (a no-break space,
    an ideographic space...: such a cell is trimmed, as the chunked reader and a frame in memory trim it)."""
    space = (c == 32) | ((c >= 11) & (c <= 12)) | ((c >= 28) & (c <= 31)) | (c >= 128)
    return space if delim == "\t" else space | (c == 9)


def _comma_decimals(text: str) -> bool:
    """Whether numbers in a ';'- or tab-separated file use a decimal comma."""
    sample = text[:65536]
    return bool(re.search(r"(?<![\d.,])\d+,\d+(?![\d,])", sample))


def sheet_names(source: Source) -> list[str]:
    """The sheets of a spreadsheet (an empty list for anything else, or for a file that cannot be read)."""
    try:
        raw = read_source(source)
        if raw.kind not in _SPREADSHEETS:
            return []
        return [str(n) for n in CalamineWorkbook.from_filelike(io.BytesIO(raw.content)).sheet_names]
    except Exception:
        return []  # reading it says what is wrong


#: The spreadsheets read (by python-calamine), with how a message names each kind and what to save it as.
_SPREADSHEETS = {
    "xlsx": ("Excel (.xlsx)", "save it again as .xlsx, or export it as CSV"),
    "xls": ("Excel 97-2003 (.xls)", "save it as .xlsx or CSV"),
    "ods": ("OpenDocument (.ods) spreadsheet", "save it again as .ods or .xlsx, or export it as CSV"),
}


def _open_spreadsheet(raw: Raw, sheet: str | int | None) -> Sheet:
    """A sheet of a spreadsheet: its first row with a value is the header, its cells typed by the spreadsheet."""
    what, save_as = _SPREADSHEETS[raw.kind]
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw.content))
    except PasswordError:
        raise KamDataError(
            "is protected by a password", source=raw.label, fix="Save a copy without the password and load that."
        ) from None
    except Exception:  # calamine's errors (CalamineError, ZipError, XmlError ...) all mean the same here
        raise KamDataError(
            f"is not a readable {what} file; it may be damaged or another format renamed",
            source=raw.label,
            fix=f"Open it in Excel or LibreOffice and {save_as}.",
        ) from None
    names = [str(n) for n in book.sheet_names]
    chosen = _choose_sheet(names, sheet, raw.label)
    try:
        grid = book.get_sheet_by_name(chosen)
        values = grid.to_python()  # the used area: blank rows and columns before the table are skipped
    except Exception as exc:
        raise KamDataError(f"the sheet could not be read ({exc})", source=raw.label) from None
    if not values:
        raise KamDataError("the sheet is empty", source=raw.label, fix="Choose the sheet with the data (sheet=...).")
    label = f"{raw.label} [sheet {chosen!r}]"
    header, unnamed = header_row(values[0], label)
    body = values[1:]
    cells = pd.DataFrame({name: _column(col, len(body)) for name, col in zip(header, zip(*body))}, columns=header)
    first = grid.start[0] + 2 if grid.start else 2  # the spreadsheet's number of the first row under the header
    rows = np.arange(first, first + len(cells))
    return Sheet(label, header, unnamed, cells=cells, rows=rows, sheets=names, sheet=chosen)


def _column(values: tuple, n: int) -> np.ndarray:
    """A column of a spreadsheet as pandas' own readers give it, made at C speed when it holds numbers only."""
    kinds = set(map(type, values))
    if kinds == {float}:  # python-calamine gives every number as a float
        numbers = np.fromiter(values, dtype=float, count=n)
        whole = np.isfinite(numbers).all() and (numbers == np.round(numbers)).all() and (abs(numbers) < 2**53).all()
        return numbers.astype(np.int64) if whole else numbers
    if kinds == {str} and all(v.strip() for v in values):
        return np.array(values, dtype=object)
    return np.array([_cell(v) for v in values], dtype=object)


def _cell(value: object) -> object:
    """A spreadsheet cell as pandas' own readers give it: whole numbers as int, dates as Timestamp, blank as NA.

    Cells are otherwise kept as written: a customer called "NA" or "None" is a name.
    """
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return value if value.strip() else pd.NA
    if isinstance(value, datetime.date):  # a datetime too
        return pd.Timestamp(value)
    return value


def _choose_sheet(names: list[str], sheet: str | int | None, label: str) -> str:
    """The name of the sheet ``sheet`` asks for (the first when None); a clear message when there is none."""
    if sheet is None:
        if not names:
            raise KamDataError("has no sheets", source=label, fix="Open it and check it holds a table.")
        return names[0]
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise KamDataError(
                f"has no sheet number {sheet} (it has {len(names)}: {', '.join(map(repr, names))})",
                source=label,
                fix="Pass sheet= with one of those names, or a number from 0.",
            )
        return names[sheet]
    if sheet not in names:
        raise KamDataError(
            f"has no sheet {sheet!r}; its sheets are {', '.join(map(repr, names))}",
            source=label,
            fix="Pass sheet= with one of those names.",
        )
    return sheet


def _blank_rows(frame: pd.DataFrame, *, empty_strings: bool = True) -> np.ndarray:
    blank = np.ones(len(frame), dtype=bool)
    for name in frame.columns:
        col = frame[name]
        empty = col.isna().to_numpy(dtype=bool)  # may be read-only: combine into new arrays
        if col.dtype == object:
            empty = empty | col.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(dtype=bool)
        elif empty_strings and pd.api.types.is_string_dtype(col.dtype):
            empty = empty | (col == "").to_numpy(dtype=bool, na_value=True)
        blank &= empty
        if not blank.any():
            break
    return blank

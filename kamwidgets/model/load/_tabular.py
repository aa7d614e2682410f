"""Stage 3, table: a CSV's dialect or an Excel sheet read into a DataFrame, with its header row."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import KamDataError
from ._bytes import _EXCEL_SUFFIXES, _OLE_MAGIC, _ZIP_MAGIC, Source, Upload
from ._text import _HEAD, _as_utf8

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


def read_table(source: Source, *, sheet: str | int | None = None, text_columns: TextColumns | None = None) -> Table:
    """Read ``source`` into a :class:`Table`.

    ``text_columns`` is called with the tidied headers and returns those to
    read as text whatever they look like (keys such as account names, so an
    id like ``00123`` keeps its zeros).  Other CSV columns get pandas' own
    number parsing; a column of numbers with leading zeros is kept as text.
    A DataFrame is copied.  Headers are tidied (spaces trimmed, byte-order
    marks removed) and rows with no value at all are left out.
    """
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        frame.columns = [_tidy_header(c) for c in frame.columns]
        rows = np.asarray(frame.index, dtype=object)
        frame = frame.reset_index(drop=True)
        table = Table(frame, "the DataFrame", rows)
    elif isinstance(source, (str, os.PathLike)):
        table = _read_file(Path(source), sheet, text_columns)
    elif isinstance(source, Upload):
        table = _read_bytes(bytes(source.content), source.name, Path(source.name).suffix, sheet, text_columns)
    else:
        raise KamDataError(
            f"cannot read a {type(source).__name__}",
            fix="Pass the path of a CSV or Excel file, or a pandas DataFrame.",
        )
    _check_headers(table)
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


def _read_file(path: Path, sheet: str | int | None, text_columns: TextColumns | None) -> Table:
    label = str(path)
    if not path.exists():
        raise KamDataError(
            "file not found",
            source=label,
            fix=f"Check the path; the current folder is {os.getcwd()}.",
        )
    if path.is_dir():
        raise KamDataError("is a folder, not a file", source=label, fix="Give the path of the file inside it.")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KamDataError(f"cannot be read ({exc.strerror})", source=label) from None
    return _read_bytes(raw, label, path.suffix, sheet, text_columns)


def _read_bytes(
    raw: bytes, label: str, suffix: str, sheet: str | int | None, text_columns: TextColumns | None
) -> Table:
    if not raw[:65536].strip() and not raw.strip():  # the whole file is stripped only if its start is blank
        raise KamDataError("the file is empty", source=label, fix="Export the data again and check it has rows.")
    if raw.startswith(_ZIP_MAGIC) or suffix.lower() in _EXCEL_SUFFIXES:
        return _read_excel(raw, label, sheet)
    if raw.startswith(_OLE_MAGIC) or suffix.lower() == ".xls":
        raise KamDataError(
            "is an old Excel 97-2003 (.xls) file",
            source=label,
            fix="Open it in Excel or LibreOffice and save it as .xlsx or CSV.",
        )
    raw, head = _as_utf8(raw, label)
    return _read_csv(raw, head, label, text_columns)


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


def _read_csv(raw: bytes, text: str, label: str, text_columns: TextColumns | None) -> Table:
    delim = _sniff_delimiter(text)
    # ';' is the European CSV: decimal commas, thousands dots ("1.234" is 1234); a tab file is
    # European only when its numbers show a decimal comma
    decimal = "," if delim == ";" or (delim == "\t" and _comma_decimals(text)) else "."
    header = _header_record(raw, text, delim)
    tidy = [_tidy_header(h) for h in header]
    _check_header_names(tidy, label)
    keys = set(text_columns(tidy)) if text_columns else set()
    options: dict[str, Any] = dict(
        sep=delim, skip_blank_lines=False, keep_default_na=False, decimal=decimal, engine="c", encoding="utf-8-sig"
    )
    try:
        frame = pd.read_csv(
            io.BytesIO(raw),
            dtype={i: str for i, name in enumerate(tidy) if name in keys},
            na_values={i: ([""] if name in keys else list(NA_STRINGS)) for i, name in enumerate(tidy)},
            **options,
        )
    except pd.errors.EmptyDataError:
        raise KamDataError(
            "the file is empty", source=label, fix="Export the data again and check it has rows."
        ) from None
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+), saw (\d+)", str(exc))
        rows = [int(match.group(1))] if match else None
        raise KamDataError(
            f"a row has more cells than the header ({exc})",
            source=label,
            rows=rows,
            fix=f"Check the quotes on that row, or that the file uses {delim!r} between values.",
        ) from None
    frame.columns = tidy if len(tidy) == len(frame.columns) else [_tidy_header(c) for c in frame.columns]
    leading_zeros, padded = _scan(memoryview(raw)[raw.find(b"\n") + 1 :], delim)
    protected = set()
    if leading_zeros:  # numbers written with leading zeros (codes, postcodes) are text to the user
        for i, name in enumerate(frame.columns):
            if name not in keys and pd.api.types.is_numeric_dtype(frame[name].dtype):
                cells = pd.read_csv(
                    io.BytesIO(raw), usecols=[i], dtype=str, na_values=list(NA_STRINGS), **options
                ).iloc[:, 0]
                if cells.str.match(r"^\s*0\d").any():
                    frame[name] = cells.str.strip()
                    protected.add(name)
    numbers = np.arange(2, len(frame) + 2)
    return Table(frame, label, numbers, decimal=decimal, padded=padded, keep_text=protected, empty_is_na=True)


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
    if cut and len(raw) > _HEAD:  # the header may go on past what was decoded
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
            space = (c == 32) if delim == "\t" else (c == 32) | (c == 9)
            edge = (c == d) | (c == 10) | (c == 13) | (c == 34)  # a quote closes or opens a cell too
            padded = bool((space[:-1] & edge[1:]).any() or (edge[:-1] & space[1:]).any())
        if leading and padded:
            break
    if a.size and not padded:
        padded = bool(a[0] in (32, 9) or a[-1] in (32, 9))
    return leading, padded


def _comma_decimals(text: str) -> bool:
    """Whether numbers in a ';'- or tab-separated file use a decimal comma."""
    sample = text[:65536]
    return bool(re.search(r"(?<![\d.,])\d+,\d+(?![\d,])", sample))


def sheet_names(source: Source) -> list[str]:
    """The sheets of an Excel file (an empty list for anything else)."""
    if isinstance(source, Upload):
        raw = bytes(source.content[:4])
        content = bytes(source.content) if raw == _ZIP_MAGIC else b""
    elif isinstance(source, (str, os.PathLike)) and Path(source).is_file():
        content = Path(source).read_bytes()
        content = content if content.startswith(_ZIP_MAGIC) else b""
    else:
        return []
    if not content:
        return []
    try:
        with pd.ExcelFile(io.BytesIO(content), engine="openpyxl") as book:
            return [str(n) for n in book.sheet_names]
    except Exception:
        return []  # reading it says what is wrong


def _read_excel(raw: bytes, label: str, sheet: str | int | None) -> Table:
    try:
        import openpyxl  # noqa: F401  (checked here to give a clear message)
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise KamDataError("reading Excel files needs openpyxl", source=label, fix="pip install openpyxl") from None
    try:
        book = pd.ExcelFile(io.BytesIO(raw), engine="openpyxl")
    except Exception:
        raise KamDataError(
            "is not a readable Excel (.xlsx) file; it may be damaged or another format renamed",
            source=label,
            fix="Open it in Excel or LibreOffice and save it again as .xlsx, or export it as CSV.",
        ) from None
    with book:
        names = book.sheet_names
        if sheet is None:
            chosen: str | int = 0
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise KamDataError(
                    f"has no sheet number {sheet} (it has {len(names)}: {', '.join(map(repr, names))})",
                    source=label,
                    fix="Pass sheet= with one of those names, or a number from 0.",
                )
            chosen = sheet
        else:
            if sheet not in names:
                raise KamDataError(
                    f"has no sheet {sheet!r}; its sheets are {', '.join(map(repr, names))}",
                    source=label,
                    fix="Pass sheet= with one of those names.",
                )
            chosen = sheet
        try:
            # cells are kept as written: a customer called "NA" or "None" is a name (empty cells are empty)
            frame = pd.read_excel(book, sheet_name=chosen, dtype=object, header=None, keep_default_na=False)
            if frame.empty:
                raise KamDataError(
                    "the sheet is empty", source=label, fix="Choose the sheet with the data (sheet=...)."
                )
            frame.columns = list(frame.iloc[0])
            frame = frame.iloc[1:].reset_index(drop=True)
        except Exception as exc:
            raise KamDataError(f"the sheet could not be read ({exc})", source=label) from None
    frame = frame.map(lambda v: pd.NA if isinstance(v, str) and not v.strip() else v)
    rows = np.arange(2, len(frame) + 2)
    sheet_name = names[chosen] if isinstance(chosen, int) else chosen
    return Table(frame, f"{label} [sheet {sheet_name!r}]", rows)


# --------------------------------------------------------------------- headers
def _tidy_header(name: object) -> object:
    if not isinstance(name, str):
        return name
    name = name.replace("\ufeff", "").replace("\u200b", "")
    return re.sub(r"\s+", " ", name).strip()


def _check_headers(table: Table) -> None:
    frame = table.frame
    names = []
    for c in frame.columns:
        name = _tidy_header(c)
        if (
            name is None
            or (isinstance(name, float) and np.isnan(name))
            or name == ""
            or (isinstance(name, str) and name.startswith("Unnamed: "))
        ):
            name = ""
        names.append(
            name
            if isinstance(name, str)
            else str(int(name))
            if isinstance(name, float) and name.is_integer()
            else str(name)
        )
    # columns with no header: dropped when empty (trailing separators), else numbered
    blank = [i for i, n in enumerate(names) if n == "" and frame.iloc[:, i].isna().all()]
    if blank:
        keep = [i for i in range(len(names)) if i not in blank]
        table.frame = frame = frame.iloc[:, keep].copy()
        names = [names[i] for i in keep]
    names = [n if n else f"column {i + 1}" for i, n in enumerate(names)]
    frame.columns = names
    if len(frame.columns) == 0:
        raise KamDataError("has no columns", source=table.label, fix="Export the data again with a header row.")
    _check_header_names(list(frame.columns), table.label)


def _check_header_names(names: list, label: str) -> None:
    seen: dict[object, int] = {}
    for name in names:
        if name == "":
            continue  # columns without a header are numbered or dropped later
        seen[name] = seen.get(name, 0) + 1
    dupes = [n for n, c in seen.items() if c > 1]
    if dupes:
        raise KamDataError(
            f"the header {dupes[0]!r} appears {seen[dupes[0]]} times",
            source=label,
            column=str(dupes[0]),
            fix="Give each column its own title.",
        )


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

"""Reading tables as people have them: any common CSV dialect or an Excel file.

Everything here is private to the model.  The public readers are in
:mod:`kamwidgets.model.io`; they call :func:`read_table` and then give the
columns meaning.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import os
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from ..errors import KamDataError, KamDataWarning


@dataclass(frozen=True)
class Upload:
    """A file held in memory, such as one sent from the browser: its name and its bytes.

    Read exactly like a file on disk; messages name it by ``name``.
    """

    name: str
    content: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not isinstance(self.content, (bytes, bytearray, memoryview)):
            raise KamDataError("an upload is a file name and its bytes", fix="Upload the file again.")


Source: TypeAlias = str | os.PathLike | pd.DataFrame | Upload

_EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
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
    raw, head, encodings = _decode_head(raw, label)
    return _read_csv(raw, encodings, head, label, text_columns)


_HEAD = 65536


def _decode_head(raw: bytes, label: str) -> tuple[bytes, str, list[str]]:
    """``(raw, head, encodings)``: the start of the file as text, and the encodings to read it with.

    Only the first 64 KB are decoded here (to find the delimiter and the
    header); the parser decodes the rest, and a later encoding is tried if it
    meets bytes the first cannot read.  UTF-16 files are turned into UTF-8.
    """
    head = None
    encodings: list[str] = []
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
            head, encodings = raw[:_HEAD].decode("utf-8", errors="ignore"), ["utf-8"]
        except UnicodeDecodeError:
            head = None
    else:
        candidates = ["utf-8-sig", "cp1252", "latin-1"]
        for i, encoding in enumerate(candidates):
            try:
                decoder = codecs.getincrementaldecoder(encoding)()
                head = decoder.decode(raw[:_HEAD], final=len(raw) <= _HEAD)
                encodings = candidates[i:]
                break
            except UnicodeDecodeError:
                continue
    if head is None or _looks_binary(head):
        raise KamDataError(
            "does not look like a text table (CSV) or an Excel file",
            source=label,
            fix="Export the data from your CRM or spreadsheet as CSV or .xlsx and try again.",
        )
    return raw, head, encodings


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return control > max(2, len(sample) // 100)


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


def _read_csv(raw: bytes, encodings: list[str], text: str, label: str, text_columns: TextColumns | None) -> Table:
    delim = _sniff_delimiter(text)
    # ';' is the European CSV: decimal commas, thousands dots ("1.234" is 1234); a tab file is
    # European only when its numbers show a decimal comma
    decimal = "," if delim == ";" or (delim == "\t" and _comma_decimals(text)) else "."
    header = _header_record(raw, encodings, text, delim)
    tidy = [_tidy_header(h) for h in header]
    _check_header_names(tidy, label)
    keys = set(text_columns(tidy)) if text_columns else set()
    options: dict[str, Any] = dict(
        sep=delim, skip_blank_lines=False, keep_default_na=False, decimal=decimal, engine="c"
    )
    try:
        tried = list(encodings)
        while tried:
            options["encoding"] = tried[0]
            try:
                frame = pd.read_csv(
                    io.BytesIO(raw),
                    dtype={i: str for i, name in enumerate(tidy) if name in keys},
                    na_values={i: ([""] if name in keys else list(NA_STRINGS)) for i, name in enumerate(tidy)},
                    **options,
                )
                break
            except UnicodeDecodeError:
                if tried[0] == "utf-8-sig" and tried[1:2] != ["utf-8-sig"]:
                    # UTF-8 at the start, stray bytes further on: mend those, not the whole file
                    raw = _repair_stray_bytes(raw, label)
                    tried = ["utf-8-sig", *tried]
                tried = tried[1:]
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


def _repair_stray_bytes(raw: bytes, label: str) -> bytes:
    """A UTF-8 file with a few bytes from another encoding (often one pasted cell): read those as Windows-1252.

    Reading the whole file as Windows-1252 instead would turn every "Müller"
    into "MÃ¼ller".  Called only when the parser met bytes that are not
    UTF-8; the lines with stray bytes are named in a warning.
    """
    where: list[int] = []

    def as_cp1252(err: UnicodeError) -> tuple[str, int]:
        assert isinstance(err, UnicodeDecodeError)
        where.append(err.start)
        return err.object[err.start : err.end].decode("cp1252", errors="replace"), err.end

    codecs.register_error("kamwidgets-cp1252", as_cp1252)
    text = raw.decode("utf-8", errors="kamwidgets-cp1252")
    lines = sorted({raw.count(b"\n", 0, pos) + 1 for pos in where})
    shown = ", ".join(map(str, lines[:5])) + (f" and {len(lines) - 5:,} more" if len(lines) > 5 else "")
    warnings.warn(
        f"{label}: the file is UTF-8 except for {len(where):,} byte(s) on line(s) {shown}, read as Windows-1252; "
        "check those cells",
        KamDataWarning,
        stacklevel=7,  # the caller of load_portfolio / accounts_from_transactions
    )
    return text.encode("utf-8")


def _header_record(raw: bytes, encodings: list[str], text: str, delim: str) -> list[str]:
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
        whole = raw.decode(encodings[0] if encodings else "utf-8", errors="replace")
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


def normalise_name(name: object) -> str:
    """Header text reduced for matching: ``'Account  Name '`` -> ``'accountname'``."""
    return re.sub(r"[^0-9a-z]+", "", str(name).lower())


def find_column(table: Table, header: str, *, field: str | None = None) -> str:
    """The column of ``table`` whose header is ``header`` (case and spaces ignored)."""
    columns = list(table.frame.columns)
    if header in columns:
        return header
    wanted = normalise_name(header)
    matches = [c for c in columns if normalise_name(c) == wanted]
    if len(matches) == 1:
        return matches[0]
    close = difflib.get_close_matches(str(header), [str(c) for c in columns], n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    role = f" (given for {field!r})" if field else ""
    raise KamDataError(
        f"there is no column {header!r}{role}",
        source=table.label,
        column=header,
        fix=f"The columns are: {', '.join(map(repr, map(str, columns)))}.{hint}",
    )


def guess_column(table: Table, synonyms: tuple[str, ...]) -> str | None:
    """The first column whose tidied header is one of ``synonyms``."""
    by_norm: dict[str, object] = {}
    for c in table.frame.columns:
        by_norm.setdefault(normalise_name(c), c)
    for syn in synonyms:
        if syn in by_norm:
            return by_norm[syn]  # type: ignore[return-value]
    return None


# --------------------------------------------------------------------- values
_NUMBER_JUNK = re.compile(r"[\s\u00a0\u202f'’$€£¥₹]|(?i:\b(?:usd|eur|gbp|chf|jpy|inr|aud|cad)\b)")
_THOUSANDS_DOT = re.compile(r"^[-+(]?\d{1,3}(?:\.\d{3})+[)]?$")
_THOUSANDS_COMMA = re.compile(r"^[-+(]?\d{1,3}(?:,\d{3})+(?:\.\d+)?[)]?$")


def text_cells(column: pd.Series) -> pd.Series:
    """The column as text with missing cells as NA (markers like 'n/a' too)."""
    s = column.astype("string").str.strip()
    missing = s.isna() | s.str.lower().isin({t.lower() for t in NA_STRINGS})
    return s.mask(missing)


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

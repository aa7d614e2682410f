"""Reading tables as people have them: any common CSV dialect or an Excel file.

Everything here is private to the model.  The public readers are in
:mod:`kamwidgets.model.io`; they call :func:`read_table` and then give the
columns meaning.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import functools
import io
import os
import re
import sys
import unicodedata
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
    raw, head = _as_utf8(raw, label)
    return _read_csv(raw, head, label, text_columns)


_HEAD = 65536


def _as_utf8(raw: bytes, label: str) -> tuple[bytes, str]:
    """``(raw, head)``: the file as UTF-8 bytes, and its first 64 KB as text (to find the delimiter and header).

    UTF-8 (with or without BOM) is kept as it is; UTF-16 with a BOM is turned
    into UTF-8.  A UTF-8 file with a few bytes from another encoding (one
    pasted cell) has those bytes mended.  Any other file has its encoding
    guessed (:func:`_guess_encoding`): read with a warning that names it, or
    refused when no encoding is clear.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            _refuse_binary(label)
    else:
        bad = _first_non_utf8(raw)
        if bad is not None:
            if _looks_binary(raw[:_HEAD].decode("latin-1")):
                _refuse_binary(label)
            raw = _repair_stray_bytes(raw, label) if _mostly_utf8(raw, bad) else _guess_encoding(raw, label)
    head = codecs.getincrementaldecoder("utf-8-sig")(errors="replace").decode(raw[:_HEAD])
    if _looks_binary(head):
        _refuse_binary(label)
    return raw, head


def _refuse_binary(label: str) -> None:
    raise KamDataError(
        "does not look like a text table (CSV) or an Excel file",
        source=label,
        fix="Export the data from your CRM or spreadsheet as CSV or .xlsx and try again.",
    )


def _first_non_utf8(raw: bytes, block: int = 1 << 20) -> int | None:
    """Where the first byte that is not UTF-8 is, or None; read in 1 MB blocks, so a big file is not copied."""
    if raw.isascii():
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(raw), block):
        try:
            decoder.decode(raw[start : start + block], final=start + block >= len(raw))
        except UnicodeDecodeError:
            begin = max(0, start - 3)  # a character cut by the block's start belongs to this search
            while begin < start and (raw[begin] & 0xC0) == 0x80:
                begin += 1
            try:
                raw[begin : start + block].decode("utf-8")
            except UnicodeDecodeError as err:
                return begin + err.start
            return begin  # pragma: no cover - the block failed, so its slice fails too
    return None


def _mostly_utf8(raw: bytes, bad: int) -> bool:
    """Whether a file that is not all UTF-8 is UTF-8 with a few stray bytes, not a file in another encoding.

    Weighs the characters written in UTF-8 beyond plain ASCII (before the
    first stray byte, and in the 1 MB from it) against the stray bytes.
    """
    good = int(np.count_nonzero(np.frombuffer(raw, dtype=np.uint8, count=bad) >= 0xC0))  # lead bytes
    after = raw[bad : bad + (1 << 20)].decode("utf-8", errors="replace")
    good += len(re.findall(r"[^\x00-\x7f\ufffd]", after))
    return good > after.count("\ufffd")


# ------------------------------------------------------------------- encodings
#: The encodings a file that is not UTF-8 may be in, the most usual first (an
#: even guess goes to the earlier one), with the name a message gives them.
LEGACY_ENCODINGS: dict[str, str] = {
    "cp1252": "windows-1252 (Western European)",
    "cp1254": "windows-1254 (Turkish)",
    "cp1250": "windows-1250 (Central European)",
    "iso8859_2": "ISO-8859-2 (Central European)",
    "cp1257": "windows-1257 (Baltic)",
    "cp932": "Shift-JIS (Japanese)",
    "gb18030": "GB18030 (Chinese)",
    "cp949": "windows-949 (Korean)",
    "big5": "Big5 (Traditional Chinese)",
    "euc_jp": "EUC-JP (Japanese)",
    "cp1251": "windows-1251 (Cyrillic)",
    "cp1253": "windows-1253 (Greek)",
    "iso8859_7": "ISO-8859-7 (Greek)",
    "cp1255": "windows-1255 (Hebrew)",
    "cp1256": "windows-1256 (Arabic)",
    "koi8_r": "KOI8-R (Cyrillic)",
    "cp874": "windows-874 (Thai)",
}

#: The letters beyond ASCII that each language of a Latin alphabet writes.  A
#: cell whose letters all belong to one language is read as meant; a wrong
#: encoding gives mixtures no language has ("Zak³ady", "Tøinec", "SeÒor").
_LATIN_LETTERS = {
    "German": "äöüß",
    "French": "àâæçéèêëîïôœùûüÿ",
    "Spanish": "áéíñóúü",
    "Portuguese": "áâãàçéêíóôõú",
    "Italian": "àèéìíîòóùú",
    "Dutch": "áäéèëïíóöüú",
    "Catalan": "àçèéíïòóúü",
    "Danish and Norwegian": "æøåéó",
    "Swedish and Finnish": "åäöéšž",
    "Czech": "áčďéěíňóřšťúůýž",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Polish": "ąćęłńóśźż",
    "Hungarian": "áéíóöőúüű",
    "Romanian": "ăâîșțşţ",
    "Croatian and Slovene": "čćđšž",
    "Turkish": "çğıöşüâîû",
    "Estonian": "äõöüšž",
    "Latvian": "āčēģīķļņšūž",
    "Lithuanian": "ąčęėįšųūž",
}
#: Letters that stand alone as a word in some language ("à", "è", "ö"); any other lone accented letter is a misreading.
_LONE_LETTERS = "àèéìòóùåöøáíúäü"
#: Signs written next to letters in real text ("50°C", "Acme™", "m²").
_SIGNS_BY_LETTERS = "°™®©€£¥…"
#: Signs seen only when a file is read in the wrong encoding.
_MISREAD_SIGNS = "¤¦¨¯¸¬"
_EAST_ASIAN = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "HALFWIDTH", "FULLWIDTH", "IDEOGRAPHIC")


@functools.lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    """The script of a letter as a word: LATIN, CYRILLIC, GREEK ... (Chinese, Japanese and Korean as EAST ASIAN)."""
    first = unicodedata.name(ch, "?").split()[0].split("-")[0]
    return "EAST ASIAN" if first in _EAST_ASIAN else first


def _misread_marks(text: str) -> int:
    """How many characters of ``text`` show a wrong encoding.

    Control characters, signs glued to letters ("Zak³ady", "¶στρος"), a
    capital after a small letter ("ŁódŸ", "мОСКВА"), a lone accented letter
    that is no word, marks of another script after a Latin letter.
    """
    count = 0
    for i, ch in enumerate(text):
        if ch.isascii() or ch in _SIGNS_BY_LETTERS:
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        category = unicodedata.category(ch)
        if category[0] == "C" or ch in _MISREAD_SIGNS:
            count += 1
        elif category == "Mn":
            count += before.isascii() and before.isalpha()
        elif ch.isalpha():
            if category == "Lu" and before.islower():
                count += 1
            elif not before.isalpha() and not after.isalpha() and ch not in _LONE_LETTERS and _script(ch) == "LATIN":
                count += 1
        elif ch == "\u2019":  # a closing quote that opens a word ("’λφα" for "Άλφα")
            count += not before.isalpha() and after.isalpha()
        elif category[0] in "SPN" and category not in ("Pi", "Pf", "Pd", "Ps", "Pe", "Nd") and ch not in "¡¿":
            unit = ch in "²³" and before == "m"  # m², m³
            count += (before.isalpha() or after.isalpha()) and not unit
    return count


def _fit(text: str) -> float:
    """The share of the letters beyond ASCII that read as some language would write them (1.0: all).

    Latin letters count when every accented letter of their cell belongs to
    one language; letters of other scripts when they are of the text's main
    script and not inside a word of ASCII letters ("Cafй").  A Cyrillic or
    Greek text with no capital letter at all is half as likely.
    """
    latin = fitting = glued = 0
    for cell in re.split(r"[,;\t|\r\n]", text):
        letters = [c.lower() for c in cell if not c.isascii() and c.isalpha() and _script(c) == "LATIN"]
        if letters:
            latin += len(letters)
            fitting += max(sum(c in alphabet for c in letters) for alphabet in _LATIN_LETTERS.values())
    scripts: dict[str, int] = {}
    capitals: dict[str, int] = {}
    for i, ch in enumerate(text):
        if not ch.isascii() and ch.isalpha() and (script := _script(ch)) != "LATIN":
            scripts[script] = scripts.get(script, 0) + 1
            capitals[script] = capitals.get(script, 0) + ch.isupper()
            neighbours = text[max(0, i - 1) : i] + text[i + 1 : i + 2]
            glued += any(n.isascii() and n.isalpha() for n in neighbours)
    total = latin + sum(scripts.values())
    if not total:
        return 1.0
    main = max(scripts, key=scripts.__getitem__) if scripts else ""
    share = (fitting + scripts.get(main, 0) - glued) / total
    if main in ("CYRILLIC", "GREEK") and scripts[main] >= 8 and not capitals[main]:
        share /= 2
    return max(share, 0.0)


def _non_ascii_lines(raw: bytes, limit: int = 32768) -> tuple[bytes, list[int]]:
    """The lines that hold bytes beyond ASCII (up to ``limit`` bytes of them), and the numbers of the first five.

    A very long line gives the 1 KB around its first such byte, cut where a
    byte below 0x40 (a space, a digit, a comma) ends a character in every
    encoding tried.
    """
    pieces: list[bytes] = []
    lines: list[int] = []
    size = pos = counted = 0
    line = 1
    high = re.compile(rb"[\x80-\xff]")
    while size < limit:
        found = high.search(raw, pos)
        if found is None:
            break
        at = found.start()
        start = max(raw.rfind(b"\n", 0, at), raw.rfind(b"\r", 0, at)) + 1
        ends = [e for e in (raw.find(b"\n", at), raw.find(b"\r", at)) if e >= 0]
        end = min(ends) if ends else len(raw)
        if end - start > 1024:
            start = max(start, at - 512)
            while start < at and raw[start] >= 0x40:
                start += 1
            cut = min(end, at + 512)
            while cut > at and raw[cut - 1] >= 0x40:
                cut -= 1
            end = cut if cut > at else min(end, at + 512)
        if len(lines) < 5:
            line += raw.count(b"\n", counted, start)
            counted = start
            lines.append(line)
        pieces.append(raw[start:end] + b"\n")
        size += end - start + 1
        pos = max(end, at + 1)
    return b"".join(pieces), lines


def _guess_encoding(raw: bytes, label: str) -> bytes:
    """A file that is not UTF-8, read in the encoding its text fits best and returned as UTF-8.

    The lines with bytes beyond ASCII are read in each of
    :data:`LEGACY_ENCODINGS` (charset-normalizer does the reading and
    measures how messy each result is); the reading with the fewest signs of
    a wrong encoding, whose letters fit a language best, wins.  A warning
    names the encoding; a file no encoding reads cleanly is refused.
    """
    from charset_normalizer import from_bytes

    sample, lines = _non_ascii_lines(raw)
    found = from_bytes(
        sample,
        steps=8,
        chunk_size=4096,
        threshold=0.5,  # messier readings are never right
        cp_isolation=list(LEGACY_ENCODINGS),
        preemptive_behaviour=False,
        enable_fallback=False,
    )
    order = list(LEGACY_ENCODINGS)
    ranked = []
    for match in found:
        same = [e for e in match.could_be_from_charset if e in LEGACY_ENCODINGS] or [match.encoding]
        encoding = min(same, key=lambda e: order.index(e) if e in order else len(order))
        text = str(match)
        ranked.append(
            (
                _misread_marks(text),
                -round(_fit(text), 2),
                round(match.chaos * 20),
                order.index(encoding) if encoding in order else len(order),
                -round(match.coherence, 2),
                encoding,
                text,
            )
        )
    ranked.sort(key=lambda r: r[:5])
    for marks, fit, _, _, _, encoding, text in ranked:
        beyond_ascii = sum(1 for ch in text if not ch.isascii())
        if marks > max(1, beyond_ascii // 20) or -fit < 0.5:
            break  # the best reading that works is not clean: no encoding is clear
        try:
            decoded = raw.decode(encoding)
        except UnicodeDecodeError:
            continue  # bytes further on that this encoding does not have
        where = ", ".join(map(str, lines)) + (" ..." if len(lines) == 5 else "")
        _warn(
            f"{label}: the file is not UTF-8; it was read as {LEGACY_ENCODINGS.get(encoding, encoding)}. "
            f"Check the names on line(s) {where}; if they look wrong, save the file as CSV UTF-8 "
            "in your spreadsheet program and load it again"
        )
        return decoded.encode("utf-8")
    raise KamDataError(
        "is not saved as UTF-8 and its encoding is not clear: no encoding reads its characters cleanly, "
        "so names would come out garbled",
        source=label,
        fix="Open it in your spreadsheet program and save it as CSV UTF-8 "
        "(Excel: Save As, 'CSV UTF-8'; LibreOffice: Save As, Text CSV, character set 'Unicode (UTF-8)').",
    )


def _warn(message: str) -> None:
    """A :class:`KamDataWarning` that points at the user's own line (the first caller outside the package)."""
    package = str(Path(__file__).resolve().parent.parent) + os.sep
    frame, level = sys._getframe(1), 2
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, KamDataWarning, stacklevel=level)


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


def _repair_stray_bytes(raw: bytes, label: str) -> bytes:
    """A UTF-8 file with a few bytes from another encoding (often one pasted cell): read those as Windows-1252.

    Reading the whole file as Windows-1252 instead would turn every "Müller"
    into "MÃ¼ller".  The lines with stray bytes are named in a warning.
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
    _warn(
        f"{label}: the file is UTF-8 except for {len(where):,} byte(s) on line(s) {shown}, read as Windows-1252; "
        "check those cells"
    )
    return text.encode("utf-8")


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


def normalise_name(name: object) -> str:
    """Header text reduced for matching: case, accents, spaces and punctuation left out.

    The one rule for comparing headers, everywhere.  Letters of every script
    are kept, so two Cyrillic headers stay two.

    >>> normalise_name("Account  Name "), normalise_name("Société"), normalise_name("Straße"), normalise_name("Клиент")
    ('accountname', 'societe', 'strasse', 'клиент')
    """
    text = unicodedata.normalize("NFKD", str(name).casefold())
    # the accents of Latin, Greek and Cyrillic letters go; marks other scripts need (Japanese voicing) stay
    text = unicodedata.normalize("NFC", "".join(ch for ch in text if not "\u0300" <= ch <= "\u036f"))
    return "".join(ch for ch in text if ch.isalnum() or unicodedata.category(ch)[0] == "M")


#: Headers written in other languages, by the English header they stand for;
#: :func:`guess_column` looks for them after the English ones.  Written as a
#: CRM shows them and compared as :func:`normalise_name` does.
HEADERS_IN_OTHER_LANGUAGES: dict[str, tuple[str, ...]] = {
    # the account
    "customer": ("Kunde", "Client", "Cliente", "Klant"),
    "customername": (
        "Kundenname",
        "Nom du client",
        "Nom client",
        "Nombre del cliente",
        "Nombre cliente",
        "Nome do cliente",
        "Nome cliente",
        "Nome del cliente",
        "Klantnaam",
    ),
    "company": ("Firma", "Unternehmen", "Société", "Entreprise", "Empresa", "Azienda", "Bedrijf"),
    "companyname": (
        "Firmenname",
        "Raison sociale",
        "Razón social",
        "Nombre de la empresa",
        "Nome da empresa",
        "Razão social",
        "Ragione sociale",
        "Bedrijfsnaam",
    ),
    # the salesperson
    "salesperson": ("Verkäufer", "Vendeur", "Vendedor", "Venditore", "Verkoper"),
    "accountmanager": (
        "Kundenbetreuer",
        "Vertriebsmitarbeiter",
        "Commercial",
        "Responsable commercial",
        "Chargé de clientèle",
        "Comercial",
        "Ejecutivo de cuenta",
        "Vendedor responsável",
        "Executivo de contas",
        "Commerciale",
        "Responsabile commerciale",
        "Accountmanager",
        "Accountbeheerder",
    ),
    "owner": ("Verantwortlicher", "Responsable", "Responsável", "Responsabile", "Eigenaar"),
    # the amount
    "revenue": (
        "Umsatz",
        "Chiffre d'affaires",
        "Facturación",
        "Ingresos",
        "Receita",
        "Faturamento",
        "Fatturato",
        "Omzet",
    ),
    "amount": ("Betrag", "Montant", "Importe", "Monto", "Valor", "Importo", "Bedrag"),
    "sales": ("Verkäufe", "Ventes", "Ventas", "Vendas", "Vendite", "Verkopen"),
    "value": ("Wert", "Valeur", "Valor", "Valore", "Waarde"),
}


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
    """The first column whose header is one of ``synonyms`` (compared as :func:`normalise_name` does).

    The same headers in other languages (:data:`HEADERS_IN_OTHER_LANGUAGES`)
    are tried after all of ``synonyms``.
    """
    by_norm: dict[str, object] = {}
    for c in table.frame.columns:
        by_norm.setdefault(normalise_name(c), c)
    translated = [normalise_name(h) for s in synonyms for h in HEADERS_IN_OTHER_LANGUAGES.get(normalise_name(s), ())]
    for syn in [*map(normalise_name, synonyms), *translated]:
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

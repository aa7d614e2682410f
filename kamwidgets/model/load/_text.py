"""Stage 2, text: the bytes of a CSV as UTF-8, whatever encoding they were saved in.

:func:`as_utf8` decides, in this order:

1. UTF-8, with or without a byte-order mark, is kept as it is; UTF-16 with a
   byte-order mark becomes UTF-8.
2. Bytes that decode as no text (NUL bytes, many control characters:
   :func:`~._bytes.looks_binary`) are refused: not a text table.
3. A UTF-8 file with a few bytes that are not UTF-8 (one cell pasted from
   elsewhere) keeps its UTF-8 and has those bytes read as Windows-1252, with
   a warning naming the lines (:func:`_mostly_utf8` weighs the UTF-8
   characters against the stray bytes).
4. Any other file has its encoding guessed: the lines beyond ASCII are read
   in each of :data:`LEGACY_ENCODINGS`, each reading is scored by
   :func:`score_reading`, and the best is used if :func:`is_clean` accepts
   it (thresholds :data:`MAX_CHAOS`, :data:`CHARS_PER_MISREAD`,
   :data:`MIN_FIT`), with a warning naming the encoding; otherwise the file
   is refused with how to save it as UTF-8.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
import sys
import unicodedata
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np

from ...errors import KamDataError, KamDataWarning
from ._bytes import looks_binary, refuse_binary

#: How much of a CSV's start is decoded at once, to find its delimiter and its header.
HEAD = 65536


def as_utf8(raw: bytes, label: str) -> tuple[bytes, str]:
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
            refuse_binary(label)
    else:
        bad = _first_non_utf8(raw)
        if bad is not None:
            if looks_binary(raw[:HEAD].decode("latin-1")):
                refuse_binary(label)
            raw = _repair_stray_bytes(raw, label) if _mostly_utf8(raw, bad) else _guess_encoding(raw, label)
    head = codecs.getincrementaldecoder("utf-8-sig")(errors="replace").decode(raw[:HEAD])
    if looks_binary(head):
        refuse_binary(label)
    return raw, head


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


#: charset-normalizer's mess measure (0: clean, 1: noise) above which a reading is not considered at all.
MAX_CHAOS = 0.5
#: A reading may show one sign of a wrong encoding (:func:`_misread_marks`) per this many characters beyond
#: ASCII, and always one: a single odd sign in a long file is more often a typing slip than a misreading.
CHARS_PER_MISREAD = 20
#: At least this share (in hundredths) of the letters beyond ASCII must read as some language writes them
#: (:func:`_fit`); below it, no encoding is clear and the file is refused.
MIN_FIT = 50
#: charset-normalizer's mess is compared in steps of 1/20: finer differences are noise.
CHAOS_STEPS = 20


class Score(NamedTuple):
    """How well one reading of a file fits, compared field by field: the lowest wins.

    The fields, most important first: ``misread``, the signs of a wrong
    encoding (:func:`_misread_marks`); ``unfit``, the hundredths of letters
    beyond ASCII that fit no language (:func:`_fit`); ``chaos``,
    charset-normalizer's mess in steps of 1/:data:`CHAOS_STEPS`; ``rank``,
    the place of the encoding in :data:`LEGACY_ENCODINGS` (an even guess
    goes to the more usual); ``incoherence``, the hundredths by which
    charset-normalizer finds the letters unlike any language's.
    """

    misread: int
    unfit: int
    chaos: int
    rank: int
    incoherence: int


def score_reading(text: str, encoding: str, *, chaos: float, coherence: float) -> Score:
    """The :class:`Score` of ``text``, the lines beyond ASCII read in ``encoding``.

    ``chaos`` and ``coherence`` are charset-normalizer's measures of that
    reading.  A reading is clean (:func:`is_clean`) when it has few misread
    signs and most of its letters fit a language.

    >>> score_reading("Malmö AB, Café", "cp1252", chaos=0.0, coherence=0.9)
    Score(misread=0, unfit=0, chaos=0, rank=0, incoherence=10)
    >>> score_reading("MalmĂ¶ AB, CafĂ©", "cp1250", chaos=0.1, coherence=0.2).misread > 0
    True
    """
    order = list(LEGACY_ENCODINGS)
    return Score(
        misread=_misread_marks(text),
        unfit=100 - round(_fit(text) * 100),
        chaos=round(chaos * CHAOS_STEPS),
        rank=order.index(encoding) if encoding in order else len(order),
        incoherence=100 - round(coherence * 100),
    )


def is_clean(score: Score, text: str) -> bool:
    """Whether a reading is good enough to load: few misread signs for its length, and letters that fit."""
    beyond_ascii = sum(1 for ch in text if not ch.isascii())
    return score.misread <= max(1, beyond_ascii // CHARS_PER_MISREAD) and 100 - score.unfit >= MIN_FIT


def _guess_encoding(raw: bytes, label: str) -> bytes:
    """A file that is not UTF-8, read in the encoding its text fits best and returned as UTF-8.

    The lines with bytes beyond ASCII are read in each of
    :data:`LEGACY_ENCODINGS` (charset-normalizer does the reading and
    measures how messy each result is) and scored (:func:`score_reading`);
    the best reading wins if it is clean (:func:`is_clean`) and the whole
    file decodes in its encoding.  A warning names the encoding; a file no
    encoding reads cleanly is refused.
    """
    sample, lines = _non_ascii_lines(raw)
    for score, encoding, text in _readings(sample):
        if not is_clean(score, text):
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


def _readings(sample: bytes) -> list[tuple[Score, str, str]]:
    """``(score, encoding, text)`` for each reading of ``sample`` charset-normalizer finds, the best first."""
    from charset_normalizer import from_bytes  # deferred: start-up time (only a file that is not UTF-8 needs it)

    found = from_bytes(
        sample,
        steps=8,
        chunk_size=4096,
        threshold=MAX_CHAOS,
        cp_isolation=list(LEGACY_ENCODINGS),
        preemptive_behaviour=False,
        enable_fallback=False,
    )
    order = list(LEGACY_ENCODINGS)
    readings = []
    for match in found:
        # several code pages can give the same text: it is named after the most usual of them
        same = [e for e in match.could_be_from_charset if e in LEGACY_ENCODINGS] or [match.encoding]
        encoding = min(same, key=lambda e: order.index(e) if e in order else len(order))
        text = str(match)
        readings.append((score_reading(text, encoding, chaos=match.chaos, coherence=match.coherence), encoding, text))
    return sorted(readings, key=lambda reading: reading[0])


def _warn(message: str) -> None:
    """A :class:`KamDataWarning` that points at the user's own line (the first caller outside the package)."""
    package = str(Path(__file__).resolve().parents[2]) + os.sep
    frame, level = sys._getframe(1), 2
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, KamDataWarning, stacklevel=level)


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

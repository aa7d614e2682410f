"""Writing the user's files: named by one rule, checked before, written whole or not at all.

Shared by the exports (:mod:`kamwidgets.export`), the downloads and the
workbook store's ``export`` (:mod:`kamwidgets.store`), so every file the
workbook writes follows the same rules and gives the same answers.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import KamDataError

__all__ = ["file_stem", "target_file", "write_atomically"]

#: The longest file name stem, in bytes of UTF-8: file systems count a name's bytes (255 on most), not its
#: characters, and 100 characters of a non-Latin script can be 400 bytes; this leaves room for the suffixes.
STEM_BYTES = 120
#: Names Windows keeps for its devices, whatever follows the dot (``con.html`` cannot be written there).
_DEVICE_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"{d}{i}" for d in ("COM", "LPT") for i in range(1, 10))})


def file_stem(text: object, fallback: str = "kam") -> str:
    """The start of a file's name made from the user's text (an account, a workbook's name): one rule for every file.

    Letters and digits of any script are kept; every run of anything else
    (spaces, dots, slashes, quotes, emoji) becomes one dash, and no dash
    starts or ends the stem.  It is cut at :data:`STEM_BYTES` bytes of UTF-8,
    between two characters; a name Windows keeps for a device gets an
    underscore; text without a letter or digit gives ``fallback``.

    >>> file_stem("Istmar S.A."), file_stem("../a/b"), file_stem("Müller & Söhne"), file_stem("?!", "account")
    ('Istmar-S-A', 'a-b', 'Müller-Söhne', 'account')
    """
    words = "".join(ch if ch.isalnum() else " " for ch in unicodedata.normalize("NFC", str(text))).split()
    stem = "-".join(words).encode("utf-8")[:STEM_BYTES].decode("utf-8", errors="ignore").strip("-")
    if stem.upper() in _DEVICE_NAMES:
        stem += "_"
    return stem or fallback


def target_file(path: str | os.PathLike) -> Path:
    """The path to write, refused with a clear message when it is a folder or its folder is missing."""
    target = Path(path)
    if target.is_dir():
        raise KamDataError(
            "cannot write the file: this is a folder, not a file name",
            source=str(target),
            fix="Name the file to write inside the folder, e.g. " + repr(str(target / "summary.xlsx")) + ".",
        )
    if not target.parent.is_dir():
        raise KamDataError(
            "the folder does not exist",
            source=str(target.parent),
            fix="Create it first, or choose another place to save.",
        )
    return target


def write_atomically(target: Path, write: Callable[[Path], Any]) -> None:
    """``write(path)`` into ``target.part``, then put it in place.

    The old file stays whole until the new one is complete; any failure
    leaves no ``.part`` behind and becomes a :class:`KamDataError`.
    """
    tmp = target.with_name(target.name + ".part")
    try:
        write(tmp)
        os.replace(tmp, target)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise KamDataError(
            f"cannot write the file ({err.strerror or err})",
            source=str(target),
            fix="Choose a file name in a folder you can write to, with space to spare; close the file if it is open.",
        ) from None

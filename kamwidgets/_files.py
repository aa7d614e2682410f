"""Writing the user's files: checked before, whole or not at all.

Shared by the exports (:mod:`kamwidgets.export`) and the workbook store's
``export`` (:mod:`kamwidgets.store`), so every file the workbook writes
follows the same rules and gives the same answers.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import KamDataError

__all__ = ["target_file", "write_atomically"]


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

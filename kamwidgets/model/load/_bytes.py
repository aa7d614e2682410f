"""Stage 1, bytes: what a source is (a path, an upload, a DataFrame), its name in messages, its size and kind."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TypeAlias

import pandas as pd

from ...errors import KamDataError


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


#: Inputs at least this large (bytes of file, or rows of a DataFrame times 100)
#: show a progress bar while they load.
PROGRESS_FROM = 20_000_000


class _Progress:
    """A progress bar over the steps of a long load (``tqdm.auto``: a widget in a
    notebook, text in a terminal); nothing at all for small inputs."""

    def __init__(self, source: object, what: str, steps: list[str]) -> None:
        self.bar = None
        if isinstance(source, pd.DataFrame):
            size = len(source) * 100
        else:
            try:
                size = os.stat(source).st_size  # type: ignore[arg-type]
            except (OSError, TypeError, ValueError):
                size = 0
        if size >= PROGRESS_FROM:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=len(steps), desc=what, unit="step", leave=False)
        self.steps = iter(steps)

    def next(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(next(self.steps, ""), refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _label(source: object) -> str:
    if isinstance(source, Upload):
        return source.name
    return "the DataFrame" if isinstance(source, pd.DataFrame) else str(source)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return control > max(2, len(sample) // 100)


def _refuse_binary(label: str) -> None:
    raise KamDataError(
        "does not look like a text table (CSV) or an Excel file",
        source=label,
        fix="Export the data from your CRM or spreadsheet as CSV or .xlsx and try again.",
    )

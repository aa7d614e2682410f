"""Stage 1, bytes: what a source is (a path, an upload, a DataFrame), its name in messages, its size and kind.

:func:`read_source` opens the source and says what it holds
(:class:`Raw`): a CSV's or a spreadsheet's bytes, or a DataFrame.  A missing
file, a folder, an unreadable or an empty file is refused here, by name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn, TypeAlias

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


#: How a spreadsheet's bytes begin: a zip (.xlsx, .xlsm, .ods) or an OLE compound file (Excel 97-2003 .xls).
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: An OpenDocument spreadsheet names its type near the start of the zip (its first entry, "mimetype").
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
#: The kind of file a name promises, when the bytes do not say.
_SUFFIX_KINDS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
#: The start of a file checked for blankness before the whole is.
_START = 65536


@dataclass(frozen=True)
class Raw:
    """A source opened: its name in messages (``label``), its ``kind`` and its bytes or DataFrame.

    ``kind`` is ``"csv"`` (any text), ``"xlsx"``, ``"xls"``, ``"ods"`` or ``"frame"``.
    """

    label: str
    kind: str
    content: bytes = field(default=b"", repr=False)
    frame: pd.DataFrame | None = field(default=None, repr=False)


def read_source(source: Source) -> Raw:
    """Open ``source``; refuse a missing, unreadable or empty file by name, with what to do."""
    if isinstance(source, pd.DataFrame):
        return Raw("the DataFrame", "frame", frame=source)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        content, label = _read_path(path), str(path)
    elif isinstance(source, Upload):
        path = Path(source.name)
        content, label = bytes(source.content), source.name
    else:
        raise KamDataError(
            f"cannot read a {type(source).__name__}",
            fix="Pass the path of a CSV or Excel file, or a pandas DataFrame.",
        )
    if not content[:_START].strip() and not content.strip():  # the whole file is stripped only if its start is blank
        raise KamDataError("the file is empty", source=label, fix="Export the data again and check it has rows.")
    return Raw(label, _kind(content, path.suffix), content)


def _read_path(path: Path) -> bytes:
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
        return path.read_bytes()
    except OSError as exc:
        raise KamDataError(f"cannot be read ({exc.strerror})", source=label) from None


def _kind(content: bytes, suffix: str) -> str:
    """What the bytes are: the bytes decide (an .xlsx renamed .csv is still Excel), else the file's name."""
    if content.startswith(_ZIP_MAGIC):
        return "ods" if _ODS_MIMETYPE in content[:200] else "xlsx"
    if content.startswith(_OLE_MAGIC):
        return "xls"
    return _SUFFIX_KINDS.get(suffix.lower(), "csv")


#: Inputs at least this large (bytes of file, or rows of a DataFrame times 100)
#: show a progress bar while they load.
PROGRESS_FROM = 20_000_000


#: Who is told how far a long load has got (a share from 0 to 1), in place of a bar: see :func:`reporting_to`.
_LISTENER: ContextVar[Callable[[float], None] | None] = ContextVar("kamwidgets_load_listener", default=None)


@contextmanager
def reporting_to(listener: Callable[[float], None]) -> Iterator[None]:
    """Within the block, a long load tells ``listener`` how far it has got (0 to 1) instead of showing a bar.

    A tool that loads a file for the user (the DataPicker) shows it in its own place: a bar displayed
    from a widget's callback would have nowhere to appear.
    """
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)


class Progress:
    """A progress bar over the steps of a long load (``tqdm.auto``: a widget in a
    notebook, text in a terminal), or the listener of :func:`reporting_to`;
    nothing at all for small inputs."""

    def __init__(self, source: object, what: str, steps: list[str]) -> None:
        self.bar = None
        self.listener = None
        if isinstance(source, pd.DataFrame):
            size = len(source) * 100
        elif isinstance(source, Upload):
            size = len(source.content)
        else:
            try:
                size = os.stat(source).st_size  # type: ignore[arg-type]
            except (OSError, TypeError, ValueError):
                size = 0
        self.total = len(steps)
        if size >= PROGRESS_FROM and _LISTENER.get() is not None:
            self.listener = _LISTENER.get()
        elif size >= PROGRESS_FROM:
            from tqdm.auto import tqdm  # deferred: start-up time (only a large file shows a bar)

            # a share, not a count of steps: a step is passed through in parts (a CSV read a chunk at a time)
            shown = "{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}{postfix}"
            self.bar = tqdm(total=len(steps), desc=what, bar_format=shown, leave=False)
        self.steps = iter(steps)
        self.done = 0

    def part(self, fraction: float) -> None:
        """Move the bar through the current step: ``fraction`` (0 to 1) of it is done."""
        if self.bar is not None:
            self.bar.n = self.done + min(max(fraction, 0.0), 1.0)
            self.bar.refresh()
        if self.listener is not None:
            self.listener((self.done + min(max(fraction, 0.0), 1.0)) / self.total)

    def next(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(next(self.steps, ""), refresh=False)
            self.bar.n = self.done
            self.bar.refresh()
        if self.listener is not None:
            self.listener(min(self.done / self.total, 1.0))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def label_of(source: object) -> str:
    if isinstance(source, Upload):
        return source.name
    return "the DataFrame" if isinstance(source, pd.DataFrame) else str(source)


def looks_binary(text: str) -> bool:
    """Whether decoded text has the NUL bytes or control characters that no text table has."""
    sample = text[:8192]
    if "\x00" in sample:
        return True
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return control > max(2, len(sample) // 100)


def refuse_binary(label: str) -> NoReturn:
    raise KamDataError(
        "does not look like a text table (CSV) or a spreadsheet (Excel, OpenDocument)",
        source=label,
        fix="Export the data from your CRM or spreadsheet as CSV or .xlsx and try again.",
    )

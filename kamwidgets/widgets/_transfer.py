"""Files in and out of the page, with no server path involved.

:class:`FileDrop` reads a file in the browser and sends it to the kernel in
pieces of 1 MiB, so no single websocket message comes near the server's
limit (10 MiB by default); a file over ``max_bytes`` is refused in the
browser, before anything is sent.  :class:`DownloadButton` builds its file
in the kernel when pressed and hands it to the browser as a download, which
works in Voila too (Voila serves no files from disk).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from .. import config
from ..errors import KamDataError
from ._front_end import module, style

__all__ = ["FileDrop", "DownloadButton"]


def file_size(n: int) -> str:
    """A file's size in words, as the upload and download messages say it: ``'2.5 MB'`` from 1 MiB up, else
    ``'12 KB'`` (never ``'0 KB'``; 1024 bytes to a KB).

    >>> file_size(5 * 2**20 // 2), file_size(300)
    ('2.5 MB', '1 KB')
    """
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{max(1, round(n / 1024)):,} KB"


class FileDrop(anywidget.AnyWidget):
    """A file chooser whose file reaches Python as ``(name, bytes)``.

    ``on_file(callback)`` registers ``callback(name, content)``, and
    ``on_refused(callback)`` ``callback(error)`` for a file over
    ``max_bytes``; from Python (tests, notebooks) :meth:`receive` does what
    an upload does.
    """

    _esm = module("files")
    _css = style("files")
    role = traitlets.Unicode("upload").tag(sync=True)
    description = traitlets.Unicode("Choose a file").tag(sync=True)
    accept = traitlets.Unicode(".csv,.txt,.tsv,.xlsx,.xlsm,.xls,.ods").tag(sync=True)
    max_bytes = traitlets.Int().tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)

    @traitlets.default("max_bytes")
    def _max_bytes(self) -> int:
        # ``KAMWIDGETS_UPLOAD_LIMIT_MB`` (100 MiB unset), read when a chooser is made, not when this module is
        # imported: a lesson page's kernel imports it before the lesson runs (kamwidgets/_page_kernel.py)
        return config.upload_limit()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._callbacks: list[Callable[[str, bytes], None]] = []
        self._refusals: list[Callable[[KamDataError], None]] = []
        self._parts: list[bytes] = []
        self._expected = 0
        self._name = "the file"
        self._said_step = 0
        self.on_msg(self._message)

    def on_file(self, callback: Callable[[str, bytes], None]) -> None:
        self._callbacks.append(callback)

    def on_refused(self, callback: Callable[[KamDataError], None]) -> None:
        self._refusals.append(callback)

    def receive(self, name: str, content: bytes) -> None:
        """Hand a file to the callbacks, as an upload from the browser does (size limit included)."""
        if len(content) > self.max_bytes:
            self._refuse(name, len(content))
            return
        self.status = f"Received {name} ({file_size(len(content))})."
        for callback in self._callbacks:
            callback(name, bytes(content))

    def _refuse(self, name: str, size: int) -> None:
        err = KamDataError(
            f"the file is {file_size(size)}, more than the {file_size(self.max_bytes)} an upload takes",
            source=name,
            fix=(
                "Export fewer columns or rows (for example one year of orders); a file of under a million rows "
                "can also be saved as .xlsx, which is smaller."
            ),
        )
        self.status = str(err)
        for callback in self._refusals:
            callback(err)

    def _say_received(self) -> None:
        """How much of a large upload has arrived, in the status (a file of a few pieces says nothing more)."""
        got = sum(len(p) for p in self._parts)
        step = got * 10 // max(self._expected, 1)  # said in tenths: the status is read out by screen readers
        if self._expected >= 4 * 2**20 and got < self._expected and step > self._said_step:
            self._said_step = step
            done = f"{got * 100 // self._expected}% ({file_size(got)} of {file_size(self._expected)})"
            self.status = f"Receiving {self._name}: {done}"

    def _message(self, _: Any, content: dict, buffers: list) -> None:
        event = content.get("event") if isinstance(content, dict) else None
        if event == "refused":
            self._refuse(str(content.get("name", "the file")), int(content.get("size", 0)))
        elif event == "start":
            self._parts, self._expected = [], int(content.get("size", 0))
            self._name, self._said_step = str(content.get("name", "the file")), 0
            self.status = f"Receiving {self._name} ..."
        elif event == "chunk":
            self._parts.extend(bytes(b) for b in buffers)
            self._say_received()
        elif event == "end":
            data = b"".join(self._parts)
            self._parts = []
            name = str(content.get("name", "upload"))
            if len(data) != self._expected:
                self.status = f"{name} arrived incomplete ({len(data):,} of {self._expected:,} bytes): try again."
                return
            self.receive(name, data)


class DownloadButton(anywidget.AnyWidget):
    """A button that saves a file built by ``build()`` (bytes) when pressed.

    The file is made at the moment of the click, from the work as it is
    then; :meth:`file` returns ``(filename, bytes)`` for tests and code.
    """

    _esm = module("files")
    _css = style("files")
    role = traitlets.Unicode("download").tag(sync=True)
    description = traitlets.Unicode("Download").tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)

    def __init__(self, description: str, filename: str, build: Callable[[], bytes], *, mime: str = "") -> None:
        super().__init__(description=description)
        self.filename = filename
        self.mime = mime or _MIME.get(Path(filename).suffix.lower(), "application/octet-stream")
        self._build = build
        self.on_msg(self._message)

    def file(self) -> tuple[str, bytes]:
        data = self._build()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return self.filename, bytes(data)

    def _message(self, _: Any, content: dict, buffers: list) -> None:
        if not isinstance(content, dict) or content.get("event") != "request":
            return
        self.status = f"Making {self.filename} \u2026"  # sent at once: a large file takes a few seconds
        try:
            name, data = self.file()
        except Exception as err:  # the page shows why, the kernel keeps going
            self.status = f"Could not make {self.filename}: {err}"
            return
        self.status = f"{name} ({file_size(len(data))})"
        self.send({"event": "file", "filename": name, "mime": self.mime}, [data])


_MIME = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".json": "application/json",
    ".zip": "application/zip",
}

"""Every environment variable kamwidgets reads, in one place (``docs/configuration.md`` has the table).

Each is read by a small function here, when it is called, not when a module
is imported: a test, a notebook or a server that sets a variable sees it
used from then on.  A value that cannot be used is refused with a
:class:`~kamwidgets.errors.KamDataError` that names the variable and says
what to set, never silently replaced by the default.

>>> import os
>>> os.environ[KEEP_LAST] = "20"
>>> keep_last()
20
>>> del os.environ[KEEP_LAST]
>>> keep_last()
50
"""

from __future__ import annotations

import math
import os
import re

from .errors import KamDataError

__all__ = [
    "DB_URL",
    "KEEP_LAST",
    "WORKBOOK",
    "HUB_USER",
    "ROOM",
    "QUERY_STRING",
    "SCRIPT_NAME",
    "VOILA_PREHEAT",
    "DRAW_AT_ONCE",
    "LOG_DRAWS",
    "UPLOAD_LIMIT_MB",
    "POOL",
    "store_url",
    "keep_last",
    "workbook",
    "hub_user",
    "room",
    "query_string",
    "voila_kernel",
    "voila_preheated",
    "draw_at_once",
    "log_draws",
    "upload_limit",
    "lesson_pools",
]

#: A database URL for the store (``postgresql+psycopg://user:password@host:5432/kam``, ``sqlite:///path``).
DB_URL = "KAMWIDGETS_DB_URL"
#: How many versions of each saved artefact a save keeps (0: every version).
KEEP_LAST = "KAMWIDGETS_KEEP_LAST"
#: A workbook name for every kernel that sees it, as if typed in the name box.
WORKBOOK = "KAMWIDGETS_WORKBOOK"
#: Set by JupyterHub in each user's server: the user's name.
HUB_USER = "JUPYTERHUB_USER"
#: Set by the workshop server (``deploy/jupyterhub_config.py``): hub users work in ``ROOM/USER``.
ROOM = "KAMWIDGETS_ROOM"
#: Set by Voila in the kernel of a page: the page's query string (``workbook=NAME&...``).
QUERY_STRING = "QUERY_STRING"
#: Set by Voila in the kernel of a page: the page's address (``/voila/render/15_wrap_up.ipynb``).  Read only by
#: ``kamwidgets/_page_kernel.py``, which runs before the package may be imported (its own copy of the name).
SCRIPT_NAME = "SCRIPT_NAME"
#: Set by Voila in every kernel it starts: ``"True"`` in a kernel started ahead (preheated), else ``"False"``.
VOILA_PREHEAT = "VOILA_PREHEAT"
#: ``1``: draw every tool of a lesson at once in Voila, instead of when the reader reaches it.
DRAW_AT_ONCE = "KAMWIDGETS_DRAW_AT_ONCE"
#: ``1``: a Voila kernel writes a line to its server's log for each tool a page asks for and each it draws.
LOG_DRAWS = "KAMWIDGETS_LOG_DRAWS"
#: The largest file an upload takes, in megabytes (MiB).
UPLOAD_LIMIT_MB = "KAMWIDGETS_UPLOAD_LIMIT_MB"

#: With ``bash .ci/workshop --preheat``: how many kernels Voila keeps ready for a lesson, ``LESSON:N,...``.
POOL = "KAM_POOL"

_DEFAULT_KEEP_LAST = 50
#: The most kernels kept ready for one lesson (each holds about 150 MB, all the time).
MAX_POOL = 64
_DEFAULT_UPLOAD_LIMIT_MB = 100.0


def _text(name: str) -> str:
    """The variable's value without surrounding spaces; "" when it is not set."""
    return os.environ.get(name, "").strip()


def store_url() -> str | None:
    """The store's database URL or path from ``KAMWIDGETS_DB_URL``; None when it is not set (or empty)."""
    return _text(DB_URL) or None


def keep_last() -> int:
    """How many versions of each artefact a save keeps, from ``KAMWIDGETS_KEEP_LAST`` (default 50; 0: all)."""
    text = _text(KEEP_LAST)
    if not text:
        return _DEFAULT_KEEP_LAST
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise KamDataError(
            f"{KEEP_LAST}={text!r} is not a whole number of 0 or more",
            fix="Set it to e.g. 50, or 0 to keep every version.",
        )
    return value


def workbook() -> str:
    """The workbook name ``KAMWIDGETS_WORKBOOK`` gives every kernel that sees it; "" when it is not set."""
    return _text(WORKBOOK)


def hub_user() -> str:
    """The JupyterHub user this server belongs to (``JUPYTERHUB_USER``); "" outside a hub."""
    return os.environ.get(HUB_USER, "")


def room() -> str:
    """The workshop's room (``KAMWIDGETS_ROOM``) without slashes around it; "" when it is not set."""
    return _text(ROOM).strip("/")


def query_string() -> str | None:
    """The query string of the page Voila runs this kernel for (``QUERY_STRING``); None outside Voila's pages.

    Set, even empty, it means the kernel serves an app page (the lesson as an app), not a notebook.
    """
    return os.environ.get(QUERY_STRING)


def voila_kernel() -> bool:
    """Whether Voila started this kernel (it sets ``VOILA_PREHEAT`` in every kernel it starts)."""
    return VOILA_PREHEAT in os.environ


def voila_preheated() -> bool:
    """Whether Voila started this kernel ahead of any page (``VOILA_PREHEAT=True``)."""
    return os.environ.get(VOILA_PREHEAT) == "True"


def draw_at_once() -> bool:
    """Whether every tool of a lesson is drawn at once in Voila (``KAMWIDGETS_DRAW_AT_ONCE=1``; unset or 0: not)."""
    return _switch(DRAW_AT_ONCE, "draw every tool of a lesson at once")


def _switch(name: str, does: str) -> bool:
    """Whether the switch ``name`` is on (``1``; unset or ``0``: off); ``does`` says what 1 does, for the message."""
    text = _text(name)
    if text not in ("", "0", "1"):
        raise KamDataError(f"{name}={text!r} is neither 1 nor 0", fix=f"Set it to 1 to {does}, or leave it unset.")
    return text == "1"


def log_draws() -> bool:
    """Whether a Voila kernel logs each tool asked for and drawn (``KAMWIDGETS_LOG_DRAWS=1``; unset or 0: not)."""
    return _switch(LOG_DRAWS, "log each tool a page asks for and draws")


def upload_limit() -> int:
    """The largest file an upload takes, in bytes, from ``KAMWIDGETS_UPLOAD_LIMIT_MB`` (default 100 MiB)."""
    text = _text(UPLOAD_LIMIT_MB)
    if not text:
        return int(_DEFAULT_UPLOAD_LIMIT_MB * 2**20)
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = math.nan
    if not (math.isfinite(megabytes) and megabytes > 0):
        raise KamDataError(
            f"{UPLOAD_LIMIT_MB}={text!r} is not a number of megabytes above 0",
            fix="Set it to e.g. 100 (megabytes), or leave it unset for 100.",
        )
    return int(megabytes * 2**20)


def lesson_pools() -> dict[str, int]:
    """``KAM_POOL``: lesson -> how many kernels Voila keeps ready for it (``14:12,15:12``); {} when unset.

    A lesson is named by its file name or its number in the course (``14``, ``14b``); the names are
    checked against the lessons served by :func:`kamwidgets.page_assets.pool_config`.

    >>> os.environ[POOL] = "14:12, 15_wrap_up.ipynb:4"
    >>> lesson_pools()
    {'14': 12, '15_wrap_up.ipynb': 4}
    >>> del os.environ[POOL]
    """
    text = _text(POOL)
    pools: dict[str, int] = {}
    for pair in filter(None, (p.strip() for p in text.split(","))):
        lesson, _, size = pair.rpartition(":")
        lesson = lesson.strip()
        if not lesson or not re.fullmatch(r"[0-9]+", size.strip()) or int(size) > MAX_POOL:
            raise KamDataError(
                f"{POOL}={text!r}: {pair!r} is not a lesson and a number of kernels from 0 to {MAX_POOL}",
                fix=f"Write LESSON:N pairs separated by commas, e.g. {POOL}=14:12 for a room of 12 opening lesson 14.",
            )
        pools[lesson] = int(size)
    return pools

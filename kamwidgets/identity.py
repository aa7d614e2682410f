"""Whose workbook it is: the name given, the page's address, the name typed, the hub user, or ``default``.

The one rule every lesson, the app view (Voila), the workshop server
(JupyterHub) and the room use; :func:`kamwidgets.store.open_store` opens the
store of the workbook it names.  The name a participant types in
:class:`kamwidgets.WorkbookName` is kept here for the rest of the kernel
(:func:`use_workbook`); the variables it reads are in :mod:`kamwidgets.config`.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from . import config
from .errors import KamDataError
from .preheat import wait_for_page

__all__ = [
    "workbook_name",
    "use_workbook",
    "forget_workbook",
    "where_saved",
    "HUB_USER",
    "TYPED",
    "ROOM",
]

#: Where a hub tells the server whose it is.
HUB_USER = config.HUB_USER
#: A workbook name for every kernel that sees this variable, as if typed in :class:`kamwidgets.WorkbookName`.
TYPED = config.WORKBOOK
#: Set by a workshop server (``deploy/jupyterhub_config.py``): hub users work in ``ROOM/USER``.
ROOM = config.ROOM

#: The name typed in :class:`kamwidgets.WorkbookName` in this kernel (see :func:`use_workbook`).
_typed: str | None = None


def workbook_name(workbook: str | None = None) -> str:
    """Whose work this is: the one rule every lesson, the app view and the room use.

    The name given (``workbook=``), else the page's ``?workbook=NAME``
    (Voila hands the page's query string to the kernel), else a name typed
    in :class:`kamwidgets.WorkbookName` in this kernel (or given to every
    kernel by ``KAMWIDGETS_WORKBOOK``), else the hub user when running under
    JupyterHub (``ROOM/USER`` when the server sets ``KAMWIDGETS_ROOM``), else
    ``"default"``.  A workshop groups its workbooks as ``ROOM/NAME``.

    >>> workbook_name("Team A")
    'Team A'
    """
    if workbook is None:
        wait_for_page()  # a kernel Voila preheated learns the page's address only now
        asked = parse_qs(config.query_string() or "").get("workbook", [""])[0]
        hub_user, room = config.hub_user(), config.room()
        if hub_user and room:
            hub_user = f"{room}/{hub_user}"
        workbook = asked or _typed or config.workbook() or hub_user or "default"
    name = str(workbook).strip()
    if not name or len(name) > 200 or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise KamDataError(
            f"{name[:60]!r} cannot name a workbook",
            fix="Use 1 to 200 characters without control characters, e.g. 'Workshop/Ann'.",
        )
    return name


def use_workbook(name: str) -> str:
    """Make ``name`` the workbook of every store opened from now on in this kernel; returns it as checked.

    What :class:`kamwidgets.WorkbookName` calls when a participant types
    their name.  The page's ``?workbook=`` still comes first (see
    :func:`workbook_name`).  A name that cannot be a workbook raises
    :class:`KamDataError` and changes nothing.
    """
    global _typed
    _typed = workbook_name(name)
    return _typed


def forget_workbook() -> None:
    """Forget the name :func:`use_workbook` was given: stores opened from now on follow the rest of the rule."""
    global _typed
    _typed = None


def where_saved(workbook: str, location: str) -> str:
    """The sentence :func:`~kamwidgets.store.open_store` prints: where the participant's work is kept.

    In the app view (a Voila page: its query string is set) the participant
    has no use for a server's path, so only the workbook is named.
    """
    if config.query_string() is not None:
        return f"Your work is kept in the workbook {workbook!r}."
    return f"Your work is saved in {location} (workbook {workbook!r})."

"""Whose workbook it is: the name given, the page's address, the name typed, the hub user, or ``default``."""

from __future__ import annotations

import os

from .errors import KamDataError

#: Where a hub tells the server whose it is.
HUB_USER = "JUPYTERHUB_USER"
#: Set in the kernel when a participant types their name in :class:`kamwidgets.WorkbookName`.
TYPED = "KAMWIDGETS_WORKBOOK"
#: Set by a workshop server (``deploy/jupyterhub_config.py``): hub users work in ``ROOM/USER``.
ROOM = "KAMWIDGETS_ROOM"


def workbook_name(workbook: str | None = None) -> str:
    """Whose work this is: the one rule every lesson, the app view and the room use.

    The name given (``workbook=``), else the page's ``?workbook=NAME``
    (Voila hands the page's query string to the kernel), else a name typed
    in :class:`kamwidgets.WorkbookName` in this kernel, else the hub user
    when running under JupyterHub (``ROOM/USER`` when the server sets
    ``KAMWIDGETS_ROOM``), else ``"default"``.  A workshop groups its
    workbooks as ``ROOM/NAME``.

    >>> workbook_name("Team A")
    'Team A'
    """
    if workbook is None:
        from urllib.parse import parse_qs

        from .page_assets import wait_for_page

        wait_for_page()  # a kernel Voila preheated learns the page's address only now

        asked = parse_qs(os.environ.get("QUERY_STRING", "")).get("workbook", [""])[0]
        hub_user, room = os.environ.get(HUB_USER, ""), os.environ.get(ROOM, "").strip().strip("/")
        if hub_user and room:
            hub_user = f"{room}/{hub_user}"
        workbook = asked or os.environ.get(TYPED) or hub_user or "default"
    name = str(workbook).strip()
    if not name or len(name) > 200 or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise KamDataError(
            f"{name[:60]!r} cannot name a workbook",
            fix="Use 1 to 200 characters without control characters, e.g. 'Workshop/Ann'.",
        )
    return name

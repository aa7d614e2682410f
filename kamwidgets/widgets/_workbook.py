"""Whose work is this: the workbook name, typed once in the page."""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

from .. import identity
from ..errors import KamDataError
from ._front_end import module, style

__all__ = ["WorkbookName"]


class WorkbookName(anywidget.AnyWidget):
    """A box for the participant's name, remembered by their browser for every lesson.

    In the app view (Voila) the name is put in the page address as
    ``?workbook=NAME`` and the page reloads once, so the kernel (and
    :func:`kamwidgets.workbook_name`) knows it; a later lesson opened
    without it is sent to the same address with the name added (the list
    of lessons' links carry it already, see :mod:`kamwidgets.page_assets`).
    In JupyterLab the name is given to the kernel directly, as ``.workbook``.
    Until a name is given the box is empty, with a placeholder: the
    workbook ``default`` is shared by everyone who gives none, not a name.
    """

    _esm = module("workbook")  # every lesson has one: it brings the lost-kernel notice
    _css = style("workbook")
    workbook = traitlets.Unicode("").tag(sync=True)
    note = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(workbook=identity.workbook_name(), **kwargs)
        self._say()
        self.on_msg(self._message)

    def _say(self) -> None:
        self.note = (
            "Everyone who gives no name shares the workbook 'default'."
            if self.workbook == "default"
            else f"Your work is kept under '{self.workbook}'."
        )

    def _message(self, _: Any, content: dict, buffers: list) -> None:
        if not isinstance(content, dict) or content.get("event") != "name":
            return
        try:  # stores opened from now on in this kernel use it
            self.workbook = identity.use_workbook(str(content.get("name", "")))
        except KamDataError as err:
            self.note = str(err)
            return
        self._say()
        self.note += " Run the cells below again to open your workbook."

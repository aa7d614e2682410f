"""Tools drawn when the reader reaches them (lessons served by Voila).

Voila runs the whole lesson, then the page asks for the state of every widget
the kernel made and draws them all before the reader can use the first one.
The wrap-up's nine tools are about 1,700 widgets: building them, sending them
and drawing them was most of the wait.  In Voila, therefore:

* while a workbook tool (:class:`~kamwidgets.widgets._base.KamWidget`) is
  being built, the widgets it draws are not sent to the page yet
  (:func:`unsent`): they work in Python as usual (``.controls``, ``.value``,
  observers, saving), only their state stays in the kernel (a widget that acts
  by existing on the page, a ``jslink`` or an ``Output``, is sent at once);
* a tool not sent yet is displayed as a :class:`Later` box holding a
  placeholder (``later.js``), which asks for the tool when it comes within a
  screen's height of the window or gets the keyboard focus; the box then
  holds the tool, and the tool and everything in it are sent at that moment.

A widget not sent yet is sent the moment anything needs it on the page: a box
that holds it is sent, it is displayed, or it is put into a widget already on
the page (its ``model_id`` is asked for).  So a tool shared between two
displays, or moved into a drawn one, is never a dangling reference.

Anywhere else (JupyterLab, Notebook 7, tests) nothing changes: widgets are
sent when made, as ipywidgets does.  ``KAMWIDGETS_DRAW_AT_ONCE=1`` in the
server's environment gives Voila the same behaviour (to compare).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import anywidget
import ipywidgets as W
import traitlets

from .. import config
from ._chart import charts_in, log_draw
from ._front_end import module, style
from ._html import escape
from ._patches import all_widgets, is_unsent, send_now, unsent

__all__ = ["Later", "draw_waiting", "drawn_when_reached", "is_unsent", "shown_later", "unsent"]

#: The first tools a page shows are at its top, in the reader's first screen: they go with the page
#: (asking for them would only add a round trip to the kernel).  The name box (``WorkbookName``, not a
#: workbook tool) always goes with the page.  Sending one tool instead of two was measured
#: (benchmarks/browser.py, five runs each): no gain beyond the machine's noise, so two it stays.
FIRST_TOOLS = 2
_shown = 0


def drawn_when_reached() -> bool:
    """Whether tools are drawn when the reader reaches them: in a kernel Voila started, unless switched off."""
    return config.voila_kernel() and not config.draw_at_once()


def shown_later(tool: W.Widget) -> bool:
    """Whether a tool being displayed waits for the reader (counts the page's tools: the first go at once)."""
    global _shown
    if not is_unsent(tool):
        return False
    _shown += 1
    return _shown > FIRST_TOOLS


class LaterMark(anywidget.AnyWidget):
    """The placeholder: a box of a tool's height that asks for the tool when the reader comes near."""

    _esm = module("later")
    _css = style("later")
    #: What the page and the kernel's log (``KAMWIDGETS_LOG_DRAWS``) call this placeholder.
    key = traitlets.Unicode("").tag(sync=True)


class Later(W.VBox):
    """Where a tool not sent yet is displayed: a placeholder, then the tool (see the module's text)."""

    def __init__(self, tool: W.Widget) -> None:
        # read first, where a value that cannot be used is said in the lesson's cell, not when the page asks
        self._logging = config.log_draws()
        with unsent(False):
            self._mark = LaterMark(key=uuid.uuid4().hex[:12])
            super().__init__([self._mark])
            self.add_class("kam-later-box")  # the page's tests wait while one holds no drawn placeholder
        self.tool: W.Widget | None = tool
        self._mark.on_msg(self._asked)

    def _asked(self, _mark: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("draw"):
            if self._logging:
                log_draw(f"asked for {self._mark.key}: {'drawing it' if self.tool is not None else 'drawn already'}")
            self.draw()

    def draw(self) -> None:
        """Put the tool in the placeholder's place (sending it and everything in it).

        If the tool cannot be sent (a part of it was closed), the page says so instead of showing
        "being drawn" for ever.
        """
        tool = self.tool
        if tool is None:
            return
        start, before = time.perf_counter(), len(all_widgets()) if self._logging else 0
        with unsent(False):
            try:
                send_now(tool)  # sends the tool and everything in it, or fails before the page changes
                for chart in charts_in(tool):
                    chart.mark_on_page()
                now_on_page = getattr(tool, "drawn_on_page", None)
                if callable(now_on_page):  # a box whose tool changes (ForAccount) follows it on the page
                    now_on_page()
                self.children = (tool,)
            except Exception as err:  # noqa: BLE001 - any failure: say it on the page (once: it would fail again)
                self.children = (W.HTML(f"<p>This part of the lesson could not be drawn: {escape(err)}</p>"),)
        self.tool = None
        mark, comm, sent = self._mark.key, self._mark.model_id, len(all_widgets()) - before if self._logging else 0
        self._mark.close()
        self.remove_class("kam-later-box")
        if self._logging:
            took = 1000 * (time.perf_counter() - start)
            log_draw(f"drew {mark}: {sent} widgets sent in {took:.0f} ms, then closed {comm}")


def draw_waiting() -> int:
    """Draw every tool of this kernel still waiting for the reader, as if they scrolled to the end.

    Returns how many were drawn.  ``benchmarks/capacity.py`` uses it to measure a kernel
    whose participant has seen the whole page.
    """
    waiting = [w for w in all_widgets() if isinstance(w, Later) and w.tool is not None]
    for box in waiting:
        box.draw()
    return len(waiting)

"""What every workbook widget shares.

The convention (the same for every tool):

``.value``
    The result, as a DataFrame or dataclass, kept current after every change.
``.controls``
    A dict of the input widgets, keyed by name, so tests and notebooks can
    drive the widget from Python: ``w.controls["revenue"].value = 60``.
``.settings`` / ``.apply_settings(dict)``
    The inputs as a plain dict (JSON-friendly) that can be saved and
    re-applied.
``.error``
    The last problem with the inputs in words ('' when none); it is also
    shown in the widget, in place of a traceback.

Everything a user typed or loaded that reaches HTML goes through
:func:`escape` or :func:`html_table`.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as W
import pandas as pd
import traitlets

from ..errors import KamDataError

__all__ = ["KamWidget", "escape", "html_table", "refresh_figure"]


def escape(text: object) -> str:
    """User text made safe to put inside HTML."""
    if text is None or text is pd.NA or (isinstance(text, float) and text != text):
        return ""
    return html.escape(str(text), quote=True)


def html_table(frame: pd.DataFrame, *, max_rows: int = 100, float_format: str = "{:,.2f}",
               empty: str = "Nothing here.") -> str:
    """A frame as an HTML table with every cell and header escaped."""
    if frame.empty:
        return f"<p><i>{escape(empty)}</i></p>"
    shown = frame.head(max_rows)
    table = shown.to_html(escape=True, index=False, border=0, classes="kam-table", na_rep="",
                          float_format=lambda v: float_format.format(v))
    more = len(frame) - len(shown)
    note = f"<p><i>and {more:,} more</i></p>" if more > 0 else ""
    return f'<div style="max-height:360px;overflow:auto">{table}</div>{note}'


def refresh_figure(target: Any, source: Any) -> None:
    """Copy a freshly built figure's data and layout into ``target`` in place.

    For charts whose traces keep their number and kind (bars per bucket):
    the FigureWidget the user sees is updated, not replaced.
    """
    with target.batch_update():
        if len(target.data) != len(source.data):
            target.data = ()
            for trace in source.data:
                target.add_trace(trace)
        else:
            for old, new in zip(target.data, source.data):
                old.update(new.to_plotly_json(), overwrite=True)
        target.layout.update(source.layout.to_plotly_json(), overwrite=True)


class KamWidget(W.VBox):
    """Base class: ``.value``, ``.controls``, ``.settings``, ``.error``, a message line."""

    value = traitlets.Any(None, help="The widget's result, kept current.")
    error = traitlets.Unicode("", help="The last problem with the inputs, in words ('' when none).")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.controls: dict[str, W.Widget] = {}
        self.message = W.HTML(layout=W.Layout(min_height="0"))
        self._holding = 0
        self._pending = False

    # -- settings -------------------------------------------------------
    @property
    def settings(self) -> dict:  # pragma: no cover - each widget defines it
        raise NotImplementedError

    def apply_settings(self, settings: dict) -> None:  # pragma: no cover - each widget defines it
        raise NotImplementedError

    # -- updates --------------------------------------------------------
    @contextmanager
    def hold(self) -> Iterator[None]:
        """Change several controls and recompute once at the end."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if not self._holding and self._pending:
                self._pending = False
                self.recompute()

    def _changed(self, change: Any = None) -> None:
        if self._holding:
            self._pending = True
        else:
            self.recompute()

    def recompute(self) -> None:  # pragma: no cover - each widget defines it
        raise NotImplementedError

    # -- messages -------------------------------------------------------
    def show_error(self, err: Exception) -> None:
        text = str(err)
        self.error = text
        self.message.value = (
            '<div style="color:#b2182b;border-left:3px solid #b2182b;padding:2px 8px">'
            f"{escape(text)}</div>"
        )

    def clear_error(self) -> None:
        if self.error:
            self.error = ""
            self.message.value = ""

    @contextmanager
    def reporting(self) -> Iterator[None]:
        """Turn a :class:`KamDataError` inside the block into a message next to the controls."""
        try:
            yield
        except KamDataError as err:
            self.show_error(err)

"""Charts on the page: a small widget per figure, and plotly.js sent once per kernel.

plotly's own ``FigureWidget`` carries its whole front-end bundle (about
5 MB) in every figure's state, and the browser evaluates it again for each
one; on a busy machine a page with several figures missed the widget
runtime's two-second limit for initialising a model, and the figure was
lost.  :class:`Chart` is a plain widget with a few lines of JavaScript
(``js/chart.js``); plotly.js reaches the page once, in the state of one shared
:class:`PlotlyLibrary` model, and every chart on the page draws with that
copy.

``Chart.figure`` is a plain :class:`plotly.graph_objects.Figure` on the
Python side, so tests and notebooks read ``chart.data`` and
``chart.layout`` as they would a figure's.  A change is sent as the list of
values that differ from the last whole figure sent (``_patch``), so moving a
slider sends the moved points, not the whole figure again; a changed number
array travels as its raw bytes (a binary part of the message) with its type,
and the page reads it as a typed array (``Float32Array``...), which plotly.js
draws as it is.  A changed list of strings that the page already has (each
of them in a list of strings of the last whole figure: the matrix's account
names, which move from one bucket's trace to another's) travels as their
positions there, a typed array too.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import anywidget
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import traitlets
from ipywidgets import widget_serialization
from plotly.offline import get_plotlyjs, get_plotlyjs_version
from plotly.utils import PlotlyJSONEncoder

from .. import config
from .._plotly_inside import figure_state, kept_as_list, with_typed_arrays
from ..charts.table import chart_table
from ..errors import KamDataError
from ..model.display import readable
from ._front_end import module, style
from ._html import html_table
from ._patches import is_unsent, unsent

__all__ = ["Chart", "PlotlyLibrary", "charts_in", "plotly_library"]


def saved_note(bundle: Any, what: str) -> Any:
    """The display bundle with a plain text that says what the widget is and how to see it again.

    A notebook keeps the text when it is reopened without its kernel (see
    :mod:`kamwidgets.lab`), where the widget itself cannot be drawn.
    """
    if isinstance(bundle, dict) and "text/plain" in bundle:
        bundle["text/plain"] = f"{what} (an interactive widget of the workbook): run this cell to see it again."
    return bundle


class PageHelper(anywidget.AnyWidget):
    """Nothing to see: brings the page's accessibility step (``js/a11y.js``) to pages without a chart, to
    every page the notice for a lost kernel (``js/connection.js``, also in :class:`~kamwidgets.WorkbookName`,
    the first widget of every lesson), and the styles of the HTML the tools write (``js/page_helper.js``).

    One instance per kernel (:func:`page_helper`), added to every workbook widget.
    """

    _esm = module("page_helper")
    _css = style("page_helper")  # also the styles of the tools' own HTML: their tables, the bucket tabs


_HELPER: list[PageHelper] = []


def page_helper() -> PageHelper:
    """The kernel's one :class:`PageHelper`."""
    if not _HELPER:
        with unsent(False):  # shared by every tool: on the page from the start
            _HELPER.append(PageHelper(layout={"display": "none"}))
    return _HELPER[0]


class PlotlyLibrary(anywidget.AnyWidget):
    """plotly.js as widget state: one per kernel, shared by every :class:`Chart`.

    ``js_version`` is the plotly.js the kernel's figures are made for.  The
    lessons' page brings that plotly.js itself, from the server, while the
    kernel runs (see :mod:`kamwidgets.page_assets`); any other page asks for
    it (a ``{"want": "source"}`` message) and ``source`` is filled then, so
    the megabytes of JavaScript travel through the kernel's connection only
    when the page has no copy of its own.

    ``on_page`` lists the charts the kernel has displayed, so a page (and the
    browser tests) can tell when every one of them has been drawn.
    """

    _esm = module("library")
    js_version = traitlets.Unicode("").tag(sync=True)
    source = traitlets.Unicode("").tag(sync=True)
    on_page = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._on_message)

    def send_source(self) -> None:
        """Fill ``source`` with the plotly.js the kernel's figures are made for."""
        if not self.source:
            self.source = get_plotlyjs()

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("want") == "source":
            self.send_source()


_library: PlotlyLibrary | None = None


def plotly_library() -> PlotlyLibrary:
    """The kernel's one :class:`PlotlyLibrary` (made again if it was closed)."""
    global _library
    if _library is None or getattr(_library, "comm", None) is None:
        with unsent(False):  # shared by every chart: on the page from the start
            _library = PlotlyLibrary(js_version=get_plotlyjs_version())
    return _library


#: The number types plotly.js reads as typed arrays (their numpy names, as the page reads them).
_TYPED = frozenset({"int8", "uint8", "int16", "uint16", "int32", "uint32", "float32", "float64"})


def _snapshot(value: Any) -> Any:
    """A figure's state as it was sent, to compare with later: its dicts and lists of dicts copied, lists of
    values copied flat, the values shared (plotly puts a new array or list in place of one that is set; it
    never changes one in place)."""
    if isinstance(value, dict):
        return {key: _snapshot(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], dict):
            return [_snapshot(item) for item in value]
        return list(value)
    return value


def _diff(old: Any, new: Any, path: list, out: list) -> None:
    """Append to ``out`` the ``[path, value]`` pairs that turn ``old`` (a :func:`_snapshot`) into ``new``."""
    if old is new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        if old.keys() - new.keys():  # something was removed: send the whole object
            out.append([path, new])
            return
        for key, value in new.items():
            if key in old:
                _diff(old[key], value, [*path, key], out)
            else:
                out.append([[*path, key], value])
    elif (
        isinstance(old, list)
        and isinstance(new, (list, tuple))
        and len(old) == len(new)
        and bool(new)
        and isinstance(new[0], dict)
    ):
        for i, (a, b) in enumerate(zip(old, new)):
            _diff(a, b, [*path, i], out)
    elif _differs(old, new):
        out.append([path, new])


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, np.ndarray) or isinstance(new, np.ndarray):
        same = (
            isinstance(old, np.ndarray)
            and isinstance(new, np.ndarray)
            and old.shape == new.shape
            and old.dtype == new.dtype
            and bool(np.array_equal(old, new, equal_nan=old.dtype.kind in "fc"))  # NaN (unscored) is unchanged
        )
        return not same
    if isinstance(new, tuple):
        new = list(new)
    return bool(old != new)


def _typed(values: np.ndarray) -> dict | None:
    """A one-dimensional number array as the page reads it without JSON: its bytes and their type."""
    if values.dtype.kind in "iu" and values.dtype.itemsize == 8:  # plotly.js has no 64-bit integers
        narrower = np.dtype(np.int32 if values.dtype.kind == "i" else np.uint32)
        info = np.iinfo(narrower)
        if values.min() < info.min or values.max() > info.max:
            return None
        values = values.astype(narrower)
    if values.dtype.name not in _TYPED:
        return None
    values = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<"))
    return {"typed": values.dtype.name, "buffer": values.data.cast("B")}


def _string_lists(state: Any, path: list, out: list) -> None:
    """Append to ``out`` every non-empty list of strings in a figure's state (a :func:`_snapshot`), with its path."""
    if isinstance(state, dict):
        for key, value in state.items():
            _string_lists(value, [*path, key], out)
    elif isinstance(state, list) and state:
        if isinstance(state[0], dict):
            for i, value in enumerate(state):
                _string_lists(value, [*path, i], out)
        elif all(isinstance(value, str) for value in state):
            out.append((path, state))


class _SentStrings:
    """The strings of the last whole figure's lists of strings, one after another, as the page can read them."""

    def __init__(self, base: dict) -> None:
        lists: list = []
        _string_lists(base, [], lists)
        self.paths = [path for path, _ in lists]
        pool = [text for _, values in lists for text in values]
        # each string at its first place (zip keeps the last of equal keys: the pool is read backwards)
        self.where = dict(zip(reversed(pool), range(len(pool) - 1, -1, -1)))
        self.dtype = np.uint16 if len(pool) <= 1 << 16 else np.uint32

    def positions(self, values: list) -> dict | None:
        """``{"strings": paths, "at": typed positions}``: the page takes each of ``values`` from the lists at
        ``paths`` (one after another) of the whole figure; None when a value is not among them."""
        try:
            at = np.array(list(map(self.where.__getitem__, values)), dtype=self.dtype)
        except (KeyError, TypeError):  # a new string, or not a string
            return None
        return {"strings": self.paths, "at": _typed(at)}


def _wire(changes: list, strings: Callable[[], _SentStrings]) -> tuple[list, int]:
    """The ``[path, value]`` pairs as they are sent, and about how many characters they take: one-dimensional
    number arrays as raw bytes (:func:`_typed`, a binary part of the message), lists of strings the page has
    as their positions (:class:`_SentStrings`, from ``strings()``), the rest as plotly's JSON."""
    sent, size = [], 0
    for path, value in changes:
        typed = None
        if isinstance(value, np.ndarray) and value.ndim == 1 and value.size and not kept_as_list(path[-1]):
            typed = _typed(value)
        elif isinstance(value, (list, tuple)) and value and isinstance(value[0], str):
            typed = strings().positions(list(value))
        if typed is not None:
            sent.append([path, typed])
            buffer = typed["at"]["buffer"] if "at" in typed else typed["buffer"]
            size += len(buffer) * 4 // 3  # as its base64 text in a whole figure would be
        else:
            text = json.dumps([path, with_typed_arrays(value, path[-1] if path else None)], cls=PlotlyJSONEncoder)
            sent.append(json.loads(text))
            size += len(text)
    return sent, size


class Chart(anywidget.AnyWidget):
    """A plotly figure on the page.

    Parameters
    ----------
    figure:
        A :class:`plotly.graph_objects.Figure` (or anything it accepts);
        when omitted, the chart's place stays empty until :meth:`show`.

    ``.figure`` is the figure on show, ``.data`` and ``.layout`` read it;
    :meth:`show` puts another figure in its place; changes made to
    ``.figure`` inside :meth:`batch_update` (or followed by :meth:`refresh`)
    reach the page as one update.
    """

    _esm = module("chart")
    _css = style("chart")
    _library = traitlets.Instance(PlotlyLibrary).tag(sync=True, **widget_serialization)
    _uid = traitlets.Unicode("").tag(sync=True)
    _spec = traitlets.Unicode("").tag(sync=True)  # '' while there is no figure
    _patch: traitlets.List = traitlets.List().tag(sync=True)
    #: The numbers behind the chart, as a table under it: open (the page's "Show the numbers" button) or not,
    #: and the table (HTML, escaped) while it is open.
    _table_open = traitlets.Bool(False).tag(sync=True)
    _table = traitlets.Unicode("").tag(sync=True)
    #: At most this many rows in the table on the page (:meth:`table` has them all).
    TABLE_ROWS = 500

    def __init__(self, figure: Any = None, **kwargs: Any) -> None:
        super().__init__(_library=plotly_library(), _uid=uuid.uuid4().hex, **kwargs)
        self._base: dict = {}  # the figure's state (a _snapshot) last sent whole, in _spec
        self._strings: _SentStrings | None = None  # its lists of strings, once a change needs them
        self._figure: Any = None
        self._make: Callable[[], Any] | None = None  # the chart function of a figure not made yet
        if figure is not None:
            self.show(figure)

    def show(self, figure: Any, *args: Any, **kwargs: Any) -> None:
        """Show ``figure`` (a whole new figure) in this chart's place.

        ``figure`` may also be a chart function, with its arguments after it
        (``chart.show(dmu_chart, people)``): the figure is then made when it
        is needed.  That is at once, but for a chart not sent to the page yet
        (a tool waiting for the reader in Voila, see :mod:`._later`): then
        when it is sent, or when ``.figure`` (``.data``, ``.layout``,
        ``table()``) is read, and a tool shown again before that makes only
        its last figure.  The chart function must be pure (the workbook's
        are): the arguments are kept until then.
        """
        if (args or kwargs) and not callable(figure):
            raise TypeError("show(figure) takes a figure, or a chart function followed by its arguments")
        if callable(figure):
            self._make = functools.partial(figure, *args, **kwargs)
            if not is_unsent(self):
                self._made()
            return
        self._make = None
        self._put(figure)

    @property
    def waiting(self) -> bool:
        """Whether the chart's figure is still to be made (see :meth:`show`)."""
        return self._make is not None

    def _made(self) -> None:
        make = self.__dict__.get("_make")  # (none while ipywidgets' __init__ sends the first state)
        if make is not None:
            self._make = None
            try:
                figure = make()
            except BaseException:
                self._make = make  # still to be made: the next read or send meets the same error, not an old figure
                raise
            self._put(figure)

    def _put(self, figure: Any) -> None:
        # a FigureWidget (or a dict) becomes a plain Figure; go.FigureWidget itself is never touched, since
        # plotly imports its renderers with it (over 2 s of a lesson's start-up)
        self._figure = figure if isinstance(figure, go.Figure) else go.Figure(figure)
        self.refresh(whole=True)

    @property
    def figure(self) -> Any:
        """The figure on show (a :class:`plotly.graph_objects.Figure`), or None before the first."""
        self._made()
        return self._figure

    @figure.setter
    def figure(self, figure: Any) -> None:
        self._make = None
        self._figure = figure
        self.refresh(whole=True)  # the page shows what Python holds

    def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict:
        self._made()  # the page is about to get the chart: its figure is needed now
        return super().get_state(key, drop_defaults)

    def refresh(self, *, whole: bool = False) -> None:
        """Send the figure's current state to the page (only what changed, unless ``whole``)."""
        if self.figure is None:
            return
        # the figure's own state is compared with a snapshot of the last whole figure (no copy of the figure,
        # no JSON of what did not change: a slider move costs what moved); the changes go out as raw numbers
        state = figure_state(self.figure)
        sent: list = []
        whole = whole or bool(self.figure.frames)  # frames are not compared: a figure with frames goes whole
        if not whole:
            changes: list = []
            _diff(self._base, state, [], changes)
            sent, size = _wire(changes, self._sent_strings)
            # most of the figure changed: sent whole (the page then has no patch to read, and the next one is
            # small); a patch of less saves the kernel writing plotly's JSON of every array again
            whole = size > len(self._spec) * 3 // 4
        with self.hold_sync():
            if whole:
                self._base = _snapshot(state)
                self._strings = None
                self._spec = self.figure.to_json()  # plotly's own JSON (it also leaves out trace uids)
                self._patch = []
            else:
                self._patch = sent
            if self._table_open:
                self._send_table()

    def _sent_strings(self) -> _SentStrings:
        if self._strings is None:
            self._strings = _SentStrings(self._base)
        return self._strings

    def table(self) -> Any:
        """The numbers behind the chart: a row per point, bar, cell or flow (:func:`kamwidgets.charts.chart_table`)."""
        return chart_table(self.figure) if self.figure is not None else pd.DataFrame()

    @traitlets.observe("_table_open")
    def _on_table_open(self, change: Any) -> None:
        if change["new"]:
            self._send_table()
        else:
            self._table = ""

    def _send_table(self) -> None:
        self._table = html_table(
            readable(self.table()), max_rows=self.TABLE_ROWS, empty="This chart has nothing to show yet."
        )

    def mark_on_page(self) -> None:
        """Record that this chart is displayed (see :class:`PlotlyLibrary`)."""
        library = self._library
        if self._uid not in library.on_page:
            library.on_page = [*library.on_page, self._uid]
            _log_chart(lambda: f"chart {self._uid} on the page: {self._title()}")

    def mark_off_page(self) -> None:
        """Record that this chart has left the page (its tool was replaced): the page no longer waits for it."""
        library = self._library
        if self._uid in library.on_page:
            library.on_page = [uid for uid in library.on_page if uid != self._uid]
            _log_chart(lambda: f"chart {self._uid} off the page: {self._title()}")

    def _title(self) -> str:
        title = self.figure.layout.title.text if self.figure is not None else None
        return repr(title) if title else "no title"

    def is_on_page(self) -> bool:
        """Whether this chart is recorded as displayed."""
        return self._uid in self._library.on_page

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        self.mark_on_page()
        return saved_note(super()._repr_mimebundle_(**kwargs), "A chart")

    @contextmanager
    def batch_update(self) -> Iterator[None]:
        """Change ``.figure`` inside the block; the page gets one update at the end."""
        if self.figure is None:
            raise RuntimeError("the chart has no figure yet: call show(figure) first")
        with self.figure.batch_update():
            yield
        self.refresh()

    @property
    def data(self) -> tuple:
        return self.figure.data if self.figure is not None else ()

    @property
    def layout(self) -> Any:
        return self.figure.layout if self.figure is not None else None

    def to_json(self) -> str:
        return self.figure.to_json() if self.figure is not None else "{}"

    def to_dict(self) -> dict:
        return self.figure.to_dict() if self.figure is not None else {}

    def __repr__(self) -> str:
        if self.waiting:  # looking at a chart does not make its figure
            return "<Chart: figure made when the chart is drawn>"
        return f"<Chart: {len(self.data)} traces>"


def log_draw(line: str) -> None:
    """Write ``line`` to the server's log (the kernel's own stderr, not the page), as ``KAMWIDGETS_LOG_DRAWS=1``
    asks: the tools a page asks for and the kernel draws (``_later``), the charts it is to wait for."""
    print(f"[kamwidgets draws {os.getpid()}] {line}", file=sys.__stderr__, flush=True)


def _log_chart(line: Callable[[], str]) -> None:
    """:func:`log_draw` a line about a chart, made only when ``KAMWIDGETS_LOG_DRAWS=1``."""
    try:
        on = config.log_draws()
    except KamDataError:  # a value that cannot be used: said in the lesson's cell (a placeholder reads it first)
        on = False
    if on:
        log_draw(line())


def charts_in(widget: Any) -> Iterator[Chart]:
    """Every :class:`Chart` inside a widget (through boxes, tabs and accordions)."""
    if isinstance(widget, Chart):
        yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from charts_in(child)

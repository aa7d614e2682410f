"""What every chart shares: safe text, split lines, label placement and the common layout (colours: kamwidgets.palette).

Charts receive every setting they draw (thresholds, labels, limits) as
arguments; nothing is read from ``DataFrame.attrs``.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import palette
from .._plotly_inside import template_file
from ..model import checks

#: And one marker shape per bucket (plotly's symbol numbers: diamond, triangle, circle, square), so
#: that the bucket never rests on colour alone.
SEGMENT_SYMBOLS: tuple[int, ...] = (2, 5, 0, 1)


def escape(text: object) -> str:
    """User text made safe for plotly's HTML-like labels (``<b>`` stays text)."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ""
    # quotes stay as they are: plotly shows &quot; literally, and its labels are not attributes
    return html.escape(str(text), quote=False)


def escape_all(values: Iterable[object]) -> list[str]:
    return [escape(v) for v in values]


#: The kinds of trace the workbook draws (the ones its template keeps defaults for).
TRACE_KINDS: tuple[str, ...] = ("bar", "heatmap", "sankey", "scatter", "scattergl")


@functools.cache
def chart_template() -> go.layout.Template:
    """The look of every chart: plotly's "plotly_white" (white background, light grid), made once.

    Only its layout and its defaults for :data:`TRACE_KINDS` are kept.  plotly's
    own copy brings defaults for some twenty-five kinds of trace, and every
    figure checked and copied all of them: about 10 ms a figure (the wrap-up
    makes seven), 0.2 s more for the kernel's first chart (importing those
    kinds), and 4 KB more of every figure for the page to receive and read.
    The charts look the same: they draw none of the kinds left out.

    One object is shared by every chart: read it, never change it.  A figure
    gets its own copy (plotly copies a template into the layout), so changing
    ``fig.layout.template`` of one chart changes no other.
    """
    source = template_file("plotly_white")
    white = json.loads(source.read_text(encoding="utf-8"))
    data = {kind: value for kind, value in white.get("data", {}).items() if kind in TRACE_KINDS}
    return go.layout.Template(layout=white["layout"], data=data)


#: The range of a 0-10 score axis, with room for the marks on its edges.
SCORE_RANGE: tuple[float, float] = (-0.6, 10.6)
#: Where a 0-10 chart is split when no thresholds are given (the model's default too).
DEFAULT_SPLITS: tuple[float, float] = (5.0, 5.0)
_SPLIT_LINE = dict(color=palette.SPLIT_LINE, width=1, dash="dash")


def splits(thresholds: object) -> tuple[float, float]:
    """``(y, x)`` split points from a chart's ``thresholds=`` argument (the default when None)."""
    return DEFAULT_SPLITS if thresholds is None else checks.score_pair(thresholds, ("first", "second"))


def add_split_lines(fig: go.Figure, *, x: float, y: float, x_name: str = "", y_name: str = "") -> None:
    """The two dashed lines that cut a 0-10 by 0-10 chart into four (shapes 0: vertical, 1: horizontal)."""
    fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=10, line=_SPLIT_LINE, name=x_name or None)
    fig.add_shape(type="line", x0=0, x1=10, y0=y, y1=y, line=_SPLIT_LINE, name=y_name or None)


def move_split_lines(fig: go.Figure, *, x: float, y: float) -> None:
    """Move the lines :func:`add_split_lines` drew (only what changed, for in-place updates)."""
    v, h = fig.layout.shapes[:2]
    if v.x0 != x:
        v.x0 = v.x1 = x
    if h.y0 != y:
        h.y0 = h.y1 = y


def say_empty(fig: go.Figure, text: str, *, keep_axes: bool = False) -> go.Figure:
    """An empty chart that says what to add (``text``, plain words).

    The axes go, unless ``keep_axes``: a chart whose axes and corners show where an entry would land keeps them.
    """
    if not keep_axes:
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=escape(text),
        name="empty",
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        bgcolor="white",
        font=dict(size=14, color=palette.NOTE_INK),
    )
    return fig


def title_text(title: str | None, sub: str = "") -> str | None:
    """An escaped title with an optional small second line (``sub`` is already safe)."""
    text = escape(title) if title else ""
    if sub:
        text = (text + "<br>" if text else "") + f"<sup>{sub}</sup>"
    return text or None


#: Where a label may go around its point, in order of preference (plotly's ``textposition`` names).
LABEL_PLACES: tuple[str, ...] = (
    "top center",
    "bottom center",
    "middle right",
    "middle left",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)
#: A label's estimated size: each character this many font sizes wide (a little more than the usual 0.6, so
#: that wide letters and the browser's fallback fonts still fit), the line this many font sizes high.
CHAR_WIDTH = 0.65
LINE_HEIGHT = 1.25


class Box(NamedTuple):
    """A box on a chart whose width follows the page, in pixels from the plot's lower left corner.

    On a chart ``k`` times as wide as the narrowest it is drawn at, its
    sides are at ``anchor * k + left`` and ``anchor * k + right``: a label
    or a marker moves with its point (``anchor``, the point's x at the
    narrowest width) and keeps its size.  Its ``bottom`` and ``top`` stay
    (the height does not follow the page).
    """

    anchor: float
    left: float
    right: float
    bottom: float
    top: float


def label_box(x: float, y: float, text: str, place: str, *, font_px: float = 10, marker_px: float = 0) -> Box:
    """Where plotly draws ``text`` beside a point at pixel ``(x, y)`` (its marker of radius ``marker_px``).

    plotly keeps a label ``marker_px / 0.8 + 1`` pixels from the point's
    centre (a little more than the marker, as some shapes are bigger than
    their nominal size) and centres it on the point along the other axis.
    """
    w, h = CHAR_WIDTH * font_px * len(text), LINE_HEIGHT * font_px
    r = marker_px / 0.8 + 1 if marker_px else 0.0
    vertical, _, horizontal = place.partition(" ")
    left = {"left": -r - w, "right": r}.get(horizontal, -w / 2)
    bottom = {"top": y + r, "bottom": y - r - h}.get(vertical, y - h / 2)
    return Box(x, left, left + w, bottom, bottom + h)


def overlap(a: Box, b: Box, widen: float = 1.0) -> bool:
    """Whether two boxes overlap (more than along an edge) on a chart 1 to ``widen`` times the narrowest width.

    Along the width each side moves in step with the chart's width, so each
    of the two conditions for an overlap holds on one side of some width:
    together, on a range of widths, which is compared with ``1 .. widen``.
    """
    if a.top <= b.bottom or b.top <= a.bottom:
        return False
    lo, hi = 1.0, float(widen)
    conditions = ((a.anchor - b.anchor, b.right - a.left), (b.anchor - a.anchor, a.right - b.left))  # p * k < q
    for p, q in conditions:
        if p > 0:
            hi = min(hi, q / p)
        elif p < 0:
            lo = max(lo, q / p)
        elif q <= 0:
            return False
    if lo > hi:
        return False
    k = (lo + hi) / 2
    return all(p * k < q for p, q in conditions)


def place_labels(
    x: Sequence[float],
    y: Sequence[float],
    texts: Sequence[str],
    *,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    size_px: tuple[float, float] = (600, 430),
    font_px: float = 10,
    marker_px: float | Sequence[float] | np.ndarray = 7,
    avoid: Sequence[Box] = (),
    widen: float = 1.0,
    first: int = 0,
) -> tuple[list[str], list[str]]:
    """Labels placed apart: ``(texts, positions)`` for a scatter's ``text`` and ``textposition``.

    Points are taken in the order given (put the most important first).
    Each label goes to the first place around its point (above, below,
    right, left, then the four corners) where its box, estimated from the
    font size (:func:`label_box`), stays inside the plot and covers no label
    already placed, no other point's marker and nothing in ``avoid`` (such
    as the corner names).  The ``first`` labels, the most important, may
    cover a neighbour's marker when no place is clear of markers.  A label
    with no place is left out (its name stays in the hover text).  Two
    labels never overlap.

    ``size_px`` is the plot area's size in pixels, at the narrowest the
    chart is drawn; ``widen`` how many times wider it may be drawn (a chart
    that follows the page's width): the labels stay apart at every width in
    between, as the points move apart and the labels keep their size.
    ``marker_px`` is the markers' radius (one, or one per point).
    """
    (x0, x1), (y0, y1) = x_range, y_range
    sx, sy = size_px[0] / (x1 - x0), size_px[1] / (y1 - y0)
    px = [(float(a) - x0) * sx for a in x]
    py = [(float(b) - y0) * sy for b in y]
    radii = np.broadcast_to(np.asarray(marker_px, dtype=float), (len(px),)).tolist()
    markers = {  # each marker's box, a pixel wider all round: a label does not touch a neighbour
        j: Box(a, -r - 1, r + 1, b - r - 1, b + r + 1)
        for j, (a, b, r) in enumerate(zip(px, py, radii))
        if not (np.isnan(a) or np.isnan(b))
    }
    placed: list[Box] = list(avoid)
    out_text, out_pos = [""] * len(texts), ["top center"] * len(texts)
    for i, text in enumerate(texts):
        if not text or i not in markers:
            continue
        boxes = [
            (place, label_box(px[i], py[i], text, place, font_px=font_px, marker_px=radii[i])) for place in LABEL_PLACES
        ]
        # inside the plot at its narrowest is inside at every width (the points spread with the plot)
        free = [
            (place, box)
            for place, box in boxes
            if box.anchor + box.left >= 0
            and box.anchor + box.right <= size_px[0]
            and box.bottom >= 0
            and box.top <= size_px[1]
            and not any(overlap(box, other, widen) for other in placed)
        ]
        clear = [(p, b) for p, b in free if not any(overlap(b, m, widen) for j, m in markers.items() if j != i)]
        chosen = clear or (free if i < first else [])
        if chosen:
            place, box = chosen[0]
            placed.append(box)
            out_text[i], out_pos[i] = text, place
    return out_text, out_pos

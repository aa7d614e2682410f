"""What every chart shares: bucket colours, safe text, split lines and the common layout.

Charts receive every setting they draw (thresholds, labels, limits) as
arguments; nothing is read from ``DataFrame.attrs``.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Iterable, Sequence
from importlib import resources

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..model import checks

#: One colour per bucket, in the order of ``kamwidgets.SEGMENTS`` (key,
#: development, maintenance, opportunistic); chosen to stay apart for the
#: common kinds of colour blindness.
SEGMENT_COLOURS: tuple[str, ...] = ("#1b7837", "#e08214", "#2166ac", "#8c8c8c")
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
    source = resources.files("plotly") / "package_data" / "templates" / "plotly_white.json"
    white = json.loads(source.read_text(encoding="utf-8"))
    data = {kind: value for kind, value in white.get("data", {}).items() if kind in TRACE_KINDS}
    return go.layout.Template(layout=white["layout"], data=data)


#: Where a 0-10 chart is split when no thresholds are given (the model's default too).
DEFAULT_SPLITS: tuple[float, float] = (5.0, 5.0)
_SPLIT_LINE = dict(color="#444", width=1, dash="dash")


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


def title_text(title: str | None, sub: str = "") -> str | None:
    """An escaped title with an optional small second line (``sub`` is already safe)."""
    text = escape(title) if title else ""
    if sub:
        text = (text + "<br>" if text else "") + f"<sup>{sub}</sup>"
    return text or None


#: Where a label may go around its point, in order of preference.
LABEL_PLACES: tuple[str, ...] = ("top center", "bottom center", "middle right", "middle left")


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
) -> tuple[list[str], list[str]]:
    """Labels placed apart: ``(texts, positions)`` for a scatter's ``text`` and ``textposition``.

    Points are taken in the order given (put the most important first).
    Each label goes to the first place around its point (above, below,
    right, left) where its box, estimated from the font size, covers no
    label already placed and no other point, else the first that covers no
    label; a label with no such place is left out (its name stays in the
    hover text).  Two labels never overlap.  ``size_px`` is the plot
    area's size in pixels; ``marker_px`` the markers' radius (one, or one per point).
    """
    (x0, x1), (y0, y1) = x_range, y_range
    sx, sy = size_px[0] / (x1 - x0), size_px[1] / (y1 - y0)
    px = [(float(a) - x0) * sx for a in x]
    py = [(float(b) - y0) * sy for b in y]
    radii = np.broadcast_to(np.asarray(marker_px, dtype=float), (len(px),)).tolist()
    points = [(a - r, b - r, a + r, b + r) for a, b, r in zip(px, py, radii)]
    placed: list[tuple[float, float, float, float]] = []
    out_text, out_pos = [""] * len(texts), ["top center"] * len(texts)

    def clear(box: tuple[float, float, float, float], me: int, of_points: bool) -> bool:
        hits = [o for j, o in enumerate(points) if of_points and j != me and not (np.isnan(px[j]) or np.isnan(py[j]))]
        return all(box[2] <= o[0] or o[2] <= box[0] or box[3] <= o[1] or o[3] <= box[1] for o in (*placed, *hits))

    for i, text in enumerate(texts):
        if not text or np.isnan(px[i]) or np.isnan(py[i]):
            continue
        w, h = 0.62 * font_px * len(text), 1.3 * font_px
        a, b, m = px[i], py[i], radii[i] + 2
        boxes = {
            "top center": (a - w / 2, b + m, a + w / 2, b + m + h),
            "bottom center": (a - w / 2, b - m - h, a + w / 2, b - m),
            "middle right": (a + m, b - h / 2, a + m + w, b + h / 2),
            "middle left": (a - m - w, b - h / 2, a - m, b + h / 2),
        }
        # a place clear of labels and points; failing that, clear of labels (over a neighbour's marker)
        for of_points, place in ((p, q) for p in (True, False) for q in LABEL_PLACES):
            box = boxes[place]
            inside = box[0] >= 0 and box[2] <= size_px[0] and box[1] >= 0 and box[3] <= size_px[1]
            if inside and clear(box, i, of_points):
                placed.append(box)
                out_text[i], out_pos[i] = text, place
                break
    return out_text, out_pos

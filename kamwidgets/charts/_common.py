"""What every chart shares: bucket colours, safe text, split lines and the common layout.

Charts receive every setting they draw (thresholds, labels, limits) as
arguments; nothing is read from ``DataFrame.attrs``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

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


#: The template of every chart (white background, light grid).
TEMPLATE = "plotly_white"
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

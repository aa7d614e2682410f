"""Charts of the portfolio classification: the matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..errors import KamDataError
from ._common import SEGMENT_COLOURS, escape, escape_all

__all__ = ["portfolio_matrix"]

#: Above this many accounts the matrix draws with WebGL and without labels.
WEBGL_FROM = 2000


def _thresholds(classified: pd.DataFrame, thresholds: tuple[float, float] | None) -> tuple[float, float]:
    if thresholds is not None:
        return float(thresholds[0]), float(thresholds[1])
    settings = classified.attrs.get("classification", {})
    t = settings.get("thresholds", (5.0, 5.0))
    return float(t[0]), float(t[1])


def _marker_sizes(values: pd.Series | None, n: int) -> np.ndarray:
    """Bubble diameters 6-40 px, area proportional to the value."""
    if values is None:
        return np.full(n, 10.0, dtype=np.float32)
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    v = np.where(np.isfinite(v) & (v > 0), v, 0.0)
    top = v.max() if v.size else 0.0
    if top <= 0:
        return np.full(n, 10.0, dtype=np.float32)
    return (6.0 + 34.0 * np.sqrt(v / top)).astype(np.float32)


def portfolio_matrix(
    classified: pd.DataFrame,
    *,
    size: str | None = "revenue",
    thresholds: tuple[float, float] | None = None,
    label_points: bool | None = None,
    title: str | None = "Portfolio matrix",
) -> go.Figure:
    """The classification matrix: our strength (x) against customer attractiveness (y).

    Parameters
    ----------
    classified:
        The result of :func:`kamwidgets.classify`.
    size:
        Column that sets the bubble area (``None`` for equal bubbles; a
        column that does not exist is an error).
    thresholds:
        ``(attractiveness, strength)`` lines; by default those ``classify``
        used.
    label_points:
        Write each account's name beside its bubble; by default only for
        portfolios of up to 40 accounts.
    title:
        Figure title (plain text; it is escaped).

    Returns
    -------
    plotly.graph_objects.Figure
        One trace per bucket (named by its label), threshold lines and the
        four bucket names in their corners.  Large portfolios are drawn with
        WebGL (``Scattergl``).  Every user string is HTML-escaped.
    """
    for col in ("account", "attractiveness", "strength", "segment"):
        if col not in classified.columns:
            raise KamDataError(
                "the frame has no such column; the matrix needs a classified portfolio",
                column=col,
                fix="Pass the result of classify().",
            )
    if size is not None and size not in classified.columns:
        raise KamDataError("there is no such column for the bubble size", column=size,
                           fix="Pick a number column, or size=None for equal bubbles.")
    t_att, t_str = _thresholds(classified, thresholds)
    seg = classified["segment"]
    labels = list(seg.cat.categories)
    codes = seg.cat.codes.to_numpy()
    n = len(classified)
    webgl = n > WEBGL_FROM
    if label_points is None:
        label_points = n <= 40
    Scatter = go.Scattergl if webgl else go.Scatter
    sizes = _marker_sizes(classified[size] if size else None, n)
    x_all = classified["strength"].to_numpy(dtype=np.float32)
    y_all = classified["attractiveness"].to_numpy(dtype=np.float32)
    has_manager = "account_manager" in classified.columns
    names = escape_all(classified["account"])
    managers = escape_all(classified["account_manager"]) if has_manager else None
    size_text = escape(size) if size else None

    fig = go.Figure()
    for code, label in enumerate(labels):
        mask = codes == code
        idx = np.flatnonzero(mask)
        hover = [f"<b>{names[i]}</b>" for i in idx]
        if managers is not None:
            hover = [h + f"<br>{managers[i]}" for h, i in zip(hover, idx)]
        trace = Scatter(
            x=x_all[mask],
            y=y_all[mask],
            mode="markers+text" if label_points else "markers",
            name=escape(label),
            legendgroup=str(code),
            marker=dict(size=sizes[mask], color=SEGMENT_COLOURS[code], opacity=0.75,
                        line=dict(width=0.5, color="white")),
            hovertext=hover,
            hovertemplate="%{hovertext}<br>strength %{x:.1f}, attractiveness %{y:.1f}<extra>"
            + escape(label) + "</extra>",
        )
        if label_points:
            trace.text = [names[i] for i in idx]
            trace.textposition = "top center"
            trace.textfont = dict(size=10)
        fig.add_trace(trace)

    corner = dict(xref="x", yref="y", showarrow=False, font=dict(size=12, color="#555"), opacity=0.9)
    fig.add_annotation(x=9.9, y=9.9, xanchor="right", yanchor="top", text=escape(labels[0]), **corner)
    fig.add_annotation(x=0.1, y=9.9, xanchor="left", yanchor="top", text=escape(labels[1]), **corner)
    fig.add_annotation(x=9.9, y=0.1, xanchor="right", yanchor="bottom", text=escape(labels[2]), **corner)
    fig.add_annotation(x=0.1, y=0.1, xanchor="left", yanchor="bottom", text=escape(labels[3]), **corner)
    line = dict(color="#444", width=1, dash="dash")
    fig.add_shape(type="line", x0=t_str, x1=t_str, y0=0, y1=10, line=line, name="strength threshold")
    fig.add_shape(type="line", x0=0, x1=10, y0=t_att, y1=t_att, line=line, name="attractiveness threshold")
    unscored = int((codes < 0).sum())
    subtitle = f"{n:,} accounts" + (f", {unscored:,} without a score (not shown)" if unscored else "")
    if size_text:
        subtitle += f"; bubble area: {size_text}"
    fig.update_layout(
        title=dict(text=(escape(title) + "<br>" if title else "") + f"<sup>{subtitle}</sup>"),
        xaxis=dict(title="Our relative strength", range=[0, 10.2], dtick=1, zeroline=False),
        yaxis=dict(title="Customer attractiveness", range=[0, 10.2], dtick=1, zeroline=False),
        legend=dict(title="Bucket", itemsizing="constant"),
        template="plotly_white",
        height=560,
        margin=dict(l=60, r=20, t=80, b=50),
    )
    return fig

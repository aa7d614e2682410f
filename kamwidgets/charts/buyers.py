"""The buyer chart: interest against involvement."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..model.buyers import QUADRANTS
from ._common import escape, escape_all

_QUADRANT_COLOURS = {"strategic": "#1b7837", "specifier": "#2166ac", "ratifier": "#e08214", "gatekeeper": "#8c8c8c"}

__all__ = ["buyer_chart"]


def buyer_chart(placed: pd.DataFrame, *, title: str | None = "Buyer chart: interest and involvement") -> go.Figure:
    """Buyers placed by involvement (x) and interest (y), from :func:`kamwidgets.model.buyers.place_buyers`."""
    t_int, t_inv = placed.attrs.get("buyer_chart", {}).get("thresholds", (5.0, 5.0))
    labels = placed.attrs.get("buyer_chart", {}).get("labels", {})
    fig = go.Figure()
    corners = {
        "strategic": (10, 10, "right", "top"),
        "specifier": (0, 10, "left", "top"),
        "ratifier": (10, 0, "right", "bottom"),
        "gatekeeper": (0, 0, "left", "bottom"),
    }
    for key in QUADRANTS:
        x, y, xa, ya = corners[key]
        fig.add_annotation(
            x=x,
            y=y,
            xanchor=xa,
            yanchor=ya,
            showarrow=False,
            text=escape(labels.get(key, key)),
            font=dict(color=_QUADRANT_COLOURS[key], size=13),
        )
    fig.add_trace(
        go.Scatter(
            x=placed["involvement"].to_numpy(dtype=float),
            y=placed["interest"].to_numpy(dtype=float),
            mode="markers+text",
            text=escape_all(placed["buyer"]),
            textposition="top center",
            marker=dict(
                size=16, color=[_QUADRANT_COLOURS[k] for k in placed["key"]], line=dict(width=1, color="white")
            ),
            customdata=np.column_stack([escape_all(placed["quadrant"]), escape_all(placed["action"])])
            if len(placed)
            else None,
            hovertemplate="<b>%{text}</b><br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            name="buyers",
        )
    )
    line = dict(color="#444", width=1, dash="dash")
    fig.add_shape(type="line", x0=t_inv, x1=t_inv, y0=0, y1=10, line=line)
    fig.add_shape(type="line", x0=0, x1=10, y0=t_int, y1=t_int, line=line)
    fig.update_layout(
        title=escape(title) if title else None,
        template="plotly_white",
        height=460,
        showlegend=False,
        xaxis=dict(title="Level of involvement", range=[-0.3, 10.3]),
        yaxis=dict(title="Level of interest", range=[-0.3, 10.3]),
        margin=dict(l=60, r=20, t=60, b=50),
    )
    return fig

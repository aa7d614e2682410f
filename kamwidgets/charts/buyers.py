"""The buyer chart: interest against involvement."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..model.buyers import QUADRANTS, buyer_labels
from ..palette import BUYER_COLOURS
from ._common import DEFAULT_SPLITS, add_split_lines, chart_template, escape, escape_all, say_empty, splits, title_text

__all__ = ["buyer_chart"]


def buyer_chart(
    placed: pd.DataFrame,
    *,
    thresholds: tuple[float, float] | None = DEFAULT_SPLITS,
    labels: Mapping[str, str] | None = None,
    title: str | None = "Buyer chart: interest and involvement",
) -> go.Figure:
    """Buyers placed by involvement (x) and interest (y), from :func:`kamwidgets.model.buyers.place_buyers`.

    ``thresholds`` (interest, involvement) and ``labels`` (the names of the
    four positions) are those the buyers were placed with.
    """
    t_int, t_inv = splits(thresholds)
    labels = buyer_labels(labels)
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
            text=escape(labels[key]),
            font=dict(color=BUYER_COLOURS[key], size=13),
        )
    fig.add_trace(
        go.Scatter(
            x=placed["involvement"].to_numpy(dtype=float),
            y=placed["interest"].to_numpy(dtype=float),
            mode="markers+text",
            text=escape_all(placed["buyer"]),
            textposition="top center",
            marker=dict(size=16, color=[BUYER_COLOURS[k] for k in placed["key"]], line=dict(width=1, color="white")),
            customdata=np.column_stack([escape_all(placed["quadrant"]), escape_all(placed["action"])])
            if len(placed)
            else None,
            hovertemplate="<b>%{text}</b><br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            name="buyers",
        )
    )
    add_split_lines(fig, x=t_inv, y=t_int)
    if placed.empty:  # the four corners and the lines stay: they show where a buyer would go
        say_empty(fig, "No buyers yet: add a row above", keep_axes=True)
    fig.update_layout(
        title=title_text(title),
        template=chart_template(),
        height=460,
        showlegend=False,
        xaxis=dict(title="Level of involvement", range=[-0.3, 10.3]),
        yaxis=dict(title="Level of interest", range=[-0.3, 10.3]),
        margin=dict(l=60, r=20, t=60, b=50),
        meta=dict(points="buyer"),  # what each point is (the table of the chart heads its column so)
    )
    return fig

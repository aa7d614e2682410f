"""The contact matrix as a grid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import palette
from ..model.contacts import PER_YEAR
from ._common import chart_template, escape, escape_all, say_empty

__all__ = ["contact_heatmap"]


def contact_heatmap(wide: pd.DataFrame, *, title: str | None = "Contact matrix") -> go.Figure:
    """The contact matrix as a grid: darker is more frequent, empty cells are gaps."""
    z = wide.apply(lambda col: col.map(lambda v: PER_YEAR.get(v, 0))).to_numpy(dtype=float)
    text = wide.map(escape).to_numpy()
    fig = go.Figure(
        go.Heatmap(
            z=np.log1p(z),
            x=escape_all(wide.columns),
            y=escape_all(wide.index),
            text=text,
            texttemplate="%{text}",
            colorscale=[[0, palette.CONTACT_SCALE[0]], [1, palette.CONTACT_SCALE[1]]],
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y} \u2194 %{x}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        title=escape(title) if title else None,
        template=chart_template(),
        height=max(260, 44 * len(wide.index) + 140),
        yaxis=dict(autorange="reversed", title="our side"),
        xaxis=dict(side="top", title="their side"),
        margin=dict(l=10, r=20, t=90, b=20),
    )
    if wide.empty:  # no axes to number: say what to do instead
        say_empty(fig, "No contacts yet: add a row above for each pair of people who talk")
    return fig

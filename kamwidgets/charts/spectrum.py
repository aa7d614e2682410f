"""The team picture: the contact matrix as a network (bow-tie or diamond)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import palette
from ..model.contacts import PER_YEAR
from ._common import chart_template, escape, escape_all, say_empty

__all__ = ["team_network"]


def team_network(contacts: pd.DataFrame, *, title: str | None = "Who talks to whom") -> go.Figure:
    """The contact matrix as a network: our side left, theirs right, a line per contact (thicker = more often)."""
    ours = list(dict.fromkeys(contacts["our_side"]))
    theirs = list(dict.fromkeys(contacts["their_side"]))

    def spread(n: int) -> np.ndarray:
        return np.linspace(0.9, 0.1, n) if n > 1 else np.array([0.5])

    y_our, y_their = dict(zip(ours, spread(len(ours)))), dict(zip(theirs, spread(len(theirs))))
    fig = go.Figure()
    for r in contacts.itertuples():
        width = 1 + 2 * np.log1p(PER_YEAR.get(r.frequency, 0)) / np.log1p(52) * 3
        fig.add_trace(
            go.Scatter(
                x=[0.15, 0.85],
                y=[y_our[r.our_side], y_their[r.their_side]],
                mode="lines",
                line=dict(width=width, color=palette.translucent(palette.BLUE, 0.5)),
                hoverinfo="text",
                hovertext=escape(f"{r.owner}: {r.frequency}"),
                showlegend=False,
                meta=dict(points="contact (who keeps it: how often)"),  # the table of the chart heads its column so
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[0.15] * len(ours),
            y=[y_our[o] for o in ours],
            mode="markers+text",
            text=escape_all(ours),
            textposition="middle left",
            marker=dict(size=16, color=palette.SIDE_COLOURS["ours"]),
            name="our team",
            hoverinfo="text",
            meta=dict(points="person"),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[0.85] * len(theirs),
            y=[y_their[t] for t in theirs],
            mode="markers+text",
            text=escape_all(theirs),
            textposition="middle right",
            marker=dict(size=16, color=palette.SIDE_COLOURS["theirs"]),
            name="the customer",
            hoverinfo="text",
            meta=dict(points="person"),
        )
    )
    if contacts.empty:
        say_empty(fig, "No contacts yet: add a row to the contact table above")
    fig.update_layout(
        title=escape(title) if title else None,
        template=chart_template(),
        height=420,
        xaxis=dict(visible=False, range=[-0.35, 1.35]),
        yaxis=dict(visible=False, range=[0, 1]),
        legend=dict(orientation="h", y=-0.05),
        margin=dict(l=10, r=10, t=60, b=30),
        meta=dict(series="side"),  # whose people each colour is (the chart's table heads the column so)
    )
    return fig

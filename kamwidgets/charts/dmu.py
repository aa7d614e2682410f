"""The decision-making unit: influence against our reach."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .. import palette
from ..model.dmu import ROLES
from ._common import chart_template, escape, escape_all, say_empty

__all__ = ["dmu_chart"]


def dmu_chart(summary: pd.DataFrame, *, title: str | None = "Who really decides") -> go.Figure:
    """Influence per person (bars, by role) and how well we reach them (markers), from ``dmu_summary``."""
    people = escape_all(summary["person"])
    fig = go.Figure()
    for role in ROLES:
        part = summary["role"] == role
        if not part.any():
            continue
        fig.add_trace(
            go.Bar(
                y=[p for p, k in zip(people, part) if k],
                x=summary.loc[part, "influence"].to_numpy(dtype=float),
                orientation="h",
                name=f"influence ({role})",
                marker_color=palette.ROLE_COLOURS[role],
                customdata=escape_all(summary.loc[part, "function"]),
                hovertemplate="<b>%{y}</b> (" + role + ", %{customdata})<br>influence %{x:g}<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            y=people,
            x=summary["reach"].to_numpy(dtype=float) / 3 * 10,
            mode="markers",
            name="our reach",
            marker=dict(symbol="diamond", size=13, color=palette.REACH_MARKER),
            customdata=escape_all(summary["coverage"]),
            hovertemplate="<b>%{y}</b>: our reach is %{customdata}<extra></extra>",
        )
    )
    gaps = summary["gap"].to_numpy()
    ticks = [("\u26a0 " if g else "") + p for p, g in zip(people, gaps)]
    if summary.empty:
        say_empty(fig, "No people yet: add a row above for each person who takes part in buying")
    fig.update_layout(
        title=escape(title) if title else None,
        template=chart_template(),
        height=max(260, 34 * len(people) + 120),
        barmode="overlay",
        yaxis=dict(autorange="reversed", tickvals=people, ticktext=ticks, categoryorder="array", categoryarray=people),
        xaxis=dict(title="influence (bars) and our reach (diamonds: none 0 ... strong 10)", range=[-0.5, 10.5]),
        legend=dict(orientation="h", y=-0.25),
        margin=dict(l=10, r=20, t=60, b=70),
        # what each bar is, and what each colour measures (a role's influence, our reach): the chart's table
        meta=dict(points="person", series="measure"),
    )
    return fig

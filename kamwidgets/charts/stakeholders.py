"""Supporters and opponents on a map, with the suggested moves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import palette
from ..model.stakeholders import STANCES
from ._common import chart_template, escape, escape_all, say_empty

__all__ = ["stakeholder_map"]


def stakeholder_map(
    people: pd.DataFrame, moves: pd.DataFrame | None = None, *, title: str | None = "Supporters and opponents"
) -> go.Figure:
    """Stance (x, supporter left to opponent right) against influence (y); arrows for suggested moves."""
    position = people["stance"].map({s: i for i, s in enumerate(STANCES)}).to_numpy(dtype=float)
    jitter = (np.arange(len(people)) % 3 - 1) * 0.12
    x = position + jitter
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=people["influence"].to_numpy(dtype=float),
            mode="markers+text",
            text=escape_all(people["person"]),
            textposition="top center",
            marker=dict(
                size=18,
                color=[palette.STANCE_COLOURS[int(p)] for p in position],
                line=dict(width=1, color=palette.OUTLINE),
            ),
            customdata=escape_all(people["function"]),
            hovertemplate="<b>%{text}</b> (%{customdata})<br>influence %{y:g}<extra></extra>",
            name="people",
        )
    )
    if moves is not None and len(moves):
        _add_moves(fig, dict(zip(people["person"], zip(x, people["influence"]))), moves)
    sub = (
        "<br><sup>arrow: the strongest supporter who could move each reluctant person</sup>"
        if moves is not None and len(moves)
        else ""
    )
    if people.empty:  # the stances stay along the bottom: they show where a person would go
        say_empty(fig, "No people yet: add a row above for each person who matters", keep_axes=True)
    fig.update_layout(
        title=(escape(title) if title else "") + sub,
        template=chart_template(),
        height=480,
        showlegend=False,
        xaxis=dict(title="stance", tickvals=list(range(len(STANCES))), ticktext=list(STANCES), range=[-0.6, 4.6]),
        yaxis=dict(title="influence", range=[-0.5, 11]),
        margin=dict(l=60, r=20, t=60, b=50),
        meta=dict(points="person"),  # what each point is (the table of the chart heads its column so)
    )
    return fig


def _add_moves(fig: go.Figure, where: dict, moves: pd.DataFrame) -> None:
    """An arrow from the supporter to each reluctant person they could move (``where``: person -> (x, y))."""
    for m in moves.drop_duplicates("reluctant").itertuples():
        (x0, y0), (x1, y1) = where[m.supporter], where[m.reluctant]
        fig.add_annotation(
            x=x1,
            y=y1,
            ax=x0,
            ay=y0,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=3,
            arrowwidth=1.5,
            arrowcolor=palette.GREEN,
            opacity=0.7,
            text="",
            standoff=11,
            startstandoff=11,
        )

"""The SWOT strategies on a timeline."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..palette import STRATEGY_COLOURS
from ._common import chart_template, escape, escape_all, say_empty

__all__ = ["swot_timeline"]


def _crosses(part: pd.DataFrame) -> list[str]:
    """The TOWS crosses named by these strategies (optional: a strategy may have none)."""
    if "cross" not in part.columns:
        return []
    return sorted({str(c) for c in part["cross"] if isinstance(c, str) and c.strip()})


def swot_timeline(strategies: pd.DataFrame, *, title: str | None = "Strategies over time") -> go.Figure:
    """One bar per dated strategy from its start to its end, coloured by kind (from ``check_strategies``).

    Strategies without both dates are listed in the subtitle, not drawn.
    """
    dated = strategies[strategies["start_date"].notna() & strategies["end_date"].notna()]
    fig = go.Figure()
    for kind, colour in STRATEGY_COLOURS.items():
        part = dated[dated["kind"] == kind]
        if part.empty:
            continue
        span_ms = (part["end_date"] - part["start_date"]).dt.total_seconds().to_numpy() * 1000
        fig.add_trace(
            go.Bar(
                base=part["start_date"].dt.strftime("%Y-%m-%d").tolist(),
                x=span_ms,
                y=escape_all(part["strategy"]),
                orientation="h",
                name=kind + (f" ({', '.join(crosses)})" if (crosses := _crosses(part)) else ""),
                marker_color=colour,
                customdata=list(zip(escape_all(part["owner"]), part["start"], part["end"])),
                hovertemplate="<b>%{y}</b><br>%{customdata[0]}<br>%{customdata[1]} to %{customdata[2]}<extra></extra>",
            )
        )
    if strategies.empty:
        say_empty(fig, "No strategies yet: add a row above, with a start and an end")
    elif dated.empty:
        say_empty(fig, "No dated strategies yet: give each one a start and an end in the table above")
    undated = len(strategies) - len(dated)
    sub = f"<br><sup>{undated} without dates (not shown)</sup>" if undated else ""
    fig.update_layout(
        title=(escape(title) if title else "") + sub,
        template=chart_template(),
        barmode="overlay",
        xaxis=dict(type="date"),
        yaxis=dict(autorange="reversed"),
        height=max(240, 40 * len(dated) + 140),
        legend=dict(orientation="h", y=-0.2),
        margin=dict(l=10, r=20, t=70, b=60),
        meta=dict(points="strategy"),  # what each bar is (the table of the chart heads its column so)
    )
    return fig

"""Pure plotly charts: a frame in, a ``plotly.graph_objects.Figure`` out.

One module per model module (``charts.classify`` draws what
``model.classification`` computes, ``charts.buyers`` what ``model.buyers`` does...).
Nothing here knows about widgets.  Every user string is HTML-escaped.
"""

from ..palette import SEGMENT_COLOURS
from ._common import escape
from .buyers import buyer_chart
from .classify import (
    balance_chart,
    effort_chart,
    portfolio_matrix,
    review_chart,
    stability_chart,
    update_portfolio_matrix,
)
from .contacts import contact_heatmap
from .dmu import dmu_chart
from .spectrum import team_network
from .stakeholders import stakeholder_map
from .swot import swot_timeline
from .table import chart_table

__all__ = [
    "SEGMENT_COLOURS",
    "escape",
    "portfolio_matrix",
    "update_portfolio_matrix",
    "balance_chart",
    "effort_chart",
    "review_chart",
    "stability_chart",
    "buyer_chart",
    "dmu_chart",
    "contact_heatmap",
    "stakeholder_map",
    "team_network",
    "swot_timeline",
    "chart_table",
]

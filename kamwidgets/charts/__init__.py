"""Pure plotly charts: a frame in, a ``plotly.graph_objects.Figure`` out.

One module per model module (``charts.classify`` draws what
``model.classify`` computes).  Nothing here knows about widgets.
"""

from ._common import SEGMENT_COLOURS, escape
from .classify import (
    balance_chart,
    effort_chart,
    portfolio_matrix,
    review_chart,
    stability_chart,
    update_portfolio_matrix,
)

__all__ = ["SEGMENT_COLOURS", "escape", "portfolio_matrix", "update_portfolio_matrix", "balance_chart",
           "effort_chart", "review_chart", "stability_chart"]

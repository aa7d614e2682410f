"""kamwidgets: a Key Account Management workbook on pandas, plotly and ipywidgets.

The model (loading, scoring, classifying) is imported right away; charts and
widgets are imported the first time one of their names is used, so that
``import kamwidgets`` stays as light as pandas itself.

Examples
--------
>>> import kamwidgets as kw
>>> portfolio = kw.load_portfolio(kw.sample_path("portfolio"))
>>> classified = kw.classify(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
>>> sorted(classified["segment"].cat.categories)  # doctest: +NORMALIZE_WHITESPACE
['Key account', 'Key development account', 'Maintenance account', 'Opportunistic account']
"""

from __future__ import annotations

import importlib
from typing import Any

from . import _garbage  # first: in a Voila kernel, importing it makes the imports below collect garbage less often
from .errors import KamDataError, KamDataWarning
from .model import (
    DEFAULT_HOURS,
    DEFAULT_LABELS,
    FIELDS,
    REFERENCE_MIX,
    SEGMENTS,
    Criterion,
    accounts_from_transactions,
    balance,
    classify,
    compare,
    criteria_table,
    criterion_scores,
    effort,
    load_portfolio,
    segment_keys,
    segment_labels,
    stability,
    transitions,
)
from .samples import SAMPLE_ATTRACTIVENESS, SAMPLE_RULES, SAMPLE_STRENGTH, sample_path

__version__ = "0.1.0"

_garbage.after_imports()

# name -> module that defines it; imported on first use (plotly, ipywidgets are heavy)
_LAZY: dict[str, str] = {
    "charts": "kamwidgets.charts",
    "widgets": "kamwidgets.widgets",
    "portfolio_matrix": "kamwidgets.charts",
    "balance_chart": "kamwidgets.charts",
    "effort_chart": "kamwidgets.charts",
    "review_chart": "kamwidgets.charts",
    "stability_chart": "kamwidgets.charts",
    "ClassificationWidget": "kamwidgets.widgets",
    "RuleClassifier": "kamwidgets.widgets",
    "AccountChoice": "kamwidgets.widgets",
    "Notes": "kamwidgets.widgets",
    "ForAccount": "kamwidgets.widgets",
    "place_by_rules": "kamwidgets.model.rules",
    "compare_placements": "kamwidgets.model.rules",
    "readable": "kamwidgets.model.display",
    "DataPicker": "kamwidgets.widgets",
    "DownloadButton": "kamwidgets.widgets",
    "Downloads": "kamwidgets.widgets",
    "WorkbookName": "kamwidgets.widgets",
    "FileDrop": "kamwidgets.widgets",
    "my_portfolio": "kamwidgets.store",
    "BuyerChart": "kamwidgets.widgets",
    "DecisionUnit": "kamwidgets.widgets",
    "ContactMatrix": "kamwidgets.widgets",
    "StakeholderMap": "kamwidgets.widgets",
    "SpectrumWidget": "kamwidgets.widgets",
    "SwotGrid": "kamwidgets.widgets",
    "AccountPlan": "kamwidgets.widgets",
    "MarketingPlan": "kamwidgets.widgets",
    "CustomerAnalysis": "kamwidgets.widgets",
    "RoomView": "kamwidgets.widgets",
    "ValueProposition": "kamwidgets.widgets",
    "MakingItHappen": "kamwidgets.widgets",
    "Quiz": "kamwidgets.widgets",
    "show": "kamwidgets.widgets",
    "Chart": "kamwidgets.widgets",
    "copy_lessons": "kamwidgets.course",
    "swot_timeline": "kamwidgets.charts",
    "chart_table": "kamwidgets.charts",
    "export": "kamwidgets.export",
    "export_workbook": "kamwidgets.export",
    "export_csv": "kamwidgets.export",
    "write_html": "kamwidgets.export",
    "write_markdown": "kamwidgets.export",
    "buyer_chart": "kamwidgets.charts",
    "dmu_chart": "kamwidgets.charts",
    "contact_heatmap": "kamwidgets.charts",
    "stakeholder_map": "kamwidgets.charts",
    "team_network": "kamwidgets.charts",
    "store": "kamwidgets.store",
    "Store": "kamwidgets.store",
    "open_store": "kamwidgets.store",
    "workbook_name": "kamwidgets.identity",
}

__all__ = [
    "KamDataError",
    "KamDataWarning",
    "Criterion",
    "load_portfolio",
    "accounts_from_transactions",
    "classify",
    "balance",
    "compare",
    "transitions",
    "effort",
    "stability",
    "criteria_table",
    "criterion_scores",
    "segment_keys",
    "segment_labels",
    "SEGMENTS",
    "DEFAULT_LABELS",
    "DEFAULT_HOURS",
    "REFERENCE_MIX",
    "FIELDS",
    "sample_path",
    "SAMPLE_ATTRACTIVENESS",
    "SAMPLE_STRENGTH",
    "SAMPLE_RULES",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kamwidgets' has no attribute {name!r}")
    mod = importlib.import_module(module)
    value = mod if module.endswith("." + name) else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

"""Every chart has plotly's white look, from a template that carries only what the workbook draws."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

import kamwidgets as kw
from kamwidgets.charts._common import TRACE_KINDS, chart_template
from kamwidgets.widgets._chart import charts_in

from .conftest import load_sample


def _tools() -> list:
    portfolio = load_sample()
    contacts = kw.ContactMatrix(kw.sample_path("account_contacts"))
    return [
        kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH),
        kw.DecisionUnit(kw.sample_path("account_dmu")),
        contacts,
        kw.StakeholderMap(kw.sample_path("account_stakeholders"), contacts=contacts),
        kw.SpectrumWidget(contacts=contacts),
        kw.BuyerChart(kw.sample_path("account_buyers")),
        kw.SwotGrid([{"quadrant": "threat", "text": "Cheap imports", "importance": 4}], subject="Istmar"),
    ]


@pytest.fixture(scope="module")
def figures() -> list:
    found = [chart.figure for tool in _tools() for chart in charts_in(tool) if chart.figure is not None]
    assert len(found) >= 7  # the tools above draw at least one chart each
    return found


def test_every_chart_looks_like_plotly_white(figures):
    white = pio.templates["plotly_white"]
    for figure in figures:
        template = figure.layout.template
        assert template.layout.to_plotly_json() == white.layout.to_plotly_json()
        for trace in figure.data:
            # the workbook's template must know every kind it draws, with plotly_white's defaults for it
            assert trace.type in TRACE_KINDS, trace.type
            assert template.data[trace.type] == white.data[trace.type], trace.type


def test_the_template_leaves_out_the_kinds_no_chart_draws(figures):
    kept = {kind for kind, value in chart_template().data.to_plotly_json().items() if value}
    white = {kind for kind, value in pio.templates["plotly_white"].data.to_plotly_json().items() if value}
    assert kept == white & set(TRACE_KINDS)
    assert len(white - kept) > 15  # what every figure used to carry for nothing
    for figure in figures:
        sent = json.loads(figure.to_json())["layout"]["template"]
        assert set(sent.get("data", {})) <= set(TRACE_KINDS)


def test_the_template_is_made_once():
    assert chart_template() is chart_template()


def test_a_charts_template_is_its_own(figures, sample_portfolio):
    """Restyling one chart's template leaves the shared one, and so every later chart, as it was."""
    before = chart_template().to_plotly_json()
    mine = go.Figure(figures[0])  # a copy: the other tests read the module's figures as the tools drew them
    mine.layout.template.layout.paper_bgcolor = "black"
    mine.layout.template.data.bar = []
    assert chart_template().to_plotly_json() == before
    portfolio = sample_portfolio
    later = kw.balance_chart(kw.balance(kw.classify(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)))
    assert later.layout.template.layout.paper_bgcolor != "black" and later.layout.template.data.bar

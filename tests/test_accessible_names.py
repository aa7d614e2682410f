"""Every control has a name a screen reader can read: its description, or the tooltip the page turns into aria-label."""

from __future__ import annotations

import pytest
from ipywidgets.widgets.widget_description import DescriptionWidget

import kamwidgets as kw
from kamwidgets.widgets._base import control_name

from .test_widget_traits import CASES


def _unnamed(widget) -> list[str]:
    return [
        key
        for key, control in widget.controls.items()
        if isinstance(control, DescriptionWidget) and not (control.description or control.tooltip)
    ]


@pytest.mark.parametrize("name", list(CASES))
def test_every_control_has_a_name(name):
    widget = CASES[name][0]()
    assert _unnamed(widget) == []


def test_rows_and_criteria_added_later_are_named_too(sample_portfolio):
    unit = kw.DecisionUnit()
    unit.controls["rowadd"].click()
    unit.controls["rowadd"].click()
    assert _unnamed(unit) == [] and unit.controls["row1.influence"].tooltip == "influence, row 2"
    bench = kw.ClassificationWidget(sample_portfolio, {"revenue": 1}, {"share_of_wallet": 1})
    bench.add_criterion("margin_pct", axis="attractiveness")
    assert _unnamed(bench) == [] and bench.controls["margin_pct"].tooltip == "weight of margin pct"


def test_a_key_read_as_words():
    assert control_name("product2.market_share") == "market share, product 3"
    assert control_name("row0.person") == "person, row 1"
    assert control_name("max_key_accounts") == "max key accounts"

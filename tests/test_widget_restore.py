"""Restoring saved settings that do not fit: all or nothing, with a KamDataError, never a raw exception."""

from __future__ import annotations

import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets.store import Store

from .conftest import load_sample

WIDGETS = {
    "ClassificationWidget": lambda: kw.ClassificationWidget(
        load_sample(), kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH
    ),
    "BuyerChart": lambda: kw.BuyerChart(kw.sample_path("account_buyers")),
    "DecisionUnit": lambda: kw.DecisionUnit(kw.sample_path("account_dmu")),
    "ContactMatrix": lambda: kw.ContactMatrix(kw.sample_path("account_contacts")),
    "StakeholderMap": lambda: kw.StakeholderMap(kw.sample_path("account_stakeholders")),
    "SpectrumWidget": lambda: kw.SpectrumWidget(our_intent=8, customer_intent=6),
    "SwotGrid": lambda: kw.SwotGrid([{"quadrant": "strength", "text": "Service", "importance": 4}]),
    "AccountPlan": lambda: kw.AccountPlan("Istmar S.A."),
    "MarketingPlan": lambda: kw.MarketingPlan("North", 2026),
    "CustomerAnalysis": lambda: kw.CustomerAnalysis("Istmar S.A."),
    "ValueProposition": lambda: kw.ValueProposition("Istmar S.A."),
    "Quiz": lambda: kw.Quiz("lesson_04"),
}
JUNK = [
    [],
    None,
    "settings",
    {"thresholds": "ab"},
    {"labels": 5},
    {"their": 5},
    {"min_influence": "a"},
    {"customer_intent": "x"},
    {"year": "abc"},
    {"region": None},
    {"answers": {"q1": "an answer that no longer exists"}},
    {"answers": ["x"]},
]


def _same(a, b) -> bool:
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        return isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame) and a.equals(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


@pytest.mark.parametrize("name", list(WIDGETS))
def test_settings_that_do_not_fit_leave_the_widget_as_it_was(name):
    widget = WIDGETS[name]()
    before = widget.settings
    for junk in JUNK:
        try:
            widget.apply_settings(junk)
        except kw.KamDataError:
            assert widget.error  # shown in the widget too
        assert _same(widget.settings, before), (name, junk)


def test_restoring_a_damaged_saved_version_from_the_store_is_a_clear_error(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.save("buyer_chart", {"value": None})  # no settings at all
    store.save("buyer_chart", {"settings": {"thresholds": ["high", "low"]}})
    widget = kw.BuyerChart(kw.sample_path("account_buyers"))
    before = widget.settings
    with pytest.raises(kw.KamDataError):
        widget.restore(store)
    first = int(store.history("buyer_chart")["id"].iloc[0])
    with pytest.raises(kw.KamDataError, match="mapping"):
        widget.restore(store, version=first)
    assert _same(widget.settings, before)

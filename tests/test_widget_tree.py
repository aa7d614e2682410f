"""No open widget ever holds a closed one: the page asks for every open widget's state, and one box
around a closed widget stops every widget of the page from being drawn (the wrap-up after lesson 14)."""

from __future__ import annotations

from ipywidgets.widgets.widget import _instances

import kamwidgets as kw


def _boxes_holding_closed_widgets() -> list[str]:
    found = []
    for widget in list(_instances.values()):
        dead = [type(c).__name__ for c in getattr(widget, "children", ()) if c.comm is None]
        if widget.comm is not None and dead:
            found.append(f"{type(widget).__name__} holds closed {dead}")
    return found


def test_removing_rows_and_criteria_closes_what_held_them(tmp_path, sample_portfolio):
    portfolio = sample_portfolio
    bench = kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    bench.remove_criterion("strategic_fit")
    bench.controls["remove_product_fit"].click()
    unit = kw.DecisionUnit(kw.sample_path("account_dmu"))
    unit.set_rows(unit.value.head(2))  # rows replaced, as a restore does
    unit.controls["rowremove0"].click()
    # a later lesson restores a workbench saved with fewer criteria: rows rebuilt
    store = kw.open_store(tmp_path / "w.sqlite", workbook="same/person")
    bench.save(store)
    kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH).keep(store)
    assert _boxes_holding_closed_widgets() == []

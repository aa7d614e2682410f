"""ClassificationWidget driven from Python, as a test or a notebook would."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets import Criterion, KamDataError, balance, classify
from kamwidgets.model.criteria import SCALES, scale_words

from .conftest import assert_matrix_shows, load_sample, matrix_traces


@pytest.fixture
def portfolio():
    return load_sample()


@pytest.fixture
def widget(portfolio):
    return kw.ClassificationWidget(
        portfolio,
        attractiveness={"revenue": 60, "growth_potential": 40},
        strength={"share_of_wallet": 50, "relationship": 50},
    )


def test_controls_are_named_as_documented(widget):
    for name in (
        "revenue",
        "growth_potential",
        "share_of_wallet",
        "relationship",
        "attractiveness_threshold",
        "strength_threshold",
        "add_column",
        "add_axis",
        "add_scale",
        "add_button",
        "max_key_accounts",
        "label_key",
        "hours_opportunistic",
        "remove_revenue",
        "stability_button",
    ):
        assert name in widget.controls, name


def test_initial_value_is_classify(widget, portfolio):
    expected = classify(portfolio, {"revenue": 60, "growth_potential": 40}, {"share_of_wallet": 50, "relationship": 50})
    pd.testing.assert_frame_equal(widget.value, expected)
    assert_matrix_shows(widget.figure.figure, expected)


def test_every_weight_slider_reclassifies(widget, portfolio):
    weights = {"revenue": 60, "growth_potential": 40, "share_of_wallet": 50, "relationship": 50}
    for name, new in (("revenue", 10), ("growth_potential", 90), ("share_of_wallet", 5), ("relationship", 70)):
        widget.controls[name].value = new
        weights[name] = new
        expected = classify(
            portfolio,
            {"revenue": weights["revenue"], "growth_potential": weights["growth_potential"]},
            {"share_of_wallet": weights["share_of_wallet"], "relationship": weights["relationship"]},
        )
        np.testing.assert_allclose(widget.value["attractiveness"], expected["attractiveness"])
        np.testing.assert_allclose(widget.value["strength"], expected["strength"])
        assert widget.value["segment"].tolist() == expected["segment"].tolist()
        assert_matrix_shows(widget.figure.figure, expected)  # every account where the new scores put it


def test_a_move_does_not_compare_the_old_and_new_classification_cell_by_cell(widget, monkeypatch):
    """traitlets compares a trait's old value with the new one: two classifications compared cell by cell
    took 0.1 s of every slider move at a million accounts, only to end in a frame with no single truth."""
    compared = []
    equal = pd.DataFrame.__eq__
    monkeypatch.setattr(pd.DataFrame, "__eq__", lambda self, other: compared.append(1) or equal(self, other))
    seen = []
    widget.observe(lambda change: seen.append(change["new"]), names="value")
    widget.controls["revenue"].value = 30
    assert compared == []
    assert len(seen) == 1 and seen[0] is widget.value  # still a change, told once


def test_a_bucket_tab_lists_its_most_attractive_accounts_first_equal_ones_in_order():
    rng = np.random.default_rng(2)
    n = 1_000
    portfolio = pd.DataFrame(
        {
            "account": [f"Acc{i:04d}" for i in range(n)],
            "revenue": rng.integers(1, 30, n).astype(float),  # many equal scores
            "share": rng.integers(1, 4, n).astype(float),
        }
    )
    w = kw.ClassificationWidget(portfolio, {"revenue": 1}, {"share": 1})
    for code, table in enumerate(w._bucket_tables):
        if code:
            w._bucket_tabs.selected_index = code  # a tab is written when it is opened
        members = w.value[w.value["segment"].cat.codes == code]
        expected = members.sort_values("attractiveness", ascending=False, kind="stable")["account"].head(100)
        listed = re.findall(r"<td>(Acc\d{4})</td>", table.value)
        assert listed == expected.tolist() and len(members) > 100


def test_threshold_sliders_move_buckets_and_lines(widget):
    figure = widget.figure
    widget.controls["attractiveness_threshold"].value = 7.5
    widget.controls["strength_threshold"].value = 2.5
    v = widget.value
    high_a, high_s = v["attractiveness"] >= 7.5, v["strength"] >= 2.5
    assert (v["segment"] == "Key account").tolist() == (high_a & high_s).tolist()
    assert (v["segment"] == "Opportunistic account").tolist() == (~high_a & ~high_s).tolist()
    assert widget.figure is figure  # updated in place
    shapes = {(s.x0, s.y0) for s in figure.layout.shapes}
    assert (2.5, 0) in shapes and (0, 7.5) in shapes


def test_balance_follows_the_controls(widget):
    widget.controls["attractiveness_threshold"].value = 0
    widget.controls["strength_threshold"].value = 0  # everybody is a key account
    assert widget.balance["too_many_key_accounts"].all()
    pd.testing.assert_frame_equal(widget.balance, balance(widget.value, max_key_accounts=5))
    widget.controls["max_key_accounts"].value = 20
    assert widget.balance["too_many_key_accounts"].all()  # 30 > 20
    widget.controls["hours_key"].value = 1
    assert widget.balance["hours_per_week"].iloc[0] == 30
    widget.views.selected_index = 1
    assert [t.name for t in widget._balance_fig.data][0] == "Key account"
    assert list(widget._balance_fig.data[0].x) == [30]
    assert "30 key accounts, more than 20" in widget._balance_html.value


def test_a_move_with_the_balance_tab_closed_leaves_the_balance_until_it_is_read(widget, monkeypatch):
    """A slider move does not pay for the balance nobody looks at; reading it (or opening its tab) makes it,
    once per classification and settings."""
    from kamwidgets.widgets import classify as workbench

    made = []
    monkeypatch.setattr(workbench, "balance", lambda *a, **k: made.append(1) or balance(*a, **k))
    widget.controls["revenue"].value = 30
    widget.controls["attractiveness_threshold"].value = 4
    assert made == []
    pd.testing.assert_frame_equal(widget.balance, balance(widget.value, max_key_accounts=5))
    assert widget.balance is widget.balance and len(made) == 1
    widget.max_key_accounts = 1  # other settings, same classification: made again
    assert widget.balance["too_many_key_accounts"].any() and len(made) == 2
    widget.views.selected_index = 1
    widget.controls["revenue"].value = 40  # the tab is open: the move shows the balance at once
    assert len(made) == 3 and widget._balance_html.value


def test_time_view_and_bucket_tables(widget):
    widget.views.selected_index = 2
    shares = np.asarray(widget._time_fig.data[0].y)
    assert shares.sum() == pytest.approx(1)
    widget.views.selected_index = 0
    widget._bucket_tabs.selected_index = 3
    opportunistic = widget.value[widget.value["segment"] == "Opportunistic account"]
    html = widget._bucket_tables[3].value
    for name in opportunistic["account"]:
        assert name in html


def test_labels_rename_everything_shown(widget):
    drawn = [list(t.hovertext) for t in matrix_traces(widget.figure)]
    widget.controls["label_key"].value = "Strategic partner"
    assert widget.value["segment"].cat.categories[0] == "Strategic partner"
    assert widget.figure.data[0].name == "Strategic partner"
    assert [list(t.hovertext) for t in matrix_traces(widget.figure)] == drawn  # a new name moves nobody
    assert_matrix_shows(widget.figure.figure, widget.value)
    widget.controls["label_key"].value = "Maintenance account"  # clashes with another bucket
    assert "same label" in widget.error
    assert widget.value["segment"].cat.categories[0] == "Strategic partner"  # last good result kept
    assert "same label" in widget.message.value


def test_all_weights_zero_gives_a_message_not_a_traceback(widget):
    widget.controls["share_of_wallet"].value = 0
    before = widget.value
    widget.controls["relationship"].value = 0
    assert "Relationship went back to" in widget.error and "Our relative strength needs" in widget.error
    assert widget.value is before
    widget.controls["relationship"].value = 10
    assert widget.error == "" and widget.message.value == ""


def test_the_last_weight_of_an_axis_goes_back_and_the_workbench_says_why_beside_it(widget):
    notes = widget._axis_notes
    widget.controls["share_of_wallet"].value = 0
    widget.controls["relationship"].value = 0  # the last strength weight above 0
    assert widget.controls["relationship"].value == 50 and widget.weights["relationship"] == 50  # it came back
    said = notes["strength"].value
    assert "Relationship went back to 50: Our relative strength needs at least one criterion with a weight above 0" in (
        said
    )
    assert "first raise the weight of another criterion of Our relative strength, then lower this one" in said
    assert 'role="alert"' in said  # read out by a screen reader as it appears
    assert notes["attractiveness"].value == "" and widget.message.value == ""  # under the sliders, not the matrix
    assert widget.error.startswith("Relationship went back to 50")
    widget.controls["share_of_wallet"].value = 20  # the next good move takes the message away
    assert notes["strength"].value == "" and widget.error == ""


def test_the_last_criterion_of_an_axis_cannot_go_to_0_or_away_and_the_note_says_what_to_do(widget):
    notes = widget._axis_notes
    widget.controls["growth_potential"].value = 0
    widget.remove_criterion("relationship")
    widget.controls["share_of_wallet"].value = 0  # alone on its axis: adding one is the way out
    assert widget.weights["share_of_wallet"] == 50
    assert "first add another criterion to Our relative strength (under Another criterion)" in notes["strength"].value
    widget.remove_criterion("share_of_wallet")
    assert "share_of_wallet" in widget.controls
    assert "Share of wallet stays: it is the last criterion of Our relative strength" in notes["strength"].value
    widget.remove_criterion("revenue")  # the other attractiveness criterion weighs 0
    assert "share_of_wallet" in widget.controls and "revenue" in widget.controls
    assert notes["strength"].value == ""  # one note at a time, under the axis it is about
    assert "Revenue stays: it is the only criterion of Customer attractiveness with a weight above 0" in (
        notes["attractiveness"].value
    )
    widget.controls["attractiveness_threshold"].value = 6  # any good change clears it
    assert notes["attractiveness"].value == "" and widget.error == ""


def test_add_and_remove_criteria(widget, portfolio):
    assert ("margin pct", "margin_pct") in widget.controls["add_column"].options  # words shown, the column kept
    widget.controls["add_column"].value = "margin_pct"
    widget.controls["add_axis"].value = "attractiveness"
    widget.controls["add_button"].click()
    assert "margin_pct" in widget.controls and "margin_pct" not in dict(widget.controls["add_column"].options).values()
    expected = classify(
        portfolio,
        {"revenue": 60, "growth_potential": 40, "margin_pct": 20},
        {"share_of_wallet": 50, "relationship": 50},
    )
    np.testing.assert_allclose(widget.value["attractiveness"], expected["attractiveness"])
    widget.controls["remove_growth_potential"].click()
    assert "growth_potential" not in widget.controls
    expected = classify(portfolio, {"revenue": 60, "margin_pct": 20}, {"share_of_wallet": 50, "relationship": 50})
    np.testing.assert_allclose(widget.value["attractiveness"], expected["attractiveness"])
    widget.remove_criterion("relationship")
    widget.remove_criterion("share_of_wallet")  # the last strength criterion stays
    assert "last criterion of Our relative strength" in widget.error and "share_of_wallet" in widget.controls
    widget.add_criterion("account_manager", axis="strength")
    assert "account_manager" in widget.error and "account_manager" not in widget.controls


def test_the_scale_control_offers_the_models_scales_in_its_words(widget):
    assert widget.controls["add_scale"].options == tuple((scale_words(s), s) for s in SCALES)
    widget.add_criterion("strategic_fit", scale="log")  # the model's check, said by the widget
    assert "unknown scale 'log'" in widget.error and "strategic_fit" not in widget.controls


def test_settings_round_trip(widget, portfolio):
    widget.controls["revenue"].value = 33
    widget.controls["strength_threshold"].value = 6.5
    widget.controls["label_opportunistic"].value = "Transactional"
    widget.controls["hours_key"].value = 6
    widget.add_criterion("strategic_fit", axis="attractiveness", weight=15, scale="value")
    saved = json.loads(json.dumps(widget.settings))  # plain data
    fresh = kw.ClassificationWidget(portfolio, attractiveness={"revenue": 1}, strength={"relationship": 1})
    fresh.apply_settings(saved)
    assert fresh.settings == saved
    pd.testing.assert_frame_equal(fresh.value, widget.value)
    pd.testing.assert_frame_equal(fresh.balance, widget.balance)


def test_stability_on_demand(widget):
    widget.views.selected_index = 3
    result = widget.check_stability(draws=100)
    assert len(result) == len(widget.value)
    assert len(widget._fragile_fig.data) == 1
    for name in result.loc[result["fragile"], "account"]:
        assert name in widget._fragile_html.value
    widget.controls["revenue"].value = 1
    assert widget.stability is None and "press the button again" in widget._fragile_html.value


def test_hostile_names_are_escaped_everywhere():
    evil = pd.DataFrame(
        {
            "account": ['<img src=x onerror="alert(1)">', "<script>alert(2)</script>", "Plain Ltd"],
            "account_manager": ["<b>boss</b>", "<script>alert(3)</script>", "Ann"],
            "revenue": [3.0, 2.0, 1.0],
            "share": [1.0, 2.0, 3.0],
        }
    )
    w = kw.ClassificationWidget(evil, {"revenue": 1}, {"share": 1}, max_key_accounts=0)
    w.controls["label_key"].value = "<i onmouseover=alert(4)>VIP</i>"
    for tab in range(3):
        w.views.selected_index = tab
        for inner in range(4):
            w._bucket_tabs.selected_index = inner
    w.check_stability(draws=20)
    html_parts = [w._balance_html.value, w._time_html.value, w._fragile_html.value, w.message.value]
    html_parts += [t.value for t in w._bucket_tables]
    blob = "".join(html_parts) + w.figure.to_json() + w._balance_fig.to_json() + w._fragile_fig.to_json()
    for raw in ("<img", "<script", "<b>boss", "<i onmouseover"):
        assert raw not in blob
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in "".join(t.value for t in w._bucket_tables)


def test_loads_a_path_and_criterion_objects():
    w = kw.ClassificationWidget(
        kw.sample_path("portfolio"),
        attractiveness=[Criterion("strategic_fit", 1, scale="value", bounds=(1, 10))],
        strength=[Criterion("price_competitiveness", 1, scale="value", bounds=(1, 10))],
    )
    assert len(w.value) == 30 and w.settings["attractiveness"][0]["scale"] == "value"
    with pytest.raises(KamDataError):
        kw.ClassificationWidget(kw.sample_path("portfolio"), attractiveness={}, strength={"revenue": 1})


def test_a_file_with_too_few_figures_gets_a_message_in_place_of_the_matrix_not_an_error(tmp_path):
    one_figure = pd.DataFrame({"account": ["A", "B", "C"], "revenue": [10.0, 20.0, 30.0]})
    bench = kw.ClassificationWidget(one_figure, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    assert bench.value is None and not bench.usable
    assert "1 number column" in bench.error and "cannot be drawn" in bench.children[0].value
    store = kw.open_store(tmp_path / "w.db", workbook="ann")
    assert bench.keep(store, delay=0) is bench and bench.settings == {}
    rules = kw.RuleClassifier(one_figure, [{"bucket": "key", "column": "revenue", "operator": ">=", "value": 20}])
    _, data = kw.Downloads(classified=bench, rules=rules, name="x").buttons["excel"].file()
    sheets = pd.ExcelFile(io.BytesIO(data), engine="calamine").sheet_names
    assert sheets == ["Course classification", "Balance (course)"]


def test_workbench_refuses_instead_of_clamping(sample_portfolio):
    p = sample_portfolio
    w = kw.ClassificationWidget(p, {"revenue": 300, "growth_potential": 100}, {"share_of_wallet": 1})
    expected = kw.classify(p, {"revenue": 300, "growth_potential": 100}, {"share_of_wallet": 1})
    np.testing.assert_allclose(w.value["attractiveness"], expected["attractiveness"])
    with pytest.raises(KamDataError, match="from 0 to 10"):
        w.apply_settings({"thresholds": [50, 5]})
    assert "from 0 to 10" in w.error and w.thresholds == (5.0, 5.0)
    with pytest.raises(KamDataError, match="'vip' is not a bucket"):
        w.apply_settings({"hours": {"vip": 3}})
    assert "'vip' is not a bucket" in w.error
    with pytest.raises(KamDataError, match="no column 'sales'"):
        kw.ClassificationWidget(p, {"revenue": 1}, {"share_of_wallet": 1}, size="sales")
    wholesale = kw.load_portfolio(kw.sample_path("wholesale"), make_ids=True)
    assert kw.portfolio_matrix(kw.classify(wholesale, {"Milk": 1}, {"Grocery": 1}))  # no revenue: equal bubbles


def test_the_shares_of_an_axis_add_up_to_100_and_a_typed_split_reads_as_it_is_used(sample_portfolio):
    bench = kw.ClassificationWidget(
        sample_portfolio, {"revenue": 30, "growth_potential": 20, "margin_pct": 20}, {"share_of_wallet": 1}
    )
    rows = bench._axis_boxes["attractiveness"].children
    shown = [int(row._kam_share.value.rstrip("%")) for row in rows]
    assert shown == [43, 29, 28] and sum(shown) == 100  # 42.9, 28.6, 28.6: not 43, 29, 29
    bench.controls["attractiveness_threshold"].value = 6.25
    assert bench.thresholds[0] == 6.25
    assert f"{6.25:{bench.controls['attractiveness_threshold'].readout_format}}" == "6.25"  # not 6.3

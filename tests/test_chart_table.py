"""Every chart has a table of the same numbers: chart_table and the chart's "Show the numbers" view."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets.charts import chart_table, contact_heatmap, portfolio_matrix, review_chart, stakeholder_map
from kamwidgets.model import classify, compare, transitions


@pytest.fixture
def classified(small):
    return classify(small, {"revenue": 1}, {"share": 1}, thresholds=(4, 6))


def test_the_matrix_table_has_each_account_its_scores_and_its_bucket(classified):
    table = chart_table(portfolio_matrix(classified, label_points=True))
    assert len(table) == len(classified)  # the legend keys and split lines are not rows
    assert list(table.columns[:3]) == ["bucket", "account", "account manager"]  # what each row is, in words
    by_account = table.set_index("account")
    expected = classified.set_index("account")
    np.testing.assert_allclose(by_account.loc[expected.index, "Our relative strength"], expected["strength"], rtol=1e-6)
    np.testing.assert_allclose(
        by_account.loc[expected.index, "Customer attractiveness"], expected["attractiveness"], rtol=1e-6
    )
    assert list(by_account.loc[expected.index, "bucket"]) == [str(s) for s in expected["segment"]]


def test_a_heat_map_gives_a_row_per_cell_and_a_flow_chart_a_row_per_flow(classified, small):
    wide = pd.DataFrame(
        {"Purchasing": ["weekly", ""], "Technical": ["", "yearly"]}, index=pd.Index(["Sales", "Service"], name="our")
    )
    heat = chart_table(contact_heatmap(wide))
    assert len(heat) == 4
    cells = {(r[0], r[1]): r[2] for r in heat.itertuples(index=False)}
    assert cells[("Sales", "Purchasing")] == "weekly" and cells[("Service", "Technical")] == "yearly"
    assert cells[("Sales", "Technical")] == ""

    later = classify(small, {"growth": 1}, {"share": 1}, thresholds=(4, 6))
    moves = transitions(compare(classified, later))
    flows = chart_table(review_chart(moves))
    assert list(flows.columns) == ["from", "to", "how many"]
    assert flows["how many"].sum() == len(small)  # every account flows once from last year to this year


def test_tick_labels_and_markup_become_words_and_user_text_stays_text():
    people = pd.DataFrame(
        {
            "person": ["<b>Ann</b> & Co", "Bob"],
            "function": ["Purchasing", "<script>x</script>"],
            "stance": ["supporter", "opponent"],
            "influence": [8, 3],
        }
    )
    table = chart_table(stakeholder_map(people))
    assert list(table["person"]) == ["<b>Ann</b> & Co", "Bob"]  # as the user wrote it, not as HTML
    assert list(table["stance"]) == ["supporter", "opponent"]  # the axis' words, not positions
    assert list(table["influence"]) == [8, 3]
    assert list(table["details"]) == ["Purchasing", "<script>x</script>"]


def _sample_charts():
    """Every kind of chart the workbook draws, from the tools that draw them (the sample files)."""
    bench = kw.ClassificationWidget(kw.load_portfolio(kw.sample_path()))
    for tab in range(3):
        bench.views.selected_index = tab  # the balance and time charts are drawn when their tab opens
    bench.check_stability(draws=20)
    plan = [{"kind": "offensive", "strategy": "Offer", "owner": "Maria", "start": "2026-01-01", "end": "2026-03-01"}]
    return {
        "matrix": bench.figure,
        "balance": bench._balance_fig,
        "time": bench._time_fig,
        "stability": bench._fragile_fig,
        "buyers": kw.BuyerChart(kw.sample_path("account_buyers")).figure,
        "decision unit": kw.DecisionUnit(kw.sample_path("account_dmu")).figure,
        "stakeholders": kw.StakeholderMap(kw.sample_path("account_stakeholders")).figure,
        "team": kw.SpectrumWidget(contacts=kw.sample_path("account_contacts")).figure,
        "contacts": kw.ContactMatrix(kw.sample_path("account_contacts")).figure,
        "strategies": kw.SwotGrid(strategies=plan).figure,
    }


#: The header of the column that names each row, per chart (the heat map's rows are named by its two sides).
ROWS_ARE = {
    "matrix": "account",
    "balance": "salesperson",
    "time": "bucket",
    "stability": "account",
    "buyers": "buyer",
    "decision unit": "person",
    "stakeholders": "person",
    "team": "contact (who keeps it: how often)",
    "contacts": "our side",
    "strategies": "strategy",
}


def test_every_chart_heads_the_column_of_its_rows_with_what_they_are_never_label():
    for kind, chart in _sample_charts().items():
        table = chart.table()
        assert len(table), kind
        assert "label" not in table.columns and "name" not in table.columns, (kind, list(table.columns))
        assert ROWS_ARE[kind] in table.columns, (kind, list(table.columns))
        chart._table_open = True  # what the page shows under the chart
        assert f"<th>{ROWS_ARE[kind]}</th>" in chart._table and "<th>label</th>" not in chart._table, kind


#: The header of the column that names each row's trace (a colour of the chart), per chart that has several, and
#: the words it holds: what the traces are, never the plotting word "series".
TRACES_ARE = {
    "balance": ("bucket", {"Key account", "Key development account", "Maintenance account", "Opportunistic account"}),
    "time": ("measure", {"share of weekly hours", "share of value"}),
    "decision unit": ("measure", {"influence (decider)", "influence (buyer)", "our reach"}),
    "team": ("side", {"our team", "the customer"}),
    "matrix": ("bucket", {"Key account", "Maintenance account"}),
}


def test_the_column_of_each_rows_colour_is_headed_by_what_the_colours_are_never_series():
    charts = _sample_charts()
    for kind, chart in charts.items():
        table = chart.table()
        assert "series" not in table.columns, (kind, list(table.columns))
        chart._table_open = True  # what the page shows under the chart
        assert "<th>series</th>" not in chart._table, kind
    for kind, (word, some) in TRACES_ARE.items():
        table = charts[kind].table()
        assert table.columns[0] == word, (kind, list(table.columns))  # first, as "series" was
        assert some <= set(table[word]), (kind, set(table[word]))  # the trace names, under their word
    # a figure of several traces that says nothing of them keeps the neutral word; one that does is headed by it
    traces = {
        "data": [
            {"type": "bar", "x": ["a"], "y": [1], "name": "n1"},
            {"type": "bar", "x": ["a"], "y": [2], "name": "n2"},
        ]
    }
    assert chart_table(traces).columns[0] == "series"
    assert chart_table(dict(traces, layout={"meta": {"series": "year"}})).columns[0] == "year"


def test_a_figure_that_does_not_say_what_its_points_are_heads_them_name_and_headers_are_escaped():
    plain = {"data": [{"type": "scatter", "x": [1], "y": [2], "hovertext": ["A"]}], "layout": {}}
    assert list(chart_table(plain).columns) == ["name", "x", "y"]
    own = dict(plain, layout={"meta": {"points": "<i>site</i>"}})
    assert list(chart_table(own).columns) == ["<i>site</i>", "x", "y"]
    chart = kw.Chart(own)
    chart._table_open = True
    assert "<th>&lt;i&gt;site&lt;/i&gt;</th>" in chart._table and "<i>site</i>" not in chart._table


def test_an_empty_chart_gives_an_empty_table():
    assert chart_table({"data": [], "layout": {}}).empty
    assert kw.Chart().table().empty


def test_the_chart_shows_its_table_on_request_and_keeps_it_current(classified):
    chart = kw.Chart(portfolio_matrix(classified.assign(account=["<i>A</i>", "B", "C", "D", "E", "F"])))
    assert chart._table == ""  # nothing is computed until someone asks
    chart._table_open = True  # what the page's "Show the numbers as a table" button sets
    assert chart._table.count("<tr>") == len(classified) + 1  # a header and one row per account
    assert "&lt;i&gt;A&lt;/i&gt;" in chart._table and "<i>A</i>" not in chart._table
    assert all(f"<td>{v:g}</td>" in chart._table for v in classified["strength"])  # whole scores, no decimals
    with chart.batch_update():
        for trace in chart.figure.data[4:]:  # every bucket's accounts
            trace.x = [2.45] * len(trace.x)
    assert chart._table.count("<td>2.5</td>") == len(classified)  # follows the chart while open, one decimal
    chart._table_open = False
    assert chart._table == ""
    chart.show({"data": [], "layout": {}})
    chart._table_open = True
    assert "nothing to show yet" in chart._table


def test_shares_drawn_as_percentages_read_as_percentages_under_the_word_the_chart_gives():
    effort = pd.DataFrame({"hours_share": [0.3, 0.7], "value_share": [0.625, 0.375]}, index=["key", "maintain"])
    table = chart_table(kw.charts.effort_chart(effort))
    assert list(table.columns) == ["measure", "bucket", "share"]
    hours = table[table["measure"] == "share of weekly hours"]
    assert list(hours["share"]) == ["30%", "70%"]  # as the axis's ticks show them, not 0.3
    value = table[table["measure"] == "share of value"]
    assert list(value["share"]) == ["63%", "38%"]  # as the hover text says (plotly rounds halves up)
    numbers = {"data": [{"type": "bar", "x": ["a"], "y": [0.25]}], "layout": {"yaxis": {"tickformat": ",.0f"}}}
    assert list(chart_table(numbers)["y"]) == [0.25]  # only a percentage format turns numbers into text


def test_a_share_that_is_not_a_number_is_left_blank_and_the_word_names_only_the_values():
    shares = {"data": [{"type": "bar", "x": ["a", "b", "c"], "y": [0.25, np.nan, np.inf]}]}
    table = chart_table(dict(shares, layout={"yaxis": {"tickformat": ".0%"}}))  # no "NaN%", no error
    assert "NaN%" not in table.to_string() and table.loc[table["name"] == "a", "y"].tolist() == ["25%"]
    scatter = {
        "data": [{"type": "scatter", "x": [1], "y": [2], "hovertext": ["A"]}],
        "layout": {"meta": {"values": "share"}},
    }
    assert list(chart_table(scatter).columns) == ["name", "x", "share"]  # the word is the values' axis, not both
    lying = {"data": [{"type": "bar", "orientation": "h", "y": ["a"], "x": [0.2]}]}
    table = chart_table(dict(lying, layout={"meta": {"values": "share"}, "xaxis": {"tickformat": ".0%"}}))
    assert table["share"].tolist() == ["20%"]

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
    by_account = table.assign(account=table["label"].str.split(" · ").str[0]).set_index("account")
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
    assert list(table["label"]) == ["<b>Ann</b> & Co", "Bob"]  # as the user wrote it, not as HTML
    assert list(table["stance"]) == ["supporter", "opponent"]  # the axis' words, not positions
    assert list(table["influence"]) == [8, 3]
    assert list(table["details"]) == ["Purchasing", "<script>x</script>"]


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

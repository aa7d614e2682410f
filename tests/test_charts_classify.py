"""The portfolio matrix: what it draws, and that user text stays text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from kamwidgets import KamDataError, classify
from kamwidgets.charts import SEGMENT_COLOURS, portfolio_matrix, update_portfolio_matrix


@pytest.fixture
def classified(small):
    return classify(small, {"revenue": 1}, {"share": 1}, thresholds=(4, 6))


def test_legend_per_bucket_and_every_account_placed(classified):
    fig = portfolio_matrix(classified)
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data[:4]] == list(classified["segment"].cat.categories)
    assert [t.marker.color for t in fig.data[:4]] == list(SEGMENT_COLOURS)
    accounts = fig.data[4]
    assert accounts.type == "scatter" and not accounts.showlegend
    np.testing.assert_allclose(accounts.x, classified["strength"], rtol=1e-6)
    np.testing.assert_allclose(accounts.y, classified["attractiveness"], rtol=1e-6)
    np.testing.assert_array_equal(accounts.marker.color, classified["segment"].cat.codes)
    assert list(accounts.text) == classified["account"].tolist()
    # the colour scale maps bucket number k exactly to the k-th legend colour
    scale = dict((round(v * 3), c) for v, c in accounts.marker.colorscale)
    assert [scale[k] for k in range(4)] == list(SEGMENT_COLOURS)
    assert (accounts.marker.cmin, accounts.marker.cmax) == (0, 3)


def test_update_in_place_follows_a_new_classification(small):
    first = classify(small, {"revenue": 1}, {"share": 1})
    fig = portfolio_matrix(first)
    again = classify(small, {"growth": 1}, {"share": 1}, thresholds=(3, 7), labels={"key": "Strategic"})
    accounts = fig.data[4]
    update_portfolio_matrix(fig, again, thresholds=(3, 7))
    assert fig.data[4] is accounts
    np.testing.assert_allclose(accounts.y, again["attractiveness"], rtol=1e-6)
    np.testing.assert_array_equal(accounts.marker.color, again["segment"].cat.codes)
    assert fig.data[0].name == "Strategic"
    assert [s.x0 for s in fig.layout.shapes if s.x0 == s.x1] == [7]
    assert [s.y0 for s in fig.layout.shapes if s.y0 == s.y1] == [3]


def test_threshold_lines_are_drawn_where_they_are_given(classified):
    assert [s.x0 for s in portfolio_matrix(classified).layout.shapes if s.x0 == s.x1] == [5]  # the default
    fig = portfolio_matrix(classified, thresholds=(4, 6))
    vertical = [s for s in fig.layout.shapes if s.x0 == s.x1]
    horizontal = [s for s in fig.layout.shapes if s.y0 == s.y1]
    assert [s.x0 for s in vertical] == [6] and [s.y0 for s in horizontal] == [4]
    corners = {a.text for a in fig.layout.annotations}
    assert corners == set(classified["segment"].cat.categories)


def test_bubble_area_follows_the_size_column(classified):
    fig = portfolio_matrix(classified, size="revenue")
    sizes = np.asarray(fig.data[4].marker.size)
    revenue = classified["revenue"].to_numpy()
    assert (np.argsort(sizes) == np.argsort(revenue)).all()
    np.testing.assert_allclose(((sizes - 6) / 34) ** 2, revenue / revenue.max(), atol=0.05)  # area ~ value, whole px
    equal = portfolio_matrix(classified, size=None)
    assert set(np.asarray(equal.data[4].marker.size).tolist()) == {10.0}
    with pytest.raises(KamDataError, match="bubble size"):
        portfolio_matrix(classified, size="nope")


def test_user_text_is_escaped():
    p = pd.DataFrame(
        {
            "account": ['<img src=x onerror="alert(1)">', "<b>Bold</b> & Co"],
            "account_manager": ["<script>x()</script>", "Ann"],
            "v": [1, 2],
            "s": [2, 1],
        }
    )
    out = classify(p, {"v": 1}, {"s": 1}, labels={"key": "<i>VIP</i>"})
    fig = portfolio_matrix(out, size=None, title="<svg onload=alert(2)>")
    payload = fig.to_json()
    for raw in ("<img", "<script", "<b>Bold", "<i>VIP", "<svg"):
        assert raw not in payload
    assert '&lt;img src=x onerror="alert(1)"&gt;' in fig.data[4].text
    assert any("&lt;script&gt;" in h for h in fig.data[4].hovertext)
    assert fig.data[0].name == "&lt;i&gt;VIP&lt;/i&gt;"


def test_large_portfolios_use_webgl_without_labels():
    n = 5000
    rng = np.random.default_rng(0)
    p = pd.DataFrame({"account": [f"acc {i}" for i in range(n)], "v": rng.random(n), "s": rng.random(n)})
    fig = portfolio_matrix(classify(p, {"v": 1}, {"s": 1}), size=None)
    assert fig.data[4].type == "scattergl" and fig.data[4].text is None
    assert len(fig.data[4].x) == n
    assert fig.data[4].hovertext[0] == "acc 0"  # name only, to keep the figure small


def test_unscored_accounts_are_counted_in_the_title(small):
    p = small.copy()
    p.loc[0, "share"] = np.nan
    fig = portfolio_matrix(classify(p, {"revenue": 1}, {"share": 1}))
    assert "1 without a score" in fig.layout.title.text
    assert fig.data[4].marker.color[0] == -1 and np.isnan(fig.data[4].x[0])


def test_balance_chart_stacks_buckets_and_marks_the_maximum(small):
    from kamwidgets import balance
    from kamwidgets.charts import balance_chart

    out = classify(small, {"revenue": 1}, {"share": 1})
    b = balance(out, max_key_accounts=0)
    fig = balance_chart(b, max_key_accounts=0)
    assert [t.name for t in fig.data] == list(out["segment"].cat.categories)
    for label, trace in zip(out["segment"].cat.categories, fig.data):
        assert list(trace.x) == b[label].tolist()
    flagged = b["too_many_key_accounts"] | b["unbalanced_mix"]
    assert [y.startswith("\u26a0") for y in fig.data[0].y] == flagged.tolist()
    assert [s.x0 for s in fig.layout.shapes] == [0]


def test_effort_chart_shares(small):
    from kamwidgets.charts import effort_chart
    from kamwidgets.model import effort

    out = classify(small, {"revenue": 1}, {"share": 1})
    e = effort(out)
    assert e["hours_share"].sum() == pytest.approx(1) and e["value_share"].sum() == pytest.approx(1)
    counts = out["segment"].value_counts().reindex(e.index).to_numpy()
    np.testing.assert_allclose(e["hours_per_week"], counts * np.array([4, 3, 2, 1]))
    np.testing.assert_allclose(e["value"], out.groupby("segment", observed=False)["revenue"].sum().to_numpy())
    fig = effort_chart(e)
    np.testing.assert_allclose(fig.data[0].y, e["hours_share"])
    np.testing.assert_allclose(fig.data[1].y, e["value_share"])


def test_review_chart_links_match_the_transitions(small):
    from kamwidgets import compare
    from kamwidgets.charts import review_chart
    from kamwidgets.model import transitions

    last = classify(small, {"revenue": 1}, {"share": 1})
    now = classify(small.iloc[1:], {"growth": 1}, {"share": 1})
    table = transitions(compare(last, now))
    assert table.to_numpy().sum() == len(small)
    assert table.loc["Key account"].sum() == (last["segment"] == "Key account").sum()
    fig = review_chart(table)
    sankey = fig.data[0]
    assert sum(sankey.link.value) == len(small)
    nodes = sankey.node.label
    pairs = {(nodes[s], nodes[t]): v for s, t, v in zip(sankey.link.source, sankey.link.target, sankey.link.value)}
    a_was = last.loc[last["account"] == "A", "segment"].iloc[0]
    assert pairs[(f"{a_was} (last year)", "Gone")] == 1  # A left


def test_labels_are_placed_apart_or_left_to_the_hover():
    from kamwidgets.charts._common import place_labels

    # three points on top of each other and one alone: never two labels in the same place
    texts, places = place_labels(
        [5, 5.02, 5.04, 9],
        [5, 5, 5, 1],
        ["Halflow SpA", "Zenchem Oy", "Junvia S.A.", "Alone"],
        x_range=(0, 10),
        y_range=(0, 10),
    )
    assert texts[3] == "Alone"
    shown = [(t, p) for t, p in zip(texts, places) if t]
    assert len(set(p for t, p in shown if t != "Alone")) == len([t for t, _ in shown if t != "Alone"])
    assert all(texts[:3])  # three places are free around the spot: each crowded name still gets one
    crowd = place_labels([5] * 10, [5] * 10, [f"Account {i}" for i in range(10)], x_range=(0, 10), y_range=(0, 10))
    assert 1 <= sum(bool(t) for t in crowd[0]) <= 4  # four places around one spot at most


def test_the_sample_matrix_labels_do_not_overlap(sample_classified):

    classified = sample_classified
    fig = portfolio_matrix(classified, size="revenue")
    accounts = fig.data[4]
    before = (list(accounts.text), list(accounts.textposition))
    sx, sy = 600 / 11.2, 430 / 11.2
    boxes = []
    for x, y, d, text, place in zip(accounts.x, accounts.y, accounts.marker.size, accounts.text, accounts.textposition):
        if not text:
            continue
        w, h, a, b, m = 6 * len(text), 12.5, (x + 0.6) * sx, (y + 0.6) * sy, d / 2 + 1  # beside the bubble
        boxes.append(
            {
                "top center": (a - w / 2, b + m, a + w / 2, b + m + h),
                "bottom center": (a - w / 2, b - m - h, a + w / 2, b - m),
                "middle right": (a + m, b - h / 2, a + m + w, b + h / 2),
                "middle left": (a - m - w, b - h / 2, a - m, b + h / 2),
                "top right": (a + m, b + m, a + m + w, b + m + h),
                "top left": (a - m - w, b + m, a - m, b + m + h),
                "bottom right": (a + m, b - m - h, a + m + w, b - m),
                "bottom left": (a - m - w, b - m - h, a - m, b - m),
            }[place]
        )
    # of the twelve biggest accounts, those with a free place keep their name on the chart (the rest on hover)
    assert 8 <= len(boxes) <= 12
    for i, p in enumerate(boxes):
        for q in boxes[i + 1 :]:
            assert p[2] <= q[0] or q[2] <= p[0] or p[3] <= q[1] or q[3] <= p[1], (p, q)
    moved = classified.assign(attractiveness=10 - classified["attractiveness"])
    update_portfolio_matrix(fig, moved)  # the accounts move: their labels are placed again
    assert (list(fig.data[4].text), list(fig.data[4].textposition)) != before


def test_a_very_large_portfolio_is_drawn_as_a_density_that_adds_up():
    import kamwidgets as kw
    from kamwidgets.charts.classify import AGGREGATE_FROM

    rng = np.random.default_rng(3)
    n = AGGREGATE_FROM + 10_000
    big = pd.DataFrame(
        {"account": [f"A{i}" for i in range(n)], "a": rng.uniform(0, 100, n), "s": rng.uniform(0, 100, n)}
    )
    classified = kw.classify(big, {"a": 1}, {"s": 1})
    fig = portfolio_matrix(classified, size=None)
    cells = fig.data[4]
    assert sum(cells.customdata) == n and len(cells.x) < 10_201  # every account counted, in at most 101 x 101 cells
    # a cell away from the splits has the bucket of its accounts
    inside = (np.asarray(cells.x) > 5.2) & (np.asarray(cells.y) > 5.2)
    assert set(np.asarray(cells.marker.color)[inside]) == {0}  # key accounts: strong and attractive
    assert "a mark per 0.1" in fig.layout.title.text
    stricter = kw.classify(big, {"a": 1}, {"s": 1}, thresholds=(8, 8))
    update_portfolio_matrix(fig, stricter, thresholds=(8, 8))
    moved = (np.asarray(fig.data[4].x) > 5.2) & (np.asarray(fig.data[4].x) < 7.8) & (np.asarray(fig.data[4].y) > 8.2)
    assert set(np.asarray(fig.data[4].marker.color)[moved]) == {1}  # now key development accounts
    assert sum(fig.data[4].customdata) == n

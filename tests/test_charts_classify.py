"""The portfolio matrix: what it draws, and that user text stays text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from kamwidgets import KamDataError, classify
from kamwidgets.charts import SEGMENT_COLOURS, portfolio_matrix, update_portfolio_matrix
from kamwidgets.charts._common import SEGMENT_SYMBOLS
from kamwidgets.charts.classify import bubble_range

from .conftest import assert_matrix_shows, hover_name, matrix_traces


@pytest.fixture
def classified(small):
    return classify(small, {"revenue": 1}, {"share": 1}, thresholds=(4, 6))


def test_legend_per_bucket_and_every_account_placed(classified):
    fig = portfolio_matrix(classified)
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data[:4]] == list(classified["segment"].cat.categories)
    assert [t.marker.color for t in fig.data[:4]] == list(SEGMENT_COLOURS)
    assert [t.marker.symbol for t in fig.data[:4]] == list(SEGMENT_SYMBOLS)  # a shape per bucket, not colour alone
    assert len(fig.data) == 8 and all(t.type == "scatter" for t in matrix_traces(fig))
    assert_matrix_shows(fig, classified)  # each bucket's accounts in its own colour and shape
    codes = classified["segment"].cat.codes.to_numpy()
    for code, trace in enumerate(matrix_traces(fig)):
        assert list(trace.text) == classified["account"][codes == code].tolist()
    assert sum(len(t.x) for t in matrix_traces(fig)) == len(classified)


def test_update_in_place_follows_a_new_classification(small):
    first = classify(small, {"revenue": 1}, {"share": 1})
    fig = portfolio_matrix(first)
    again = classify(small, {"growth": 1}, {"share": 1}, thresholds=(3, 7), labels={"key": "Strategic"})
    traces = matrix_traces(fig)
    update_portfolio_matrix(fig, again, thresholds=(3, 7))
    assert all(a is b for a, b in zip(matrix_traces(fig), traces))
    assert_matrix_shows(fig, again)
    assert fig.data[0].name == "Strategic" and traces[0].name == "Strategic"
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
    # the scores 0-10 always fit: plotly.js is not asked to measure each tick label on every redraw
    assert fig.layout.xaxis.ticklabeloverflow == fig.layout.yaxis.ticklabeloverflow == "allow"


def test_bubble_area_follows_the_size_column(classified):
    fig = portfolio_matrix(classified, size="revenue")
    codes = classified["segment"].cat.codes.to_numpy()
    sizes = np.concatenate([np.asarray(t.marker.size) for t in matrix_traces(fig)])
    revenue = np.concatenate([classified["revenue"].to_numpy()[codes == code] for code in range(4)])
    assert (np.argsort(sizes) == np.argsort(revenue)).all()
    np.testing.assert_allclose(((sizes - 6) / 34) ** 2, revenue / revenue.max(), atol=0.05)  # area ~ value, whole px
    many = pd.concat([classified] * (2_000 // len(classified) + 1), ignore_index=True).assign(
        account=lambda f: [f"A{i}" for i in range(len(f))]
    )
    big = np.concatenate([np.asarray(t.marker.size) for t in matrix_traces(portfolio_matrix(many, size="revenue"))])
    low, high = bubble_range(len(many))
    assert len(many) > 1_000 and big.min() >= low and big.max() == round(high) < 20  # thousands: no 40 px bubbles
    equal = portfolio_matrix(classified, size=None)
    assert set(np.concatenate([np.asarray(t.marker.size) for t in matrix_traces(equal)]).tolist()) == {10.0}
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
    assert '&lt;img src=x onerror="alert(1)"&gt;' in [t for trace in matrix_traces(fig) for t in trace.text]
    assert any("&lt;script&gt;" in h for trace in matrix_traces(fig) for h in trace.hovertext)
    assert fig.data[0].name == "&lt;i&gt;VIP&lt;/i&gt;"


def test_large_portfolios_use_webgl_without_labels():
    n = 5000
    rng = np.random.default_rng(0)
    p = pd.DataFrame({"account": [f"acc {i}" for i in range(n)], "v": rng.random(n), "s": rng.random(n)})
    classified = classify(p, {"v": 1}, {"s": 1})
    fig = portfolio_matrix(classified, size=None)
    assert all(t.type == "scattergl" and t.text is None for t in matrix_traces(fig))
    assert sum(len(t.x) for t in matrix_traces(fig)) == n
    first = matrix_traces(fig)[classified["segment"].cat.codes[0]]
    assert first.hovertext[0] == "acc 0"  # name only, to keep the figure small
    assert_matrix_shows(fig, classified)


def test_unscored_accounts_are_counted_in_the_title(small):
    p = small.copy()
    p.loc[0, "share"] = np.nan
    classified = classify(p, {"revenue": 1}, {"share": 1})
    fig = portfolio_matrix(classified)
    assert "1 without a score" in fig.layout.title.text
    assert classified["segment"].cat.codes[0] == -1
    drawn = [hover_name(h) for t in matrix_traces(fig) for h in t.hovertext]
    assert "A" not in drawn and len(drawn) == len(p) - 1  # in no bucket's trace: not drawn
    assert_matrix_shows(fig, classified)


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

    def points(fig):  # x, y, diameter, name and its place of every account, bucket by bucket
        for t in matrix_traces(fig):
            yield from zip(t.x, t.y, t.marker.size, t.text, t.textposition)

    before = sorted((str(text), place) for *_, text, place in points(fig))
    sx, sy = 600 / 11.2, 430 / 11.2
    boxes = []
    for x, y, d, text, place in points(fig):
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
    assert sorted((str(text), place) for *_, text, place in points(fig)) != before


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

    def cells(fig):  # every cell: x, y, how many accounts, the bucket of the trace that holds it
        return [
            (x, y, count, code)
            for code, t in enumerate(matrix_traces(fig))
            for x, y, count in zip(t.x, t.y, t.customdata)
        ]

    drawn = cells(fig)
    assert sum(c[2] for c in drawn) == n and len(drawn) < 10_201  # every account counted, in at most 101 x 101 cells
    assert len({(x, y) for x, y, *_ in drawn}) == len(drawn)  # each cell once, in one bucket's trace
    # a cell away from the splits has the bucket of its accounts
    assert {code for x, y, _, code in drawn if x > 5.2 and y > 5.2} == {0}  # key accounts: strong and attractive
    assert "a mark per 0.1" in fig.layout.title.text
    stricter = kw.classify(big, {"a": 1}, {"s": 1}, thresholds=(8, 8))
    update_portfolio_matrix(fig, stricter, thresholds=(8, 8))
    drawn = cells(fig)
    assert {code for x, y, _, code in drawn if 5.2 < x < 7.8 and y > 8.2} == {1}  # now key development accounts
    assert sum(c[2] for c in drawn) == n

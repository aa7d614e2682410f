"""The portfolio matrix: what it draws, and that user text stays text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from kamwidgets import KamDataError, classify
from kamwidgets.charts import SEGMENT_COLOURS, portfolio_matrix


@pytest.fixture
def classified(small):
    return classify(small, {"revenue": 1}, {"share": 1}, thresholds=(4, 6))


def test_one_trace_per_bucket_with_the_right_points(classified):
    fig = portfolio_matrix(classified)
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == list(classified["segment"].cat.categories)
    for code, trace in enumerate(fig.data):
        members = classified[classified["segment"].cat.codes == code]
        np.testing.assert_allclose(trace.x, members["strength"], rtol=1e-6)
        np.testing.assert_allclose(trace.y, members["attractiveness"], rtol=1e-6)
        assert list(trace.text) == members["account"].tolist()
        assert trace.marker.color == SEGMENT_COLOURS[code]
        assert trace.type == "scatter"


def test_threshold_lines_follow_the_classification(classified):
    fig = portfolio_matrix(classified)
    vertical = [s for s in fig.layout.shapes if s.x0 == s.x1]
    horizontal = [s for s in fig.layout.shapes if s.y0 == s.y1]
    assert [s.x0 for s in vertical] == [6] and [s.y0 for s in horizontal] == [4]
    corners = {a.text for a in fig.layout.annotations}
    assert corners == set(classified["segment"].cat.categories)


def test_bubble_area_follows_the_size_column(classified):
    fig = portfolio_matrix(classified, size="revenue")
    sizes = np.concatenate([t.marker.size for t in fig.data])
    revenue = np.concatenate([classified.loc[classified["segment"].cat.codes == c, "revenue"]
                              for c in range(4)])
    assert np.argmax(sizes) == np.argmax(revenue) and np.argmin(sizes) == np.argmin(revenue)
    equal = portfolio_matrix(classified, size=None)
    assert {float(s) for t in equal.data for s in t.marker.size} == {10.0}
    with pytest.raises(KamDataError, match="bubble size"):
        portfolio_matrix(classified, size="nope")


def test_user_text_is_escaped():
    p = pd.DataFrame({"account": ['<img src=x onerror="alert(1)">', "<b>Bold</b> & Co"],
                      "account_manager": ["<script>x()</script>", "Ann"],
                      "v": [1, 2], "s": [2, 1]})
    out = classify(p, {"v": 1}, {"s": 1}, labels={"key": "<i>VIP</i>"})
    fig = portfolio_matrix(out, size=None, title="<svg onload=alert(2)>")
    payload = fig.to_json()
    for raw in ("<img", "<script", "<b>Bold", "<i>VIP", "<svg"):
        assert raw not in payload
    texts = [t for trace in fig.data for t in (trace.text or ())]
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in texts
    assert any("&lt;script&gt;" in h for trace in fig.data for h in (trace.hovertext or ()))


def test_large_portfolios_use_webgl_without_labels():
    n = 5000
    rng = np.random.default_rng(0)
    p = pd.DataFrame({"account": [f"acc {i}" for i in range(n)], "v": rng.random(n), "s": rng.random(n)})
    fig = portfolio_matrix(classify(p, {"v": 1}, {"s": 1}), size=None)
    assert {t.type for t in fig.data} == {"scattergl"}
    assert all(t.text is None for t in fig.data)
    assert sum(len(t.x) for t in fig.data) == n


def test_unscored_accounts_are_counted_in_the_title(small):
    p = small.copy()
    p.loc[0, "share"] = np.nan
    fig = portfolio_matrix(classify(p, {"revenue": 1}, {"share": 1}))
    assert "1 without a score" in fig.layout.title.text
    assert sum(len(t.x) for t in fig.data) == len(p) - 1

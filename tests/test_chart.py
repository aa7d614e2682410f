"""The chart widget: what it sends to the page, and that the page can rebuild the figure from it."""

from __future__ import annotations

import base64
import copy
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from ipywidgets.widgets.widget import _remove_buffers
from plotly.offline import get_plotlyjs_version

import kamwidgets as kw
from kamwidgets.widgets._chart import Chart, plotly_library


def _typed_value(value: dict) -> np.ndarray:
    """What chart.js's typedArray() reads: the numbers a ``{typed, buffer}`` value's bytes hold."""
    return np.frombuffer(bytes(value["buffer"]), dtype=np.dtype(value["typed"]).newbyteorder("<"))


def _strings_value(value: dict, figure: dict) -> list:
    """What chart.js's stringsOf() reads: the strings at the positions ``at`` in the lists at ``strings``."""
    pool = []
    for path in value["strings"]:
        node = figure
        for key in path:
            node = node[key]
        pool += node
    return [pool[i] for i in _typed_value(value["at"])]


def _page_figure(chart: Chart) -> dict:
    """What chart.js draws: the whole figure in ``_spec`` with each ``_patch`` pair applied (a typed array,
    sent as its bytes, read as the numbers they hold; strings sent as their positions in the whole figure's
    lists, read from there before anything is changed), every array as plain numbers (see :func:`_plain`)."""
    figure = json.loads(chart._spec)
    sent = [_strings_value(v, figure) if isinstance(v, dict) and "strings" in v else v for _, v in chart._patch]
    for (path, _), value in zip(chart._patch, sent):
        node = figure
        for i, key in enumerate(path[:-1]):
            if isinstance(node, dict) and key not in node:
                node[key] = [] if isinstance(path[i + 1], int) else {}
            node = node[key]
        if isinstance(value, dict) and "typed" in value:
            value = _typed_value(value)
        node[path[-1]] = copy.deepcopy(value)
    return _plain(figure)


def _plain(value: object) -> object:
    """A figure (or part) with every array as a list of numbers, whether plotly's JSON wrote it as base64
    text (``{"dtype", "bdata"}``) or the page read it as a typed array: the numbers plotly.js draws."""
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        numbers = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]).newbyteorder("<"))
        if "shape" in value:
            numbers = numbers.reshape([int(n) for n in str(value["shape"]).split(",")])
        return numbers.tolist()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _whole_figure(chart: Chart) -> object:
    """The chart's figure as plotly's own JSON has it, arrays as plain numbers (see :func:`_plain`)."""
    return _plain(json.loads(chart.figure.to_json()))


def _scatter(n: int = 200) -> go.Figure:
    rng = np.random.default_rng(3)
    return go.Figure(
        [
            go.Scatter(
                x=rng.random(n),
                y=rng.random(n),
                mode="markers",
                text=[f"acc {i}" for i in range(n)],
                marker=dict(color=rng.integers(0, 4, n), size=8),
            ),
            go.Scatter(x=[0, 1], y=[0.5, 0.5], mode="lines", name="split"),
        ],
        layout=dict(title="matrix", shapes=[dict(type="line", x0=0.5, x1=0.5, y0=0, y1=1)]),
    )


def test_a_chart_sends_the_figure_and_not_plotly_js():
    fig = _scatter()
    chart = Chart(fig)
    assert json.loads(chart._spec) == json.loads(fig.to_json())
    assert chart._patch == []
    state = chart.get_state()
    assert len(json.dumps({k: v for k, v in state.items() if k != "_esm"})) < 40_000
    assert len(chart._esm) < 17_000  # the module each chart's model loads is small (plotly.js is 5 MB)
    assert "plotly.js" not in chart._spec
    # plotly.js reaches the page once, through one shared model
    other = Chart(go.Figure(go.Bar(x=[1], y=[2])))
    assert chart._library is other._library is plotly_library()
    # ... and only when the page asks for it: the lessons' page brings its own copy from the server
    library = plotly_library()
    library.source = ""
    assert library.js_version == get_plotlyjs_version()
    library._on_message(library, {"want": "something else"}, [])
    assert library.source == ""
    library._on_message(library, {"want": "source"}, [])  # what the page sends when it has no copy
    assert len(library.source) > 1_000_000 and f"plotly.js v{library.js_version}" in library.source[:200]


def test_a_change_sends_only_what_moved_and_the_page_rebuilds_the_figure():
    chart = Chart(_scatter())
    spec = chart._spec
    with chart.batch_update():
        chart.figure.data[0].marker.color = np.zeros(200, dtype=np.int8)
        chart.figure.layout.shapes[0].x0 = 0.7
    assert chart._spec == spec  # the whole figure is not sent again
    paths = [tuple(p) for p, _ in chart._patch]
    assert ("data", 0, "marker", "color") in paths and ("layout", "shapes", 0, "x0") in paths
    assert not any(p[:3] == ("data", 0, "text") or p[:3] == ("data", 0, "x") for p in paths)
    assert _page_figure(chart) == _whole_figure(chart)
    # a second change is still relative to the whole figure: the page needs no history
    chart.figure.layout.title.text = "moved"
    chart.refresh()
    assert _page_figure(chart) == _whole_figure(chart)
    assert ("layout", "shapes", 0, "x0") in [tuple(p) for p, _ in chart._patch]


def test_an_unchanged_array_with_gaps_is_not_sent_again():
    """Unscored accounts have no position (NaN): an array holding them that did not move stays unsent."""
    figure = _scatter()
    x = np.linspace(0, 10, 200)
    x[::7] = np.nan
    figure.data[0].x = x
    chart = Chart(figure)
    with chart.batch_update():
        chart.figure.data[0].x = x.copy()  # the same numbers, gaps included
        chart.figure.data[0].marker.color = np.zeros(200, dtype=np.int8)
    paths = [tuple(p) for p, _ in chart._patch]
    assert ("data", 0, "marker", "color") in paths and ("data", 0, "x") not in paths
    same = json.dumps(_page_figure(chart), sort_keys=True) == json.dumps(_whole_figure(chart), sort_keys=True)
    assert same  # (as JSON text, where a gap equals a gap)


def test_removed_values_and_large_changes_send_the_whole_part():
    chart = Chart(_scatter())
    chart.figure.layout.shapes = [chart.figure.layout.shapes[0], dict(type="line", x0=0, x1=1, y0=0.2, y1=0.2)]
    chart.refresh()
    assert _page_figure(chart) == _whole_figure(chart)
    chart.figure.layout.shapes = []
    chart.refresh()
    assert _page_figure(chart) == _whole_figure(chart)
    spec = chart._spec
    chart.figure.data[0].x = np.linspace(0, 1, 200)
    chart.figure.data[0].y = np.linspace(1, 0, 200)
    chart.figure.data[0].text = [f"other {i}" for i in range(200)]
    chart.refresh()  # most of the figure changed: sent whole, nothing to patch
    assert chart._spec != spec and chart._patch == []
    assert _page_figure(chart) == _whole_figure(chart)


def test_show_replaces_the_figure_and_an_empty_chart_draws_nothing():
    chart = Chart()
    assert chart._spec == "" and chart.data == () and chart.layout is None and chart.to_json() == "{}"
    with pytest.raises(RuntimeError, match="show"):
        with chart.batch_update():
            pass
    chart.show(go.Figure(go.Bar(x=["a"], y=[1])))
    assert chart.data[0].type == "bar"
    chart.show(go.FigureWidget(go.Scatter(x=[1], y=[1])))  # plotly's own widget is taken as a plain figure
    assert chart.data[0].type == "scatter" and type(chart.figure) is go.Figure
    assert _page_figure(chart) == _whole_figure(chart)


def test_show_gives_a_chart_and_the_library_comes_back_after_closing():
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    chart = kw.show(fig)
    assert isinstance(chart, kw.Chart) and kw.show(chart) is chart
    plotly_library().close()
    again = kw.show(fig)
    assert again._library.comm is not None and again._library is plotly_library()


def test_the_matrix_widget_moves_points_without_resending_names():
    portfolio = pd.DataFrame(
        {
            "account": [f"<b>{i}</b>" for i in range(300)],
            "revenue": np.arange(300.0),
            "share": np.arange(300.0)[::-1] % 17,
        }
    )
    w = kw.ClassificationWidget(portfolio, {"revenue": 1}, {"share": 1})
    spec = w.figure._spec
    w.controls["attractiveness_threshold"].value = 8
    assert w.figure._spec == spec
    moved = {tuple(p): v for p, v in w.figure._patch if p[-1] == "hovertext"}
    assert moved  # accounts changed buckets: each bucket's trace has other names on hover...
    assert all(set(v) == {"strings", "at"} for v in moved.values())  # ...sent as where the page has them
    message, _, _ = _remove_buffers(w.figure.get_state("_patch"))
    assert "&lt;b&gt;" not in json.dumps(message)  # the 300 names were not sent again
    assert ("layout", "shapes", 1) in {tuple(p[:3]) for p, _ in w.figure._patch}
    assert _page_figure(w.figure) == _whole_figure(w.figure)


def test_strings_the_page_has_go_as_their_positions_and_new_ones_as_text():
    """A changed list of strings whose strings are all in the whole figure's lists (the same names shown by
    other points or traces) goes as their positions there, a typed array; one with a new string goes as text."""
    fig = _scatter()
    fig.add_trace(go.Scatter(x=[0.1, 0.2], y=[0.1, 0.2], text=["left", "right"], mode="markers"))
    chart = Chart(fig)
    names = [f"acc {i}" for i in range(200)]
    with chart.batch_update():
        chart.figure.data[0].text = names[::-1]  # the same names, other points
        chart.figure.data[2].text = ["acc 7", "left"]  # drawn from two lists, one of them another trace's
    sent = {tuple(p): v for p, v in chart._patch}
    for path in (("data", 0, "text"), ("data", 2, "text")):
        assert set(sent[path]) == {"strings", "at"} and set(sent[path]["at"]) == {"typed", "buffer"}
    assert sent[("data", 0, "text")]["at"]["typed"] == "uint16"  # two bytes a name, whatever its length
    message, _, _ = _remove_buffers(chart.get_state("_patch"))
    assert "acc 7" not in json.dumps(message)
    assert _page_figure(chart) == _whole_figure(chart)
    chart.figure.data[2].text = ["acc 7", "new name"]  # not on the page yet: sent as it is
    chart.figure.data[0].text = names  # as the whole figure has it: nothing to send
    chart.refresh()
    sent = {tuple(p): v for p, v in chart._patch}
    assert sent == {("data", 2, "text"): ["acc 7", "new name"]}
    assert _page_figure(chart) == _whole_figure(chart)
    chart.figure.data[2].text = ("acc 3", "acc 3")  # a tuple, a name twice
    chart.refresh()
    assert set({tuple(p): v for p, v in chart._patch}[("data", 2, "text")]) == {"strings", "at"}
    assert _page_figure(chart) == _whole_figure(chart)


def test_displayed_charts_are_listed_for_the_page_and_hidden_ones_are_not():
    contacts = kw.ContactMatrix(kw.sample_path("account_contacts"))  # an input only, never displayed
    journey = kw.SpectrumWidget(our_intent=8, customer_intent=6, contacts=contacts)
    journey._repr_mimebundle_()  # what displaying it in a notebook or Voila does
    listed = set(plotly_library().on_page)
    assert journey.figure._uid in listed
    assert contacts.figure._uid not in listed
    lone = kw.show(go.Figure(go.Bar(x=[1], y=[1])))
    assert lone._uid not in plotly_library().on_page
    lone._repr_mimebundle_()
    assert lone._uid in plotly_library().on_page


def test_numpy_text_and_dates_are_patched_like_the_whole_figure():
    fig = go.Figure(
        go.Scatter(
            x=pd.date_range("2026-01-01", periods=5),
            y=np.arange(5.0),
            text=np.array(["a", "b", "c", "d", "e"], dtype=object),
            mode="markers+text",
        )
    )
    chart = Chart(fig)
    chart.figure.data[0].text = np.array(["a", "b", "C", "d", "e"], dtype=object)
    chart.figure.data[0].x = pd.date_range("2026-02-01", periods=5)
    chart.refresh()
    assert chart._patch and _page_figure(chart) == _whole_figure(chart)


def test_showing_a_figure_does_not_load_plotlys_widget_machinery():
    """go.FigureWidget pulls in plotly's renderers (seconds of a lesson's start-up): showing a Figure never does."""
    import subprocess
    import sys

    code = (
        "import sys, kamwidgets as kw\n"
        "c = kw.classify(kw.load_portfolio(kw.sample_path()), kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)\n"
        "kw.show(kw.portfolio_matrix(c))._repr_mimebundle_()\n"
        "print('plotly.basewidget' in sys.modules, 'plotly.io._renderers' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_a_figure_widget_is_shown_as_a_figure():
    import plotly.graph_objects as go

    import kamwidgets as kw

    chart = kw.show(go.FigureWidget(go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))))
    assert type(chart.figure) is go.Figure and list(chart.figure.data[0].y) == [3, 4]


def test_a_chart_function_given_to_show_is_called_at_once_on_the_page():
    calls = []

    def bars(n, *, name):
        calls.append(n)
        return go.Figure(go.Bar(x=list(range(n)), y=[1] * n, name=name))

    expected = json.loads(bars(3, name="<b>three</b>").to_json())
    calls.clear()
    chart = Chart()
    chart.show(bars, 3, name="<b>three</b>")
    assert calls == [3] and not chart.waiting  # a chart on the page (or anywhere but a waiting tool): at once
    assert _page_figure(chart) == expected
    chart.show(go.Figure(go.Scatter(x=[1], y=[1])))  # a figure again replaces the function's, calling nothing
    assert chart.data[0].type == "scatter" and calls == [3]


def test_a_chart_function_that_fails_keeps_the_chart_waiting_and_a_stray_argument_is_refused():
    from kamwidgets.widgets import _later

    with _later.unsent():  # as a chart of a tool waiting for the reader in Voila
        chart = Chart()
    chart.show(go.Figure(go.Bar(x=["a"], y=[1])))
    asked = []

    def broken(n):
        asked.append(n)
        raise ValueError("no such column")

    chart.show(broken, 2)
    assert asked == [] and chart.waiting and "drawn" in repr(chart)  # looking at it does not make it
    for _ in range(2):  # every read meets the error: never the old figure as if it were the new one
        with pytest.raises(ValueError, match="no such column"):
            chart.data  # noqa: B018
    assert asked == [2, 2] and chart.waiting
    chart.show(lambda: go.Figure(go.Scatter(x=[1], y=[1])))
    assert chart.data[0].type == "scatter" and not chart.waiting
    with pytest.raises(TypeError, match="chart function"):
        chart.show(go.Figure(), 3)


def _at(state: dict, path: tuple) -> object:
    for key in path:
        state = state[key]
    return state


def test_a_weight_move_sends_the_moved_numbers_as_typed_bytes_and_nothing_else():
    """The patch after a slider move is the change in the figure: the arrays that moved, as their own bytes
    (a binary part of the message, no JSON of numbers), and the page rebuilds the whole figure from it."""
    from kamwidgets._plotly_inside import figure_state

    rng = np.random.default_rng(5)
    n = 3_000  # a WebGL matrix, as the benchmark's
    portfolio = pd.DataFrame(
        {
            "account": [f"A{i}" for i in range(n)],
            "account_manager": [f"P{i % 40}" for i in range(n)],
            "revenue": rng.lognormal(10, 1, n),
            "growth": rng.normal(0.05, 0.1, n),
            "share": rng.random(n),
        }
    )
    w = kw.ClassificationWidget(portfolio, {"revenue": 1, "growth": 1}, {"share": 1}, thresholds=(5, 5))
    spec = w.figure._spec
    w.controls["revenue"].value = 3
    assert w.figure._spec == spec
    sent = {tuple(path): value for path, value in w.figure._patch}
    assert ("data", 4, "y") in sent  # the key accounts moved
    # only the points of the four buckets' traces: nothing of the layout, the legend keys or the look
    assert {path[:2] for path in sent} <= {("data", trace) for trace in range(4, 8)}
    assert {path[2:] for path in sent} <= {("x",), ("y",), ("marker", "size"), ("hovertext",)}
    state = figure_state(w.figure.figure)
    buffers_sent = []
    for path, value in sent.items():
        if path[-1] == "hovertext":  # names the page has, as their positions there
            assert set(value) == {"strings", "at"} and set(value["at"]) == {"typed", "buffer"}
            buffers_sent.append(value["at"]["buffer"])
            continue
        assert set(value) == {"typed", "buffer"}
        buffers_sent.append(value["buffer"])
        got = _typed_value(value)
        now = _at(state, path)
        assert got.dtype == now.dtype and np.array_equal(got, now)
    message, _, buffers = _remove_buffers(w.figure.get_state("_patch"))
    assert len(buffers) == len(sent) and sum(len(b) for b in buffers) == sum(len(b) for b in buffers_sent)
    text = json.dumps(message)
    assert len(text) < 100 * len(sent)  # paths and types: no number travels as text...
    assert not any(f'"{name}"' in text for name in portfolio["account"])  # ...nor any name
    assert _page_figure(w.figure) == _whole_figure(w.figure)


def test_number_arrays_plotly_js_has_no_type_for_go_as_plotly_json():
    rng = np.random.default_rng(1)
    changes = {
        ("marker", "size"): np.full(300, 4, dtype=np.int64),  # 64-bit, but fits 32: narrowed, sent as bytes
        ("marker", "color"): np.arange(300, dtype=np.int64) * 2**40,  # wider than plotly.js's: a list
        ("customdata",): np.stack([np.arange(300.0), np.arange(300.0)], axis=1),  # 2-D: plotly's typed JSON
    }
    for where, values in changes.items():
        fig = go.Figure(
            go.Scatter(x=rng.random(300), y=rng.random(300), marker=dict(color=np.arange(300), size=np.full(300, 3)))
        )
        chart = Chart(fig)
        chart.figure.data[0][where] = values
        chart.refresh()
        [(path, value)] = chart._patch
        assert tuple(path) == ("data", 0, *where)
        if where == ("marker", "size"):
            assert value["typed"] == "int32"
        elif where == ("marker", "color"):
            assert value == values.tolist()
        else:
            assert set(value) == {"dtype", "bdata", "shape"}  # as plotly's own JSON has it
        assert _page_figure(chart) == _whole_figure(chart)


def test_a_figure_with_frames_is_sent_whole():
    chart = Chart(go.Figure(go.Scatter(x=[1, 2], y=[1, 2]), frames=[go.Frame(data=[go.Scatter(x=[1, 2], y=[2, 1])])]))
    chart.figure.layout.title.text = "moved"
    chart.refresh()
    assert chart._patch == [] and json.loads(chart._spec)["layout"]["title"]["text"] == "moved"
    assert _page_figure(chart) == _whole_figure(chart)

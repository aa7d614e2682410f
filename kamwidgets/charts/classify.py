"""Charts of the portfolio classification: the matrix, balance, effort, review, stability.

The matrix is built so that a widget can update it in place
(:func:`update_portfolio_matrix`): four empty traces carry the legend, and
the accounts of each bucket are one trace in that bucket's colour and
shape.  A slider move then changes the points of those four traces and
nothing else.  A colour and a shape per trace, not per point: plotly.js
works out a per-point colour one point at a time, which took about two
thirds of a redraw of 10,000 accounts in the browser.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import palette
from .._plotly_inside import unchecked
from ..errors import KamDataError
from ..model.criteria import AXIS_TITLES, size_column
from ..palette import SEGMENT_COLOURS
from ._common import (
    CHAR_WIDTH,
    DEFAULT_SPLITS,
    LINE_HEIGHT,
    SCORE_RANGE,
    SEGMENT_SYMBOLS,
    Box,
    add_split_lines,
    chart_template,
    escape,
    escape_all,
    move_split_lines,
    place_labels,
    splits,
    title_text,
)

__all__ = [
    "portfolio_matrix",
    "update_portfolio_matrix",
    "balance_chart",
    "effort_chart",
    "review_chart",
    "stability_chart",
]

#: Above this many accounts the matrix draws with WebGL, without labels and
#: with the account name alone on hover (to keep the figure small).
WEBGL_FROM = 2000
#: Up to this many accounts, names are written beside the bubbles: all of them
#: up to LABEL_ALL, else only the LABEL_BIGGEST largest (the rest on hover).
LABEL_UP_TO = 40
LABEL_ALL = 15
LABEL_BIGGEST = 12
#: The plot areas (width, height in pixels) the names are placed apart for, at the narrowest the page draws
#: them: the matrix is 640 px high and at least 480 px wide (its place beside the controls), the stability
#: chart 540 px high and about as wide (its colour bar takes some of that), less their margins.  The names
#: stay apart on charts up to LABEL_WIDEN times as wide, where the points spread and the names keep their size.
MATRIX_PLOT_PX = (400.0, 430.0)
STABILITY_PLOT_PX = (420.0, 410.0)
LABEL_WIDEN = 2.5
#: The matrix names this many of the biggest accounts even over a neighbour's bubble, when nowhere else is free.
LABEL_FIRST = 5

#: Above this many accounts the matrix shows a density instead of every account: the accounts are
#: counted in cells of CELL x CELL score points, one mark per cell (its size the count, its colour and
#: shape the bucket of most of them), so that a slider move redraws thousands of marks, not 100,000s.
AGGREGATE_FROM = 50_000
CELL = 0.1
_SIDE = int(round(10 / CELL)) + 1

#: The first of the four traces that hold the accounts (or cells), one per bucket, in the buckets' order.
FIRST_BUCKET_TRACE = 4
#: The matrix's two 0-10 score axes.
_SCORE_AXIS = dict(range=list(SCORE_RANGE), dtick=1, zeroline=False, ticklabeloverflow="allow")


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    for col in columns:
        if col not in frame.columns:
            raise KamDataError(
                f"the frame has no such column; the chart needs {what}",
                column=col,
                fix="Pass the result of the matching kamwidgets function.",
            )


def bubble_range(n: int) -> tuple[float, float]:
    """The smallest and largest bubble diameter (px) for ``n`` accounts: 6-40 px up to 100 accounts, smaller
    as there are more (thousands of 40 px bubbles cover the whole matrix), down to 4-14 px.

    >>> bubble_range(30), bubble_range(1_000), bubble_range(10_000)
    ((6.0, 40.0), (5.0, 22.5), (4.0, 14.0))
    """
    if n <= 100:
        return 6.0, 40.0
    return (5.0 if n <= 1_000 else 4.0), max(14.0, round(40.0 * (100 / n) ** 0.25, 1))


def _marker_sizes(values: pd.Series | None, n: int) -> np.ndarray:
    """Bubble diameters in :func:`bubble_range`; above the smallest, the area grows in proportion to the value.

    Whole pixels, one byte each, to keep large figures small.
    """
    if values is None:
        return np.full(n, 10 if n <= 1_000 else 6, dtype=np.uint8)
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    v = np.where(np.isfinite(v) & (v > 0), v, 0.0)
    top = v.max() if v.size else 0.0
    if top <= 0:
        return np.full(n, 10 if n <= 1_000 else 6, dtype=np.uint8)
    low, high = bubble_range(n)
    return np.rint(low + (high - low) * np.sqrt(v / top)).astype(np.uint8)


def _subtitle(n: int, unscored: int, size: str | None, aggregate: bool = False) -> str:
    text = f"{n:,} accounts" + (f", {unscored:,} without a score (not shown)" if unscored else "")
    if aggregate:
        return text + f"; a mark per {CELL:g} \u00d7 {CELL:g} cell, its size the number of accounts in it"
    return text + (f"; bubble area: {escape(size)}" if size else "")


def _cells(classified: pd.DataFrame) -> dict[str, np.ndarray]:
    """The accounts counted per cell: centre ``x``, ``y``, ``count`` and the bucket of most (``code``)."""
    x = classified["strength"].to_numpy(dtype=float)
    y = classified["attractiveness"].to_numpy(dtype=float)
    codes = classified["segment"].cat.codes.to_numpy()
    ok = np.isfinite(x) & np.isfinite(y) & (codes >= 0)
    xi = np.clip(np.rint(x[ok] / CELL), 0, _SIDE - 1).astype(np.int64)
    yi = np.clip(np.rint(y[ok] / CELL), 0, _SIDE - 1).astype(np.int64)
    buckets = len(SEGMENT_COLOURS)
    # the accounts of each cell by bucket, counted in one pass: row = cell, column = bucket
    per_code = np.bincount((xi * _SIDE + yi) * buckets + codes[ok], minlength=_SIDE * _SIDE * buckets)
    per_code = per_code.reshape(_SIDE * _SIDE, buckets)
    count = per_code.sum(axis=1)
    used = np.flatnonzero(count)
    return {
        "x": ((used // _SIDE) * CELL).astype(np.float32),
        "y": ((used % _SIDE) * CELL).astype(np.float32),
        "count": count[used].astype(np.int32),
        "code": per_code[used].argmax(axis=1).astype(np.int8),
    }


def portfolio_matrix(
    classified: pd.DataFrame,
    *,
    size: str | None = "revenue",
    thresholds: tuple[float, float] | None = DEFAULT_SPLITS,
    label_points: bool | None = None,
    title: str | None = "Portfolio matrix",
) -> go.Figure:
    """The classification matrix: our strength (x) against customer attractiveness (y).

    Parameters
    ----------
    classified:
        The result of :func:`kamwidgets.classify`.
    size:
        Column that sets the bubble area; ``None`` for equal bubbles.  The
        default, ``"revenue"``, falls back to equal bubbles when there is no
        such column; any other column you name must exist.
    thresholds:
        ``(attractiveness, strength)`` lines: pass those you classified with
        (default ``(5, 5)``, as :func:`kamwidgets.classify`).
    label_points:
        Write account names beside the bubbles.  By default: every name up
        to 15 accounts, the 12 largest up to 40 accounts, none above (the
        names are always on hover).
    title:
        Figure title (plain text; it is escaped).

    Returns
    -------
    plotly.graph_objects.Figure
        Traces 0-3 are the legend entries of the four buckets (named by
        their labels); traces 4-7 (from ``FIRST_BUCKET_TRACE``) hold the
        accounts of each bucket in the portfolio's order, in the bucket's
        colour and shape and named by its label (``hovertext``: the account).
        Unscored accounts are in none.  Threshold lines and the four bucket
        names in their corners.  Above 2,000 accounts the accounts traces are
        WebGL (``scattergl``); above 50,000 (``AGGREGATE_FROM``) they hold one
        mark per 0.1 x 0.1 cell instead of one per account (``customdata``:
        how many accounts; the cell's trace: the bucket of most of them), so
        that the figure and each slider move stay small.  Every user string is
        HTML-escaped.
    """
    _require(classified, ("account", "attractiveness", "strength", "segment"), "a classified portfolio")
    size = _size_column(classified, size)
    n = len(classified)
    aggregate = n > AGGREGATE_FROM
    if label_points is None or aggregate:
        label_points = n <= LABEL_UP_TO
    names = escape_all(classified["account"])
    labels = list(classified["segment"].cat.categories)
    fig = go.Figure(_legend_entries(labels))
    fig.add_traces(_bucket_traces(labels, large=n > WEBGL_FROM, label_points=label_points, aggregate=aggregate))
    if not aggregate:
        fig._kam_points = _points(classified, names, size)
    corner = dict(xref="x", yref="y", showarrow=False, font=dict(size=12, color=palette.NOTE_INK), opacity=0.9)
    for x, y, xa, ya in (
        (10.55, 10.55, "right", "top"),
        (-0.55, 10.55, "left", "top"),
        (10.55, -0.55, "right", "bottom"),
        (-0.55, -0.55, "left", "bottom"),
    ):
        fig.add_annotation(x=x, y=y, xanchor=xa, yanchor=ya, text="", **corner)  # inside the corners
    add_split_lines(fig, x=5, y=5, x_name="strength threshold", y_name="attractiveness threshold")
    fig.update_layout(
        title=dict(text=""),
        # the scores 0-10 always fit: plotly.js need not measure every tick label, one against the next, on
        # each redraw to hide those past the chart's edge (a quarter of a slider move's redraw at 10,000 accounts)
        xaxis=dict(title=AXIS_TITLES["strength"], **_SCORE_AXIS),
        yaxis=dict(title=AXIS_TITLES["attractiveness"], **_SCORE_AXIS),
        # the legend under the plot: beside it, long bucket names were cut off in narrow windows
        legend=dict(title="Bucket", itemsizing="constant", orientation="h", x=0, y=-0.12, yanchor="top"),
        template=chart_template(),
        height=640,
        margin=dict(l=60, r=20, t=100, b=110),
        meta=dict(
            title=escape(title) if title else "",
            size=size,
            labels=_labels(names, classified[size] if size else None) if label_points else None,
            aggregate=aggregate,
            points=["account", "account manager"] if _with_manager(classified) else "account",  # see chart_table
        ),
    )
    update_portfolio_matrix(fig, classified, thresholds=splits(thresholds))
    return fig


def _size_column(classified: pd.DataFrame, size: str | None) -> str | None:
    """The column for the bubble area: the default, ``"revenue"``, falls back to the file's own revenue column
    (:func:`~kamwidgets.model.criteria.size_column`, e.g. ``Revenue (EUR)``) or None; another must exist."""
    if size == "revenue" and size not in classified.columns:
        return size_column(classified)
    if size is not None and size not in classified.columns:
        raise KamDataError(
            "there is no such column for the bubble size",
            column=size,
            fix="Pick a number column, or size=None for equal bubbles.",
        )
    return size


def _legend_entries(labels: list[str]) -> list[go.Scatter]:
    """Traces 0-3: one empty trace per bucket, so that the legend names each with its colour and shape."""
    return [
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=escape(label),
            marker=dict(size=10, color=SEGMENT_COLOURS[code], symbol=SEGMENT_SYMBOLS[code]),
            hoverinfo="skip",
        )
        for code, label in enumerate(labels)
    ]


def _bucket_traces(labels: list[str], *, large: bool, label_points: bool, aggregate: bool) -> list:
    """Traces 4-7: the accounts (or cells, aggregated) of each bucket, in its colour and shape; their points
    are left to :func:`update_portfolio_matrix`."""
    Scatter = go.Scattergl if large else go.Scatter
    return [
        Scatter(
            name=escape(label),
            mode="markers+text" if label_points else "markers",
            showlegend=False,
            marker=dict(
                color=SEGMENT_COLOURS[code],
                symbol=SEGMENT_SYMBOLS[code],
                opacity=0.75,
                line=dict(width=0.5, color="white"),
            ),
            hovertemplate=("%{customdata:,} accounts here" if aggregate else "%{hovertext}")
            + "<br>strength %{x:.1f}, attractiveness %{y:.1f}<extra></extra>",
            textfont=dict(size=10),
        )
        for code, label in enumerate(labels)
    ]


class _Points(NamedTuple):
    """What a matrix of accounts shows of each account that no classification changes, in the portfolio's
    order (kept with the figure, so that a slider move does not make it again)."""

    hover: np.ndarray  # the hover text (escaped; object array)
    sizes: np.ndarray  # bubble diameters (see _marker_sizes)


def _points(classified: pd.DataFrame, names: list[str], size: str | None) -> _Points:
    """The hover text and bubble size of every account: the name, and its manager's up to ``WEBGL_FROM``."""
    if not _with_manager(classified):
        hover = names
    else:
        hover = [f"<b>{a}</b><br>{m}" for a, m in zip(names, escape_all(classified["account_manager"]))]
    sizes = _marker_sizes(classified[size] if size else None, len(classified))
    return _Points(np.asarray(hover, dtype=object), sizes)


def _with_manager(classified: pd.DataFrame) -> bool:
    """Whether an account's hover text names its manager (on a second line) after the account."""
    return len(classified) <= WEBGL_FROM and "account_manager" in classified.columns


def _labels(names: list[str], sizes: pd.Series | None) -> list[str]:
    """Every name for a small portfolio, else only the largest accounts' (to keep them readable)."""
    if len(names) <= LABEL_ALL or sizes is None:
        return names
    values = pd.to_numeric(sizes, errors="coerce").fillna(0).to_numpy()
    keep = set(np.argsort(-values, kind="stable")[:LABEL_BIGGEST].tolist())
    return [n if i in keep else "" for i, n in enumerate(names)]


def _place(classified: pd.DataFrame, labels: list[str], size: str | None) -> tuple[list[str], list[str]]:
    """The account labels placed apart (the biggest accounts first, else the most attractive); a label
    with no free place is left to the hover text."""
    weight = classified[size] if size else classified["attractiveness"]
    order = np.argsort(-pd.to_numeric(weight, errors="coerce").fillna(-np.inf).to_numpy(), kind="stable")
    x = classified["strength"].to_numpy(dtype=float)[order]
    y = classified["attractiveness"].to_numpy(dtype=float)[order]
    radii = _marker_sizes(classified[size] if size else None, len(classified)).astype(float)[order] / 2
    texts, places = place_labels(
        x,
        y,
        [labels[i] for i in order],
        x_range=SCORE_RANGE,
        y_range=SCORE_RANGE,
        size_px=MATRIX_PLOT_PX,
        widen=LABEL_WIDEN,
        first=LABEL_FIRST,
        marker_px=radii,
        avoid=_corner_boxes(list(classified["segment"].cat.categories)),
    )
    out_text, out_place = [""] * len(labels), ["top center"] * len(labels)
    for k, i in enumerate(order):
        out_text[i], out_place[i] = texts[k], places[k]
    return out_text, out_place


def _corner_boxes(labels: list[str]) -> list[Box]:
    """Where the four bucket names sit in the matrix's corners (key top right, development top left,
    maintenance bottom right, opportunistic bottom left), in the pixels of :data:`MATRIX_PLOT_PX`."""
    width, height = MATRIX_PLOT_PX
    inset = 0.05 * width / 11.2  # the names sit 0.05 score points inside the plot's edge
    boxes = []
    for label, (right, top) in zip(labels, ((True, True), (False, True), (True, False), (False, False))):
        w, h = CHAR_WIDTH * 12 * len(label), LINE_HEIGHT * 12
        bottom = height - inset - h if top else inset
        # a name on the right moves with the plot's right edge (anchor: the width), one on the left stays
        box = (
            Box(width, -inset - w, -inset, bottom, bottom + h)
            if right
            else Box(0.0, inset, inset + w, bottom, bottom + h)
        )
        boxes.append(box)
    return boxes


def _move_accounts(fig: go.Figure, classified: pd.DataFrame, codes: np.ndarray, meta: dict) -> None:
    """Put each account in its bucket's trace, at its scores (its name placed again, when names are written)."""
    points = getattr(fig, "_kam_points", None)
    if points is None or len(points.sizes) != len(classified):  # e.g. a copy of the figure: made again, once
        points = fig._kam_points = _points(classified, escape_all(classified["account"]), meta.get("size"))
    x = classified["strength"].to_numpy(dtype=np.float32)
    y = classified["attractiveness"].to_numpy(dtype=np.float32)
    text = place = None
    if meta.get("labels"):
        text, place = (np.asarray(v, dtype=object) for v in _place(classified, list(meta["labels"]), meta.get("size")))
    for code in range(len(SEGMENT_COLOURS)):
        mine = np.flatnonzero(codes == code)
        trace = fig.data[FIRST_BUCKET_TRACE + code]
        trace.x, trace.y = x[mine], y[mine]
        trace.marker.size = points.sizes[mine]
        # plotly checks a text array one element at a time (several ms at 10,000 accounts); these are
        # known-good escaped strings, so they are set on the trace directly
        with unchecked(trace):
            trace.hovertext = points.hover[mine].tolist()
            if text is not None and place is not None:
                trace.text, trace.textposition = text[mine].tolist(), place[mine].tolist()


def _move_cells(fig: go.Figure, cells: dict[str, np.ndarray]) -> None:
    """Put each cell in the trace of the bucket of most of its accounts, sized by how many it holds."""
    count = cells["count"]
    sizes = np.rint(3 + 9 * np.sqrt(count / max(1, count.max()))).astype(np.uint8)
    for code in range(len(SEGMENT_COLOURS)):
        mine = np.flatnonzero(cells["code"] == code)
        trace = fig.data[FIRST_BUCKET_TRACE + code]
        trace.x, trace.y, trace.customdata = cells["x"][mine], cells["y"][mine], count[mine]
        trace.marker.size = sizes[mine]


def update_portfolio_matrix(
    fig: go.Figure, classified: pd.DataFrame, *, thresholds: tuple[float, float] | None = None
) -> None:
    """Move the accounts of a :func:`portfolio_matrix` figure to a new classification.

    For the same portfolio (same accounts in the same order) with new
    scores, buckets, thresholds or labels; ``thresholds=None`` leaves the
    lines where they are.  Changes the figure in place and only what moved
    (each bucket's points), so a widget showing the figure has little to
    send.
    """
    segment = classified["segment"]  # (each column read copies the frame's attrs: once)
    labels = list(segment.cat.categories)
    codes = segment.cat.codes.to_numpy()
    unscored = int((codes < 0).sum())
    meta = fig.layout.meta or {}
    title = meta.get("title", "")
    aggregate = bool(meta.get("aggregate"))
    sub = _subtitle(len(classified), unscored, meta.get("size"), aggregate)
    with fig.batch_update():
        if aggregate:
            _move_cells(fig, _cells(classified))
        else:
            _move_accounts(fig, classified, codes, meta)
        for code, label in enumerate(labels):
            for trace in (fig.data[code], fig.data[FIRST_BUCKET_TRACE + code]):
                if trace.name != escape(label):
                    trace.name = escape(label)
        for annotation, label in zip(fig.layout.annotations, labels):
            if annotation.text != escape(label):
                annotation.text = escape(label)
        if thresholds is not None:
            t_att, t_str = splits(thresholds)
            move_split_lines(fig, x=t_str, y=t_att)
        text = (title + "<br>" if title else "") + f"<sup>{sub}</sup>"
        if fig.layout.title.text != text:
            fig.layout.title.text = text


def balance_chart(
    balance: pd.DataFrame, *, max_key_accounts: int | None = 5, title: str | None = "Accounts per salesperson"
) -> go.Figure:
    """Each salesperson's accounts stacked by bucket, with the key-account maximum marked.

    ``balance`` is the result of :func:`kamwidgets.balance`: its first four
    columns are the bucket counts.  People with a flag get a warning sign
    before their name and the reason on hover.
    """
    _require(balance, ("accounts", "too_many_key_accounts", "unbalanced_mix", "notes"), "a balance() result")
    title = escape(title) if title else ""
    labels = list(balance.columns[:4])
    flagged = (balance["too_many_key_accounts"] | balance["unbalanced_mix"]).to_numpy()
    people = [("\u26a0 " if f else "") + escape(p) for p, f in zip(balance.index, flagged)]
    notes = escape_all(balance["notes"].fillna(""))
    fig = go.Figure()
    for code, label in enumerate(labels):
        fig.add_trace(
            go.Bar(
                y=people,
                x=balance[label].to_numpy(),
                name=escape(label),
                orientation="h",
                marker_color=SEGMENT_COLOURS[code],
                customdata=notes,
                hovertemplate="%{y}: %{x} " + escape(label) + "<br>%{customdata}<extra></extra>",
            )
        )
    if max_key_accounts is not None:
        fig.add_shape(
            type="line",
            x0=max_key_accounts,
            x1=max_key_accounts,
            y0=0,
            y1=1,
            yref="paper",
            line=dict(color=palette.RED, width=2, dash="dot"),
            name="key account maximum",
        )
        title = (title or "") + f"<br><sup>red dotted line: at most {max_key_accounts} key accounts</sup>"
    fig.update_layout(
        barmode="stack",
        template=chart_template(),
        height=max(300, 26 * len(people) + 180),
        xaxis_title="accounts",
        yaxis=dict(autorange="reversed"),
        # two buckets a row, whatever the width: a narrow window does not push the legend onto the title
        legend=dict(orientation="h", y=1.01, yanchor="bottom", x=0, entrywidth=0.5, entrywidthmode="fraction"),
        title=dict(text=title or None, y=1, yref="container", yanchor="top", pad=dict(t=12)),  # above the legend
        margin=dict(l=10, r=20, t=115, b=50),
        meta=dict(points="salesperson", series="bucket"),  # what each bar and each colour is (the chart's table)
    )
    return fig


def effort_chart(
    effort: pd.DataFrame, *, title: str | None = "Where the time goes, where the money comes from"
) -> go.Figure:
    """Share of weekly hours against share of value, per bucket (from :func:`kamwidgets.model.effort`)."""
    _require(effort, ("hours_share", "value_share"), "an effort() result")
    labels = escape_all(effort.index)
    fig = go.Figure(
        [
            go.Bar(
                x=labels,
                y=effort["hours_share"].to_numpy(),
                name="share of weekly hours",
                marker_color=palette.EFFORT_COLOURS["hours"],
                hovertemplate="%{x}: %{y:.0%} of the hours<extra></extra>",
            ),
            go.Bar(
                x=labels,
                y=effort["value_share"].to_numpy(),
                name="share of value",
                marker_color=palette.EFFORT_COLOURS["value"],
                hovertemplate="%{x}: %{y:.0%} of the value<extra></extra>",
            ),
        ]
    )
    fig.update_layout(
        barmode="group",
        template=chart_template(),
        title=escape(title) if title else None,
        yaxis=dict(tickformat=".0%", title=None),
        height=380,
        legend=dict(orientation="h", y=-0.2),
        margin=dict(l=50, r=20, t=60, b=60),
        # what each bar is and shows, and what each colour measures (the chart's table heads its columns so)
        meta=dict(points="bucket", values="share", series="measure"),
    )
    return fig


def review_chart(
    transitions: pd.DataFrame, *, title: str | None = "Annual review: movements between buckets"
) -> go.Figure:
    """A Sankey diagram of :func:`kamwidgets.model.transitions`: last year left, this year right."""
    if list(transitions.index[-1:]) != ["new"] or list(transitions.columns[-1:]) != ["gone"]:
        raise KamDataError("the chart needs a transitions() table", fix="Pass transitions(compare(previous, current)).")
    labels = list(transitions.columns[:-1])
    left = [escape(x) + " (last year)" for x in labels] + ["New accounts"]
    right = [escape(x) + " (this year)" for x in labels] + ["Gone"]
    colours = [*SEGMENT_COLOURS, palette.NOT_PLACED]
    sources, targets, values, link_colours = [], [], [], []
    table = transitions.to_numpy()
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            if table[i, j] > 0:
                sources.append(i)
                targets.append(len(left) + j)
                values.append(int(table[i, j]))
                link_colours.append(palette.translucent(colours[i] if i < 4 else colours[j], 0.35))
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node=dict(label=left + right, color=colours + colours, pad=18, thickness=16),
            link=dict(
                source=sources,
                target=targets,
                value=values,
                color=link_colours,
                hovertemplate="%{source.label} \u2192 %{target.label}: %{value} accounts<extra></extra>",
            ),
        )
    )
    fig.update_layout(
        title=escape(title) if title else None,
        height=460,
        margin=dict(l=10, r=10, t=60, b=20),
        template=chart_template(),
    )
    return fig


def stability_chart(
    stability: pd.DataFrame,
    *,
    thresholds: tuple[float, float] | None = DEFAULT_SPLITS,
    spread: float | None = None,
    draws: int | None = None,
    title: str | None = "How firmly each account sits in its bucket",
) -> go.Figure:
    """The matrix coloured by how often each account kept its bucket (from :func:`kamwidgets.model.stability`).

    ``thresholds`` are the split lines (those the accounts were classified
    with); ``spread`` and ``draws``, when given, are named in the subtitle.
    Fragile accounts (up to 60 of them) are named on the chart.
    """
    _require(stability, ("account", "attractiveness", "strength", "kept_share", "fragile"), "a stability() result")
    t_att, t_str = splits(thresholds)
    names = escape_all(stability["account"])
    moves = escape_all(stability["likely_move"].fillna("(none)"))
    fragile = stability["fragile"].to_numpy()
    text, places = _fragile_names(stability, names, fragile) if fragile.sum() <= 60 else (None, None)
    Scatter = go.Scattergl if len(stability) > WEBGL_FROM else go.Scatter
    fig = go.Figure(
        Scatter(
            x=stability["strength"].to_numpy(dtype=np.float32),
            y=stability["attractiveness"].to_numpy(dtype=np.float32),
            mode="markers+text" if text else "markers",
            text=text,
            textposition=places or "top center",
            textfont=dict(size=10),
            marker=dict(
                color=stability["kept_share"].to_numpy(dtype=np.float32),
                colorscale="RdBu",  # red (fragile) to blue (firm): apart for every common colour vision
                cmin=0.5,
                cmax=1,
                size=np.where(fragile, 12, 7),
                colorbar=dict(title="kept", tickformat=".0%"),
                line=dict(width=0.5, color=palette.OUTLINE),
            ),
            hovertext=names,  # what each point is (a table of the chart names it by this, as meta's "points")
            customdata=np.column_stack([names, moves]),
            hovertemplate="<b>%{customdata[0]}</b><br>keeps its bucket in %{marker.color:.0%} of draws"
            "<br>else most often: %{customdata[1]}<extra></extra>",
        )
    )
    add_split_lines(fig, x=t_str, y=t_att)
    fig.update_layout(
        title=title_text(title, _stability_subtitle(int(fragile.sum()), spread, draws)),
        xaxis=dict(title=AXIS_TITLES["strength"], range=list(SCORE_RANGE)),
        yaxis=dict(title=AXIS_TITLES["attractiveness"], range=list(SCORE_RANGE)),
        template=chart_template(),
        height=540,
        margin=dict(l=60, r=20, t=80, b=50),
        meta=dict(points="account"),
    )
    return fig


def _fragile_names(stability: pd.DataFrame, names: list[str], fragile: np.ndarray) -> tuple[list[str], list[str]]:
    """The fragile accounts' names placed apart, the least firm first (text and place per account, '' for the
    others and for a name with no free place)."""
    order = np.argsort(stability["kept_share"].to_numpy(dtype=float), kind="stable")
    placed, where = place_labels(
        stability["strength"].to_numpy(dtype=float)[order],
        stability["attractiveness"].to_numpy(dtype=float)[order],
        [names[i] if fragile[i] else "" for i in order],
        x_range=SCORE_RANGE,
        y_range=SCORE_RANGE,
        size_px=STABILITY_PLOT_PX,
        widen=LABEL_WIDEN,
        marker_px=np.where(fragile, 6.0, 3.5)[order],
    )
    text, places = [""] * len(names), ["top center"] * len(names)
    for k, i in enumerate(order):
        text[i], places[i] = placed[k], where[k]
    return text, places


def _stability_subtitle(n_fragile: int, spread: float | None, draws: int | None) -> str:
    """How the weights were moved (when told) and how many accounts are fragile."""
    how = ""
    if spread is not None:
        how = f"weights moved \u00b1{float(spread):.0%}" + (f" in {int(draws)} draws" if draws else "") + "; "
    return how + f"{n_fragile:,} fragile account{'' if n_fragile == 1 else 's'}"

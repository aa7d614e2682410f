"""The numbers behind a chart, as a table: for readers who cannot see the figure, or want the figures.

:func:`chart_table` reads any figure the workbook draws (points, bars,
heat maps, flows) and returns one row per thing a reader could point at,
with the words the chart shows on hover.  Traces that show nothing on hover
(split lines, legend keys, arrows) carry no numbers and are left out.
"""

from __future__ import annotations

import html
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

__all__ = ["chart_table"]

_TAG = re.compile(r"<[^>]+>")
#: A tick format that shows a share as a percentage (``.0%``, ``.1%``): the same in d3 and in Python.
_PERCENT = re.compile(r"\.\d%")


def _plain(value: Any) -> Any:
    """Chart text as plain words: tags (line breaks, bold) out, escapes undone (the table escapes again)."""
    if isinstance(value, str):
        words = _TAG.sub("", value.replace("<br>", " · "))
        return html.unescape(" ".join(words.split())).strip(" ·")
    return value


def _title(axis: Any, fallback: str) -> str:
    text = getattr(getattr(axis, "title", None), "text", None)
    return _plain(text) if text else fallback


def _values(values: Any, n: int) -> list:
    """``values`` as a list of ``n`` (a single value repeated, nothing given: blanks)."""
    if values is None:
        return [None] * n
    if isinstance(values, str) or np.ndim(values) == 0:
        return [values] * n
    out = list(values)
    return out + [None] * (n - len(out)) if len(out) < n else out[:n]


def _details(customdata: Any, n: int) -> list:
    if customdata is None:
        return [None] * n
    rows = list(customdata)[:n]
    joined = ["; ".join(str(_plain(v)) for v in np.atleast_1d(row)) for row in rows]
    return joined + [None] * (n - len(joined))


def _silent(trace: Any) -> bool:
    """A trace that shows nothing on hover (decoration, a legend key)."""
    return getattr(trace, "hoverinfo", None) in ("skip", "none") or trace.visible is False


def _points_named(trace: Any, figure: go.Figure) -> list[str]:
    """What each point, bar or line of ``trace`` is, as its chart says: ``meta["points"]`` of the trace, else of the
    layout (a word such as ``"account"``, or a word per line of the hover text); else ``["name"]``."""
    named = _meta(trace, figure, "points")
    if isinstance(named, str):
        return [named]
    return list(named) if isinstance(named, (list, tuple)) else ["name"]


def _percent(share: Any, tick_format: str) -> str:
    """A share as the chart's hover text writes it (``.0%``: 0.625 -> ``63%``, halves rounded up as plotly does)."""
    digits = int(tick_format[1])
    return f"{Decimal(repr(float(share) * 100)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)}%"


def _number_like(value: Any) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


def _finite(value: Any) -> bool:
    """A number a percentage can be written of (not NaN or infinite)."""
    return _number_like(value) and bool(np.isfinite(value))


def _meta(trace: Any, figure: go.Figure, key: str) -> str | list[str] | None:
    """What the chart says under ``key`` in ``meta`` (the trace's, else the layout's): a word (``values="share"``)
    or a list of words, none empty; None when neither says it."""
    for meta in (getattr(trace, "meta", None), figure.layout.meta):
        said = meta.get(key) if isinstance(meta, dict) else None
        if isinstance(said, str) and said:
            return said
        if isinstance(said, (list, tuple)) and said and all(isinstance(w, str) and w for w in said):
            return list(said)
    return None


def _name_columns(names: list[str], raw: list) -> dict[str, list]:
    """The points' names (hover text or text) as columns headed ``names``: one per line when there are several,
    the last taking what is left; none when no point has a name."""
    if all(v in (None, "") for v in raw):
        return {}
    if len(names) == 1:
        return {names[0]: [_plain(v) for v in raw]}
    lines = [str(v).split("<br>", len(names) - 1) if v is not None else [] for v in raw]
    return {name: [_plain(parts[i]) if i < len(parts) else None for parts in lines] for i, name in enumerate(names)}


def _axis_column(axis: Any, values: list, fallback: str, what: str = "name") -> tuple[str | None, list]:
    """The column for one axis: named by its title (or, for names, by ``what`` the points are), values as its tick
    labels say them; None when hidden."""
    if axis.visible is False:
        return None, values
    if axis.tickvals is not None and axis.ticktext is not None:
        ticks = list(zip(axis.tickvals, axis.ticktext))
        numeric = all(isinstance(v, (int, float, np.number)) for v, _ in ticks)

        def tick(v: Any) -> Any:
            if v is None:
                return None
            if numeric and isinstance(v, (int, float, np.number)):
                return min(ticks, key=lambda t: abs(float(t[0]) - float(v)))[1]
            return dict(ticks).get(v, v)

        values = [_plain(tick(v)) for v in values]
    name = _title(axis, "")
    if not name:
        name = what if any(isinstance(v, str) for v in values) else fallback
    if axis.ticktext is None and _PERCENT.fullmatch(str(axis.tickformat or "")):  # shares read as the axis shows them
        values = [_percent(v, axis.tickformat) if _finite(v) else None if _number_like(v) else v for v in values]
    return name, values


def _legend_groups(figure: go.Figure) -> list[str]:
    """The names of the legend keys (traces with no points, drawn only to name a colour)."""
    return [
        _plain(t.name)
        for t in figure.data
        if t.name and _silent(t) and getattr(t, "x", None) is not None and all(v is None for v in t.x)
    ]


def _colour_column(trace: Any, figure: go.Figure, n: int) -> tuple[str, list] | None:
    """What the markers' colour says, when it codes a number (a colour bar) or a group (the legend keys)."""
    marker: Any = getattr(trace, "marker", None)
    colour = getattr(marker, "color", None)
    if marker is None or colour is None or isinstance(colour, str) or np.ndim(colour) != 1 or len(colour) != n:
        return None
    try:
        codes = np.asarray(colour, dtype=float)
    except (TypeError, ValueError):
        return None
    title = _plain(getattr(getattr(marker.colorbar, "title", None), "text", None) or "")
    if marker.showscale is not False and title:
        return title, list(codes)
    groups = _legend_groups(figure)
    if groups and np.all(np.isin(codes, np.arange(len(groups)))):
        legend = _plain(getattr(getattr(figure.layout.legend, "title", None), "text", None) or "")
        return legend.lower() or "group", [groups[int(c)] for c in codes]
    return None


def _point_rows(trace: Any, figure: go.Figure) -> pd.DataFrame:
    layout = figure.layout
    x, y = trace.x, trace.y
    n = max(len(x) if x is not None else 0, len(y) if y is not None else 0)
    if n == 0:
        return pd.DataFrame()
    label = _values(getattr(trace, "hovertext", None), n)
    text = _values(getattr(trace, "text", None), n)
    raw = [a if a not in (None, "") else b for a, b in zip(label, text)]
    labels = [_plain(v) for v in raw]
    names = _points_named(trace, figure)
    if getattr(trace, "mode", None) == "lines":  # a line is one thing, however many points draw it
        return pd.DataFrame(_name_columns(names, raw[:1]))
    columns: dict[str, list] = _name_columns(names, raw)
    on_dates = getattr(trace, "base", None) is not None
    numbers_on = "x" if getattr(trace, "orientation", None) == "h" else "y"  # the axis of the values
    for axis, values, fallback in ((layout.xaxis, x, "x"), (layout.yaxis, y, "y")):
        word = _meta(trace, figure, "values") if fallback == numbers_on else None
        called = word if isinstance(word, str) else fallback
        name, shown = _axis_column(axis, [_plain(v) for v in _values(values, n)], called, names[0])
        a_length_in_time = on_dates and (axis.type == "date" or not any(isinstance(v, str) for v in shown))
        if name is None or a_length_in_time:
            continue  # hidden, or a bar's length in time (its dates are in the details)
        columns[name if name not in columns else f"{name} ({fallback})"] = shown
    colour = _colour_column(trace, figure, n)
    if colour is not None:
        columns[colour[0]] = colour[1]
    details = _details(getattr(trace, "customdata", None), n)
    columns["details"] = [
        "; ".join(part for part in (d or "").split("; ") if part and part != lab) or None
        for d, lab in zip(details, labels)
    ]
    frame = pd.DataFrame(columns)
    placed = [c for c in frame.columns if c not in (*names, "details")]
    return frame[frame[placed].notna().any(axis=1)] if placed else frame


def _heatmap_rows(trace: Any, layout: Any) -> pd.DataFrame:
    z = np.asarray(trace.z, dtype=object)
    if z.ndim != 2 or z.size == 0:
        return pd.DataFrame()
    ys = _values(trace.y, z.shape[0]) if trace.y is not None else list(range(z.shape[0]))
    xs = _values(trace.x, z.shape[1]) if trace.x is not None else list(range(z.shape[1]))
    text = np.asarray(trace.text, dtype=object) if trace.text is not None and np.ndim(trace.text) == 2 else None
    rows = []
    for i, row_name in enumerate(ys):
        for j, col_name in enumerate(xs):
            rows.append(
                {
                    _title(layout.yaxis, "row"): _plain(row_name),
                    _title(layout.xaxis, "column"): _plain(col_name),
                    "value": _plain(text[i, j]) if text is not None else z[i, j],
                }
            )
    return pd.DataFrame(rows)


def _flow_rows(trace: Any) -> pd.DataFrame:
    labels = [_plain(v) for v in (trace.node.label or ())]
    link = trace.link

    def name(i: Any) -> Any:
        return labels[int(i)] if 0 <= int(i) < len(labels) else i

    return pd.DataFrame(
        {
            "from": [name(i) for i in (link.source or ())],
            "to": [name(i) for i in (link.target or ())],
            "how many": list(link.value or ()),
        }
    )


def chart_table(figure: go.Figure | dict) -> pd.DataFrame:
    """One row per point, bar, cell or flow of ``figure``, in words a reader can follow.

    Columns: the trace's name, when the chart has several, headed by what
    the traces are (``meta["series"]`` of the layout, e.g. the balance's
    ``bucket``; else the legend's title, e.g. the matrix's ``bucket``; else
    ``series``), the points' names, headed by what they are (``account``,
    ``person``...: ``meta["points"]`` of the trace or the layout, a word or
    a word per line of the hover text; else ``name``), one column per axis
    named by the axis title (an untitled axis of names by what the points
    are), ``details`` (the rest of the hover text); a heat map gives row,
    column and value; a flow chart gives from, to and how many.
    Text is plain (no markup); an empty figure gives an empty frame.
    """
    fig = figure if isinstance(figure, go.Figure) else go.Figure(figure)
    parts: list[pd.DataFrame] = []
    for trace in fig.data:
        if _silent(trace):
            continue
        if trace.type == "heatmap":
            part = _heatmap_rows(trace, fig.layout)
        elif trace.type == "sankey":
            part = _flow_rows(trace)
        elif hasattr(trace, "x") and hasattr(trace, "y"):
            part = _point_rows(trace, fig)
        else:
            continue
        if len(part):
            parts.append(part.assign(series=_plain(trace.name) if trace.name else ""))
    if not parts:
        return pd.DataFrame()
    table = pd.concat(parts, ignore_index=True)
    columns = [c for c in table.columns if c != "series"]
    if table["series"].nunique() > 1 or (table["series"] != "").all() and len(parts) > 1:
        columns.insert(0, "series")
    keep = [c for c in columns if table[c].notna().any() and not (table[c].astype(str) == "").all()]
    word = _series_word(fig)
    if word and word not in keep:
        return table[keep].rename(columns={"series": word})
    return table[keep]


def _series_word(figure: go.Figure) -> str:
    """What the traces are, to head their column: ``meta["series"]`` of the layout (``"bucket"``, ``"measure"``),
    else the legend's title; empty when the chart says neither (the column stays ``series``)."""
    said = figure.layout.meta.get("series") if isinstance(figure.layout.meta, dict) else None
    if isinstance(said, str) and said.strip():
        return said.strip()
    return _plain(getattr(getattr(figure.layout.legend, "title", None), "text", None) or "").lower()

"""Files people can take away: Excel workbooks, CSV, and self-contained HTML and Markdown reports.

Every writer treats user text as data: a cell that starts like a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return) is written to Excel as plain
text and to CSV with a leading apostrophe, so no spreadsheet runs it; HTML is
escaped; Markdown has its markup characters escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import palette
from ._files import target_file, write_atomically
from .errors import KamDataError
from .model.display import readable
from .model.plans import placement_line
from .model.swot import HEADINGS, QUADRANTS

__all__ = [
    "export_workbook",
    "export_csv",
    "Report",
    "write_html",
    "write_markdown",
    "account_plan_report",
    "swot_report",
    "FORMULA_START",
]

#: Text starting with one of these is a formula to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


#: Control characters a spreadsheet cell cannot hold (tab, line feed and carriage return it can).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: The most characters one cell holds.
EXCEL_CELL_LIMIT = 32_767


def _visible_controls(text: str) -> str:
    """Control characters as their visible Unicode pictures (U+2400...), so nothing vanishes from a cell."""
    return _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())), text)


def _is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _sheet_names(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        base = _SHEET_BAD.sub("_", str(name)).strip("'") or "Sheet"
        base = base[:31]
        candidate, n = base, 2
        while candidate.casefold() in {o.casefold() for o in out}:
            suffix = f" ({n})"
            candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
        out.append(candidate)
    return out


def export_workbook(path: str | os.PathLike, frames: Mapping[str, pd.DataFrame]) -> Path:
    """Write an .xlsx file with one sheet per frame; returns its path.

    Sheet names are made valid (31 characters, no ``[]:*?/\\``); headers are
    bold and frozen; column widths follow the content; numbers get a
    thousands format, fractions in columns named ``*_pct``, ``*share*``,
    ``*rate*`` a percent format, dates a date format.  Text that looks like a
    formula is stored as text.  (The file format keeps a carriage return in
    a cell as a line feed.)  Control characters a cell cannot hold are shown
    as their visible pictures (``\x01`` becomes ``␁``); text longer than
    a cell holds (32,767 characters) is refused, never cut.
    """
    # deferred: start-up time (openpyxl, only for an Excel file)
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if not isinstance(frames, Mapping) or not frames:
        raise KamDataError("nothing to export", fix='Pass a dict of DataFrames, e.g. {"Portfolio": classified}.')
    target = target_file(path)
    book = Workbook()
    book.remove(book.active)
    for name, (title, frame) in zip(_sheet_names(list(frames)), frames.items()):
        if not isinstance(frame, pd.DataFrame):
            raise KamDataError(f"{title!r} is a {type(frame).__name__}, not a DataFrame", fix="Pass DataFrames only.")
        sheet = book.create_sheet(name)
        flat = frame.reset_index() if not isinstance(frame.index, pd.RangeIndex) else frame
        _check_cell_lengths(title, flat)
        columns = [_visible_controls(str(c)) for c in flat.columns]
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            if _is_formula_like(cell.value):
                cell.data_type = "s"
        formats = [_number_format(c, flat[c]) for c in flat.columns]
        for number, row in enumerate(flat.itertuples(index=False, name=None), start=2):
            sheet.append([_excel_value(v) for v in row])
            # the row's cells by their numbers: sheet.max_row counts every cell of the sheet on each call
            for cell, fmt in zip((sheet.cell(number, j) for j in range(1, len(formats) + 1)), formats):
                if isinstance(cell.value, str) and _is_formula_like(cell.value):
                    cell.data_type = "s"  # text, never a live formula
                elif fmt and cell.value is not None and not isinstance(cell.value, str):
                    cell.number_format = fmt
        sheet.freeze_panes = "A2"
        for i, col in enumerate(columns, start=1):
            values = [col] + [str(v) for v in flat.iloc[:200, i - 1].tolist()]
            sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, max(len(v) for v in values) + 2))
    write_atomically(target, book.save)
    return target


def _check_cell_lengths(title: object, flat: pd.DataFrame) -> None:
    for i, col in enumerate(flat.columns):
        texts = flat.iloc[:, i]
        if not (texts.dtype == object or pd.api.types.is_string_dtype(texts.dtype)):
            continue
        lengths = texts.map(lambda v: len(v) if isinstance(v, str) else 0)
        long = lengths.to_numpy() > EXCEL_CELL_LIMIT
        if long.any():
            raise KamDataError(
                f"has text longer than a spreadsheet cell holds ({int(lengths.max()):,} characters; "
                f"the limit is {EXCEL_CELL_LIMIT:,}), which would be cut",
                source=f"sheet {title!r}",
                column=str(col),
                rows=[int(r) + 2 for r in np.flatnonzero(long)],
                fix="Shorten the text, or export this table as CSV (export_csv), which has no such limit.",
            )


def _number_format(name: object, col: pd.Series) -> str | None:
    lowered = str(name).lower()
    if pd.api.types.is_datetime64_any_dtype(col.dtype):
        return "yyyy-mm-dd"
    if pd.api.types.is_bool_dtype(col.dtype):
        return None
    if pd.api.types.is_float_dtype(col.dtype):
        if lowered.endswith("_pct") or "share" in lowered or "rate" in lowered:
            return "0.0%"
        return "#,##0.00"
    if pd.api.types.is_integer_dtype(col.dtype):
        return "#,##0"
    return None


def _excel_value(v: Any) -> Any:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime().replace(tzinfo=None)
    if isinstance(v, float) and not np.isfinite(v):
        return str(v)
    if isinstance(v, str):
        return _visible_controls(v)
    if isinstance(v, (int, float, bool, dt.date, dt.datetime)):
        return v
    return _visible_controls(str(v))


def export_csv(path: str | os.PathLike, frame: pd.DataFrame, *, sep: str = ",") -> Path:
    """Write a CSV file (UTF-8 with BOM, so Excel reads accents).

    Text that looks like a formula gets a leading ``'``.
    """
    if not isinstance(frame, pd.DataFrame):
        raise KamDataError(f"export_csv needs a DataFrame, not a {type(frame).__name__}")
    target = target_file(path)
    keep_index = not isinstance(frame.index, pd.RangeIndex)
    safe = frame.reset_index() if keep_index else frame.copy()  # the index is user text too
    safe.columns = [("'" + str(c)) if _is_formula_like(str(c)) else c for c in safe.columns]
    for col in safe.columns:
        s = safe[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype) or isinstance(s.dtype, pd.CategoricalDtype):
            safe[col] = s.astype("object").map(lambda v: "'" + v if _is_formula_like(v) else v)
    # CRLF line ends: a cell holding a carriage return or a line feed is then always quoted
    write_atomically(
        target, lambda tmp: safe.to_csv(tmp, index=False, sep=sep, encoding="utf-8-sig", lineterminator="\r\n")
    )
    return target


# ------------------------------------------------------------------ reports
@dataclass
class Report:
    """A document in blocks: ``("heading", text)``, ``("text", text)``, ``("table", DataFrame)``,
    ``("figure", plotly Figure)``, ``("status", DataFrame with title/status)``."""

    title: str
    subtitle: str = ""
    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def heading(self, text: str) -> Report:
        self.blocks.append(("heading", text))
        return self

    def text(self, text: str) -> Report:
        self.blocks.append(("text", text))
        return self

    def table(self, frame: pd.DataFrame) -> Report:
        self.blocks.append(("table", frame))
        return self

    def figure(self, fig: Any) -> Report:
        self.blocks.append(("figure", fig))
        return self


_CSS = (
    "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:980px;margin:2em auto;"
    f"padding:0 1em;color:{palette.REPORT_INK};line-height:1.45}}h1{{margin-bottom:0}}"
    f".sub{{color:{palette.MUTED};margin-top:.2em}}table{{border-collapse:collapse;margin:.6em 0 1.2em}}"
    f"td,th{{border:1px solid {palette.REPORT_RULE};padding:4px 8px;text-align:left;vertical-align:top}}"
    f"th{{background:{palette.REPORT_HEAD}}}"
    ".dot{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.4em}p{white-space:pre-wrap}"
)


def write_html(report: Report, path: str | os.PathLike, *, plotlyjs: str = "inline") -> Path:
    """An HTML file that opens offline.

    ``plotlyjs="inline"`` embeds plotly.js once in the file (self-contained,
    about 4.5 MB with a chart); ``"directory"`` writes ``plotly.min.js``
    beside it once, for a folder of many reports.
    """
    if plotlyjs not in ("inline", "directory"):
        raise KamDataError(f"plotlyjs={plotlyjs!r} is not an option", fix="Use 'inline' or 'directory'.")
    target = target_file(path)
    parts = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(report.title)}</title>"
        f"<style>{_CSS}</style></head><body><h1>{html.escape(report.title)}</h1>"
    ]
    if report.subtitle:
        parts.append(f"<p class='sub'>{html.escape(report.subtitle)}</p>")
    plotly_included = False
    for kind, content in report.blocks:
        if kind == "heading":
            parts.append(f"<h2>{html.escape(str(content))}</h2>")
        elif kind == "text":
            parts.append(f"<p>{html.escape(str(content))}</p>")
        elif kind == "table":
            parts.append(content.to_html(escape=True, index=False, border=0, na_rep=""))
        elif kind == "status":
            rows = "".join(
                f"<tr><td><span class='dot' style='background:{palette.LIGHTS.get(s, palette.NO_LIGHT)}'></span>"
                f"{html.escape(str(s))}</td><td>{html.escape(str(t))}</td><td>{html.escape(str(w))}</td></tr>"
                for t, s, w in zip(content["title"], content["status"], _status_why(content))
            )
            parts.append(f"<table><tr><th>status</th><th>section</th><th>what counts</th></tr>{rows}</table>")
        elif kind == "figure":
            if plotlyjs == "directory" and not plotly_included:
                script = target.parent / "plotly.min.js"
                if not script.exists():
                    from plotly.offline import get_plotlyjs  # deferred: start-up time (plotly)

                    write_atomically(script, lambda tmp: tmp.write_text(get_plotlyjs(), encoding="utf-8"))
                parts.append('<script src="plotly.min.js"></script>')
                plotly_included = True
            parts.append(
                content.to_html(full_html=False, include_plotlyjs=not plotly_included, config={"responsive": True})
            )
            plotly_included = True
    parts.append(f"<p class='sub'>Made with kamwidgets on {dt.date.today():%Y-%m-%d}.</p></body></html>")
    write_atomically(target, lambda tmp: tmp.write_text("".join(parts), encoding="utf-8"))
    return target


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|<>&~])")


#: What makes a line a heading, a rule, a list item or a quote when it starts the line.
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def _neutral_start(m: re.Match) -> str:
    mark = m.group(2)  # "-", "=", ... or "12." (the punctuation after the number is what is escaped)
    return m.group(1) + (mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark)


def md_escape(text: object) -> str:
    """Text made inert in Markdown: markup characters escaped, HTML as entities, line starts neutralised.

    A line of its own such as ``===`` or ``---`` would turn the line above
    into a heading or draw a rule, ``- x`` or ``1. x`` would start a list:
    the first character of such a line is escaped.
    """
    lines = []
    for line in str(text).split("\n"):
        out = _MD_SPECIAL.sub(r"\\\1", line)
        out = out.replace("\\<", "&lt;").replace("\\>", "&gt;").replace("\\&", "&amp;")
        lines.append(_MD_LINE_START.sub(_neutral_start, out))
    return "  \n".join(lines)


def _md_cell(value: object) -> str:
    """One table cell: on one line, escaped."""
    return md_escape(" ".join(str("" if value is None or value is pd.NA or value != value else value).splitlines()))


def write_markdown(report: Report, path: str | os.PathLike) -> Path:
    """A Markdown file; figures become a note (Markdown cannot hold them), tables become pipe tables."""
    target = target_file(path)
    lines = [f"# {md_escape(report.title)}", ""]
    if report.subtitle:
        lines += [f"*{md_escape(report.subtitle)}*", ""]
    for kind, content in report.blocks:
        if kind == "heading":
            lines += [f"## {md_escape(content)}", ""]
        elif kind == "text":
            lines += [md_escape(content), ""]
        elif kind in ("table", "status"):
            frame = (
                content
                if kind == "table"
                else pd.DataFrame(
                    {"section": content["title"], "status": content["status"], "what counts": _status_why(content)}
                )
            )
            lines.append("| " + " | ".join(_md_cell(c) for c in frame.columns) + " |")
            lines.append("|" + "---|" * len(frame.columns))
            for row in frame.itertuples(index=False):  # a table row must stay on one line
                cells = (_md_cell(v) for v in row)
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
        elif kind == "figure":
            lines += ["*(chart: see the HTML version of this report)*", ""]
    write_atomically(target, lambda tmp: tmp.write_text("\n".join(lines), encoding="utf-8"))
    return target


def _status_why(plan: pd.DataFrame) -> list[str]:
    """Why each section has its status (plans saved before the reason was kept show their word count)."""
    if "why" in plan.columns:
        return [str(w) for w in plan["why"]]
    return [f"{int(w)} words of your own" for w in plan["words"]]


def account_plan_report(
    account: str,
    plan: pd.DataFrame,
    *,
    swot_items: pd.DataFrame | None = None,
    strategies: pd.DataFrame | None = None,
    extra_figures: Sequence[Any] = (),
) -> Report:
    """The account plan (from ``plan_frame`` or ``AccountPlan.value``) as a :class:`Report`."""
    report = Report(f"Account plan: {account}", subtitle=f"{dt.date.today():%B %Y}")
    report.blocks.append(("status", plan))
    for row in plan.itertuples():
        report.heading(row.title).text(row.text or "(empty)")
    if swot_items is not None:
        swot_report(account, swot_items, strategies, into=report)
    for fig in extra_figures:
        report.figure(fig)
    return report


def swot_report(
    subject: str, items: pd.DataFrame, strategies: pd.DataFrame | None = None, *, into: Report | None = None
) -> Report:
    """The SWOT grid and its strategies (with the timeline) as a :class:`Report` (or added to ``into``)."""
    from .charts.swot import swot_timeline  # deferred: start-up time (the charts import plotly)

    report = into if into is not None else Report(f"SWOT: {subject}", subtitle=f"{dt.date.today():%B %Y}")
    report.heading("SWOT")
    ordered = items.sort_values("importance", ascending=False, kind="stable")
    for q in QUADRANTS:
        part = ordered[ordered["quadrant"] == q]
        report.table(part[["text", "importance"]].rename(columns={"text": HEADINGS[q]}))
    if strategies is not None and len(strategies):
        report.heading("Strategies")
        columns = ["kind", "strategy", "owner", "start", "end"]
        if "cross" in strategies.columns and strategies["cross"].fillna("").astype(str).str.strip().ne("").any():
            columns.append("cross")  # the TOWS cross, the workbook's optional addition
        report.table(strategies[columns])
        report.figure(swot_timeline(strategies))
    return report


#: The course's takeaways in the workbook's words, as the wrap-up (lesson 15) recaps them: the first part of
#: the printable summary, to highlight.
COURSE_IN_A_FEW_LINES: tuple[str, ...] = (
    "What and why: KAM manages the relationship with a customer as a process, led by sales people with "
    "standard tools and shaped by both sides' strategic intent; a long-term investment that makes you hard "
    "to replace.",
    "When: it depends on the customer, the opportunity and your own business; the return has to pay for the "
    "people and the time.",
    "The spectrum: four levels of account management, an evolution set by your intent and the customer's, "
    "growing side by side.",
    "A few customers (two or three) on KAM and the rest on the normal sales approach, possibly by the same "
    "salesperson: no right or wrong.",
    "The buyer is one piece of the puzzle: watch their interest and their involvement.",
    "Traditional sales and the KAM task force serve different purposes and need different resources.",
    "The journey: where you are, where you want to be, how you get there; there is no point in KAM without "
    "customers that fit it.",
    "The tools, in order: classify the portfolio (criteria for each bucket, customers placed one by one, "
    "reviewed every year), then for each chosen customer an analysis, a value proposition built with them, "
    "and a short key account plan that people open, never a tick in the box.",
)


def summary_report(
    account: str,
    *,
    classified: pd.DataFrame | None = None,
    spectrum: pd.DataFrame | None = None,
    buyers: pd.DataFrame | None = None,
    plan: pd.DataFrame | None = None,
    readiness: pd.DataFrame | None = None,
    course: bool = True,
) -> Report:
    """One page to print and take away: the course in a few lines, the portfolio's buckets, then the account.

    ``course`` puts the course's takeaways first (:data:`COURSE_IN_A_FEW_LINES`),
    to print and highlight.  Every other part is optional: what the workbook
    has is shown, in the order of the course (classification, the spectrum,
    the buyer, getting ready, the plan), and a part that is the workbook's own
    (the recommended level, the buyers' suggested action, the readiness
    scores, the plan's lights) says so.  No figures, so it prints on a page or
    two.
    """
    report = Report(f"Key account summary: {account}", subtitle=f"{dt.date.today():%B %Y}")
    if course:
        report.heading("The course in a few lines").text("\n".join(f"\u2022 {line}" for line in COURSE_IN_A_FEW_LINES))
    # every table as the page shows it: shares in %, one decimal at most, headers in words
    if classified is not None and "segment" in classified.columns:
        counts = classified["segment"].value_counts().reindex(list(classified["segment"].cat.categories), fill_value=0)
        report.heading("The portfolio in four buckets").table(
            readable(counts.rename("accounts").rename_axis("bucket").reset_index())
        )
        row = classified[classified["account"] == account]
        if len(row):
            report.text(f"{account}: {placement_line(row.iloc[0])}")
    if spectrum is not None and len(spectrum):
        report.heading("The relationship: where it is, where to aim (the workbook's reading)")
        report.table(readable(spectrum.reset_index()[["position", "number", "label", "why"]]))
    if buyers is not None and len(buyers):
        report.heading("The buyers (the suggested action is the workbook's)").table(
            readable(buyers[["buyer", "quadrant", "action"]])
        )
    if readiness is not None and len(readiness):
        # whole percentages, as the readiness form shows them
        report.heading("Are we ready? (the workbook's scores)").table(
            readable(readiness.reset_index(), share_decimals=0)
        )
    if plan is not None and len(plan):
        report.heading("The account plan")
        report.text("Red, amber and green are the workbook's completeness check, not the course's.")
        report.blocks.append(("status", plan))
    return report

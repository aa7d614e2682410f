"""Take your work away from the page: download buttons for the files a lesson produces."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as W
import pandas as pd

from .._files import file_stem
from ..export import export_workbook, write_html, write_markdown
from ..model.classification import balance
from ..model.criteria import AXES
from ..model.display import column_words
from ._base import KamWidget
from ._transfer import DownloadButton
from .account import ForAccount

__all__ = ["Downloads", "file_bytes", "summary_sheets"]


def file_bytes(write: Callable[[Path], Any], name: str) -> bytes:
    """The bytes of a file made by ``write(path)`` in a private temporary folder (removed after)."""
    with tempfile.TemporaryDirectory(prefix="kamwidgets-") as folder:
        path = Path(folder) / name
        written = write(path)
        return Path(written or path).read_bytes()


def _value(x: Any) -> Any:
    """What a file holds of a widget: its ``for_download()`` where it has one (a whole check), else ``.value``."""
    if isinstance(x, ForAccount):
        x = x.tool
    if isinstance(x, KamWidget):
        made = getattr(x, "for_download", None)
        return made() if callable(made) else x.value
    return x


class Downloads(W.VBox):
    """Download buttons for what the workbook knows: each file is made when its button is pressed.

    Parameters
    ----------
    classified:
        A classified portfolio, or a :class:`ClassificationWidget` (its
        current result): the Excel summary (accounts, balance per person).
    rules:
        A :class:`RuleClassifier` (or its ``.value``): the course's
        classification in the Excel summary, first: each account's bucket,
        whether the criteria or a hand placed it, the reason, and the
        balance per salesperson.  With ``classified`` too, the matrix's
        buckets follow on sheets of their own.
    marketing:
        A :class:`MarketingPlan`: the plan as HTML and as Markdown.
    plan:
        An :class:`AccountPlan`: the plan as HTML and as Markdown.
    swot:
        A :class:`SwotGrid`: the SWOT as HTML.
    tables:
        More sheets for the Excel summary: ``{"Sheet name": frame or widget}``
        (a widget gives its ``.value``); alone, they make the Excel file.
    summary:
        A function returning a :class:`kamwidgets.export.Report` (such as
        :func:`kamwidgets.export.summary_report` of the current work): a
        one-page HTML summary to print.
    store:
        A workbook store: the whole workbook as one JSON file (every saved
        version; :meth:`kamwidgets.store.Store.import_` reads it back).
    name:
        The start of the file names (for example the account's name).

    Attributes
    ----------
    buttons : dict
        ``excel``, ``plan_html``, ``plan_markdown``, ``marketing_html``,
        ``marketing_markdown``, ``swot_html``, ``summary``, ``workbook``:
        the :class:`DownloadButton` of each file offered; ``buttons[k].file()``
        returns ``(filename, bytes)``.
    """

    def __init__(
        self,
        *,
        classified: Any = None,
        rules: Any = None,
        plan: Any = None,
        marketing: Any = None,
        swot: Any = None,
        tables: dict[str, Any] | None = None,
        summary: Callable[[], Any] | None = None,
        store: Any = None,
        name: str = "kam",
    ) -> None:
        stem = file_stem(name)
        self.buttons: dict[str, DownloadButton] = {}
        if classified is not None or rules is not None or tables:

            def excel(path: Path) -> Any:
                return export_workbook(path, summary_sheets(classified=classified, rules=rules, tables=tables))

            self.buttons["excel"] = DownloadButton(
                "Excel summary", f"{stem}-summary.xlsx", lambda: file_bytes(excel, "summary.xlsx")
            )
        # a report as a web page (and as Markdown): made from the tool's report() when the button is pressed
        for key, label, slug, tool, markdown in (
            ("plan", "Account plan", "account-plan", plan, True),
            ("marketing", "Marketing plan", "marketing-plan", marketing, True),
            ("swot", "SWOT", "swot", swot, False),
        ):
            if tool is not None:
                self.buttons.update(_report_buttons(key, label, f"{stem}-{slug}", tool, markdown=markdown))
        if summary is not None:
            self.buttons["summary"] = DownloadButton(
                "One-page summary (HTML, to print)",
                f"{stem}-summary.html",
                lambda: file_bytes(lambda p: write_html(summary(), p), "summary.html"),
            )
        if store is not None:
            self.buttons["workbook"] = DownloadButton(
                "The whole workbook (JSON)",
                f"{stem}-workbook.json",
                lambda: file_bytes(lambda p: store.export(p), "workbook.json"),
            )
        super().__init__(
            [
                W.HTML("<b>Take it with you</b> (each file is made from your work as it is when you press)"),
                # a grid of equal columns, as many as fit: each file's name comes under its button after a
                # download, and the row never reaches past the page's edge
                W.GridBox(
                    list(self.buttons.values()),
                    layout=W.Layout(
                        grid_template_columns="repeat(auto-fill, minmax(14rem, 1fr))",
                        grid_gap="6px 12px",
                        align_items="flex-start",
                        width="100%",
                    ),
                ),
            ]
        )


#: The course's classification in the Excel summary: the columns a reader needs (headers in words).
_RULE_COLUMNS = ("account", "account_manager", "segment", "placed_by", "reason", "matched")


def summary_sheets(*, classified: Any = None, rules: Any = None, tables: dict[str, Any] | None = None) -> dict:
    """The Excel summary's sheets: the course's classification first, then the matrix's, then ``tables``."""
    sheets: dict[str, Any] = {}
    if rules is not None:
        placed = _value(rules)
        by = "account_manager" if "account_manager" in placed.columns else None
        keep = [c for c in _RULE_COLUMNS if c in placed.columns]
        sheets["Course classification"] = placed[keep].rename(columns=column_words)
        sheets["Balance (course)"] = _in_words(balance(placed, by=by))
    frame = None if classified is None else _value(classified)
    if frame is not None:  # a matrix that could not be made (too few figures) has no sheets
        by = "account_manager" if "account_manager" in frame.columns else None
        both = rules is not None
        sheets["Matrix classification" if both else "Accounts"] = frame
        if isinstance(frame, pd.DataFrame) and "segment" in frame.columns:
            sheets["Balance (matrix)" if both else "Balance"] = _in_words(balance(frame, by=by))
        settings = getattr(classified, "settings", None) if isinstance(classified, KamWidget) else None
        if isinstance(settings, dict) and settings.get("attractiveness"):
            sheets["Matrix weights"] = _weights_sheet(settings)
    for title, table in (tables or {}).items():
        sheets[title] = _value(table)
    return sheets


def _weights_sheet(settings: dict) -> pd.DataFrame:
    """The matrix's criteria as the participant set them: each weight as a share of its axis, and the splits."""
    rows = []
    for axis, split in zip(AXES, settings.get("thresholds", (None, None))):
        criteria = settings.get(axis, [])
        total = sum(float(c["weight"]) for c in criteria) or 1.0
        for c in criteria:
            rows.append(
                {
                    "axis": axis,
                    "criterion": c["column"],
                    "weight": float(c["weight"]),
                    "share of the axis": float(c["weight"]) / total,
                    "split (high from)": split,
                }
            )
    return pd.DataFrame(rows)


def _in_words(table: pd.DataFrame) -> pd.DataFrame:
    """A balance table for people: its headers in words, the salesperson as a column."""
    return table.reset_index().rename(columns=column_words)


def _report_buttons(key: str, label: str, stem: str, tool: Any, *, markdown: bool) -> dict[str, DownloadButton]:
    """``KEY_html`` (and ``KEY_markdown``): the tool's report as files, made when the button is pressed."""

    def made_with(write: Callable[[Any, Path], Any], suffix: str) -> Callable[[], bytes]:
        return lambda: file_bytes(lambda p: write(tool.report(), p), f"report.{suffix}")

    kinds: list[tuple[str, str, str, Callable[..., Any]]] = [("html", "HTML", "html", write_html)]
    if markdown:
        kinds.append(("markdown", "Markdown", "md", write_markdown))
    return {
        f"{key}_{kind}": DownloadButton(f"{label} ({shown})", f"{stem}.{suffix}", made_with(write, suffix))
        for kind, shown, suffix, write in kinds
    }

"""The SWOT grid with its strategies and their timeline."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import pandas as pd

from ..charts.swot import swot_timeline
from ..errors import KamDataError
from ..export import swot_report
from ..model._schema import typed_rows
from ..model.swot import (
    HEADINGS,
    ITEM_FIELDS,
    QUADRANTS,
    STRATEGY_FIELDS,
    check_items,
    check_strategies,
    items_long,
    swot_grid,
    tows_prompts,
)
from ..palette import SWOT_COLOURS
from ._base import Chart, KamWidget, escape, html_table
from ._form import TableEditor, TableTool, hold_back, renumbered, rows_to_save, with_rows_left_out
from ._traits import Text

__all__ = ["SwotGrid"]


class SwotGrid(TableTool, KamWidget):
    """A SWOT towards a customer or a market, with offensive and protective strategies.

    Parameters
    ----------
    items:
        ``quadrant``, ``text``, ``importance`` (1-5), one row per item.
    strategies:
        ``kind`` (offensive or protective), ``strategy``, ``owner``, ``start``,
        ``end``, and optionally ``cross`` (SO, ST, WO, WT: the workbook's TOWS
        addition).  A strategy with a cross and no kind (saved before
        strategies had a kind) gets its cross's kind.
    subject:
        The customer or market the SWOT is about.

    Attributes
    ----------
    value : DataFrame
        The items, checked.
    strategies : DataFrame
        The strategies, checked, with ``kind`` and dates.
    prompts : DataFrame
        Questions pairing the most important items of each cross.
    controls : dict
        ``item<i>.quadrant``/``.text``/``.importance``, ``itemadd``,
        ``itemremove<i>``; ``strategy<i>.kind``/``.strategy``/``.owner``/
        ``.start``/``.end``/``.cross``, ``strategyadd``, ``strategyremove<i>``;
        ``subject``.
    """

    kind = "swot"
    fields = ITEM_FIELDS
    inputs = ("subject",)

    subject = Text("", help="what the SWOT is about (an account, a product, a region)")

    def __init__(self, items: Any = None, strategies: Any = None, *, subject: str = "") -> None:
        super().__init__()
        self.subject = subject
        self.controls["subject"] = W.Text(description="About", continuous_update=False)
        self._bind("subject", "subject")
        self.grid = W.HTML()
        self.strategies = check_strategies(None)
        self.prompts = pd.DataFrame()
        self.prompt_html = W.HTML()
        self.figure = Chart()
        self._build_editor(items, prefix="item")
        self.strategy_editor = TableEditor(
            STRATEGY_FIELDS, self.controls, self._changed, prefix="strategy", text_width="170px"
        )  # six columns fit in 1,100 px
        try:
            self.strategy_editor.set_rows(check_strategies(strategies)[[f.name for f in STRATEGY_FIELDS]])
        except KamDataError as err:
            self.show_error(err)
        self.children = (
            self.controls["subject"],
            W.HTML("<b>Items</b>"),
            self.editor,
            self.grid,
            W.HTML(
                "<b>Strategies</b>: for each, its kind (<i>offensive</i>: how we move forward; "
                "<i>protective</i>: how we defend the position we have), an owner, a start and an end. "
                "The last column, the TOWS cross, is optional: the workbook's addition."
            ),
            W.HTML("<i>Questions to start the talk (the workbook's: your most important items, paired)</i>"),
            self.prompt_html,
            self.strategy_editor,
            self.message,
            self.figure,
        )
        self._start()

    def _prepare(self, rows: Any) -> Any:
        return items_long(rows)

    def _check(self, rows: Any) -> Any:
        items = check_items(rows)
        if not hasattr(self, "strategy_editor"):  # still being built
            return items
        typed, held = self.strategy_editor.rows(), self.strategy_editor.held()
        kept = [i for i in range(len(typed)) if i not in held]  # a strategy held back is left out until changed
        try:
            self.strategies = check_strategies([typed[i] for i in kept])
        except KamDataError as err:
            err = renumbered(err, kept, STRATEGY_FIELDS)
            self.strategy_editor.show_problem(err.rows[0] - 1 if err.rows else None, str(err))
            raise err from None
        self.strategy_editor.show_problem(None, "")
        return items

    def _held_notes(self) -> list[str]:
        return [*super()._held_notes(), *self.strategy_editor.held().values()]

    def _strategies_to_show(self, strategies: Any) -> tuple[pd.DataFrame, dict[int, str]]:
        """Saved strategies for the editor, each one the check refuses held back (``{line: what to change}``); a
        table of another shape (a column no strategy has) is refused whole."""
        typed, others = typed_rows(strategies, STRATEGY_FIELDS)
        if others:
            return check_strategies(strategies)[[f.name for f in STRATEGY_FIELDS]], {}
        clean, held = hold_back(typed, STRATEGY_FIELDS, check_strategies)
        return with_rows_left_out(typed, clean, STRATEGY_FIELDS, held), held

    def _show(self, value: Any) -> None:
        grid = swot_grid(value)
        cells = []
        for q in QUADRANTS:
            body = "".join(f"<li>{escape(t)}</li>" for t in grid[q]) or "<li><i>nothing yet</i></li>"
            cells.append(
                f'<td style="width:50%;vertical-align:top;border-top:4px solid {SWOT_COLOURS[q]};padding:6px">'
                f"<b>{HEADINGS[q]}</b><ul>{body}</ul></td>"
            )
        self.grid.value = (
            f'<table style="width:100%"><tr>{cells[0]}{cells[1]}</tr><tr>{cells[2]}{cells[3]}</tr></table>'
        )
        self.prompts = tows_prompts(value)
        self.prompt_html.value = html_table(
            self.prompts[["cross", "question"]],
            max_rows=8,
            empty="Add strengths, weaknesses, opportunities and threats to get prompts.",
        )
        self.figure.show(swot_timeline, self.strategies)

    @property
    def settings(self) -> dict:
        return {
            "subject": self.subject,
            "items": self.saved_rows(self.value),
            "strategies": rows_to_save(self.strategy_editor, self.strategies),  # one held back too, as given
        }

    def apply_settings(self, settings: dict) -> None:
        # saved strategies a later check refuses come back held, as the items do (TableTool.set_rows)
        strategies, held = self._strategies_to_show(settings["strategies"])
        with self.hold():
            self.subject = settings["subject"]
            self.strategy_editor.set_rows(strategies, held)
            self._pending = False  # set_rows recomputes
        self.set_rows(settings["items"])

    def report(self):
        """This SWOT as a report for :func:`kamwidgets.export.write_html` / ``write_markdown``."""
        return swot_report(self.subject or "SWOT", self.value, self.strategies)

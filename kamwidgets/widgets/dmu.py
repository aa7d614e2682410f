"""The decision-making unit widget: who takes part in the purchase, and whom we reach."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..charts.dmu import dmu_chart
from ..model.dmu import FIELDS, dmu_summary
from ._base import Chart, KamWidget, Notes, html_table
from ._form import TableTool

__all__ = ["DecisionUnit"]


class DecisionUnit(TableTool, KamWidget):
    """The people at one customer with function, buying role, influence and our coverage.

    Attributes
    ----------
    value : DataFrame
        :func:`kamwidgets.model.dmu.dmu_summary` of the table: the people by
        influence with ``reach`` and ``gap``.
    warnings : list of str
        What to worry about (the purchaser as the only contact, influential
        people we hardly reach, no known decider).
    controls : dict
        ``row<i>.person``/``.function``/``.role``/``.influence``/``.coverage``,
        ``rowadd``, ``rowremove<i>``.
    """

    kind = "decision_unit"
    fields = FIELDS

    def __init__(self, people: Any = None) -> None:
        super().__init__()
        self.warnings = Notes()
        self.figure = Chart()
        self.notes = W.HTML()
        self._build_editor(people)
        self.children = (self.editor, self.message, self.notes, self.figure)
        self.recompute()

    def _check(self, rows: Any) -> Any:
        frame, self._pending_warnings = dmu_summary(rows)
        return frame

    def _show(self, value: Any) -> None:
        self.warnings = Notes(self._pending_warnings)
        self.notes.value = self.warnings.html()
        self.figure.show(dmu_chart, value)

    @property
    def settings(self) -> dict:
        return {"people": self.saved_rows(self.value)}

    def apply_settings(self, settings: dict) -> None:
        self.set_rows(settings.get("people", []))

    def table(self) -> str:
        """The people as an escaped HTML table (for reports)."""
        return html_table(self.value)

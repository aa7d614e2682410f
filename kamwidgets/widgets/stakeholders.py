"""Supporters and opponents: stance and influence, and who could move whom."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import pandas as pd

from ..charts.stakeholders import stakeholder_map
from ..model.stakeholders import FIELDS, check_stakeholders, suggest_moves
from ._base import Chart, KamWidget, html_table
from ._form import TableTool
from ._traits import Score

__all__ = ["StakeholderMap"]


class StakeholderMap(TableTool, KamWidget):
    """Each person's stance and influence on a map, with suggested moves.

    Parameters
    ----------
    people:
        ``person``, ``function``, ``stance`` (supporter, cautious supporter,
        neutral, constructive critic, opponent), ``influence`` (0-10).
    contacts:
        The contact matrix (a :class:`ContactMatrix` widget, which is then
        followed as it changes, or a frame) to say who of ours can ask each
        supporter.

    Attributes
    ----------
    value : DataFrame
        The people, checked, with ``support`` (+2 ... -2).
    suggestions : DataFrame
        :func:`kamwidgets.model.stakeholders.suggest_moves`.
    min_influence : trait
        Influence (0-10) from which a reluctant person is worth moving;
        setting it recomputes the suggestions.
    """

    kind = "stakeholders"
    fields = FIELDS
    inputs = ("min_influence",)

    min_influence = Score(5.0, help="influence from which a reluctant person is worth moving, 0-10")

    def __init__(self, people: Any = None, *, contacts: Any = None, min_influence: float = 5.0) -> None:
        super().__init__()
        self.min_influence = min_influence
        self._contacts = contacts
        if isinstance(contacts, KamWidget):
            contacts.observe(lambda _: self.recompute(), names="value")
        self.suggestions = pd.DataFrame()
        self.figure = Chart()
        self.notes = W.HTML()
        self._build_editor(people)
        self.children = (self.editor, self.message, self.figure, self.notes)
        self._start()

    def _contact_frame(self) -> Any:
        c = self._contacts
        return c.value if isinstance(c, KamWidget) else c

    def _check(self, rows: Any) -> Any:
        return check_stakeholders(rows)

    def _show(self, value: Any) -> None:
        self.suggestions = suggest_moves(value, self._contact_frame(), min_influence=self.min_influence)
        self.figure.show(stakeholder_map, value, self.suggestions)
        self.notes.value = "<p><b>Who could move whom</b></p>" + html_table(
            self.suggestions, empty="No reluctant person with influence, or no supporter strong enough."
        )

    @property
    def settings(self) -> dict:
        return {"people": self.saved_rows(self.value), "min_influence": self.min_influence}

    def apply_settings(self, settings: dict) -> None:
        with self.hold():
            self.min_influence = settings["min_influence"]
            self._pending = False  # set_rows recomputes
        self.set_rows(settings["people"])

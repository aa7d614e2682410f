"""The contact matrix widget: our people against theirs, coverage gaps and single points of failure."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import pandas as pd
import traitlets

from ..charts.contacts import contact_heatmap
from ..model.contacts import FIELDS, check_contacts, coverage, from_wide, to_wide
from ._base import Chart, KamWidget, Notes, html_table
from ._form import TableTool
from ._traits import Texts

__all__ = ["ContactMatrix"]


class ContactMatrix(TableTool, KamWidget):
    """Who in our team talks with whom at the customer, and how often.

    Parameters
    ----------
    contacts:
        Long form (``our_side``, ``their_side``, ``frequency``, ``owner``) as
        a DataFrame, list of dicts or file; or a wide matrix (our side as
        index, theirs as columns) with ``wide=True``.
    their:
        The customer's functions to check for gaps even if nobody talks with
        them yet (e.g. Purchasing, Technical, Quality, Production, Finance).

    Attributes
    ----------
    value : DataFrame
        The long form, checked.
    wide : DataFrame
        The matrix: our side down, theirs across.
    coverage : DataFrame
        Per their function: links, our people, contacts a year, ``gap``,
        ``single_point``.
    warnings : list of str
    their : trait
        The customer's functions always checked for gaps (a list of names);
        setting it recomputes.
    """

    kind = "contact_matrix"
    fields = FIELDS
    inputs = ("their",)

    their = Texts(what="their functions", help="the customer's functions always checked for gaps")

    @traitlets.default("their")
    def _nobody(self) -> list:
        return []

    def __init__(self, contacts: Any = None, *, their: list[str] | None = None, wide: bool = False) -> None:
        super().__init__()
        self.their = their or []
        self.warnings = Notes()
        self.coverage = pd.DataFrame()
        self.figure = Chart()
        self.notes = W.HTML()
        self._build_editor(from_wide(contacts) if wide and contacts is not None else contacts)
        self.children = (self.editor, self.message, self.figure, self.notes)
        self._start()

    def _check(self, rows: Any) -> Any:
        return check_contacts(rows)

    @property
    def wide(self) -> pd.DataFrame:
        return to_wide(self.value, their=list(dict.fromkeys(self.their + self.value["their_side"].tolist())))

    def _show(self, value: Any) -> None:
        self.coverage, warnings = coverage(value, their=self.their)
        self.warnings = Notes(warnings)
        self.figure.show(contact_heatmap, self.wide)
        self.notes.value = self.warnings.html() + html_table(self.coverage)

    @property
    def settings(self) -> dict:
        return {"contacts": self.saved_rows(self.value), "their": list(self.their)}

    def apply_settings(self, settings: dict) -> None:
        with self.hold():
            self.their = settings["their"]
            self._pending = False  # set_rows recomputes
        self.set_rows(settings["contacts"])

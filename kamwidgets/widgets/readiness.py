"""Making it happen: a readiness check and the choice of one to three pilot accounts."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import pandas as pd

from ..model.readiness import QUESTIONS, readiness, suggest_pilots
from ._base import KamWidget, escape, html_table

__all__ = ["MakingItHappen"]


class MakingItHappen(KamWidget):
    """Is the team ready, which accounts go first, and what do we expect to learn?

    Attributes
    ----------
    value : DataFrame
        Readiness per area (resources, teams, departments, training): score
        0-1 and status.
    pilots : DataFrame
        The chosen pilot accounts.
    lessons : list of str
        The three lessons the team expects to learn.
    controls : dict
        ``q_<id>`` (1-5 per question), ``pilots`` (a multiple choice of the
        portfolio's accounts, at most three), ``lesson_1`` ... ``lesson_3``.
    """

    kind = "making_it_happen"

    def __init__(self, classified: pd.DataFrame | None = None, *, stability: pd.DataFrame | None = None) -> None:
        super().__init__()
        self.classified = classified
        for qid, _, text in QUESTIONS:
            self.controls[f"q_{qid}"] = W.ToggleButtons(
                options=[1, 2, 3, 4, 5], value=3, style={"button_width": "34px"}, tooltips=[text] * 5
            )
        accounts = list(classified["account"]) if classified is not None else []
        suggested = list(suggest_pilots(classified, stability=stability)["account"]) if classified is not None else []
        self.controls["pilots"] = W.SelectMultiple(
            options=accounts, value=suggested, rows=8, description="Pilots", layout=W.Layout(width="420px")
        )
        for i in (1, 2, 3):
            self.controls[f"lesson_{i}"] = W.Text(
                description=f"Lesson {i}",
                continuous_update=False,
                placeholder="What do we expect to learn?",
                layout=W.Layout(width="520px"),
            )
        for c in self.controls.values():
            c.observe(self._changed, names="value")
        self.result = W.HTML()
        questions = [W.HBox([self.controls[f"q_{qid}"], W.Label(f"{area}: {text}")]) for qid, area, text in QUESTIONS]
        self.children = (
            W.HTML("<b>How ready are we?</b> 1 = not at all, 5 = fully"),
            *questions,
            W.HTML("<b>Pilot accounts</b> (one to three; suggested: the firmest key accounts)"),
            self.controls["pilots"],
            W.HTML("<b>Three lessons we expect to learn</b>"),
            *[self.controls[f"lesson_{i}"] for i in (1, 2, 3)],
            self.message,
            self.result,
        )
        self.recompute()

    @property
    def pilots(self) -> pd.DataFrame:
        chosen = list(self.controls["pilots"].value)
        if self.classified is None:
            return pd.DataFrame({"account": chosen})
        return self.classified[self.classified["account"].isin(chosen)].reset_index(drop=True)

    @property
    def lessons(self) -> list[str]:
        return [self.controls[f"lesson_{i}"].value for i in (1, 2, 3)]

    def recompute(self) -> None:
        with self.reporting():
            chosen = self.controls["pilots"].value
            if not 1 <= len(chosen) <= 3 and self.classified is not None:
                from ..errors import KamDataError

                raise KamDataError(f"{len(chosen)} pilot accounts are chosen", fix="Start with one to three accounts.")
            self.value = readiness({qid: self.controls[f"q_{qid}"].value for qid, *_ in QUESTIONS})
            self.clear_error()
            weakest = self.value["readiness"].idxmin()
            note = (
                f"<p>Weakest area: <b>{escape(weakest)}</b>. Fix it before the pilot, or plan for it.</p>"
                if self.value.loc[weakest, "status"] != "ready"
                else "<p>Every area looks ready.</p>"
            )
            self.result.value = html_table(self.value.reset_index(), float_format="{:.0%}") + note

    @property
    def settings(self) -> dict:
        out: dict[str, Any] = {f"q_{qid}": self.controls[f"q_{qid}"].value for qid, *_ in QUESTIONS}
        out["pilots"] = list(self.controls["pilots"].value)
        out["lessons"] = self.lessons
        return out

    def apply_settings(self, settings: dict) -> None:
        with self.hold():
            for key, v in settings.items():
                if key.startswith("q_") and key in self.controls:
                    self.controls[key].value = v
            if "pilots" in settings:
                self.controls["pilots"].value = tuple(
                    a for a in settings["pilots"] if a in self.controls["pilots"].options
                )
            for i, text in enumerate(settings.get("lessons", []), start=1):
                self.controls[f"lesson_{i}"].value = text

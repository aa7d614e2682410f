"""Making it happen: a readiness check and the choice of one to three pilot accounts."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import pandas as pd
import traitlets

from ..errors import KamDataError
from ..model import checks
from ..model.criteria import size_column
from ..model.readiness import QUESTIONS, readiness, suggest_pilots
from ._base import Input, KamWidget, escape, html_table
from ._traits import Checked
from .account import account_names

__all__ = ["MakingItHappen"]


def _three_lessons(value: Any) -> tuple[str, str, str]:
    """Up to three texts, as three (the ones not given empty)."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or len(value) > 3:
        raise KamDataError(f"lessons must be up to three texts, not {value!r}")
    texts = [checks.text(v, f"lesson {i}") for i, v in enumerate(value, start=1)]
    return tuple(texts + [""] * (3 - len(texts)))  # type: ignore[return-value]


class MakingItHappen(KamWidget):
    """Is the team ready, which accounts go first, and what do we expect to learn?

    Attributes
    ----------
    value : DataFrame
        Readiness per area (the areas of
        :data:`kamwidgets.model.readiness.AREAS`: customer, return,
        resources, teams, departments, systems, training): score 0-1 and
        status.
    pilots : DataFrame
        The chosen pilot accounts.
    lessons : list of str
        The three lessons the team expects to learn.
    controls : dict
        ``q_<id>`` (1-5 per question), ``pilots`` (a multiple choice of the
        portfolio's accounts, at most three), ``lesson_1`` ... ``lesson_3``.
    answers, pilot_accounts, lessons : traits
        ``{question id: 1-5}``, the chosen accounts' names (a tuple) and the
        three lessons (a tuple of texts), linked to the controls above.
    """

    kind = "making_it_happen"
    inputs = ("answers", "pilot_accounts", "lessons")

    answers = Input(help="{question id: answer 1-5}")
    pilot_accounts = Input((), help="the names of the chosen pilot accounts")
    lessons = Checked(_three_lessons, ("", "", ""), help="the three lessons the team expects to learn")

    @traitlets.default("answers")
    def _middle_answers(self) -> dict:
        return {qid: 3 for qid, *_ in QUESTIONS}

    @traitlets.validate("answers")
    def _valid_answers(self, proposal: Any) -> dict[str, int]:
        value = proposal["value"]
        if not isinstance(value, dict):
            raise KamDataError(f"answers must be a dict {{question id: 1-5}}, not {value!r}")
        current = self.answers
        out = {}
        for qid, *_ in QUESTIONS:
            v = value.get(qid, current[qid])
            out[qid] = checks.whole_number(v, f"the answer to {qid!r}", low=1)
            if out[qid] > 5:
                raise KamDataError(
                    f"the answer {v!r} to {qid!r} is not 1 to 5", fix="Answer 1 (not at all) to 5 (fully)."
                )
        for qid in value:
            checks.choice(qid, [q for q, *_ in QUESTIONS], "answers")
        return out

    @traitlets.validate("pilot_accounts")
    def _valid_pilots(self, proposal: Any) -> tuple[str, ...]:
        chosen = tuple(checks.texts(proposal["value"], "pilot accounts"))
        classified = getattr(self, "classified", None)
        if classified is not None:
            for name in chosen:
                checks.choice(name, list(classified["account"]), "pilot accounts")
        return chosen

    def __init__(self, classified: pd.DataFrame | None = None, *, stability: pd.DataFrame | None = None) -> None:
        super().__init__()
        self.classified = classified
        for qid, _, text in QUESTIONS:
            self.controls[f"q_{qid}"] = W.ToggleButtons(
                options=[1, 2, 3, 4, 5], style={"button_width": "34px"}, tooltips=[text] * 5, tooltip=text
            )
            self._bind("answers", f"q_{qid}", qid)
        accounts = account_names(classified)  # biggest first, as every account box offers them
        suggested = list(suggest_pilots(classified, stability=stability)["account"]) if classified is not None else []
        self.pilot_accounts = suggested
        self.controls["pilots"] = W.SelectMultiple(
            options=accounts, rows=8, description="Pilots", layout=W.Layout(width="420px")
        )
        self._bind("pilot_accounts", "pilots")
        for i in (1, 2, 3):
            self.controls[f"lesson_{i}"] = W.Text(
                description=f"Lesson {i}",
                continuous_update=False,
                placeholder="What do we expect to learn?",
                layout=W.Layout(width="520px"),
            )
            self._bind("lessons", f"lesson_{i}", i - 1)
        self.result = W.HTML()
        questions = [
            W.HBox([self.controls[f"q_{qid}"], W.HTML(f"<b>{escape(area)}</b>: {escape(text)}")])  # wraps when narrow
            for qid, area, text in QUESTIONS
        ]
        self.children = (
            W.HTML("<b>How ready are we?</b> 1 = not at all, 5 = fully"),
            *questions,
            W.HTML("<b>Pilot accounts</b> (one to three; suggested: your key accounts, biggest first)"),
            self.controls["pilots"],
            W.HTML("<b>Three lessons we expect to learn</b>"),
            *[self.controls[f"lesson_{i}"] for i in (1, 2, 3)],
            self.message,
            self.result,
        )
        self._start()

    @property
    def pilots(self) -> pd.DataFrame:
        chosen = list(self.pilot_accounts)
        if self.classified is None:
            return pd.DataFrame({"account": chosen})
        return self.classified[self.classified["account"].isin(chosen)].reset_index(drop=True)

    @property
    def first_pilot(self) -> str | None:
        """The first chosen pilot account; else the most attractive (or biggest) account (None without one)."""
        if self.pilot_accounts:
            return self.pilot_accounts[0]
        if self.classified is None or self.classified.empty:
            return None
        by = "attractiveness" if "attractiveness" in self.classified.columns else size_column(self.classified)
        ranked = self.classified.sort_values(by, ascending=False, kind="stable") if by else self.classified
        return str(ranked["account"].iloc[0])

    def recompute(self) -> None:
        with self.reporting():
            chosen = self.pilot_accounts
            if len(chosen) > 3 and self.classified is not None:
                raise KamDataError(f"{len(chosen)} pilot accounts are chosen", fix="Start with one to three accounts.")
            self.value = readiness(self.answers)
            self.clear_error()
            scores = self.value["readiness"]
            weakest = scores.idxmin()
            if self.value.loc[weakest, "status"] == "ready":
                note = "<p>Every area looks ready.</p>"
            elif scores.nunique() == 1:  # all alike: no area is the weakest
                note = "<p>Every area scores the same: none stands out as the weakest yet.</p>"
            else:
                note = f"<p>Weakest area: <b>{escape(weakest)}</b>. Fix it before the pilot, or plan for it.</p>"
            if not chosen and self.classified is not None:  # not a mistake: nothing is suggested without key accounts
                note += (
                    "<p>No pilot account chosen yet: pick one to three in the list above "
                    "(your biggest accounts come first).</p>"
                )
            self.result.value = html_table(self.value.reset_index(), float_format="{:.0%}") + note

    def for_download(self) -> pd.DataFrame:
        """The whole check as one table for a spreadsheet: each question and its answer, the pilots, the lessons."""
        rows = [{"part": area, "item": text, "answer": self.answers[qid]} for qid, area, text in QUESTIONS]
        rows += [{"part": "pilot account", "item": account, "answer": ""} for account in self.pilot_accounts]
        rows += [{"part": "lesson to learn", "item": lesson, "answer": ""} for lesson in self.lessons if lesson.strip()]
        return pd.DataFrame(rows, columns=["part", "item", "answer"])

    @property
    def settings(self) -> dict:
        out: dict[str, Any] = {f"q_{qid}": v for qid, v in self.answers.items()}
        out["pilots"] = list(self.pilot_accounts)
        out["lessons"] = list(self.lessons)
        return out

    def apply_settings(self, settings: dict) -> None:
        with self.hold():
            self.answers = {qid: settings[f"q_{qid}"] for qid, *_ in QUESTIONS}
            accounts = self.controls["pilots"].options
            self.pilot_accounts = [a for a in settings["pilots"] if a in accounts]  # accounts gone since are dropped
            self.lessons = settings["lessons"]

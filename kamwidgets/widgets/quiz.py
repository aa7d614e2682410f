"""A small quiz with feedback per answer; the questions come from ``data/quizzes.json``."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import traitlets

from .. import palette
from ..errors import KamDataError
from ..model import checks
from ..model.quiz import grade, load_quiz
from ._base import Input, KamWidget, bar_style, escape

__all__ = ["Quiz"]


class Quiz(KamWidget):
    """Multiple-choice questions for one lesson, checked on demand.

    Attributes
    ----------
    value : DataFrame
        :func:`kamwidgets.model.quiz.grade` of the answers so far.
    score : tuple[int, int]
        (right answers, questions).
    controls : dict
        One radio group per question id, and ``check``.
    answers : trait
        ``{question id: the chosen choice's id, or None}``, linked to the radio
        groups.  Feedback shows when "Check my answers" is pressed, and from
        then on follows the answers (an answer changed after the check, or one
        that reached the kernel just after the press, is graded at once).
        ``Quiz(lesson).keep(store)`` brings back the answers given before
        (saved as ``quiz:<lesson>``) and keeps new ones.
    """

    kind = "quiz"
    inputs = ("answers",)

    answers = Input(help="{question id: chosen answer or None}")

    @traitlets.default("answers")
    def _unanswered(self) -> dict:
        return {q.id: None for q in getattr(self, "questions", ())}

    @traitlets.validate("answers")
    def _valid_answers(self, proposal: Any) -> dict[str, Any]:
        value = proposal["value"]
        if not isinstance(value, dict):
            raise KamDataError(f"answers must be a dict {{question id: answer}}, not {value!r}")
        by_id = {q.id: q for q in self.questions}
        for qid in value:
            checks.choice(qid, list(by_id), "question")
        current = self.answers
        out = {}
        for qid, q in by_id.items():
            answer = value.get(qid, current.get(qid))
            cid = q.choice_id(answer)  # an id, or the text an older version saved
            if answer is not None and cid is None:
                checks.choice(answer, list(q.choices), f"the answer to {qid!r}")
            out[qid] = cid
        return out

    def __init__(self, lesson: str, *, path: Any = None) -> None:
        super().__init__()
        self.lesson = lesson
        self.kind = f"quiz:{lesson}"  # each lesson's answers are kept apart in the store
        self.questions = load_quiz(lesson, path)
        self.answers = {}
        self._feedback = {}
        self._checked = False
        blocks = []
        for n, q in enumerate(self.questions, start=1):
            group = W.RadioButtons(
                options=list(zip(q.choices, q.choice_ids)), value=None, layout=W.Layout(width="auto"), tooltip=q.text
            )
            self.controls[q.id] = group
            self._bind("answers", q.id, q.id)
            self._feedback[q.id] = W.HTML()
            blocks.append(W.VBox([W.HTML(f"<b>{n}. {escape(q.text)}</b>"), group, self._feedback[q.id]]))
        self.controls["check"] = W.Button(description="Check my answers", button_style="primary")
        self.controls["check"].on_click(lambda _: self.check())
        self.summary = W.HTML()
        self.children = (*blocks, self.controls["check"], self.summary, self.message)
        self._ready = True
        self._on_page()
        self.recompute(show=False)

    def check(self) -> None:
        """What *Check my answers* does: grade with feedback, and save now when the quiz is kept in a store
        (so the facilitator's room view sees the answers at once)."""
        self.recompute(show=True)
        self.flush()

    def recompute(self, show: bool = False) -> None:
        """Grade the answers; ``show=True`` (the check button) also shows the feedback, and keeps
        showing it for every later change (feedback never describes an answer no longer chosen)."""
        self._checked = self._checked or show
        show = self._checked
        with self.reporting():
            self.value = grade(self.questions, self.answers)
            self.clear_error()
        if not show:
            return
        for row in self.value.itertuples():
            if row.answer is None or row.answer != row.answer:
                text, colour = "Not answered yet.", palette.MUTED
            else:
                text, colour = (
                    ("Right. " if row.correct else "Not quite. ") + row.feedback,
                    palette.GREEN if row.correct else palette.RED,
                )
            # the words say right or wrong; the bar's colour draws the eye (text stays in the theme's colour)
            self._feedback[row.id].value = f'<div style="{bar_style(colour)}">{escape(text)}</div>'
        right, total = self.score
        self.summary.value = f"<p><b>{right} of {total} right.</b></p>"

    @property
    def score(self) -> tuple[int, int]:
        return int(self.value["correct"].sum()), len(self.questions)

    @property
    def settings(self) -> dict:
        return {"lesson": self.lesson, "answers": dict(self.answers)}

    def apply_settings(self, settings: dict) -> None:
        answers = settings["answers"]
        if isinstance(answers, dict):
            # a question or a choice since taken out of the quiz is left unanswered, not an error
            by_id = {q.id: q for q in self.questions}
            answers = {qid: by_id[qid].choice_id(a) for qid, a in answers.items() if qid in by_id}
        self.answers = answers
        self.recompute(show=True)

"""A small quiz with feedback per answer; the questions come from ``data/quizzes.json``."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from ..model.quiz import grade, load_quiz
from ._base import KamWidget, escape

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
    """

    kind = "quiz"

    def __init__(self, lesson: str, *, path: Any = None) -> None:
        super().__init__()
        self.lesson = lesson
        self.questions = load_quiz(lesson, path)
        self._feedback = {}
        blocks = []
        for n, q in enumerate(self.questions, start=1):
            group = W.RadioButtons(options=list(q.choices), value=None, layout=W.Layout(width="auto"))
            self.controls[q.id] = group
            self._feedback[q.id] = W.HTML()
            blocks.append(W.VBox([W.HTML(f"<b>{n}. {escape(q.text)}</b>"), group, self._feedback[q.id]]))
        self.controls["check"] = W.Button(description="Check my answers", button_style="primary")
        self.controls["check"].on_click(lambda _: self.recompute(show=True))
        self.summary = W.HTML()
        self.children = (*blocks, self.controls["check"], self.summary, self.message)
        self.recompute(show=False)

    def answers(self) -> dict[str, Any]:
        return {q.id: self.controls[q.id].value for q in self.questions}

    def recompute(self, show: bool = True) -> None:
        with self.reporting():
            self.value = grade(self.questions, self.answers())
            self.clear_error()
        if not show:
            return
        for row in self.value.itertuples():
            if row.answer is None or row.answer != row.answer:
                text, colour = "Not answered yet.", "#666"
            else:
                text, colour = (
                    ("Right. " if row.correct else "Not quite. ") + row.feedback,
                    "#1b7837" if row.correct else "#b2182b",
                )
            self._feedback[row.id].value = f'<span style="color:{colour}">{escape(text)}</span>'
        right, total = self.score
        self.summary.value = f"<p><b>{right} of {total} right.</b></p>"

    @property
    def score(self) -> tuple[int, int]:
        return int(self.value["correct"].sum()), len(self.questions)

    @property
    def settings(self) -> dict:
        return {"lesson": self.lesson, "answers": self.answers()}

    def apply_settings(self, settings: dict) -> None:
        for qid, answer in settings.get("answers", {}).items():
            if qid in self.controls:
                self.controls[qid].value = answer
        self.recompute(show=True)

"""A learner's written answers to an exercise's questions, kept in the workbook and downloadable."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import pandas as pd
import traitlets

from ..errors import KamDataError
from ..model import checks
from ._base import Input, KamWidget, escape

__all__ = ["Notes"]


def _questions(questions: Any) -> tuple[tuple[str, str], ...]:
    """``{"key": "question"}`` or ``[("key", "question")]``, checked: keys are short names, questions text."""
    items = list(questions.items()) if isinstance(questions, dict) else list(questions or ())
    out: list[tuple[str, str]] = []
    for item in items:
        if not (isinstance(item, (tuple, list)) and len(item) == 2 and all(isinstance(x, str) for x in item)):
            raise KamDataError(f"a question is (key, text), not {item!r}", fix='For example {"why": "Why this one?"}.')
        key, text = item[0].strip(), item[1].strip()
        if not key or not text or key in dict(out):
            raise KamDataError(f"the question {item!r} needs a key of its own and a text")
        out.append((key, text))
    if not out:
        raise KamDataError("notes need at least one question", fix='For example {"why": "Why this one?"}.')
    return tuple(out)


class Notes(KamWidget):
    """An exercise's questions with a box for each answer: kept with ``.keep(store, account=...)``.

    Parameters
    ----------
    name:
        What the notes are for, a short name (``"lesson_03"``): they are saved
        as the kind ``notes_<name>``, so each exercise keeps its own.
    questions:
        ``{"key": "the question"}`` in the order shown.
    title:
        A heading above the questions (e.g. the account's name).

    Attributes
    ----------
    value : DataFrame
        One row per question: ``question`` and ``answer``.
    texts : trait
        ``{key: answer}``, linked to ``controls[key]`` (a text box each).
    """

    inputs = ("texts",)
    texts = Input(help="{question key: answer}")

    @traitlets.default("texts")
    def _no_answers(self) -> dict:
        return {}

    @traitlets.validate("texts")
    def _valid_texts(self, proposal: Any) -> dict[str, str]:
        value = proposal["value"]
        if not isinstance(value, dict):
            raise KamDataError(f"the answers must be a dict {{question: answer}}, not {value!r}")
        keys = [k for k, _ in self.questions]
        unknown = sorted(map(str, set(value) - set(keys)))
        if unknown:
            raise KamDataError(f"{unknown[0]!r} is not one of these questions", fix=f"Use {', '.join(keys)}.")
        current = self.texts if self._built else {}
        return {k: checks.text(value.get(k, current.get(k, "")), f"the answer to {k!r}") for k in keys}

    def __init__(self, name: str, questions: Any, *, title: str = "") -> None:
        self._built = False
        self.questions = _questions(questions)
        super().__init__()
        self.kind = f"notes_{checks.text(name, 'the notes name').strip() or 'exercise'}"
        self.title = title
        self.texts = {}
        self._built = True
        rows = []
        for key, text in self.questions:
            self.controls[key] = W.Textarea(
                placeholder="your answer",
                tooltip=text,
                continuous_update=False,
                layout=W.Layout(width="95%", height="70px"),
            )
            self._bind("texts", key, key)
            rows.append(W.VBox([W.HTML(f"<b>{escape(text)}</b>"), self.controls[key]]))
        head = [W.HTML(f"<h4>{escape(title)}</h4>")] if title else []
        self.children = (*head, self.message, *rows)
        self._start()

    def recompute(self) -> None:
        self.value = pd.DataFrame(
            {"question": [t for _, t in self.questions], "answer": [self.texts.get(k, "") for k, _ in self.questions]}
        )

    @property
    def settings(self) -> dict:
        return {"texts": dict(self.texts)}

    def apply_settings(self, settings: dict) -> None:
        if not isinstance(settings, dict) or not isinstance(settings.get("texts"), dict):
            raise KamDataError(f"notes are kept as {{'texts': {{...}}}}, not {settings!r}")
        known = {k for k, _ in self.questions}
        self.texts = {k: v for k, v in settings["texts"].items() if k in known}  # a question dropped since is left

    def what(self) -> str:
        return "Your notes" + (f" on {self.title}" if self.title else "")

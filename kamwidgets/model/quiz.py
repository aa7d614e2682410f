"""Quizzes: questions kept as data (``data/quizzes.json``), graded with feedback per answer.

The file maps a quiz name (``lesson_03`` ... ``lesson_15``, by course lesson)
to its questions.  A question has a stable ``id``, a ``source`` (``"course: <point>"``
naming the point of the course it tests, an id of ``docs/course-points.csv``,
or ``"beyond: <title>"`` naming the *Beyond the course* callout it tests),
the ``question`` and its ``choices``, each with a stable ``id``, its
``text``, ``correct`` and ``feedback``.  Answers are kept by choice id, so
rewording a question or a choice never breaks a saved answer.  Choices are
shown in an order fixed per question (a hash of the ids), so the right one
is not always in the same place.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .._shipped import DATA_DIR
from ..errors import KamDataError

__all__ = ["Question", "load_quiz", "grade", "quiz_names"]


@dataclass(frozen=True)
class Question:
    """One multiple-choice question: its choices, the right one, and feedback for each."""

    id: str
    text: str
    choices: tuple[str, ...]
    correct: int
    feedback: tuple[str, ...]
    #: the choices' stable ids, in the order shown
    choice_ids: tuple[str, ...] = ()
    #: "course: <point id>", or "beyond: <title of the callout>"
    source: str = "course"

    def choice_id(self, answer: Any) -> str | None:
        """The id of an answer given as an id, a choice's text (answers saved by text) or a position."""
        if answer is None:
            return None
        if isinstance(answer, str):
            if answer in self.choice_ids:
                return answer
            if answer in self.choices:
                return self.choice_ids[self.choices.index(answer)]
            return None
        if isinstance(answer, int) and not isinstance(answer, bool) and 0 <= answer < len(self.choices):
            return self.choice_ids[answer]
        return None


def _source(path: str | Path | None) -> Path:
    if path is not None:
        return Path(path)
    return DATA_DIR / "quizzes.json"


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KamDataError(
            "the quiz file is missing", source=str(path), fix="Reinstall kamwidgets, or pass the path of a quiz file."
        ) from None
    except json.JSONDecodeError as exc:
        raise KamDataError(
            f"the quiz file is not valid JSON ({exc.msg}, line {exc.lineno})",
            source=str(path),
            fix="Fix the JSON syntax.",
        ) from None
    if not isinstance(data, dict):
        raise KamDataError("the quiz file must hold an object of lessons", source=str(path))
    return data


def quiz_names(path: str | Path | None = None) -> list[str]:
    """The quizzes in the file, by lesson name."""
    return list(_read(_source(path)))


def load_quiz(name: str, path: str | Path | None = None) -> list[Question]:
    """The questions of one quiz, checked (exactly one right answer, feedback for every choice)."""
    source = _source(path)
    data = _read(source)
    if name not in data:
        raise KamDataError(f"there is no quiz {name!r}", source=str(source), fix=f"Use one of {', '.join(data)}.")
    out = []
    for i, q in enumerate(data[name], start=1):
        where = f"{name}, question {i}"
        try:
            qid = str(q.get("id", f"q{i}"))
            ids = [str(c.get("id", chr(97 + j))) for j, c in enumerate(q["choices"])]
            order = sorted(range(len(ids)), key=lambda j: hashlib.sha256(f"{name}/{qid}/{ids[j]}".encode()).hexdigest())
            raw = [q["choices"][j] for j in order]
            choices = tuple(str(c["text"]) for c in raw)
            feedback = tuple(str(c["feedback"]) for c in raw)
            right = [j for j, c in enumerate(raw) if c.get("correct")]
            text = str(q["question"])
            source_of = str(q.get("source", "course"))
        except (KeyError, TypeError):
            raise KamDataError(
                f"{where} needs 'question' and 'choices' with 'text' and 'feedback'",
                source=str(source),
                fix="Compare it with the other questions in the file.",
            ) from None
        if len(set(ids)) != len(ids):
            raise KamDataError(f"{where} has two choices with the same id", source=str(source))
        if len(right) != 1 or len(choices) < 2:
            raise KamDataError(
                f"{where} must have two or more choices and exactly one marked correct",
                source=str(source),
                fix='Set "correct": true on one choice.',
            )
        out.append(Question(qid, text, choices, right[0], feedback, tuple(ids[j] for j in order), source_of))
    if len({q.id for q in out}) != len(out):
        raise KamDataError(f"{name} has two questions with the same id", source=str(source))
    return out


def grade(questions: list[Question], answers: Mapping[str, Any]) -> pd.DataFrame:
    """One row per question: ``question``, ``answer`` (text or NA), ``correct`` (bool) and ``feedback``."""
    rows = []
    for q in questions:
        a = answers.get(q.id)
        if a is None:
            rows.append(
                {"id": q.id, "question": q.text, "answer": None, "correct": False, "feedback": "Not answered yet."}
            )
            continue
        cid = q.choice_id(a)
        if cid is None:
            raise KamDataError(
                f"{a!r} is not a choice of question {q.id!r}", column=q.id, fix=f"Choose one of: {'; '.join(q.choices)}"
            )
        index = q.choice_ids.index(cid)
        rows.append(
            {
                "id": q.id,
                "question": q.text,
                "answer": q.choices[index],
                "correct": index == q.correct,
                "feedback": q.feedback[index],
            }
        )
    frame = pd.DataFrame(rows, columns=["id", "question", "answer", "correct", "feedback"])
    frame["answer"] = frame["answer"].astype("str")
    return frame

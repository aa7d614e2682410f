"""Quizzes: questions kept as data (``data/quizzes.json``), graded with feedback per answer."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

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


def _source(path: str | Path | None) -> Path:
    if path is not None:
        return Path(path)
    from ..samples import DATA_DIR

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
            choices = tuple(str(c["text"]) for c in q["choices"])
            feedback = tuple(str(c["feedback"]) for c in q["choices"])
            right = [j for j, c in enumerate(q["choices"]) if c.get("correct")]
            text = str(q["question"])
        except (KeyError, TypeError):
            raise KamDataError(
                f"{where} needs 'question' and 'choices' with 'text' and 'feedback'",
                source=str(source),
                fix="Compare it with the other questions in the file.",
            ) from None
        if len(right) != 1 or len(choices) < 2:
            raise KamDataError(
                f"{where} must have two or more choices and exactly one marked correct",
                source=str(source),
                fix='Set "correct": true on one choice.',
            )
        out.append(Question(str(q.get("id", f"q{i}")), text, choices, right[0], feedback))
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
        index = a if isinstance(a, int) else (q.choices.index(a) if a in q.choices else None)
        if index is None or not 0 <= index < len(q.choices):
            raise KamDataError(
                f"{a!r} is not a choice of question {q.id!r}", column=q.id, fix=f"Choose one of: {'; '.join(q.choices)}"
            )
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

"""Quizzes: the bundled questions are well formed, and the widget gives feedback per answer."""

from __future__ import annotations

import json

import pytest

import kamwidgets as kw
from kamwidgets import KamDataError
from kamwidgets.model.quiz import grade, load_quiz, quiz_names

from .conftest import ROOT


def test_every_bundled_quiz_loads_and_every_lesson_has_one():
    names = quiz_names()
    for name in names:
        questions = load_quiz(name)
        assert questions and all(len(q.choices) == len(q.feedback) for q in questions)
    notebooks = "".join(p.read_text() for p in (ROOT / "notebooks").glob("*.ipynb"))
    for name in names:
        assert f'kw.Quiz(\\"{name}\\")' in notebooks, f"{name} is not used in any lesson"


def test_grading_and_feedback():
    questions = load_quiz("lesson_14")
    first = questions[0]
    second = questions[1]
    wrong = next(i for i in range(len(second.choices)) if i != second.correct)
    table = grade(questions, {first.id: first.choices[first.correct], second.id: wrong})
    assert table["correct"].tolist() == [True, False, False]
    assert table.loc[0, "feedback"] == first.feedback[first.correct]
    assert table.loc[2, "feedback"] == "Not answered yet."
    with pytest.raises(KamDataError, match="is not a choice"):
        grade(questions, {first.id: "something else"})


def test_quiz_widget_round_trip():
    w = kw.Quiz("lesson_04")
    q = w.questions[0]
    w.controls[q.id].value = q.choices[q.correct]
    w.controls["check"].click()
    assert w.score == (1, len(w.questions))
    assert "Right." in w._feedback[q.id].value and "1 of 3 right" in w.summary.value
    w.controls[q.id].value = q.choices[(q.correct + 1) % len(q.choices)]
    w.controls["check"].click()
    assert "Not quite." in w._feedback[q.id].value and w.score == (0, 3)


def test_malformed_quiz_files_are_named(tmp_path):
    path = tmp_path / "q.json"
    path.write_text(
        json.dumps(
            {"x": [{"question": "Q?", "choices": [{"text": "a", "feedback": "f"}, {"text": "b", "feedback": "g"}]}]}
        )
    )
    with pytest.raises(KamDataError, match="exactly one marked correct"):
        load_quiz("x", path)
    path.write_text("{not json")
    with pytest.raises(KamDataError, match="not valid JSON"):
        load_quiz("x", path)
    with pytest.raises(KamDataError, match="no quiz 'nope'"):
        load_quiz("nope")


def test_quiz_answers_are_kept_in_the_store(tmp_path):
    from kamwidgets.store import Store

    store = Store(tmp_path / "s.sqlite")
    w = kw.Quiz("lesson_12").autosave(store, account="learner 1", delay=0)
    q = w.questions[1]
    w.controls[q.id].value = q.choices[q.correct]
    w.controls["check"].click()
    again = kw.Quiz("lesson_12")
    again.restore(store, account="learner 1")
    assert again.answers == w.answers and again.score == w.score == (1, 2)
    assert "Right." in again._feedback[q.id].value


def test_answers_are_kept_per_lesson(tmp_path):
    store = kw.open_store(tmp_path / "work.db", workbook="ana")
    first = kw.Quiz("lesson_04").keep(store, delay=0)
    first.controls["q1"].value = "The farmer"
    other = kw.Quiz("lesson_06").keep(store, delay=0)  # another lesson's quiz starts empty
    assert set(other.answers.values()) == {None}
    again = kw.Quiz("lesson_04").keep(store)  # after a reload
    assert again.answers["q1"] == "The farmer" and again.controls["q1"].value == "The farmer"
    assert kw.Quiz("lesson_04").keep(kw.open_store(tmp_path / "work.db", workbook="ben")).answers["q1"] is None

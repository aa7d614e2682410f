"""Quizzes: the bundled questions are well formed, and the widget gives feedback per answer."""

from __future__ import annotations

import html
import json

import pytest

import kamwidgets as kw
from kamwidgets import KamDataError
from kamwidgets.model.quiz import grade, load_quiz, quiz_names

from .conftest import ROOT

#: the file the quizzes are edited in (a wheel carries a copy, made at build time by setup.py)
QUIZZES = ROOT / "data" / "quizzes.json"


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
    assert table["correct"].tolist() == [True] + [False] * (len(questions) - 1)
    assert table.loc[0, "feedback"] == first.feedback[first.correct]
    assert table.loc[2, "feedback"] == "Not answered yet."
    with pytest.raises(KamDataError, match="is not a choice"):
        grade(questions, {first.id: "something else"})


def test_quiz_widget_round_trip():
    w = kw.Quiz("lesson_04")
    n = len(w.questions)
    q = w.questions[0]
    w.controls[q.id].value = q.choice_ids[q.correct]  # the radio buttons hold the choices' ids
    w.controls["check"].click()
    assert w.score == (1, n)
    assert "Right." in w._feedback[q.id].value and f"1 of {n} right" in w.summary.value
    w.controls[q.id].value = q.choice_ids[(q.correct + 1) % len(q.choices)]
    w.controls["check"].click()
    assert "Not quite." in w._feedback[q.id].value and w.score == (0, n)


def test_feedback_follows_an_answer_changed_after_the_check():
    """In the page an answer can reach the kernel just after the press of Check (ipywidgets holds back a
    control's second change until the kernel answered the first): the feedback must end on the chosen answer."""
    w = kw.Quiz("lesson_14")
    q = w.questions[0]
    wrong = (q.correct + 1) % len(q.choices)
    w.controls[q.id].value = q.choice_ids[q.correct]
    assert w._feedback[q.id].value == ""  # nothing shown before the check
    w.controls["check"].click()
    w.controls[q.id].value = q.choice_ids[wrong]
    shown = w._feedback[q.id].value  # the feedback as HTML: an apostrophe is escaped
    assert html.escape(q.feedback[wrong]) in shown and html.escape(q.feedback[q.correct]) not in shown
    assert w.score == (0, len(w.questions)) and "0 of" in w.summary.value


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
    w.controls[q.id].value = q.choice_ids[q.correct]
    w.controls["check"].click()
    again = kw.Quiz("lesson_12")
    again.restore(store, account="learner 1")
    assert again.answers == w.answers and again.score == w.score == (1, len(w.questions))
    assert "Right." in again._feedback[q.id].value


def test_answers_are_kept_per_lesson(tmp_path):
    store = kw.open_store(tmp_path / "work.db", workbook="ana")
    first = kw.Quiz("lesson_04").keep(store, delay=0)
    first.controls["hunter"].value = "a"
    other = kw.Quiz("lesson_06").keep(store, delay=0)  # another lesson's quiz starts empty
    assert set(other.answers.values()) == {None}
    again = kw.Quiz("lesson_04").keep(store)  # after a reload
    assert again.answers["hunter"] == "a" and again.controls["hunter"].value == "a"
    assert kw.Quiz("lesson_04").keep(kw.open_store(tmp_path / "work.db", workbook="ben")).answers["hunter"] is None


def test_answers_saved_by_text_or_reworded_still_restore():
    """Old versions saved the choice's text; a choice reworded or removed since is left unanswered, not an error."""
    w = kw.Quiz("lesson_04")
    q = w.questions[0]
    w.apply_settings({"answers": {q.id: q.choices[q.correct], "hunter": "a choice that was reworded since"}})
    assert w.answers[q.id] == q.choice_ids[q.correct] and w.answers["hunter"] is None and not w.error


# ------------------------------------------------------------------ quizzes that teach (the rules of issue 12)
COURSE_LESSONS = {
    3: "03_what_is_kam.ipynb",
    4: "04_sales_approach_and_spectrum.ipynb",
    5: "05_the_journey.ipynb",
    6: "06_decision_making_unit.ipynb",
    7: "07_kam_vs_traditional_sales.ipynb",
    8: "08_making_it_happen.ipynb",
    9: "09_contact_matrix.ipynb",
    10: "10_supporters_and_opponents.ipynb",
    11: "11_marketing_plan.ipynb",
    12: "12_swot.ipynb",
    13: "13_account_plan.ipynb",
    14: "14_customer_classification.ipynb",
    15: "15_wrap_up.ipynb",
}


@pytest.mark.parametrize("lesson", list(COURSE_LESSONS))
def test_every_course_lesson_has_its_notebook_and_a_quiz_of_three_or_more(lesson):
    notebook = (ROOT / "notebooks" / COURSE_LESSONS[lesson]).read_text(encoding="utf-8")
    name = f"lesson_{lesson:02d}"
    assert f'kw.Quiz(\\"{name}\\")' in notebook, f"{COURSE_LESSONS[lesson]} does not hold quiz {name}"
    questions = load_quiz(name, QUIZZES)
    assert len(questions) >= 3
    for q in questions:
        assert all(f.strip() for f in q.feedback), f"{name}/{q.id}: feedback missing"
        if q.source.startswith(f"course: L{lesson:02d}."):  # a point of this lesson (tests/test_quiz_strategies.py)
            continue
        assert q.source.startswith("beyond: "), f"{name}/{q.id}: source {q.source!r}"
        title = q.source.removeprefix("beyond: ")
        assert f"> **Beyond the course: {title}" in notebook, f"{name}/{q.id}: no callout {title!r} in the lesson"


def test_the_right_answer_is_neither_the_longest_nor_in_one_place():
    questions = [q for name in quiz_names(QUIZZES) for q in load_quiz(name, QUIZZES)]
    longest = sum(max(range(len(q.choices)), key=lambda i: len(q.choices[i])) == q.correct for q in questions)
    assert longest <= 0.4 * len(questions)
    for position in range(3):
        right_here = sum(q.correct == position for q in questions)
        assert right_here <= 0.5 * len(questions), f"position {position} is right in {right_here} questions"

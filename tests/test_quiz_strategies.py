"""The quizzes can only be passed by knowing the lesson (issue 27).

A learner who has not read the lesson still has habits: pick the shortest
answer or the longest (or never one of them), the first, second or last one
shown, the one that lists the most, or avoid the answer that gives a reason,
says "always" or says "not".  Each of these learners is simulated on every
quiz, in the order the choices are shown (``load_quiz``), and must score no
better than chance plus ten points.  The words that often mark a wrong answer
(a reason, an absolute, a negation) must be as common in the right answers as
in the wrong ones.  Every question names the point of its own lesson that it
tests, and the defects named in the issue stay fixed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kamwidgets.model.quiz import Question, load_quiz, quiz_names

from . import course_map
from .conftest import ROOT

#: the file the quizzes are edited in (the package carries a copy of it)
QUIZZES = ROOT / "data" / "quizzes.json"
#: words that give a reason or claim an absolute: "because it always ...", "only", "must"
REASON = re.compile(
    r"\b(because|since|so|therefore|always|never|only|all|must|none|every(one|thing|body|where)?|any(one|thing|body|where|way)?)\b",
    re.IGNORECASE,
)
NEGATION = re.compile(r"\b(not|no|cannot|neither|nor|nobody|nothing|nowhere)\b|n't\b", re.IGNORECASE)
MARGIN = 0.10  # ten points above chance, or between right and wrong answers

Learner = Callable[[Question], list[float]]  # the chance of picking each choice, in the order shown


def _split(flags: list[bool]) -> list[float]:
    """An even chance over the flagged choices (a tie is a coin toss)."""
    return [1 / sum(flags) if f else 0.0 for f in flags]


def shortest(q: Question) -> list[float]:
    lengths = [len(c) for c in q.choices]
    return _split([n == min(lengths) for n in lengths])


def longest(q: Question) -> list[float]:
    lengths = [len(c) for c in q.choices]
    return _split([n == max(lengths) for n in lengths])


def _never(learner: Learner) -> Learner:
    """Rule out the choice the other learner would pick, and guess among the rest."""

    def never(q: Question) -> list[float]:
        ruled_out = learner(q)
        return _split([p == 0 for p in ruled_out] if min(ruled_out) == 0 else [True] * len(ruled_out))

    return never


def first(q: Question) -> list[float]:
    return _split([i == 0 for i in range(len(q.choices))])


def last(q: Question) -> list[float]:
    return _split([i == len(q.choices) - 1 for i in range(len(q.choices))])


def second(q: Question) -> list[float]:
    return _split([i == 1 for i in range(len(q.choices))])


def most_detailed(q: Question) -> list[float]:
    """The choice that lists the most (commas, colons, semicolons): a right answer often reads like a list."""
    parts = [len(re.findall(r"[,:;]", c)) for c in q.choices]
    return _split([n == max(parts) for n in parts])


def _avoiding(pattern: re.Pattern) -> Learner:
    def learner(q: Question) -> list[float]:
        plain = [not pattern.search(c) for c in q.choices]
        return _split(plain if any(plain) else [True] * len(plain))

    return learner


LEARNERS: dict[str, Learner] = {
    "always the shortest": shortest,
    "always the longest": longest,
    "never the shortest": _never(shortest),
    "never the longest": _never(longest),
    "always the first shown": first,
    "always the last shown": last,
    "always the second shown": second,
    "the most detailed-looking": most_detailed,
    "avoids a reason or an absolute word": _avoiding(REASON),
    "avoids a negation": _avoiding(NEGATION),
}


def quizzes(path: Path = QUIZZES) -> dict[str, list[Question]]:
    return {name: load_quiz(name, path) for name in quiz_names(path)}


def score(learner: Learner, questions: list[Question]) -> float:
    """The learner's expected share of right answers."""
    return sum(learner(q)[q.correct] for q in questions) / len(questions)


def chance(questions: list[Question]) -> float:
    return sum(1 / len(q.choices) for q in questions) / len(questions)


def scores(path: Path = QUIZZES) -> dict[str, float]:
    """Every learner's score over all quizzes, and chance: ``python -c`` this on an old file to compare."""
    questions = [q for qs in quizzes(path).values() for q in qs]
    return {"chance": chance(questions)} | {name: score(f, questions) for name, f in LEARNERS.items()}


def word_shares(pattern: re.Pattern, path: Path = QUIZZES) -> tuple[float, float]:
    """The share of right choices, and of wrong choices, that use one of the pattern's words."""
    right, wrong = [], []
    for qs in quizzes(path).values():
        for q in qs:
            for i, text in enumerate(q.choices):
                (right if i == q.correct else wrong).append(bool(pattern.search(text)))
    return sum(right) / len(right), sum(wrong) / len(wrong)


# ------------------------------------------------------------------ learners who did not read the lesson
@pytest.mark.parametrize("name", list(LEARNERS))
def test_a_learner_who_did_not_read_the_lesson_scores_about_chance(name):
    result = scores()
    assert result[name] <= result["chance"] + MARGIN, f"{name}: {result[name]:.0%} (chance {result['chance']:.0%})"


@pytest.mark.parametrize(
    "name", ["always the shortest", "always the longest", "always the first shown", "always the last shown"]
)
def test_no_quiz_is_passed_in_full_by_the_length_or_the_place_of_the_answers(name):
    for quiz, questions in quizzes().items():
        assert score(LEARNERS[name], questions) < 1, f"{quiz}: {name} gets every question right"


def test_the_strategies_catch_a_quiz_with_a_tell(tmp_path):
    """The check itself can fail: a quiz whose right answer is always the short one is caught."""
    tell = [
        {
            "id": f"q{i}",
            "question": "Q?",
            "choices": [
                {"id": "a", "text": "Right", "correct": True, "feedback": "f"},
                {"id": "b", "text": "Wrong, because it is always so", "correct": False, "feedback": "f"},
                {"id": "c", "text": "Wrong too, since it never is", "correct": False, "feedback": "f"},
            ],
        }
        for i in range(6)
    ]
    path = tmp_path / "q.json"
    path.write_text(json.dumps({"lesson_99": tell}))
    result = scores(path)
    assert result["always the shortest"] == 1 and result["avoids a reason or an absolute word"] == 1
    assert result["always the longest"] == 0 and result["never the longest"] == 0.5
    assert result["chance"] == pytest.approx(1 / 3)
    assert word_shares(REASON, path) == (0.0, 1.0)


@pytest.mark.parametrize("pattern", [REASON, NEGATION], ids=["reason or absolute", "negation"])
def test_no_kind_of_word_marks_the_wrong_answers(pattern):
    right, wrong = word_shares(pattern)
    assert abs(right - wrong) <= MARGIN, f"right answers {right:.0%}, wrong answers {wrong:.0%}"


def test_the_choices_of_a_question_are_of_similar_length():
    right, wrong = [], []
    for quiz, questions in quizzes().items():
        for q in questions:
            lengths = [len(c) for c in q.choices]
            assert max(lengths) <= 1.6 * min(lengths), f"{quiz}/{q.id}: choices of {lengths} characters"
            right.append(lengths[q.correct])
            wrong += [n for i, n in enumerate(lengths) if i != q.correct]
    mean_right, mean_wrong = sum(right) / len(right), sum(wrong) / len(wrong)
    assert abs(mean_right - mean_wrong) <= 0.1 * mean_wrong, (mean_right, mean_wrong)


def test_every_choice_has_one_sentence_of_feedback_that_points_to_the_lesson():
    for quiz, questions in quizzes().items():
        for q in questions:
            for text, feedback in zip(q.choices, q.feedback, strict=True):
                where = f"{quiz}/{q.id}: {text!r}"
                assert feedback.endswith(".") and not re.search(r"[.!?] +[A-Z]", feedback), f"{where}: {feedback!r}"
                assert re.search(r"\b(lesson|course|workbook|wrap-up)\b", feedback, re.I), f"{where}: {feedback!r}"


# ------------------------------------------------------------------ every question tests its own lesson
def test_every_question_names_a_point_of_its_own_lesson():
    lesson_of = {p.id: p.lesson for p in course_map.points()}
    for quiz, questions in quizzes().items():
        lesson = int(quiz.removeprefix("lesson_"))
        assert 3 <= len(questions) <= 5, f"{quiz}: {len(questions)} questions"
        beyond = [q for q in questions if q.source.startswith("beyond: ")]
        assert len(beyond) <= 1, f"{quiz}: more than one question on the workbook's additions"
        for q in questions:
            if q in beyond:
                continue  # tests/test_quiz.py checks that the lesson has that callout
            assert q.source.startswith("course: "), f"{quiz}/{q.id}: source {q.source!r}"
            point = q.source.removeprefix("course: ")
            assert lesson_of.get(point) == lesson, f"{quiz}/{q.id}: {point!r} is not a point of lesson {lesson}"


def test_the_quizzes_cover_their_lessons_main_points():
    tested = {q.source.removeprefix("course: ") for qs in quizzes().values() for q in qs}
    main = {
        "L03.process", "L03.two-sided", "L03.when",
        "L04.roles", "L04.mix", "L04.side-by-side",
        "L05.level2", "L05.level3", "L05.level4", "L05.case-by-case",
        "L06.puzzle", "L06.chart", "L06.quadrants",
        "L07.mix", "L07.why-limit", "L07.not-all", "L07.no-better",
        "L08.tools", "L08.practical", "L08.partnership",
        "L09.matrix", "L09.direct",
        "L10.stances", "L10.leverage",
        "L11.sections", "L11.adapt", "L11.useless",
        "L12.swot", "L12.strategies", "L12.use",
        "L13.for-whom", "L13.contents", "L13.short",
        "L14.method", "L14.time", "L14.review", "L14.no-bad",
        "L15.few", "L15.fit", "L15.spectrum",
    }  # fmt: skip
    assert main <= tested, f"not tested: {sorted(main - tested)}"


# ------------------------------------------------------------------ the defects named in issue 27
def _question(quiz: str, source: str) -> list[Question]:
    return [q for q in quizzes()[quiz] if q.source == source]


def test_a_dedicated_team_holds_only_key_accounts_it_does_not_raise_the_three_to_five():
    (q,) = _question("lesson_07", "course: L07.not-all")
    right = q.choices[q.correct].lower()
    assert "dedicated team" in right and "only key accounts" in right
    assert not re.search(r"more than|three to five|3[- ]?(to|-)[- ]?5", right)
    for quiz in quizzes().values():  # no question still keys a person carrying more key accounts
        for other in quiz:
            assert "more than three to five" not in other.text.lower(), other.id


def test_the_stances_question_tests_the_four_names_not_a_definition():
    questions = quizzes()["lesson_10"]
    assert not any(re.search(r"what is an? constructive critic", q.text, re.I) for q in questions)
    (q,) = [q for q in questions if q.source == "course: L10.stances"]
    right = q.choices[q.correct].lower()
    assert all(s in right for s in ("supporter", "cautious supporter", "opponent", "constructive critic"))


def test_the_swot_quiz_keys_no_tows_definition_as_the_course():
    crosses = re.compile(r"\b(TOWS|SO|ST|WO|WT)\b")  # the crosses' names, in capitals
    tows = re.compile(
        r"strength to (seize|win|blunt|use)|weakness (against|to)|offensive strategy (is|uses|means)", re.I
    )
    for q in quizzes()["lesson_12"]:
        text = " ".join((q.text, *q.choices))
        if crosses.search(text) or tows.search(text):
            assert q.source.startswith("beyond: "), f"lesson_12/{q.id} tests TOWS as the course's"


def test_the_marketing_plan_question_tests_the_courses_rule():
    (adapt,) = _question("lesson_11", "course: L11.adapt")
    right = adapt.choices[adapt.correct].lower()
    assert "example" in right and "adapt" in right and "leav" in right and "reference" in right
    (useless,) = _question("lesson_11", "course: L11.useless")
    assert "useless" in useless.choices[useless.correct].lower()


def test_the_wrap_up_tests_the_wrap_up():
    questions = quizzes()["lesson_15"]
    assert all(q.source.startswith("course: L15.") for q in questions)
    (few,) = _question("lesson_15", "course: L15.few")
    right = few.choices[few.correct].lower()
    assert ("two or three" in right or "a few" in right) and "no right or wrong" in right
    (fit,) = _question("lesson_15", "course: L15.fit")
    right = fit.choices[fit.correct].lower()
    assert "fit" in fit.text.lower() and "no point" in right and "relevance" in right

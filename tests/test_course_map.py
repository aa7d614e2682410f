"""The course map is true: every point is taught by a cell that uses its words, and quizzes test points."""

from __future__ import annotations

import json

import nbformat
import pytest

from . import course_map
from .conftest import ROOT

POINTS = course_map.points()


def test_points_are_unique_and_their_lessons_exist():
    ids = [p.id for p in POINTS]
    assert len(ids) == len(set(ids))
    for p in POINTS:
        assert (course_map.NOTEBOOKS / f"{p.notebook}.ipynb").exists(), p
        assert p.id.startswith(f"L{p.lesson:02d}."), p.id
    # every course lesson of the platform (3 to 15) has points
    assert {p.lesson for p in POINTS} == set(range(3, 16))


@pytest.mark.parametrize("point", POINTS, ids=lambda p: p.id)
def test_every_point_is_taught_by_a_text_cell_that_uses_its_words(point):
    cells = course_map.teaching_cells(point.notebook).get(point.id)
    assert cells, f"no cell of {point.notebook} says it teaches {point.id}: {point.text}"
    for _, cell in cells:
        assert cell.cell_type == "markdown", f"{point.id}: a code cell cannot teach a point"
        missing = course_map.missing_terms(point, cell.source)
        assert not missing, f"{point.id}: the cell {cell.get('id')} of {point.notebook} lacks {missing}"


def test_no_cell_claims_a_point_that_is_not_on_the_list():
    known = {p.id for p in POINTS}
    for path in sorted(course_map.NOTEBOOKS.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            claimed = set(cell.get("metadata", {}).get("kamwidgets", {}).get("teaches", []))
            assert claimed <= known, f"{path.name}: unknown points {claimed - known}"


def test_a_teaching_cell_is_not_a_beyond_the_course_callout():
    """A point of the course is taught as the course, outside the callouts of additions."""
    for p in POINTS:
        for _, cell in course_map.teaching_cells(p.notebook).get(p.id, []):
            assert not cell.source.lstrip().startswith("> **Beyond the course"), f"{p.id} is taught in a callout"


def test_every_quiz_question_names_a_point_of_its_own_lesson():
    data = json.loads((ROOT / "data" / "quizzes.json").read_text(encoding="utf-8"))
    lesson_of = {p.id: p.lesson for p in POINTS}
    for name, questions in data.items():
        lesson = int(name.removeprefix("lesson_"))
        for q in questions:
            source = q.get("source", "")
            if source.startswith("beyond: "):
                continue
            assert source.startswith("course: "), f"{name}/{q['id']}: source {source!r} names no point"
            pid = source.removeprefix("course: ")
            assert lesson_of.get(pid) == lesson, f"{name}/{q['id']}: {pid!r} is not a point of lesson {lesson}"


def test_the_map_in_docs_is_up_to_date():
    assert course_map.MAP.read_text(encoding="utf-8") == course_map.render(), "run: python tests/course_map.py"

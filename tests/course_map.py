"""The course map: every point of the course, the lesson cell that teaches it, and the quiz questions that test it.

    python tests/course_map.py          # write docs/course-map.md from the points and the lessons

The points are listed in ``docs/course-points.csv`` (one row per point of
the course, by the platform's lesson number, with the words a cell teaching
it must use: ``a;b|c`` means "a", and "b" or "c").  A lesson cell says which
points it teaches in its metadata: ``{"kamwidgets": {"teaches": ["L05.level2"]}}``.
A quiz question names the point it tests in its ``source``:
``"course: L05.level2"``.  ``tests/test_course_map.py`` keeps all three true.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
POINTS = ROOT / "docs" / "course-points.csv"
MAP = ROOT / "docs" / "course-map.md"
NOTEBOOKS = ROOT / "notebooks"


@dataclass(frozen=True)
class Point:
    id: str
    lesson: int
    notebook: str
    terms: tuple[tuple[str, ...], ...]  # every group must appear; any word of a group will do
    text: str


def points() -> list[Point]:
    with POINTS.open(encoding="utf-8", newline="") as f:
        return [
            Point(
                row["id"],
                int(row["lesson"]),
                row["notebook"],
                tuple(tuple(w.strip().lower() for w in group.split("|")) for group in row["terms"].split(";")),
                row["point"],
            )
            for row in csv.DictReader(f)
        ]


def teaching_cells(notebook: str) -> dict[str, list[tuple[int, nbformat.NotebookNode]]]:
    """Point id -> the (position, cell) of the notebook's cells that say they teach it."""
    out: dict[str, list[tuple[int, nbformat.NotebookNode]]] = {}
    nb = nbformat.read(NOTEBOOKS / f"{notebook}.ipynb", as_version=4)
    for i, cell in enumerate(nb.cells):
        for pid in cell.get("metadata", {}).get("kamwidgets", {}).get("teaches", []):
            out.setdefault(pid, []).append((i, cell))
    return out


def missing_terms(point: Point, text: str) -> list[str]:
    low = " ".join(text.lower().split())
    return ["|".join(group) for group in point.terms if not any(w in low for w in group)]


def _heading(nb_cells: list, position: int) -> str:
    """The nearest heading at or above a cell: where a reader finds it."""
    for cell in reversed(nb_cells[: position + 1]):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "(top)"


def render() -> str:
    lines = [
        "# The course map",
        "",
        "Every point the course makes (`docs/course-points.csv`), the lesson cell that teaches it, and",
        "the quiz questions that test it. Written by `python tests/course_map.py`; `tests/test_course_map.py`",
        "checks that each cell exists, uses the point's words, and that this file is up to date.",
        "",
        "| point | lesson | what the course says | notebook | section (cell id) | quiz |",
        "|---|---|---|---|---|---|",
    ]
    quiz = quiz_points()
    for p in points():
        nb = nbformat.read(NOTEBOOKS / f"{p.notebook}.ipynb", as_version=4)
        where = teaching_cells(p.notebook).get(p.id, [])
        cells = "; ".join(f"{_heading(nb.cells, i)} (`{c.get('id', i)}`)" for i, c in where) or "**not taught**"
        questions = ", ".join(f"`{q}`" for q in quiz.get(p.id, [])) or ""
        text = p.text.replace("|", "/")
        lines.append(f"| `{p.id}` | {p.lesson} | {text} | `{p.notebook}` | {cells} | {questions} |")
    return "\n".join(lines) + "\n"


def quiz_points() -> dict[str, list[str]]:
    """Point id -> the quiz questions (``quiz/question``) whose source names it."""
    import json

    data = json.loads((ROOT / "data" / "quizzes.json").read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {}
    for name, questions in data.items():
        for q in questions:
            source = str(q.get("source", ""))
            if source.startswith("course: "):
                out.setdefault(source.removeprefix("course: "), []).append(f"{name}/{q['id']}")
    return out


if __name__ == "__main__":
    MAP.write_text(render(), encoding="utf-8")
    print(f"wrote {MAP.relative_to(ROOT)}")
    sys.exit(0)

"""The lessons command, and the package's copies of data/ and notebooks/."""

from __future__ import annotations

import json

import pytest

import kamwidgets as kw
from kamwidgets.cli import main
from kamwidgets.course import RECORD, copy_lessons

from .conftest import ROOT

LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def test_a_checkout_reads_lessons_and_data_from_their_one_source():
    """The repository holds notebooks/ and data/ once; the wheel gets copies at build time (tests/test_wheel.py)."""
    assert not (ROOT / "kamwidgets" / "lessons").exists() and not (ROOT / "kamwidgets" / "data").exists()
    assert kw.sample_path("portfolio") == ROOT / "data" / "sample_portfolio.csv"
    assert copy_lessons.__globals__["LESSONS_DIR"] == ROOT / "notebooks"


def test_lessons_are_copied_and_copying_again_changes_nothing(tmp_path):
    first = copy_lessons(tmp_path / "course")
    assert sorted(first.copied) == LESSONS
    for name in LESSONS:
        assert (tmp_path / "course" / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes()
    again = copy_lessons(tmp_path / "course")
    assert again.copied == [] and sorted(again.unchanged) == LESSONS


def test_a_lesson_the_user_changed_is_kept_unless_forced_and_then_backed_up(tmp_path, capsys):
    folder = tmp_path / "course"
    copy_lessons(folder)
    mine = folder / "03_what_is_kam.ipynb"
    mine.write_text(mine.read_text() + "\n")  # the user ran it: outputs saved
    assert main(["lessons", str(folder)]) == 0
    said = capsys.readouterr().out
    assert "03_what_is_kam.ipynb" in said and "--force" in said
    assert mine.read_text().endswith("\n\n")  # untouched
    report = copy_lessons(folder, force=True)
    assert report.updated == ["03_what_is_kam.ipynb"] and report.backups == ["03_what_is_kam.ipynb.bak"]
    assert (folder / "03_what_is_kam.ipynb.bak").read_text().endswith("\n\n")
    assert mine.read_bytes() == (ROOT / "notebooks" / "03_what_is_kam.ipynb").read_bytes()
    mine.write_text("changed again")
    copy_lessons(folder, force=True)
    assert (folder / "03_what_is_kam.ipynb.bak2").read_text() == "changed again"  # the first backup is kept


def test_a_lesson_updated_in_the_package_replaces_an_unchanged_copy(tmp_path):
    folder = tmp_path / "course"
    copy_lessons(folder)
    old = folder / "00_start_here.ipynb"
    old.write_text("an older version of the lesson")
    record = json.loads((folder / RECORD).read_text())
    record["00_start_here.ipynb"] = __import__("hashlib").sha256(old.read_bytes()).hexdigest()
    (folder / RECORD).write_text(json.dumps(record))  # as if the package had shipped this older text
    report = copy_lessons(folder)
    assert report.updated == ["00_start_here.ipynb"] and report.backups == []
    assert old.read_bytes() == (ROOT / "notebooks" / "00_start_here.ipynb").read_bytes()


def test_a_folder_that_cannot_be_made_gets_a_clear_error(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    with pytest.raises(kw.KamDataError, match="cannot make the folder"):
        copy_lessons(blocker / "course")
    assert main(["lessons", str(blocker / "course")]) == 2


def test_a_copy_from_a_release_with_the_old_file_numbers_is_brought_to_the_course_numbers(tmp_path):
    """Earlier releases numbered the files in order (12_customer_classification); now they carry the course's
    lesson numbers (14_...). An old file the user never ran goes; one they ran stays and is named in the report."""
    import hashlib

    folder = tmp_path / "course"
    folder.mkdir()
    untouched, run = folder / "10_swot.ipynb", folder / "12_customer_classification.ipynb"
    untouched.write_text("the old SWOT lesson")
    run.write_text("the old classification lesson, with the user's outputs")
    record = {"10_swot.ipynb": hashlib.sha256(b"the old SWOT lesson").hexdigest(), run.name: "0"}
    (folder / RECORD).write_text(json.dumps(record))
    report = copy_lessons(folder)
    assert not untouched.exists() and report.retired == ["10_swot.ipynb"]
    assert run.read_text().startswith("the old classification lesson") and report.old_names == [run.name]
    assert (folder / "12_swot.ipynb").exists() and (folder / "14_customer_classification.ipynb").exists()
    assert "12_customer_classification.ipynb is now 14_customer_classification.ipynb" in report.summary()
    assert "10_swot.ipynb" not in json.loads((folder / RECORD).read_text())
    # the new numbers are the course's: each lesson's quiz is the lesson of its file's number
    quizzed = [name for name in LESSONS if "kw.Quiz(" in (folder / name).read_text()]
    assert len(quizzed) == 13
    for name in quizzed:
        assert f'kw.Quiz(\\"lesson_{name[:2]}\\")' in (folder / name).read_text(), name

"""The lessons command, and the package's copies of data/ and notebooks/."""

from __future__ import annotations

import importlib.util
import json

import pytest

import kamwidgets as kw
from kamwidgets.cli import main
from kamwidgets.course import RECORD, copy_lessons

from .conftest import ROOT

LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))


def test_the_package_copies_agree_with_data_and_notebooks():
    spec = importlib.util.spec_from_file_location("kam_package_files", ROOT / ".ci" / "package_files.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.differences() == [], "run: python .ci/package_files.py sync"
    assert kw.sample_path("portfolio").read_bytes() == (ROOT / "data" / "sample_portfolio.csv").read_bytes()


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
    mine = folder / "01_what_is_kam.ipynb"
    mine.write_text(mine.read_text() + "\n")  # the user ran it: outputs saved
    assert main(["lessons", str(folder)]) == 0
    said = capsys.readouterr().out
    assert "01_what_is_kam.ipynb" in said and "--force" in said
    assert mine.read_text().endswith("\n\n")  # untouched
    report = copy_lessons(folder, force=True)
    assert report.updated == ["01_what_is_kam.ipynb"] and report.backups == ["01_what_is_kam.ipynb.bak"]
    assert (folder / "01_what_is_kam.ipynb.bak").read_text().endswith("\n\n")
    assert mine.read_bytes() == (ROOT / "notebooks" / "01_what_is_kam.ipynb").read_bytes()
    mine.write_text("changed again")
    copy_lessons(folder, force=True)
    assert (folder / "01_what_is_kam.ipynb.bak2").read_text() == "changed again"  # the first backup is kept


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

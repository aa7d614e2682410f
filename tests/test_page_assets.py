"""The lessons' Voila page: chosen by every lesson, installed with the package, plotly.js placed beside it."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import plotly
import pytest

from kamwidgets import page_assets

from .conftest import ROOT

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
TEMPLATE = ROOT / "jupyter-data" / "voila" / "templates" / "kamwidgets"


def test_every_lesson_asks_for_the_lessons_page_and_the_page_extends_voilas_own():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert nbformat.read(path, as_version=4).metadata.get("voila") == {"template": "kamwidgets"}, path.name
    assert json.loads((TEMPLATE / "conf.json").read_text())["base_template"] == "lab"
    page = (TEMPLATE / "index.html.j2").read_text()
    assert "extends 'lab/index.html.j2'" in page and "{{ super() }}" in page  # Voila's head kept, ours added
    assert "voila/templates/kamwidgets/static/plotly.min.js" in page


@pytest.fixture
def folder(tmp_path, monkeypatch):
    where = tmp_path / "kamwidgets"
    where.mkdir()
    (where / "index.html.j2").write_text("page")
    monkeypatch.setattr(page_assets, "template_folders", lambda: [where])
    return where


def test_plotly_js_is_copied_once_and_again_when_plotly_changes(folder):
    placed = page_assets.place_plotly()
    assert placed == folder / "static" / "plotly.min.js"
    assert placed.read_bytes() == PLOTLY_JS.read_bytes() and not placed.is_symlink()
    before = placed.stat().st_mtime_ns
    assert page_assets.place_plotly() == placed and placed.stat().st_mtime_ns == before  # already there
    placed.write_text("/* an older plotly.js */")
    assert page_assets.place_plotly() == placed and placed.read_bytes() == PLOTLY_JS.read_bytes()


def test_nowhere_to_put_it_is_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(page_assets, "template_folders", lambda: [])
    assert page_assets.place_plotly() is None
    locked = tmp_path / "locked"
    (locked / "static").mkdir(parents=True)
    (locked / "static" / "plotly.min.js").mkdir()  # something in the way that cannot be replaced by a file
    monkeypatch.setattr(page_assets, "template_folders", lambda: [locked])
    assert page_assets.place_plotly() is None


def test_the_installed_template_is_found():
    # .ci/setup installs it into this environment (the wheel does, where the wheel is installed)
    found = page_assets.template_folders()
    assert found and (found[0] / "conf.json").is_file()

"""The widgets' front end: the committed bundles are what the sources build, and each widget sends its own.

The sources are in ``kamwidgets/widgets/js`` and the bundles in ``kamwidgets/widgets/static``
(``npm run build``, see ``kamwidgets/widgets/js/build.mjs``).  Building needs the tools ``npm ci`` installs
(``.ci/setup`` runs it where Node is present); without them the comparison is skipped, except in CI, where a
skipped check would hide a stale bundle.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import subprocess
import weakref

import pytest

from kamwidgets.widgets._chart import Chart, PageHelper, PlotlyLibrary
from kamwidgets.widgets._front_end import STATIC, module, style
from kamwidgets.widgets._later import LaterMark
from kamwidgets.widgets._transfer import DownloadButton, FileDrop
from kamwidgets.widgets._workbook import WorkbookName

from .conftest import ROOT

SOURCES = ROOT / "kamwidgets" / "widgets" / "js"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"

#: Each widget class with a front end, and the bundle it sends (its module, and its style sheet if any).
WIDGETS = {
    Chart: ("chart", True),
    PlotlyLibrary: ("library", False),
    PageHelper: ("page_helper", True),
    LaterMark: ("later", True),
    WorkbookName: ("workbook", True),
    FileDrop: ("files", True),
    DownloadButton: ("files", True),
}


def _build(out):
    if shutil.which("node") is None or not ESBUILD.exists():
        if os.environ.get("CI") or os.environ.get("KAM_WHOLE_SUITE"):  # .ci/test sets it: no skipping there
            pytest.fail("the front-end build tools are missing: run `npm ci` at the top of the checkout (.ci/setup)")
        pytest.skip("needs Node.js and `npm ci` (the build tools) to rebuild the bundles")
    done = subprocess.run(
        ["node", str(SOURCES / "build.mjs"), str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_the_committed_bundles_are_what_the_sources_build(tmp_path):
    _build(tmp_path / "static")
    built = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "static").iterdir()}
    committed = {p.name: p.read_text(encoding="utf-8") for p in STATIC.iterdir()}
    stale = sorted(name for name in built.keys() | committed.keys() if built.get(name) != committed.get(name))
    assert not stale, (
        f"kamwidgets/widgets/static/ is not what kamwidgets/widgets/js/ builds ({', '.join(stale)}): "
        "run `npm run build` at the top of the checkout and commit the result"
    )


@pytest.mark.parametrize("widget", list(WIDGETS), ids=lambda w: w.__name__)
def test_each_widget_sends_its_bundle(widget):
    name, styled = WIDGETS[widget]
    assert widget._esm == module(name)
    assert getattr(widget, "_css", None) == (style(name) if styled else None)


def test_every_bundle_is_sent_by_a_widget():
    used = {f"{name}.js" for name, _ in WIDGETS.values()} | {f"{name}.css" for name, css in WIDGETS.values() if css}
    assert {p.name for p in STATIC.iterdir()} == used


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to parse the modules")
@pytest.mark.parametrize("name", sorted({name for name, _ in WIDGETS.values()}))
def test_each_bundle_is_one_es_module_that_the_page_can_load(tmp_path, name):
    text = module(name)
    assert re.search(r"^export (default|\{[^}]*\bas default\b)", text, re.M)
    assert not re.search(r"^import ", text, re.M)  # what it imports is inside it
    path = tmp_path / "module.mjs"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_shared_code_has_one_source_and_reaches_every_page():
    """The accessibility step is in every widget's module that a page can start with; its styles come along."""
    for name in ("chart", "later", "page_helper", "workbook", "files"):
        assert "__kamwidgetsA11y" in module(name) and ".lm-TabBar-tabLabel" in style(name), name
    for name in ("page_helper", "workbook"):  # every tool has the page helper, every lesson the name box
        assert "kam-disconnected-notice" in module(name) and "body.kam-disconnected" in style(name), name
    assert "kam-table" in style("chart") and "kam-table" in style("page_helper")  # the tables under charts too
    assert ".kam-buckets" in style("page_helper")
    sources = {p.name for p in SOURCES.iterdir()}
    assert {"a11y.js", "reach.js", "connection.js"} <= sources


def test_a_closed_widget_is_freed():
    """The modules are sent as text: anywidget, given a file, would keep every instance alive (see _front_end)."""
    drop = FileDrop()
    ref = weakref.ref(drop)
    drop.close()
    del drop
    gc.collect()
    assert ref() is None

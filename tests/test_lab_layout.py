"""Every lesson in JupyterLab with the file browser open, run from the top, legible at 1,440 and 1,100 px.

The Voila tests check the app view; this is the view of a learner who codes:
JupyterLab's file browser takes the left 280 px, so the notebook is narrower
than Voila's page at the same window width.
"""

from __future__ import annotations

import pytest

from kamwidgets.course import copy_lessons

from .browser_support import LabServer, layout_problems
from .conftest import ROOT

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))

#: The notebook on show has run from the top (every code cell numbered) and every chart it displayed is drawn.
RAN = """
() => {
  const prompts = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
  if (!prompts.length || !prompts.every(p => /\\[\\d+\\]/.test(p.textContent))) return false;
  if (document.querySelector('.kam-chart[data-state="loading"]')) return false;
  const charts = window.__kamwidgetsCharts;
  return !charts || !charts.expected || [...charts.expected].every(uid => charts.drawn.has(uid));
}
"""
KERNEL_IDLE = """
() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return Boolean(kernel) && kernel.status === 'idle';
}
"""

#: How many cells of the notebook on show ended in an error (read from the notebook's model: JupyterLab
#: draws only the cells in view).
ERRORS = """
() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  let errors = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    for (let j = 0; j < cell.outputs.length; j++) if (cell.outputs.get(j).type === 'error') errors++;
  }
  return errors;
}
"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lab")
    copy_lessons(tmp / "course")
    server = LabServer(
        tmp / "course", tmp / "lab.log", tmp / "state", env={"KAMWIDGETS_DB_URL": f"sqlite:///{tmp}/s.db"}
    )
    yield server
    server.stop()


def _problems(page) -> list[str]:
    """The layout problems a reader would see: each chart looked at (JupyterLab sizes cells out of view lazily)."""
    found = layout_problems(page, settle_ms=5_000)
    if found:
        for i in range(page.locator(".kam-chart").count()):  # charts in closed tabs stay where they are
            page.evaluate(f"() => document.querySelectorAll('.kam-chart')[{i}].scrollIntoView()")
            page.wait_for_timeout(500)
        found = layout_problems(page, settle_ms=5_000)
    return found


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_lesson_in_jupyterlab_with_the_file_browser_open(browser, lab, name):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{lab.url}/lab/tree/{name}?reset", timeout=120_000)  # ?reset: no workspace of an earlier test
        page.wait_for_function(KERNEL_IDLE, timeout=120_000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(RAN, timeout=180_000, polling=200)
        assert page.evaluate("() => !window.jupyterapp.shell.leftCollapsed")  # the file browser is open
        assert page.locator(".jp-FileBrowser").first.is_visible()
        assert page.evaluate(ERRORS) == 0, f"{name}: a cell failed"
        for width in (1440, 1100):
            page.set_viewport_size({"width": width, "height": 900})
            assert _problems(page) == [], f"{name} at {width}px in JupyterLab"
        assert errors == [], f"{name}: page errors {errors}"
    finally:
        page.close()

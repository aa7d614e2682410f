"""A lesson in Jupyter Notebook 7: copied out with the lessons command, run from the menu, charts drawn."""

from __future__ import annotations

import json

import pytest

from kamwidgets.course import copy_lessons
from kamwidgets.lab import WIDGET_VIEW

from .browser_support import NotebookServer

pytestmark = pytest.mark.browser


def _ours(error) -> bool:
    """A page error from the workbook, not from Notebook 7's own start-up.

    Notebook 7.6 raises one error of its own while loading its settings
    (``reading 'schema'``, entirely inside its ``notebook_core`` bundle),
    with or without the workbook; any error elsewhere counts.
    """
    stack = getattr(error, "stack", "") or ""
    frames = [line for line in stack.splitlines() if line.strip().startswith("at ") and "http" in line]
    return not frames or not all("/static/notebook/" in line for line in frames)


STARTED = (
    "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
    ".some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"
)


def _open_notebook(page, url: str) -> None:
    """Open a notebook and wait until its kernel is connected, as a person waits before running it.

    The execution indicator reads "idle" before the page has a kernel at all; a Run All
    made in that moment (seen in CI, under load) asks which kernel to start instead of
    running, and choosing one replaces the kernel the page was connecting to. The kernel's
    websocket having answered is the page's own sign that it is connected.
    """
    answered: list[str] = []

    def _watch(ws) -> None:
        if "/channels" in ws.url:
            ws.on("framereceived", lambda _frame: answered.append(ws.url))

    page.on("websocket", _watch)
    page.goto(url, timeout=120_000)
    page.wait_for_selector(".jp-Cell", timeout=120_000)
    for _ in range(600):
        if answered:
            break
        page.wait_for_timeout(200)
    else:
        pytest.fail(f"the kernel of {url} never answered on its websocket")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)


def _dismiss_dialog(page) -> str:
    """Close a dialog Notebook 7 put up over the menu, as a person would; returns its text or ''.

    Its text is printed, so that a test's log says which dialog it was.
    """
    dialog = page.locator(".jp-Dialog")
    if not dialog.count() or not dialog.first.is_visible():
        return ""
    text = dialog.first.inner_text()
    print(f"Notebook 7 showed a dialog: {text!r}")
    page.keyboard.press("Escape")
    dialog.first.wait_for(state="detached", timeout=10_000)
    return text


def _run_all_cells(page) -> None:
    """Run > Run All Cells, until the first cell has started (a click made while the app still loads is lost)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    dialogs = []
    for _ in range(3):
        page.get_by_role("menuitem", name="Run").first.click()
        page.get_by_text("Run All Cells").first.click()
        try:
            page.wait_for_function(STARTED, timeout=30_000)
            return
        except PlaywrightTimeout:
            dialogs.append(_dismiss_dialog(page))
            page.keyboard.press("Escape")
    pytest.fail(f"Run All Cells did not start the notebook; dialogs on the way: {[d for d in dialogs if d]}")


def test_start_here_runs_in_notebook_7(browser, tmp_path):
    lessons = tmp_path / "course"
    assert "00_start_here.ipynb" in copy_lessons(lessons).copied
    server = NotebookServer(lessons, tmp_path / "notebook.log", env={"KAMWIDGETS_DB_URL": f"sqlite:///{tmp_path}/s.db"})
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        errors: list = []
        page.on("pageerror", lambda e: errors.append(e))
        _open_notebook(page, f"{server.url}/notebooks/00_start_here.ipynb")
        _run_all_cells(page)
        page.wait_for_selector(".kam-chart[data-state=ready] .main-svg", timeout=180_000)
        # every code cell ran: each has an execution count, none shows an error
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
            ".every(p => /\\[\\d+\\]/.test(p.textContent))",
            timeout=180_000,
        )
        assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        assert "Traceback" not in page.inner_text("body")
        assert [str(e) for e in errors if _ours(e)] == []
        # saved and reopened: each widget output reads as a note to run the cell, never "model not found"
        saved = lessons / "00_start_here.ipynb"
        for attempt in range(100):  # the save has landed once every widget output is a note (an earlier one may not)
            if attempt % 25 == 0:  # saved now, and again if nothing was written (a key press lost under load, CI)
                page.locator(".jp-Notebook").first.click()
                page.keyboard.press("Control+s")
            text = saved.read_text()
            if "run this cell to see it again" in text and WIDGET_VIEW not in text:
                break
            page.wait_for_timeout(200)
        cells = json.loads(saved.read_text())["cells"]
        still = [i for i, c in enumerate(cells) if WIDGET_VIEW in json.dumps(c.get("outputs", []))]
        assert still == [] and "run this cell to see it again" in saved.read_text(), f"widget views in cells {still}"
        page.reload()
        page.wait_for_selector(".jp-Cell", timeout=120_000)
        page.wait_for_function(
            "() => document.body.innerText.includes('run this cell to see it again')", timeout=120_000
        )
        page.wait_for_timeout(1000)  # the widget manager has had its chance to complain
        assert "model not found" not in page.inner_text("body")
    finally:
        page.close()
        server.stop()


def test_a_chart_draws_while_the_kernel_is_still_running_the_notebook(browser, tmp_path):
    """plotly.js comes from the server (kamwidgets.lab), not from a kernel busy with the cells below the chart."""
    from .browser_support import write_notebook

    write_notebook(
        tmp_path,
        "busy",
        [
            "import kamwidgets as kw\nimport plotly.graph_objects as go\n"
            "kw.show(go.Figure(go.Bar(x=['a', 'b'], y=[3, 4])))",
            "import time\ntime.sleep(120)  # the rest of a long notebook",
        ],
    )
    server = NotebookServer(
        tmp_path, tmp_path / "notebook.log", env={"KAMWIDGETS_DB_URL": f"sqlite:///{tmp_path}/s.db"}
    )
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        _open_notebook(page, f"{server.url}/notebooks/busy.ipynb")
        _run_all_cells(page)
        page.wait_for_selector(".kam-chart[data-state=ready] .main-svg", timeout=90_000)
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
        assert "[*]" in prompts[1], prompts  # drawn while the second cell still runs
        assert page.evaluate("() => window.__kamwidgetsCharts.from") == "server"
    finally:
        page.close()
        server.stop()

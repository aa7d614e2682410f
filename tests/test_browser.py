"""The lessons in a real browser: Voila serves them, headless Chromium renders and drives them.

Needs Debian's Chromium (``.ci/system`` installs it) and the Playwright and
Voila packages (test extras).  When Chromium cannot be found these tests
fail with a message: they are never skipped quietly.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from .conftest import ROOT

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
WIDGET_ERRORS = ("Error displaying widget", "No version of module", "model not found", "Traceback",
                 "KamDataError", "There was an error when executing cell")

pytestmark = pytest.mark.browser


def _chromium() -> str:
    for candidate in (os.environ.get("KAM_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium is not installed: run `bash .ci/test` (it installs Debian's chromium), "
                "or set KAM_CHROMIUM to a Chrome or Chromium executable.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(folder: Path, tmp: Path) -> tuple[subprocess.Popen, str, Path]:
    port = _free_port()
    log = tmp / f"voila-{port}.log"
    env = dict(os.environ, KAMWIDGETS_DB_URL=f"sqlite:///{tmp / 'browser.sqlite'}")
    with open(log, "w") as out:  # the child keeps its own copy of the file
        proc = subprocess.Popen(
            [sys.executable, "-m", "voila", str(folder), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=folder)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return proc, url, log
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.5)
    proc.kill()
    pytest.fail(f"Voila did not start: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def lessons(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("voila")
    proc, url, log = _serve(ROOT / "notebooks", tmp)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


class Page:
    """A rendered lesson with what the browser reported while loading it."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url, timeout=180_000)
        self.page.wait_for_function(
            "() => document.body && document.body.innerText.length > 0 && !document.querySelector('.voila-spinner')",
            timeout=180_000)
        # Voila renders cell by cell; the last output appearing means the kernel is done
        self.page.wait_for_load_state("networkidle", timeout=180_000)
        self.page.wait_for_timeout(1500)

    def text(self) -> str:
        return self.page.inner_text("body")

    def close(self) -> None:
        self.page.close()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_lesson_renders_without_widget_errors(browser, lessons, name):
    view = Page(browser, f"{lessons}/voila/render/{name}")
    try:
        text = view.text()
        bad = [w for w in WIDGET_ERRORS if w in text]
        assert not bad, f"{name} shows {bad}"
        nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        first_heading = next(c.source.splitlines()[0].lstrip("# ") for c in nb.cells if c.cell_type == "markdown")
        assert first_heading in text  # the narrative is there
        assert "import kamwidgets" not in text  # workshop mode: no code cells
        uses_widgets = any("kw." in c.source and ("Widget" in c.source or "Quiz" in c.source or "Grid" in c.source
                                                  or "Plan" in c.source or "Matrix" in c.source)
                           for c in nb.cells if c.cell_type == "code")
        if uses_widgets:
            assert view.page.locator(".jupyter-widgets").count() > 0, f"{name}: no widget rendered"
        assert not view.errors, f"{name}: page errors {view.errors}"
    finally:
        view.close()


def _bucket_titles(page) -> list[str]:
    return page.eval_on_selector_all(".lm-TabBar-tabLabel", "els => els.map(e => e.textContent)")


def test_slider_round_trip_changes_the_buckets(browser, lessons):
    view = Page(browser, f"{lessons}/voila/render/12_customer_classification.ipynb")
    try:
        page = view.page
        before = _bucket_titles(page)
        assert any(t.endswith("\u00b7 Key account") for t in before)  # "5 · Key account"
        slider = page.locator(".widget-slider", has=page.locator(".widget-label", has_text="Attractiveness split")).first
        readout = slider.locator(".widget-readout")
        readout.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("8")
        page.keyboard.press("Enter")
        deadline = time.time() + 30
        after = _bucket_titles(page)
        while after == before and time.time() < deadline:  # the kernel answers, then the tab titles change
            page.wait_for_timeout(250)
            after = _bucket_titles(page)
        assert after != before and readout.inner_text().startswith("8")
        assert not view.errors
    finally:
        view.close()


def test_quiz_button_round_trip(browser, lessons):
    view = Page(browser, f"{lessons}/voila/render/01_what_is_kam.ipynb")
    try:
        page = view.page
        page.get_by_text("A deliberate choice of which few customers", exact=False).first.click()
        page.get_by_role("button", name="Check my answers").click()
        page.wait_for_selector("text=1 of 2 right", timeout=30_000)
        assert "Right. Yes: it is a sales process" in view.text()
    finally:
        view.close()


HOSTILE = [
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "<script>window.__pwned=2;alert(2)</script>",
    '"><svg onload="window.__pwned=3">',
    "=HYPERLINK(\"http://evil\")",
]


def test_hostile_account_names_render_as_text(browser, tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    import pandas as pd

    pd.DataFrame({"account": HOSTILE, "account_manager": [HOSTILE[1 - i % 2] for i in range(len(HOSTILE))],
                  "revenue": [100, 200, 300, 400], "share": [1.0, 0.75, 0.5, 0.25]}).to_csv(folder / "evil.csv",
                                                                                          index=False)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Hostile names"),
                nbformat.v4.new_code_cell(
                    "import kamwidgets as kw\n"
                    "p = kw.load_portfolio('evil.csv')\n"
                    "w = kw.ClassificationWidget(p, {'revenue': 1}, {'share': 1}, max_key_accounts=0)\n"
                    "w.views.selected_index = 1\nw"),
                nbformat.v4.new_code_cell(
                    "kw.StakeholderMap([{'person': n, 'stance': 'supporter', 'influence': 5} for n in p['account']])")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "hostile.ipynb")
    proc, url, log = _serve(folder, tmp_path)
    try:
        view = Page(browser, f"{url}/voila/render/hostile.ipynb")
        try:
            page = view.page
            page.wait_for_selector(".js-plotly-plot", timeout=60_000)
            page.wait_for_selector("text=Look at:", timeout=60_000)  # the balance view with the managers
            text = view.text()
            assert HOSTILE[0] in text and HOSTILE[1] in text  # shown literally, as text
            assert view.dialogs == []
            assert page.evaluate("() => window.__pwned === undefined")
            assert page.locator("img[src='x']").count() == 0
        finally:
            view.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)

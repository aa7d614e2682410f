"""The lessons in a real browser: Voila serves them, headless Chromium renders and drives them.

Needs Debian's Chromium (``.ci/system`` installs it) and the Playwright and
Voila packages (test extras).  When Chromium cannot be found these tests
fail with a message: they are never skipped quietly.

One Voila server serves every test (a copy of the lessons plus the test
notebooks, in a temporary folder); each test works in its own workbook
(``?workbook=...``), so no test sees what another saved.  Every wait is on a
condition (see ``browser_support``), never a fixed sleep.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import pathlib
import re
import shutil
import signal
import time
from contextlib import contextmanager

import nbformat
import openpyxl
import pandas as pd
import psutil
import pytest
import requests
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from .browser_support import (
    FIRST_SCREEN,
    PREHEAT,
    RUNNING,
    WIDGET_ERRORS,
    WORKSHOP,
    Page,
    VoilaServer,
    accessibility_problems,
    contrast_problems,
    free_port,
    layout_problems,
    opened,
    reopened,
    requests_outside,
    wait_rendered,
    write_notebook,
)
from .conftest import REAL, ROOT

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
QUIZZES = ROOT / "data" / "quizzes.json"

pytestmark = pytest.mark.browser

#: Every chart on show is drawn no wider than its box (charts follow their box after a resize).
CHARTS_FIT = """
() => [...document.querySelectorAll('.kam-chart')].filter(c => c.offsetParent !== null).every(c => {
  const svg = c.querySelector('.main-svg');
  return !svg || svg.getBoundingClientRect().width <= c.getBoundingClientRect().width + 1;
})
"""


HOSTILE = [
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "<script>window.__pwned=2;alert(2)</script>",
    '"><svg onload="window.__pwned=3">',
    '=HYPERLINK("http://evil")',
]


def _write_test_notebooks(root: pathlib.Path) -> None:
    """The test notebooks served beside the lessons: hostile names, many charts at once, your own data, a limit."""
    hostile = root / "hostile"
    hostile.mkdir()
    pd.DataFrame(
        {
            "account": HOSTILE,
            "account_manager": [HOSTILE[1 - i % 2] for i in range(len(HOSTILE))],
            "revenue": [100, 200, 300, 400],
            "share": [1.0, 0.75, 0.5, 0.25],
        }
    ).to_csv(hostile / "evil.csv", index=False)
    write_notebook(
        hostile,
        "hostile",
        [
            "import kamwidgets as kw\n"
            "p = kw.load_portfolio('evil.csv')\n"
            "w = kw.ClassificationWidget(p, {'revenue': 1}, {'share': 1}, max_key_accounts=0)\n"
            "w.views.selected_index = 1\nw",
            "kw.StakeholderMap([{'person': n, 'stance': 'supporter', 'influence': 5} for n in p['account']])",
        ],
    )
    # Many charts made at once, as in the wrap-up but more: what used to miss the widget runtime's time limit.
    write_notebook(
        root,
        "many_charts",
        [
            "import kamwidgets as kw\n"
            "portfolio = kw.load_portfolio(kw.sample_path('company_2026'))\n"
            "classified = kw.classify(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)\n"
            "bench = kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)\n"
            "bench",
            *[f"kw.show(kw.portfolio_matrix(classified.sample(frac=0.5, random_state={i})))" for i in range(4)],
            "kw.show(kw.balance_chart(kw.balance(classified)))",
            "kw.show(kw.stability_chart(kw.stability(classified, draws=50, seed=1)))",
            "kw.DecisionUnit(kw.sample_path('account_dmu'))",
            "kw.ContactMatrix(kw.sample_path('account_contacts'))",
        ],
        template="lab",  # Voila's own page: no plotly.js of its own, the kernel sends it
    )
    # Your own data: the picker, then the workbench on what was loaded (as in the lessons, shorter)
    write_notebook(
        root,
        "own_data",
        [
            "import kamwidgets as kw\nkw.WorkbookName()",
            "store = kw.open_store()\npicker = kw.DataPicker(store)\npicker",
            "kw.Downloads(classified=picker, store=store, name='my portfolio')",
        ],
    )
    write_notebook(
        root,
        "small_limit",
        [
            "import kamwidgets as kw\npicker = kw.DataPicker()\npicker.controls['upload'].max_bytes = 100_000\npicker",
        ],
    )


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """The lessons and the test notebooks, served by one Voila for the whole session."""
    root = tmp_path_factory.mktemp("served")
    for name in NOTEBOOKS:
        shutil.copy(ROOT / "notebooks" / name, root / name)
    _write_test_notebooks(root)
    server = VoilaServer(
        root,
        root.parent / "voila.log",
        env={"KAMWIDGETS_DB_URL": f"sqlite:///{root.parent / 'browser.sqlite'}"},
        options=WORKSHOP,
    )
    yield server.url
    server.stop()


def _url(served: str, name: str, workbook: str) -> str:
    return f"{served}/voila/render/{name}?workbook=test/{workbook}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_lesson_renders_without_widget_errors(browser, served, name):
    view = Page(browser, _url(served, name, name))
    try:
        text = view.text()
        bad = [w for w in WIDGET_ERRORS if w in text]
        assert not bad, f"{name} shows {bad}"
        nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        first_heading = next(c.source.splitlines()[0].lstrip("# ") for c in nb.cells if c.cell_type == "markdown")
        assert first_heading in text  # the narrative is there
        assert "import kamwidgets" not in text  # workshop mode: no code cells
        uses_widgets = any(
            "kw." in c.source
            and (
                "Widget" in c.source
                or "Quiz" in c.source
                or "Grid" in c.source
                or "Plan" in c.source
                or "Matrix" in c.source
            )
            for c in nb.cells
            if c.cell_type == "code"
        )
        if uses_widgets:
            assert view.page.locator(".jupyter-widgets").count() > 0, f"{name}: no widget rendered"
        assert all(state == "ready" for state in view.chart_states()), f"{name}: {view.chart_states()}"
        if view.chart_states():  # plotly.js came with the lessons' page, not through the kernel
            assert view.page.evaluate("() => window.__kamwidgetsCharts.from") == "page", name
        if nb.metadata.get("kamwidgets", {}).get("charts", True) is False:  # a lesson without charts loads no plotly.js
            assert view.chart_states() == [], name
            assert view.page.evaluate("() => typeof window.__kamwidgetsPlotlyPage") == "undefined", name
        assert not view.errors, f"{name}: page errors {view.errors}"
        assert view.console_errors == [], f"{name}: the page logged errors"  # once, every page: RUNTIME-012
        assert accessibility_problems(view.page) == [], f"{name}: WCAG 2.1 A/AA violations"
        assert contrast_problems(view.page) == [], name
        # the two widths a workshop room sees (a laptop, a projector), and a laptop's page zoomed to 200 %
        for width in (1440, 1100, 720):
            view.page.set_viewport_size({"width": width, "height": 900})
            view.page.wait_for_function(CHARTS_FIT, timeout=30_000)  # the charts have followed their boxes
            assert layout_problems(view.page) == [], f"{name} at {width}px"
    finally:
        view.close()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_lesson_is_legible_in_a_dark_theme(browser, served, name):
    """Voila's (and JupyterLab's) dark theme: the widgets' text keeps AA contrast (axe leaves most of it to review)."""
    view = Page(browser, _url(served, name, f"dark-{name}") + "&theme=dark")
    try:
        assert view.page.evaluate("() => document.body.classList.contains('theme-dark')")
        assert contrast_problems(view.page) == [], name
        assert accessibility_problems(view.page) == [], name
        assert not view.errors, f"{name}: page errors {view.errors}"
    finally:
        view.close()


def test_many_charts_at_once_on_a_slow_cpu(browser, served):
    """The regression test for lost figures: nine charts on a page whose CPU is six times slower."""
    view = Page(browser, _url(served, "many_charts.ipynb", "many-charts"), cpu_slowdown=6)
    try:
        states = view.chart_states()
        drawn = view.page.locator(".kam-chart .js-plotly-plot .main-svg").count()
        assert not view.errors, f"page errors {view.errors}"
        assert len(states) >= 9 and all(s == "ready" for s in states), states
        assert drawn >= 9
        # plotly.js came to the page once, however many charts there are; on Voila's own page
        # (no copy of its own, no Jupyter server to serve one), from the kernel, on request
        assert view.page.evaluate("() => window.__kamwidgetsCharts.plotly.size") == 1
        assert view.page.evaluate("() => window.__kamwidgetsCharts.from") == "kernel"
    finally:
        view.close()


@contextmanager
def _first_screen(browser, served, workbook: str, lesson: str = "15_wrap_up.ipynb"):
    """A lesson as a reader first sees it (what is in the window drawn, the rest not yet); no page error after."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(_url(served, lesson, workbook), timeout=240_000)
        page.wait_for_function(FIRST_SCREEN, timeout=240_000, polling=100)
        yield page
        assert not errors
    finally:
        page.close()


def test_the_tools_further_down_are_drawn_as_the_reader_scrolls_to_them(browser, served):
    with _first_screen(browser, served, "scroll") as page:
        waiting = page.locator(".kam-later")
        assert waiting.count() >= 8  # the people, the plans, readiness, marketing, the files, the quiz...
        assert page.get_by_text("Classify the portfolio").first.is_visible()
        assert page.get_by_role("button", name="Check my answers").count() == 0
        page.mouse.move(700, 500)
        for _ in range(120):  # the reader scrolls down to the end
            page.mouse.wheel(0, 600)
            page.wait_for_timeout(200)
            if waiting.count() == 0:
                break
        assert waiting.count() == 0
        page.get_by_role("button", name="Check my answers").wait_for(timeout=60_000)
        assert page.locator(".kam-chart").count() >= 7  # every chart of the lesson, drawn on the way
        page.wait_for_function(
            "() => [...document.querySelectorAll('.kam-chart')].every(c => c.dataset.state === 'ready')",
            timeout=60_000,
        )


_PLACEHOLDERS = """() => ({
  marks: [...(window.__kamwidgetsLater?.marks ?? [])]
    .map(m => ({asked: m.asked, tries: m.tries, text: m.el.textContent, top: m.el.getBoundingClientRect().top})),
  failed: [...document.querySelectorAll('.kam-later-box, .jp-OutputArea-output')]
    .map(e => e.innerText).filter(t => t.includes('could not be drawn')).map(t => t.slice(0, 300)),
  scrolled: document.getElementById('rendered_cells')?.scrollTop,
})"""


def _wait_or_explain(page, locator, timeout: int = 60_000) -> None:
    """Wait for ``locator`` to be visible; if it never is, fail with the state of the page's placeholders."""
    try:
        locator.wait_for(timeout=timeout)
    except PlaywrightTimeout:
        logs = "".join(f"\n--- {server.log} (last lines)\n{server.log_tail()}" for server in RUNNING)
        pytest.fail(f"{locator} never became visible; placeholders: {page.evaluate(_PLACEHOLDERS)}{logs}")


def test_a_reader_who_jumps_to_the_end_gets_every_tool_on_the_way(browser, served):
    with _first_screen(browser, served, "jump") as page:
        assert page.locator(".kam-later").count() >= 8
        # (jumps again if the page was still growing under the first jump, as a reader pressing End twice)
        page.wait_for_function(
            """() => { const cells = document.getElementById('rendered_cells');
                 if (cells.scrollTop + cells.clientHeight >= cells.scrollHeight - 2) return true;
                 cells.scrollTop = cells.scrollHeight; return false; }""",
            polling=250,
            timeout=30_000,
        )
        _wait_or_explain(page, page.get_by_role("button", name="Check my answers"))
        # the tools jumped over were never in the window: they are drawn all the same
        page.wait_for_function("() => window.__kamwidgetsLater.marks.size === 0", timeout=60_000)
        assert page.get_by_text("+ Add a row").count() >= 4  # the people's tables, the SWOT, the marketing plan


def test_a_tool_drawn_above_what_the_reader_reads_does_not_push_it_away(browser, served):
    """A reader who jumps to a place where a placeholder is at the top of the window, partly in view, keeps
    their place when the tool (taller than its placeholder) takes its place: the text below stays put."""
    with _first_screen(browser, served, "anchor", "14_customer_classification.ipynb") as page:
        found = page.evaluate(
            """() => {
              const cells = document.getElementById('rendered_cells');
              const all = [...cells.querySelectorAll('.jp-Cell')];
              const after = (m) => all.slice(all.indexOf(m.el.closest('.jp-Cell')) + 1)
                .find(c => c.getBoundingClientRect().height > 0);
              // far down (not asked, nothing drawn near it yet), with a cell after it
              const marks = [...window.__kamwidgetsLater.marks].filter(m => !m.asked && after(m));
              const mark = marks[Math.floor(marks.length / 2)];
              const next = after(mark);
              next.id = 'kam-test-anchor';
              mark.el.id = 'kam-test-mark';
              // the placeholder's top 100 px above the window: the reader sees its lower part and what follows
              cells.scrollTop += mark.el.getBoundingClientRect().top - cells.getBoundingClientRect().top + 100;
              return {height: mark.el.getBoundingClientRect().height, top: next.getBoundingClientRect().top};
            }"""
        )
        assert found["top"] < 900, found  # what follows the placeholder is in the window
        page.wait_for_function("() => !document.getElementById('kam-test-mark')", timeout=60_000)
        page.wait_for_timeout(1000)  # the tool laid out, its charts drawn
        top = page.evaluate("() => document.getElementById('kam-test-anchor').getBoundingClientRect().top")
        assert abs(top - found["top"]) < 60, (found, top)  # it moved 887 px when the page let it


def test_an_ask_lost_on_the_way_to_the_kernel_is_sent_again(browser, served):
    """A placeholder's ask that never reaches the kernel (as while the page's connection is made again) is
    repeated: the tool still comes, a few seconds later, instead of 'being drawn' for ever."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    dropped: list[str] = []

    def relay(ws):
        kernel = ws.connect_to_server()

        def to_kernel(message):
            text = message if isinstance(message, str) else message.decode("utf-8", "replace")
            if re.search(r'"draw":\s*true', text) and not dropped:
                dropped.append(text[-200:])  # the first ask is lost
                return
            kernel.send(message)

        ws.on_message(to_kernel)

    try:
        page.route_web_socket(re.compile(r".*/api/kernels/.*"), relay)
        page.goto(_url(served, "15_wrap_up.ipynb", "lost-ask"), timeout=240_000)
        page.wait_for_function(FIRST_SCREEN, timeout=240_000, polling=100)
        before = page.locator(".kam-later").count()
        assert before >= 8
        # the last tool on the page: the quiz (the placeholders are listed in the order their views were made,
        # which is not always the page's order)
        page.evaluate(
            """() => [...window.__kamwidgetsLater.marks]
                 .reduce((last, m) =>
                   last.el.compareDocumentPosition(m.el) & Node.DOCUMENT_POSITION_FOLLOWING ? m : last)
                 .ask()"""
        )
        _wait_or_explain(page, page.get_by_role("button", name="Check my answers"))
        # and the tool whose ask was lost (whichever it was) came too: nothing is left waiting
        page.evaluate("() => window.__kamwidgetsLater.drawAll()")
        page.wait_for_function("() => window.__kamwidgetsLater.marks.size === 0", timeout=60_000)
        assert len(dropped) == 1, "the test never dropped an ask: it did not check anything"
        assert not errors
    finally:
        page.close()


def test_printing_asks_for_every_tool_and_the_paper_says_what_is_missing(browser, served):
    with _first_screen(browser, served, "print") as page:
        assert page.locator(".kam-later").count() >= 8
        # as the browser's Print does; what is still a placeholder as the page prints says so (the print does
        # not wait for the kernel), read in the same step, before any tool can arrive
        notes = page.evaluate(
            "() => { window.dispatchEvent(new Event('beforeprint'));"
            " return [...document.querySelectorAll('.kam-later')].map(e => e.textContent); }"
        )
        assert notes and all("not drawn yet when the page was printed" in n for n in notes), notes
        # and every tool is on its way, for the next print
        page.wait_for_function("() => window.__kamwidgetsLater.marks.size === 0", timeout=60_000)
        page.get_by_role("button", name="Check my answers").wait_for(timeout=60_000)


def test_a_chart_further_down_waits_for_the_reader_and_keeps_its_place(browser, served):
    """Lesson 14's charts below the first screen are drawn as the reader comes to them, the page not moving."""
    with _first_screen(browser, served, "chart-later", "14_customer_classification.ipynb") as page:
        charts = page.locator(".kam-chart")
        states = page.eval_on_selector_all(".kam-chart", "els => els.map(e => e.dataset.state)")
        tops = page.eval_on_selector_all(".kam-chart", "els => els.map(e => e.getBoundingClientRect().top)")
        waited = [i for i, state in enumerate(states) if state == "waiting" and tops[i] > 2 * 900]
        assert len(waited) >= 1, (states, tops)  # the annual review, far below
        first = waited[0]
        # this chart, whatever is drawn above it meanwhile (scrolling past the workbench draws its charts)
        uid = charts.nth(first).get_attribute("data-uid")
        chart = page.locator(f'.kam-chart[data-uid="{uid}"]')
        assert chart.count() == 1
        assert "drawn as you scroll to it" in chart.inner_text()
        assert chart.locator(".js-plotly-plot").count() == 0
        before = chart.bounding_box()
        assert before["height"] >= 400  # it keeps the chart's height while it waits
        assert accessibility_problems(page) == [], "charts waiting"
        mark = page.get_by_role("heading", name="Quick check")  # text below the chart, already on the page
        below = mark.bounding_box()
        chart.scroll_into_view_if_needed()
        page.wait_for_function(
            f"() => document.querySelector('.kam-chart[data-uid=\"{uid}\"]').dataset.state === 'ready'",
            timeout=60_000,
        )
        assert chart.locator(".js-plotly-plot .main-svg").count() >= 1
        assert "drawn as you scroll" not in chart.inner_text()
        # drawn, it takes the place it kept: what is below it has not moved
        after, moved = chart.bounding_box(), mark.bounding_box()
        assert abs(after["height"] - before["height"]) <= 2, (before, after)
        assert abs((moved["y"] - after["y"]) - (below["y"] - before["y"])) <= 2
        # printing starts every chart still waiting; what the paper gets (the page once the print event and
        # the work it queued at once are done) is each such chart drawn, or a note that it was not drawn yet
        printed = page.evaluate(
            """async () => {
              const waiting = [...window.__kamwidgetsCharts.waiting];
              window.dispatchEvent(new Event('beforeprint'));
              await new Promise(resolve => setTimeout(resolve, 0));
              return waiting.map(view => view.el.dataset.state === 'ready' ? 'drawn' : view.el.innerText);
            }"""
        )
        # (the lesson's one chart below is drawn by now; any other still waiting is drawn or says it was not)
        assert all(p == "drawn" or "not drawn yet when the page was printed" in p for p in printed), printed
        page.wait_for_function(
            "() => [...document.querySelectorAll('.kam-chart')].every(c => c.dataset.state === 'ready')",
            timeout=60_000,
        )
        # plotly puts its drawing in the chart just after the chart says it is ready: wait for it in each chart
        # that waited (a chart in a tab not opened has no figure yet, and draws nothing until the tab opens)
        page.wait_for_function(
            "waited => waited.every(i => document.querySelectorAll('.kam-chart')[i]"
            ".querySelector('.js-plotly-plot .main-svg'))",
            arg=waited,
            timeout=60_000,
        )
        # the print also asked for the tools further down: once they are all drawn, no note is left
        page.wait_for_function("() => window.__kamwidgetsLater.marks.size === 0", timeout=60_000)
        page.wait_for_function(
            "() => !document.querySelector('#rendered_cells').innerText.includes('not drawn yet')", timeout=60_000
        )


def test_a_tool_not_drawn_yet_is_a_tab_stop_that_brings_the_keyboard_into_it(browser, served):
    with _first_screen(browser, served, "tab-later") as page:
        first = page.locator(".kam-later").first
        assert first.get_attribute("tabindex") == "0"
        # (drawing ahead may already have asked for it)
        assert any(t in first.inner_text() for t in ("appears as you scroll to it", "is being drawn"))
        first.focus()  # as Tab arrives on it
        page.wait_for_function(
            "() => { const e = document.activeElement;"
            " return e && e !== document.body && !e.classList.contains('kam-later')"
            " && e.closest('.jp-OutputArea-output') !== null; }",
            timeout=60_000,
        )
        # the keyboard is on the first stop of the tool that took the placeholder's place
        # (one Tab reaches: shown, not taken out of the Tab order)
        assert page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.matches('input, select, textarea, button, a[href], [tabindex]')"
            " && e.getAttribute('tabindex') !== '-1' && e.getClientRects().length > 0; }"
        )


def _bucket_titles(page) -> list[str]:
    return page.eval_on_selector_all(".lm-TabBar-tabLabel", "els => els.map(e => e.textContent)")


def _split_readout(page):
    """The readout of the workbench's attractiveness split (a slider's number, which can be typed into)."""
    slider = page.locator(".widget-slider", has=page.locator(".widget-label", has_text="Attractiveness split")).first
    return slider.locator(".widget-readout")


#: The tab titles of the workbench that holds ``readout`` (not those of tools drawn meanwhile further down).
_WORKBENCH_TABS = """(readout) => [...readout.closest('.jp-OutputArea-output').querySelectorAll('.lm-TabBar-tabLabel')]
  .map(e => e.textContent)"""


def _workbench_titles(page) -> list[str]:
    return _split_readout(page).evaluate(_WORKBENCH_TABS)


def _type_split(page, value: str) -> list[str]:
    """Type ``value`` as the workbench's attractiveness split; its bucket tabs' titles once the kernel has answered."""
    before = _workbench_titles(page)
    readout = _split_readout(page)
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    # the kernel answers, then the workbench's tab titles change
    page.wait_for_function(
        f"([readout, before]) => JSON.stringify(({_WORKBENCH_TABS})(readout)) !== JSON.stringify(before)",
        arg=[readout.element_handle(), before],
        timeout=60_000,
    )
    return _workbench_titles(page)


#: The workbench's matrix as plotly.js holds it in the page: how many accounts each bucket's trace (traces
#: 4-7) holds, what kind of array holds the positions of the fullest, and whether each account is named on
#: hover (a function body's start; ``wanted`` is its argument when waited for).
_MATRIX_COUNTS = """(wanted) => (() => {
  const gd = [...document.querySelectorAll('.kam-chart .js-plotly-plot')]
    .find((g) => g.layout && g.layout.meta && 'aggregate' in g.layout.meta);
  const buckets = gd ? gd.data.slice(4, 8) : [];
  const fullest = buckets.reduce((a, b) => (!a || b.x.length > a.x.length ? b : a), null);
  return {
    counts: buckets.map((t) => t.x.length),
    kind: fullest ? Object.prototype.toString.call(fullest.x) : '',
    named: buckets.every((t) => t.hovertext.length === t.x.length
      && Array.from(t.hovertext).every((h) => typeof h === 'string' && h.startsWith('<b>'))),
  };
})()"""


def test_slider_round_trip_changes_the_buckets(browser, served):
    view = Page(browser, _url(served, "14_customer_classification.ipynb", "slider"))
    try:
        page = view.page
        before = _workbench_titles(page)
        assert any(t.endswith("\u00b7 Key account") for t in before)  # "5 · Key account"
        after = _type_split(page, "8")
        assert after != before and _split_readout(page).inner_text().startswith("8")
        page.wait_for_function("() => !document.querySelector('.kam-chart:not([data-state=\"ready\"])')")
        # the matrix drawn from the patch (positions sent as bytes, names as where the page has them) has the
        # kernel's buckets: as many accounts in each bucket's colour as its tab counts, each named on hover
        counts = [int(m.group(1).replace(",", "")) for t in after if (m := re.match(r"([\d,]+) \u00b7 ", t))][:4]
        page.wait_for_function(_MATRIX_COUNTS + ".counts.join() === wanted.join()", arg=counts, timeout=30_000)
        assert page.evaluate(_MATRIX_COUNTS + ".kind") == "[object Float32Array]"  # drawn as the typed array sent
        assert page.evaluate(_MATRIX_COUNTS + ".named")
        assert not view.errors
    finally:
        view.close()


def test_a_chart_shows_its_numbers_as_a_table_by_keyboard(browser, served):
    view = Page(browser, _url(served, "14_customer_classification.ipynb", "table"))
    try:
        page = view.page
        toggles = page.locator(".kam-chart-table-toggle:visible")
        assert toggles.count() >= 2  # every drawn chart has one
        first = toggles.first
        assert first.get_attribute("aria-expanded") == "false"
        first.focus()
        page.keyboard.press("Enter")  # a button, so the keyboard opens it as a click would
        table = page.locator(f"#{first.get_attribute('aria-controls')} table")
        table.wait_for(timeout=60_000)
        assert first.get_attribute("aria-expanded") == "true"
        assert table.locator("tbody tr").count() == 30  # the sample's 30 accounts, one row each
        assert "Key account" in table.inner_text() and "bucket" in table.inner_text()
        headers = table.locator("thead th").all_inner_texts()
        assert headers[:3] == ["bucket", "account", "account manager"] and "label" not in headers  # what rows are
        assert accessibility_problems(page) == [], "the open table"
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.getElementById('{first.get_attribute('aria-controls')}').hidden")
        assert not view.errors
    finally:
        view.close()


def test_the_last_weight_of_an_axis_goes_back_and_the_note_beside_it_says_why(browser, served):
    view = Page(browser, _url(served, "14_customer_classification.ipynb", "weightless"))
    try:
        page = view.page
        strength = ("share of wallet", "relationship", "product fit", "price competitiveness")
        for name in strength:  # each to 0 by keyboard; the last one is refused
            handle = page.locator(f".noUi-handle[aria-label='weight of {name}']").first
            handle.focus()
            page.keyboard.press("Home")  # the kernel takes the moves in order
        note = page.locator("[role=alert]", has_text="Price competitiveness went back to 20").first
        note.wait_for(timeout=60_000)  # the kernel refused it and put the slider back
        assert "Our relative strength needs at least one criterion with a weight above 0" in note.inner_text()
        last = page.locator(".noUi-handle[aria-label='weight of price competitiveness']").first
        page.wait_for_function("(h) => h.getAttribute('aria-valuenow') === '20.0'", arg=last.element_handle())
        below, above = note.bounding_box(), last.bounding_box()
        assert 0 < below["y"] - above["y"] < 80  # right under the slider that went back, not under the matrix
        assert contrast_problems(page) == []
        page.locator(".noUi-handle[aria-label='weight of relationship']").first.focus()
        page.keyboard.press("ArrowRight")  # a good move takes the note away
        page.wait_for_function("() => !document.querySelector('[role=alert]')", timeout=60_000)
        assert not view.errors
    finally:
        view.close()


def _tab_to(page, test: str, limit: int = 300) -> None:
    """Press Tab until the focused element passes ``test`` (a JavaScript function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({test})(document.activeElement)"):
            return
    pytest.fail(f"Tab never reached {test}")


def test_the_workbench_by_keyboard_alone(browser, served):
    """A participant without a mouse: a weight, the options, a tab and the quiz, with Tab, arrows and Enter."""
    view = Page(browser, _url(served, "14_customer_classification.ipynb", "keyboard"))
    try:
        page = view.page
        page.locator("body").focus()
        # a weight slider: one arrow press moves it, and the matrix is redrawn by the kernel's answer
        _tab_to(page, "e => e.getAttribute('aria-label') === 'weight of revenue'")
        chart = page.locator(".kam-chart").first
        before = chart.get_attribute("data-drawn-at")
        share = page.evaluate("() => document.activeElement.getAttribute('aria-valuenow')")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "(before) => document.querySelector('.kam-chart').dataset.drawnAt !== before", arg=before, timeout=60_000
        )
        assert page.evaluate("() => document.activeElement.getAttribute('aria-valuenow')") != share
        # the options accordion opens with Enter and says so
        _tab_to(page, "e => e.textContent.trim() === 'Names, time budget and limits'")
        assert page.evaluate("() => document.activeElement.getAttribute('aria-expanded')") == "false"
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.activeElement.getAttribute('aria-expanded') === 'true'")
        assert page.get_by_text("Time budget per account (hours a week)").first.is_visible()
        # the result tabs: arrow to the next one, Enter opens it
        _tab_to(page, "e => e.getAttribute('role') === 'tab' && e.textContent.trim() === 'Buckets'")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.lm-TabBar-tab.lm-mod-current')]"
            ".some(t => t.textContent.trim() === 'Balance')",
            timeout=30_000,
        )
        # the quiz: a question's choices are one stop; Space chooses, an arrow key chooses the next one
        _tab_to(page, "e => e.type === 'radio'")
        page.keyboard.press("Space")
        spaced = page.evaluate("() => document.activeElement.parentElement.textContent.trim()")
        page.keyboard.press("ArrowDown")
        chosen = page.evaluate("() => document.activeElement.parentElement.textContent.trim()")
        assert chosen != spaced
        assert page.evaluate("() => document.activeElement.checked")
        box = (
            "() => [...document.querySelectorAll('.widget-radio-box')]"
            ".indexOf(document.activeElement.closest('.widget-radio-box'))"
        )
        question = page.evaluate(box)
        page.keyboard.press("Tab")  # on to the next question, not to the next choice of this one
        assert page.evaluate(box) != question
        _tab_to(page, "e => e.textContent.trim() === 'Check my answers'")
        page.keyboard.press("Enter")
        # the kernel got the choice made by arrow key: the page shows that answer's feedback, not the first one's
        # (the arrow's change may reach the kernel just after the press; the feedback then follows it)
        choices = {c["text"]: c["feedback"] for q in json.loads(QUIZZES.read_text())["lesson_14"] for c in q["choices"]}
        page.wait_for_function("(t) => document.body.innerText.includes(t)", arg=choices[chosen], timeout=60_000)
        text = view.text()
        assert choices[chosen] in text and choices[spaced] not in text
        assert not view.errors
    finally:
        view.close()


def test_quiz_button_round_trip(browser, served):
    view = Page(browser, _url(served, "03_what_is_kam.ipynb", "quiz"))
    try:
        page = view.page
        page.get_by_text("A relationship management process run by sales professionals", exact=False).first.click()
        page.get_by_role("button", name="Check my answers").click()
        page.wait_for_selector("text=1 of 4 right", timeout=60_000)
        assert "Right. A process, driven by people in sales" in view.text()
    finally:
        view.close()


def test_hostile_account_names_render_as_text(browser, served):
    view = Page(browser, _url(served, "hostile/hostile.ipynb", "hostile"))
    try:
        page = view.page
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        page.wait_for_selector("text=Look at:", timeout=60_000)  # the balance view with the managers
        text = view.text()
        assert HOSTILE[0] in text and HOSTILE[1] in text  # shown literally, as text
        page.locator(".kam-chart-table-toggle:visible").first.click()  # and in the chart's table
        page.wait_for_selector(".kam-chart-table table", timeout=60_000)
        assert HOSTILE[0] in page.locator(".kam-chart-table").first.inner_text()
        assert view.dialogs == []
        assert page.evaluate("() => window.__pwned === undefined")
        assert page.locator("img[src='x']").count() == 0
    finally:
        view.close()


# ------------------------------------------------------------------ your own data through the page
def _upload(view: Page, path) -> None:
    view.page.set_input_files(".kam-file input[type=file]", str(path))


def _wait_text(view: Page, text: str) -> None:
    view.page.wait_for_function("(t) => document.body.innerText.includes(t)", arg=text, timeout=120_000)


def test_uploading_the_wholesale_list_numbers_its_accounts(browser, served):
    expected = len(pd.read_csv(ROOT / "data" / "real" / "wholesale_customers.csv"))
    view = Page(browser, _url(served, "own_data.ipynb", "upload-wholesale"))
    try:
        assert "Using the sample portfolio" in view.text()
        _upload(view, REAL / "wholesale_customers.csv")
        _wait_text(view, f"{expected:,} accounts from wholesale_customers.csv")
        assert not [w for w in WIDGET_ERRORS if w in view.text()] and not view.errors
    finally:
        view.close()


def test_the_pickers_checkbox_shows_all_its_words_at_every_width(browser, served):
    """'The file has no account names: number the rows' was cut to 'The file has no account na...' (a checkbox's
    fixed 300 px); the check is folded away until a file is read, so the lessons' layout check never saw it."""
    words = "The file has no account names: number the rows"
    view = Page(browser, _url(served, "own_data.ipynb", "long-checkbox"))
    try:
        _upload(view, REAL / "wholesale_customers.csv")  # no account names: the checkbox is ticked and shown
        _wait_text(view, "accounts from wholesale_customers.csv")
        head = view.page.locator(".jupyter-widget-Collapse-header", has_text="Check what was read and how").first
        head.wait_for()
        if head.get_attribute("aria-expanded") != "true":
            head.click()
        expect(view.page.get_by_role("checkbox", name=words)).to_be_checked(timeout=30_000)
        label = view.page.locator(".widget-checkbox label.widget-label-basic").filter(has_text=words)
        for width in (1440, 1100, 800, 360):  # a laptop, a projector, a narrow window, a phone (the words wrap)
            view.page.set_viewport_size({"width": width, "height": 900})
            label.scroll_into_view_if_needed()
            shown = label.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1")
            assert shown and label.inner_text().strip() == words, f"cut at {width}px"
            if width >= 800:
                assert layout_problems(view.page) == [], f"at {width}px"
        view.assert_clean("own_data.ipynb")
    finally:
        view.close()


def test_an_uploaded_pipeline_follows_the_participant_and_no_one_else(browser, served):
    raw = pd.read_csv(ROOT / "data" / "real" / "crm_sales_pipeline.csv")
    accounts = raw["account"].dropna().nunique()
    view = Page(browser, _url(served, "own_data.ipynb", "ana"))
    try:
        _upload(view, REAL / "crm_sales_pipeline.csv")
        _wait_text(view, f"{accounts:,} accounts from crm_sales_pipeline.csv")
        # the warning is on the page (its own update, which may reach the page a moment after the summary)
        _wait_text(view, f"{int(raw['account'].isna().sum()):,} rows")
        with view.page.expect_download(timeout=120_000) as download:
            view.page.get_by_role("button", name="Excel summary").click()
        saved = download.value  # the browser's own download, not a link to a server path
        assert saved.suggested_filename == "my-portfolio-summary.xlsx"
        book = openpyxl.load_workbook(io.BytesIO(pathlib.Path(saved.path()).read_bytes()))
        assert book["Accounts"].max_row == accounts + 1
    finally:
        view.close()
    again = Page(browser, _url(served, "14_customer_classification.ipynb", "ana"))  # the next lesson, reloaded
    try:
        assert "Working on crm_sales_pipeline.csv" in again.text()
    finally:
        again.close()
    other = Page(browser, _url(served, "14_customer_classification.ipynb", "ben"))  # another participant
    try:
        assert "Working on the sample portfolio" in other.text()
    finally:
        other.close()


def test_a_broken_file_and_a_file_over_the_limit_get_a_message(browser, served, tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary\x00\x01")
    view = Page(browser, _url(served, "own_data.ipynb", "broken"))
    try:
        _upload(view, broken)
        _wait_text(view, "does not look like")
        assert "Traceback" not in view.text() and "Using the sample portfolio" in view.text()
    finally:
        view.close()
    small = Page(browser, _url(served, "small_limit.ipynb", "limit"))
    try:
        _upload(small, REAL / "crm_sales_pipeline.csv")
        _wait_text(small, "more than the")
        assert "Traceback" not in small.text()
    finally:
        small.close()


#: Where the pickers' upload stands on the page: its button, the browser's own (hidden) input, the line under it.
_CHOOSER = """
() => {
  const box = document.querySelector('.kam-file');
  const input = box.querySelector('input[type=file]').getBoundingClientRect();
  return {input: [input.width, input.height], button: box.querySelector('button').innerText,
          status: box.querySelector('.kam-file-status').innerText};
}
"""

#: The picker's kinds of row: whether any two overlap, and whether any is cut.
_CHOICES_APART = """
() => {
  const labels = [...document.querySelectorAll('.kam-long-options .widget-radio-box label')];
  const boxes = labels.map(l => l.getBoundingClientRect());
  const overlap = boxes.some((a, i) => boxes.slice(i + 1).some(b => a.bottom > b.top + 1 && b.bottom > a.top + 1));
  const cut = labels.some(l => l.scrollWidth > l.clientWidth + 1 || l.scrollHeight > l.clientHeight + 1);
  return {n: labels.length, overlap, cut, right: Math.max(...boxes.map(b => b.right)), width: window.innerWidth};
}
"""


def test_the_picker_says_which_file_is_in_use_and_its_choices_wrap_on_a_phone(browser, served):
    """A tester saw "No file chosen" (the browser's own words, the input emptied after sending) above "Received
    crm_accounts.csv", and at 360 px the two kinds of row written over each other."""
    view = Page(browser, _url(served, "own_data.ipynb", "file-in-use"))
    try:
        page = view.page
        chooser = page.evaluate(_CHOOSER)
        assert chooser["status"] == "In use: the sample portfolio (no file of yours)."
        assert chooser["input"][0] <= 1 and chooser["input"][1] <= 1  # the native input and its words: out of sight
        button = page.get_by_role("button", name="Your portfolio file (CSV or Excel) Choose a file")
        expect(button).to_be_visible()
        with page.expect_file_chooser() as chosen:  # the page's button opens the browser's file chooser
            button.click()
        chosen.value.set_files(str(REAL / "crm_accounts.csv"))
        _wait_text(view, "accounts from crm_accounts.csv")
        expect(page.locator(".kam-file .kam-file-status")).to_have_text("In use: crm_accounts.csv.", timeout=60_000)
        assert page.evaluate(_CHOOSER)["input"][0] <= 1
        head = page.locator(".jupyter-widget-Collapse-header", has_text="Check what was read and how").first
        if head.get_attribute("aria-expanded") != "true":
            head.click()
        page.locator(".kam-long-options").wait_for()
        for width in (1440, 1100, 360):
            page.set_viewport_size({"width": width, "height": 740})
            page.locator(".kam-long-options").scroll_into_view_if_needed()
            choices = page.evaluate(_CHOICES_APART)
            assert choices["n"] == 2 and not choices["overlap"] and not choices["cut"], (width, choices)
            assert choices["right"] <= choices["width"], (width, choices)  # within the window, wrapped
        view.assert_clean("own_data.ipynb")
        assert accessibility_problems(page) == [] and contrast_problems(page) == []
    finally:
        view.close()


#: The name box's parts (label, box, button, the line saying where the work is kept): none touches the next.
_NAME_BOX_APART = """
() => {
  const parts = [...document.querySelector('.kam-workbook').children].map(e => e.getBoundingClientRect());
  return parts.slice(1).every((b, i) => {
    const a = parts[i];
    return b.left - a.right >= 6 || b.top - a.bottom >= 2 || a.top - b.bottom >= 2;
  });
}
"""

#: Whether the name box comes before the lesson's first section on the page.
_NAME_FIRST = """
() => {
  const box = document.querySelector('.kam-workbook');
  const section = [...document.querySelectorAll('h2')][0];
  return Boolean(box && section && (box.compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING));
}
"""

#: What the page shows that a reader could not read whole: a cut text box, a printed line in a program's font,
#: a table of words right-aligned.
_PLAN_PAGE = """
() => {
  const cut = [...document.querySelectorAll('.kam-wrap-text textarea')].filter(
    t => t.scrollHeight > t.clientHeight + 1 || t.scrollWidth > t.clientWidth + 1).map(t => t.value);
  const printed = [...document.querySelectorAll('.jp-OutputArea-output pre')].filter(p => p.innerText.trim());
  const areas = [...document.querySelectorAll('.kam-wrap-text textarea')];
  const mono = [...printed, ...areas].filter(p => /mono|courier|consolas|menlo/i.test(getComputedStyle(p).fontFamily))
    .map(p => p.innerText || p.value);
  const cells = [...document.querySelectorAll('.jp-RenderedHTMLCommon table.dataframe :is(th, td)')];
  const right = cells.filter(c => getComputedStyle(c).textAlign !== 'left').map(c => c.innerText);
  // past the window's right edge, outside a region that scrolls sideways (a wide table's)
  const wide = [...document.querySelectorAll('#rendered_cells .jupyter-widgets')].filter(
    e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.kam-scroll'))
    .map(e => e.innerText.slice(0, 40));
  // an empty section of a plan still shows three lines: it asks for a few sentences
  const sections = [...document.querySelectorAll('.kam-plan-text textarea')];
  const short = sections.filter(t => !t.value && t.getClientRects().length  // shown (not in a closed part)
    && t.clientHeight < 3 * parseFloat(getComputedStyle(t).lineHeight))
    .map(t => t.placeholder);
  return {boxes: document.querySelectorAll('.kam-wrap-text textarea').length, cut, printed: printed.length, mono,
          cells: cells.length, right, wide, sections: sections.length, short};
}
"""


@pytest.mark.parametrize("name", ["11_marketing_plan.ipynb", "13_account_plan.ipynb"])
def test_the_plan_lessons_read_as_the_others(browser, served, name):
    """What a tester saw on lessons 11 and 13: the name box inside the worked example, its last line against its
    button, the status lines and the plans' text boxes in a program's font, tables of words right-aligned, product
    text cut, and at 360 px a plan's text scrolling inside its box and the account and year boxes past the edge."""
    view = Page(browser, _url(served, name, f"plan-page-{name[:2]}"))
    try:
        page = view.page
        assert page.evaluate(_NAME_FIRST), name
        for width, height in ((1440, 900), (1100, 800), (360, 740)):
            page.set_viewport_size({"width": width, "height": height})
            page.locator(".kam-workbook").scroll_into_view_if_needed()
            assert page.evaluate(_NAME_BOX_APART), (name, width)
            shown = page.evaluate(_PLAN_PAGE)
            assert shown["printed"] and shown["mono"] == [], (name, width, shown)  # "Your work is kept ...", ...
            assert shown["cells"] and shown["right"] == [], (name, width, shown)
            assert shown["cut"] == [] and shown["wide"] == [], (name, width, shown)
            if name.startswith("11"):
                assert shown["boxes"] >= 10, shown  # the sample's two products, five text boxes each
            else:
                assert shown["boxes"] >= 5, shown  # the sample plan's sections and the participant's
            assert shown["sections"] >= 5 and shown["short"] == [], (name, width, shown)
        assert "Working on" in view.text() or name.startswith("11")
        view.assert_clean(name)
    finally:
        view.close()


def test_a_name_typed_once_follows_the_participant_to_the_next_lesson(browser, served):
    """No ?workbook= in the address: the participant types a name, and every lesson after uses it."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{served}/voila/render/own_data.ipynb", timeout=240_000)
        wait_rendered(page)
        assert "shares the workbook 'default'" in page.inner_text("body")
        page.get_by_label("Your name", exact=False).fill("test/zoe")
        with page.expect_navigation(timeout=240_000):
            page.get_by_role("button", name="Use this name").click()
        assert "workbook=test%2Fzoe" in page.url
        wait_rendered(page)
        page.set_input_files(".kam-file input[type=file]", str(REAL / "crm_accounts.csv"))
        page.wait_for_function(
            "() => document.body.innerText.includes('accounts from crm_accounts.csv')", timeout=120_000
        )
        later = context.new_page()  # another lesson, opened from the list without the name in its address
        later.goto(f"{served}/voila/render/14_customer_classification.ipynb", timeout=240_000)
        later.wait_for_url("**workbook=test%2Fzoe**", timeout=240_000)
        wait_rendered(later)
        assert "Working on crm_accounts.csv" in later.inner_text("body")
        assert not errors
    finally:
        context.close()


def test_the_list_of_lessons_and_a_lesson_load_nothing_from_the_internet(browser, served):
    """A workshop room's network may hold requests to the internet open: one in a page's head kept it blank."""
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    outside = requests_outside(page)
    try:
        page.goto(f"{served}/voila/tree", timeout=120_000)
        page.wait_for_selector("text=14_customer_classification.ipynb", timeout=60_000)
        assert accessibility_problems(page) == []
        page.goto(_url(served, "14_customer_classification.ipynb", "offline"), timeout=240_000)
        wait_rendered(page)
        assert outside == []
    finally:
        page.close()


def _own_server(tmp_path, name: str, cells: list[str], options: tuple[str, ...] = ()) -> tuple[VoilaServer, str]:
    """A Voila server of the test's own, serving one notebook of ``cells`` with its own store; and the page."""
    folder = tmp_path / "pages"
    folder.mkdir()
    page = write_notebook(folder, name, cells)
    server = VoilaServer(
        folder,
        tmp_path / "voila.log",
        env={"KAMWIDGETS_DB_URL": f"sqlite:///{tmp_path}/{name}.sqlite"},
        options=options,
        port=free_port(),  # the lessons' server of this session holds 8866
    )
    return server, page


def _started_kernels(log: pathlib.Path) -> list[str]:
    """The ids of the kernels a Voila server started, in the order its log names them."""
    return re.findall(r"Kernel started: ([0-9a-f-]+)", log.read_text(errors="replace"))


def _kill_kernel(log: pathlib.Path) -> None:
    """Stop the kernel a Voila server started (the one its log names), as a crash or a server's culling would."""
    kernel = _started_kernels(log)[-1]
    for entry in pathlib.Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if entry.name.isdigit() and f"kernel-{kernel}" in command:
            os.kill(int(entry.name), signal.SIGKILL)
            return
    raise AssertionError(f"no process for kernel {kernel}")


def test_a_page_whose_kernel_has_gone_says_so_and_how_to_go_on(browser, tmp_path):
    """A lesson's kernel (or server) stopped under it: one notice, not a broken-link icon on every widget."""
    server, page_name = _own_server(
        tmp_path,
        "gone",
        ["import kamwidgets as kw\nkw.WorkbookName()", "import ipywidgets as W\nW.IntSlider(description='Weight')"],
    )
    view = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        view.goto(f"{server.url}/voila/render/{page_name}?workbook=test/gone", timeout=240_000)
        wait_rendered(view)
        assert view.locator(".kam-disconnected-notice").count() == 0
        _kill_kernel(server.log)
        notice = view.locator(".kam-disconnected-notice")
        notice.wait_for(timeout=60_000)
        assert notice.get_attribute("role") == "alert"
        assert "reload the page" in notice.inner_text()
        assert accessibility_problems(view) == []
        # the broken-link icons ipywidgets puts on every widget are hidden while the notice explains
        icons = view.evaluate(
            "() => [...document.querySelectorAll('.jupyter-widgets-disconnected')]"
            ".filter(e => getComputedStyle(e, '::before').display !== 'none').length"
        )
        assert icons == 0
        notice.get_by_role("button", name="Reload the page").click()
        wait_rendered(view)  # a fresh kernel runs the page again
        assert view.get_by_text("Weight").count() >= 1
        assert view.locator(".kam-disconnected-notice").count() == 0
        # the whole server stopped (a hub stops an idle participant's): the page says so within seconds
        server.stop()
        view.locator(".kam-disconnected-notice").wait_for(timeout=60_000)
    finally:
        view.close()
        server.stop()


def _kernels(server: VoilaServer) -> int:
    """How many kernels the server runs now."""

    def running_kernel(p: psutil.Process) -> bool:
        # A kernel that has just exited is a zombie until the server reaps it: it runs no more.
        try:
            # a kernel is started with its connection file (kernel-ID.json), whatever launches it (ipykernel's
            # launcher, or kamwidgets/_page_kernel.py for a page's kernel)
            started_as_kernel = any(re.search(r"kernel-[0-9a-f-]+\.json$", a) for a in p.cmdline())
            return p.status() != psutil.STATUS_ZOMBIE and started_as_kernel
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            return False

    found = psutil.Process(server.proc.pid).children(recursive=True)
    return sum(1 for p in found if running_kernel(p))


#: The idle limit of the culling test, in seconds.  A kernel is culled only while no page is connected to it, so
#: the limit must outlast the moment between Voila running a page and the page connecting, however busy the
#: machine is (3 s did not, once); the verdicts wait on the server's own state, never on a fixed time.
CULL_AFTER = 20


def _kernel(server: VoilaServer, kernel_id: str) -> dict | None:
    """The server's view of one kernel (``connections``, ``execution_state``, ``last_activity``); None once gone."""
    answer = requests.get(f"{server.url}/api/kernels/{kernel_id}", timeout=30)
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    return answer.json()


def _idle_for(kernel: dict) -> float:
    """Seconds since the kernel last did anything, as the server's culler counts them."""
    since = datetime.datetime.now(datetime.UTC) - datetime.datetime.fromisoformat(kernel["last_activity"])
    return since.total_seconds()


def _gone_or_idle_past_the_limit(server: VoilaServer, kernel_id: str) -> bool:
    """Whether the kernel is gone, or has been idle longer than the limit with the culler run twice since."""
    kernel = _kernel(server, kernel_id)
    return kernel is None or _idle_for(kernel) > CULL_AFTER + 2


def _until(condition, timeout: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout:g} s: {what}"
        time.sleep(0.25)


def test_a_closed_pages_kernel_is_ended_and_an_open_pages_is_kept(browser, tmp_path):
    """Voila's request to end a closed page's kernel is refused (voila-dashboards/voila#1458): without culling,
    every lesson a participant opened or reloaded kept a kernel (100-150 MB) for the server's life."""
    server, name = _own_server(
        tmp_path,
        "cull",
        ["import ipywidgets as W\nW.IntSlider(description='Weight')"],
        # as .ci/workshop (KAM_CULL_AFTER), with a shorter limit for the test
        options=(f"--MappingKernelManager.cull_idle_timeout={CULL_AFTER}", "--MappingKernelManager.cull_interval=1"),
    )
    pages = [browser.new_page(viewport={"width": 1100, "height": 900}) for _ in range(2)]
    kernels = []
    try:
        for page in pages:
            page.goto(f"{server.url}/voila/render/{name}", timeout=240_000)
            wait_rendered(page)
            kernels.append(_started_kernels(server.log)[-1])
        assert len(set(kernels)) == 2 and _kernels(server) == 2
        for kernel in kernels:  # each page connected to its kernel: from here on only a page's going ends one
            _until(lambda k=kernel: (_kernel(server, k) or {}).get("connections", 0) > 0, 60, f"{kernel} connected")
        pages[1].close()  # the tab closed: its kernel is idle with no page
        _until(lambda: _kernel(server, kernels[1]) is None, CULL_AFTER + 60, "the closed page's kernel ended")
        _until(lambda: _kernels(server) == 1, 60, "the closed page's kernel process gone")
        # the page still open keeps its kernel, however idle: idle longer than the limit, the culler run since
        _until(lambda: _gone_or_idle_past_the_limit(server, kernels[0]), CULL_AFTER + 60, "the open page idle")
        kept = _kernel(server, kernels[0])
        assert kept is not None and kept["connections"] > 0, "the open page's kernel was ended"
        assert _kernels(server) == 1 and pages[0].locator(".jupyter-widgets-disconnected").count() == 0
    finally:
        for page in pages:
            if not page.is_closed():
                page.close()
        server.stop()


def test_kernels_voila_runs_ahead_keep_each_page_in_its_own_workbook(browser, tmp_path):
    """`.ci/workshop --preheat`: a kernel per page runs the lesson before anyone asks; ?workbook= still counts."""
    server, page = _own_server(
        tmp_path,
        "workbook",
        ["import kamwidgets as kw\nstore = kw.open_store()", "kw.WorkbookName()", "kw.Quiz('lesson_03').keep(store)"],
        options=PREHEAT,
    )
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        for turn, workbook in enumerate(("test/pre-ann", "test/pre-bo"), start=1):
            # A page asked for before Voila's kernel for it has started gets a fresh kernel instead: wait until
            # the pool holds one (at start, then again after the first page used it), as a facilitator would.
            server.wait_logged("Kernel pool of workbook.ipynb is filled", times=turn)
            view = context.new_page()
            view.goto(f"{server.url}/voila/render/{page}?workbook={workbook}", timeout=240_000)
            wait_rendered(view)
            assert f"kept in the workbook '{workbook}'" in view.inner_text("body")
            view.get_by_role("button", name="Check my answers").click()  # the kernel behind the page answers
            view.wait_for_selector("text=of 4 right", timeout=60_000)
            view.close()
        log = server.log.read_text(errors="replace")
        assert log.count("Using pre-heated kernel") == 2  # both pages got a kernel that had run ahead
    finally:
        context.close()
        server.stop()


def _drawn(view: Page, name: str) -> None:
    """Widgets on the page, and every chart drawn."""
    assert view.page.locator(".jupyter-widgets").count() > 0, name
    assert all(state == "ready" for state in view.chart_states()), f"{name}: {view.chart_states()}"


def test_the_lessons_in_order_in_one_workbook(browser, served):
    """A learner's path: what lesson 14 saved is restored in the wrap-up, and the wrap-up still draws.

    In lesson 14 the learner places the account the sample's criteria leave unplaced by hand (the course's way)
    and types a new attractiveness split into the workbench (the matrix); the wrap-up, opened next in the same
    workbook, shows both as lesson 14 left them.
    """
    account, reason = "Estmar AG", "Placed by hand in lesson 14, for the wrap-up"
    lesson_14 = _url(served, "14_customer_classification.ipynb", "one-path")
    wrap_up = _url(served, "15_wrap_up.ipynb", "one-path")
    with opened(browser, lesson_14, "lesson 14") as view:
        _drawn(view, "lesson 14")
        rules = view.page.locator(".jp-Cell", has=view.page.get_by_role("button", name="Place by hand", exact=True))
        rules.get_by_label("Account", exact=True).select_option(label=account)
        rules.get_by_label("goes to", exact=True).select_option(label="Key development account")
        rules.get_by_label("because", exact=True).fill(reason)
        rules.get_by_role("button", name="Place by hand", exact=True).click()
        rules.get_by_text(reason, exact=True).wait_for(timeout=60_000)  # the kernel placed it
        tabs = _type_split(view.page, "8")

    def restored(view: Page) -> bool:  # autosave writes a second after the last change: a reload may come first
        return reason in view.text() and _split_readout(view.page).inner_text().startswith("8")

    with reopened(browser, wrap_up, restored, "lesson 14's work in the wrap-up") as view:
        _drawn(view, "wrap-up")
        by_hand = view.page.locator("table", has=view.page.get_by_text(reason, exact=True))
        assert account in by_hand.inner_text() and "Key development account" in by_hand.inner_text()
        assert set(tabs) <= set(_bucket_titles(view.page)), (tabs, _bucket_titles(view.page))  # the split's buckets


# ------------------------------------------------------------------ the exercises on your own file, kept and taken away
#: An export of the participant's own (none of the sample's names): two salespeople, eight accounts.
OWN_ACCOUNTS = """account,account_manager,revenue,share_of_wallet,relationship,growth_potential
Quillon Foundry,Petra Lind,820000,0.62,4,3
Marrowick Dairies,Petra Lind,455000,0.35,3,5
Oakhurst Glassworks,Petra Lind,310000,0.48,2,2
Tarnby Mills,Petra Lind,150000,0.20,3,4
Velloran Pharma,Jonas Eke,990000,0.15,2,5
Brisewood Textiles,Jonas Eke,270000,0.55,4,2
Callowmere Paper,Jonas Eke,195000,0.40,3,3
Dunstable Ceramics,Jonas Eke,88000,0.25,1,2
"""
#: The account the participant works on through the exercises, and why they placed it by hand in lesson 4.
ACCOUNT = "Marrowick Dairies"
REASON = "Their plant manager asked us to co-design the 2027 line"
#: What the participant writes in lessons 11, 12 and 13.
REGION, LANDSCAPE = "Baltic coast", "Cold chain logistics firms along the Baltic coast are consolidating fast"
SWOT_ITEM = "Their new cold store in Tarnby needs a service partner"
STAND = "We supply two of their three dairies and their buyer trusts our technicians"

#: What comes after a lesson's "Exercise" heading: the lessons show the sample's tool first, the participant's below.
EXERCISE = (
    "xpath=//h2[starts-with(normalize-space(.), 'Exercise')]"
    "/following::div[contains(concat(' ', normalize-space(@class), ' '), ' jp-OutputArea-output ')]"
)


def _exercise(view: Page):
    return view.page.locator(EXERCISE)


def _control(where, name: str, unnamed: list[str]):
    """The control a participant knows by ``name``: its label, or (no label shown) its tooltip.

    A control named only by its tooltip must still have that name for a screen reader (a11y.js gives it as an
    aria-label, see ``control_name`` in kamwidgets/widgets/_base.py); one that does not is noted in ``unnamed``
    and found by its tooltip, so that the rest of the exercise is still checked.
    """
    labelled, tooltip = where.get_by_label(name, exact=True), where.get_by_title(name, exact=True)
    labelled.or_(tooltip).first.wait_for(timeout=60_000)  # on the page (a row just added, a tool made anew)
    if labelled.count():
        return labelled.first
    unnamed.append(name)
    return tooltip.first


def _lesson_4_places_an_account_by_hand(browser, url, unnamed: list[str]) -> None:
    """Lesson 4: one account placed by hand in the key account bucket, with the reason; kept and downloaded."""
    lesson_4 = url("04_sales_approach_and_spectrum.ipynb")
    with opened(browser, lesson_4, "lesson 4") as view:
        assert "Working on harbour_accounts.csv" in view.text()
        exercise = _exercise(view)
        _control(exercise, "Account", unnamed).select_option(label=ACCOUNT)
        _control(exercise, "goes to", unnamed).select_option(label="Key account")
        _control(exercise, "because", unnamed).fill(REASON)
        exercise.get_by_role("button", name="Place by hand", exact=True).click()
        _wait_text(view, REASON)  # the kernel placed it: the "Placed by hand" table shows the reason
        assert "Key account: 1" in view.text()

    def placed(view: Page) -> bool:
        text = view.text()
        return "Placed by hand" in text and REASON in text

    with reopened(browser, lesson_4, placed, "lesson 4's placement") as view:
        text = view.text()
        assert "Key account: 1" in text and "not placed yet: 7" in text
        by_hand = view.page.locator("table", has=view.page.get_by_text(REASON, exact=True))
        assert ACCOUNT in by_hand.inner_text() and "Key account" in by_hand.inner_text()
        name, data = view.download("Excel summary", _exercise(view))
        assert name == "balance-summary.xlsx"
        sheet = openpyxl.load_workbook(io.BytesIO(data))["Course classification"]
        rows = list(sheet.iter_rows(values_only=True))
        head = rows[0]
        row = dict(zip(head, next(r for r in rows[1:] if r[head.index("account")] == ACCOUNT)))
        assert (row["bucket"], row["placed by"], row["reason"]) == ("Key account", "by hand", REASON), row
        assert len(rows) == 1 + 8


def _lesson_7_shows_the_same_table(browser, url) -> None:
    """Lesson 7: the same table, shared through the workbook."""
    with opened(browser, url("07_kam_vs_traditional_sales.ipynb"), "lesson 7") as view:
        text = view.text()
        assert "Working on harbour_accounts.csv" in text and REASON in text
        assert "Petra Lind" in text and "Jonas Eke" in text  # the balance per salesperson of the file
        name, data = view.download("Excel summary", _exercise(view))
        sheet = openpyxl.load_workbook(io.BytesIO(data))["Course classification"]
        assert any(r[0] == ACCOUNT and REASON in r for r in sheet.iter_rows(values_only=True))


def _lesson_11_writes_the_marketing_plan(browser, url, unnamed: list[str]) -> None:
    """Lesson 11: the marketing plan for a region and a year; kept and downloaded."""
    lesson_11 = url("11_marketing_plan.ipynb")
    with opened(browser, lesson_11, "lesson 11") as view:
        exercise = _exercise(view)
        _control(exercise, "Region", unnamed).fill(REGION)
        _control(exercise, "Region", unnamed).press("Tab")
        _control(exercise, "Year", unnamed).fill("2027")
        _control(exercise, "Year", unnamed).press("Tab")
        _control(exercise, "Current landscape", unnamed).fill(LANDSCAPE)
        _control(exercise, "Current landscape", unnamed).press("Tab")
        # the kernel took the text: the section's light says so (the sample's plan above is written already)
        expect(exercise.get_by_text("Current landscape: written")).to_be_visible(timeout=60_000)

    def planned(view: Page) -> bool:
        exercise = _exercise(view)
        return (
            _control(exercise, "Current landscape", []).input_value() == LANDSCAPE
            and _control(exercise, "Region", []).input_value() == REGION
            and _control(exercise, "Year", []).input_value() == "2027"
        )

    with reopened(browser, lesson_11, planned, "lesson 11's plan") as view:
        name, data = view.download("Marketing plan (HTML)")
        page = data.decode("utf-8")
        assert name == "my-marketing-plan.html"
        assert LANDSCAPE in page and f"{REGION} 2027" in page


def _lesson_12_writes_a_swot(browser, url, unnamed: list[str]) -> None:
    """Lesson 12: a SWOT towards one of the file's accounts; kept and downloaded."""
    lesson_12 = url("12_swot.ipynb")
    with opened(browser, lesson_12, "lesson 12") as view:
        assert "Working on harbour_accounts.csv" in view.text()
        exercise = _exercise(view)
        choice = _control(view.page, "Your account", unnamed)
        choice.fill(ACCOUNT)
        choice.press("Enter")
        # the SWOT below follows the choice: the one about that account
        expect(_control(exercise, "About", unnamed)).to_have_value(ACCOUNT, timeout=60_000)
        exercise.get_by_role("button", name="+ Add a row", exact=True).first.click()
        _control(exercise, "quadrant, item 1", unnamed).select_option("opportunity")
        _control(exercise, "text, item 1", unnamed).fill(SWOT_ITEM)
        _control(exercise, "text, item 1", unnamed).press("Tab")
        _wait_text(view, SWOT_ITEM)  # in the grid, under Opportunities

    def swot_kept(view: Page) -> bool:
        return _control(view.page, "Your account", []).input_value() == ACCOUNT and SWOT_ITEM in view.text()

    with reopened(browser, lesson_12, swot_kept, "lesson 12's SWOT") as view:
        exercise = _exercise(view)
        assert _control(exercise, "text, item 1", []).input_value() == SWOT_ITEM
        assert _control(exercise, "quadrant, item 1", []).input_value() == "opportunity"
        name, data = view.download("SWOT (HTML)")
        page = data.decode("utf-8")
        assert SWOT_ITEM in page and ACCOUNT in page


def _lesson_13_writes_the_account_plan(browser, url, unnamed: list[str]) -> None:
    """Lesson 13: the account plan of the same account (the choice is shared with lesson 12); kept and downloaded."""
    lesson_13 = url("13_account_plan.ipynb")
    with opened(browser, lesson_13, "lesson 13") as view:
        assert _control(view.page, "Your account", unnamed).input_value() == ACCOUNT
        assert f"Account plan: {ACCOUNT}" in view.text()
        box = _control(_exercise(view), "Where we stand", unnamed)
        prefilled = box.input_value()
        assert "Key account" in prefilled and REASON in prefilled  # lesson 4's placement, filled in
        box.fill(f"{prefilled} {STAND}.")
        box.press("Tab")
        expect(_exercise(view).get_by_text("Where we stand: written")).to_be_visible(timeout=60_000)

    def plan_kept(view: Page) -> bool:
        return STAND in _control(_exercise(view), "Where we stand", []).input_value()

    with reopened(browser, lesson_13, plan_kept, "lesson 13's plan") as view:
        assert _control(view.page, "Your account", []).input_value() == ACCOUNT
        name, data = view.download("Account plan (HTML)")
        page = data.decode("utf-8")
        assert name == "my-account-plan.html"
        assert STAND in page and ACCOUNT in page and SWOT_ITEM in page  # the SWOT of lesson 12 goes with the plan
        name, data = view.download("Account plan (Markdown)")
        assert name == "my-account-plan.md"
        assert STAND in data.decode("utf-8")


def test_the_exercises_of_lessons_4_7_11_12_and_13_on_an_uploaded_file_are_kept_and_downloaded(
    browser, served, tmp_path
):
    """A participant's morning in one workbook: their own file uploaded, then lesson 4's placement by hand,
    lesson 7 (the same table), the marketing plan, a SWOT and the account plan of one of their accounts; each
    reloaded and found again, and each read in the file the page downloads."""
    own = tmp_path / "harbour_accounts.csv"
    own.write_text(OWN_ACCOUNTS, encoding="utf-8")
    unnamed: list[str] = []

    def url(name: str) -> str:
        return _url(served, name, "exercises")

    with opened(browser, url("own_data.ipynb"), "own_data") as view:  # the participant's own file, through the picker
        _upload(view, own)
        _wait_text(view, "8 accounts from harbour_accounts.csv")
    _lesson_4_places_an_account_by_hand(browser, url, unnamed)
    _lesson_7_shows_the_same_table(browser, url)
    _lesson_11_writes_the_marketing_plan(browser, url, unnamed)
    _lesson_12_writes_a_swot(browser, url, unnamed)
    _lesson_13_writes_the_account_plan(browser, url, unnamed)
    # every control of the exercises has its name for a screen reader, not only as a tooltip
    assert unnamed == [], f"controls without an accessible name (only a tooltip): {sorted(set(unnamed))}"

"""Serving lessons with Voila and waiting for them in Chromium, shared by the browser tests and benchmarks.

Nothing here waits a fixed time or for "network idle": every wait is on a
condition the page or the server states.

* :class:`VoilaServer` starts Voila on 127.0.0.1 and reads the address it
  really listens on from its own log (the server picks the next free port
  itself), so no port is guessed and released before use.
* :func:`wait_rendered` returns once Voila has executed every cell, every
  widget output is on the page, and every chart has been drawn.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from kamwidgets.page_assets import NOT_ON_PAGES, PAGE_KERNELS

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

_COMPLETE = """
() => {
  const cells = document.getElementById('rendered_cells');
  if (!cells || cells.style.display === 'none' || document.getElementById('loading')) return false;
  const scripts = [...document.querySelectorAll('script[type="application/vnd.voila.cell-output+json"]')];
  const expected = scripts.filter(s => s.textContent.includes('application/vnd.jupyter.widget-view+json')).length;
  if (document.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets').length < expected) return false;
  const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
  if (outputs.some(o => o.textContent.trim().startsWith('Loading widget'))) return false;
  if (document.querySelector('.kam-later-box:not(:has(.kam-later))')) return false;  // a placeholder still loading
  const later = window.__kamwidgetsLater;
  if (later && TOOLS_PENDING) return false;
  const charts = window.__kamwidgetsCharts;
  CHARTS
}
"""

#: True once the page is complete: cells shown, a view for each widget
#: output Voila sent (it shows "Loading widget..." until the view is made),
#: every tool drawn (tools wait for the reader to reach them, see
#: kamwidgets/widgets/_later.py: this asks for all of them, then gives the
#: last one drawn 200 ms to lay out its controls), every chart drawn or
#: failed (charts further down wait for the reader too, see
#: kamwidgets/widgets/js/chart.js: this asks for them), and every chart the
#: kernel displayed drawn.
RENDERED = _COMPLETE.replace("TOOLS_PENDING", "(later.drawAll() || performance.now() - later.lastDrawn < 200)").replace(
    "CHARTS",
    """if (charts && charts.drawWaiting && charts.drawWaiting()) return false;
  if (document.querySelector('.kam-chart[data-state="loading"], .kam-chart[data-state="waiting"]')) return false;
  return !charts || !charts.expected || [...charts.expected].every(uid => charts.drawn.has(uid));""",
)

#: True once what the reader sees is complete: as :data:`RENDERED`, but only
#: the tools and charts in the window (the others are drawn as the reader
#: scrolls: a chart further down waits, see kamwidgets/widgets/js/chart.js).
FIRST_SCREEN = _COMPLETE.replace("TOOLS_PENDING", "later.pendingInView()").replace(
    "CHARTS",
    """const inWindow = el => {
    const box = el.getBoundingClientRect();
    return box.height > 0 && box.bottom > 0 && box.top < window.innerHeight;
  };
  const drawing = c => c.dataset.state === 'loading' || c.dataset.state === 'waiting';
  if ([...document.querySelectorAll('.kam-chart')].some(c => inWindow(c) && drawing(c))) return false;
  // every chart the kernel displayed is drawn, or on the page and out of the window
  const away = uid => (views => views.length > 0 && !views.some(inWindow))(
    [...document.querySelectorAll(`.kam-chart[data-uid="${uid}"]`)]);
  return !charts || !charts.expected || [...charts.expected].every(uid => charts.drawn.has(uid) || away(uid));""",
)
assert "drawAll" not in FIRST_SCREEN and "drawWaiting" not in FIRST_SCREEN and "CHARTS" not in RENDERED

#: Records when the cells were shown (``shown``), each chart drawn (``charts``; in
#: ``inView`` too if it was drawn in the window) and the reader's first screen
#: complete (``first``: :data:`FIRST_SCREEN` true and every chart in the window
#: drawn, whichever comes last), in ms from navigation start, in
#: ``window.__kamTiming``; it looks once a frame after the page changed.
TIMING_SCRIPT = (
    """
(() => {
  const t = window.__kamTiming = {shown: null, charts: [], inView: [], first: null};
  const seen = new WeakSet();
  const firstScreen = FIRST_SCREEN;
  const look = () => {
    const cells = document.getElementById('rendered_cells');
    if (t.shown === null && cells && cells.style.display !== 'none' && !document.getElementById('loading')) {
      t.shown = performance.now();
    }
    for (const el of document.querySelectorAll('.js-plotly-plot')) {
      if (!seen.has(el) && el.querySelector('.main-svg')) {
        seen.add(el);
        const now = performance.now(), box = el.getBoundingClientRect();
        t.charts.push(now);
        if (box.height > 0 && box.top < window.innerHeight && box.bottom > 0) t.inView.push(now);
      }
    }
    if (t.shown !== null && t.first === null && firstScreen()) t.first = performance.now();
  };
  // at most once a frame (when a change can be seen), so that the measuring costs the page little
  let queued = false;
  const soon = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; look(); });
  };
  new MutationObserver(soon).observe(document, {subtree: true, childList: true, attributes: true,
                                                attributeFilter: ['style', 'data-state']});
})();
"""
).replace("FIRST_SCREEN", FIRST_SCREEN.strip())


def chromium() -> str | None:
    """The Chromium (or Chrome) executable, or None."""
    for candidate in (
        os.environ.get("KAM_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


#: The servers the tests have running (their logs are quoted when a page never completes).
RUNNING: list[JupyterServer] = []


class JupyterServer:
    """A Jupyter server (``command``) started in ``folder`` on 127.0.0.1; ``.url`` is where it listens.

    The port in the command is a start: Jupyter's server tries the next ports
    itself and logs the one it got, which is read from its log.
    """

    def __init__(
        self, command: list[str], folder: Path, log: Path, *, env: dict[str, str] | None = None, timeout: float = 120
    ) -> None:
        self.log = log
        RUNNING.append(self)
        with open(log, "w") as out:  # the child keeps its own copy of the file
            self.proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=server_env(env), cwd=folder)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", log.read_text(errors="replace"))
            if found:
                self.url = f"http://127.0.0.1:{found.group(1)}"
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)  # the server's log is the only place it says where it listens
        self.stop()
        raise RuntimeError(f"{command[2]} did not start: {log.read_text(errors='replace')[-3000:]}")

    def wait_logged(self, text: str, times: int = 1, timeout: float = 180) -> None:
        """Return once the server's log holds ``text`` at least ``times`` times; fail after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while self.log.read_text(errors="replace").count(text) < times:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"not logged {times}x: {text!r}\n{self.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` of the server's log that say more than a request answered."""
        text = self.log.read_text(errors="replace").splitlines()
        said = [line for line in text if not re.search(r"\] (200|204|101|304) (GET|POST|PUT|PATCH|DELETE) ", line)]
        return "\n".join(said[-lines:])

    def draws(self, lines: int = 60) -> str:
        """The last ``lines`` its kernels logged about the tools asked for and drawn (``KAMWIDGETS_LOG_DRAWS``)."""
        said = [line for line in self.log.read_text(errors="replace").splitlines() if "[kamwidgets draws " in line]
        return "".join(f"\n{line}" for line in ["--- tools asked for and drawn (last lines):", *said[-lines:]] if said)

    def stop(self) -> None:
        if self in RUNNING:
            RUNNING.remove(self)
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def requests_outside(page) -> list[str]:
    """The addresses ``page`` asks for from now on outside this machine (127.0.0.1), filled as it asks.

    Nothing of a lesson may come from the internet: a workshop room's network may
    hold such a request open, and one in a page's head kept the page blank.
    """
    outside: list[str] = []

    def note(request) -> None:
        if urlsplit(request.url).hostname not in ("127.0.0.1", None):
            outside.append(request.url)

    page.on("request", note)
    return outside


#: What a page that never completes is waiting for: each step :data:`RENDERED` checks, as the page stands.
PAGE_STATE = """
() => {
  const cells = document.getElementById('rendered_cells');
  const scripts = [...document.querySelectorAll('script[type="application/vnd.voila.cell-output+json"]')];
  const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
  const charts = window.__kamwidgetsCharts;
  return {
    cellsShown: Boolean(cells) && cells.style.display !== 'none',
    loading: (document.getElementById('loading') || {textContent: null}).textContent,
    widgetOutputs: scripts.filter(s => s.textContent.includes('application/vnd.jupyter.widget-view+json')).length,
    widgetViews: document.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets').length,
    loadingWidget: outputs.filter(o => o.textContent.trim().startsWith('Loading widget')).length,
    placeholdersLoading: document.querySelectorAll('.kam-later-box:not(:has(.kam-later))').length,
    placeholders: document.querySelectorAll('.kam-later').length,
    // how often each waiting one asked, by its key (the kernels' lines in the server's log name it)
    asks: Object.fromEntries([...(window.__kamwidgetsLater?.marks ?? [])].map(m => [m.key, m.tries])),
    disconnected: document.body.classList.contains('kam-disconnected'),
    // messages from the kernel received and handled, the comms they closed (kamwidgets/widgets/js/later.js)
    kernelMessages: window.__kamwidgetsLater?.heard ?? null,
    failedUnseen: window.__kamwidgetsLater?.failed ?? null,  // errors thrown or rejected that nothing caught
    charts: [...document.querySelectorAll('.kam-chart')].map(c => c.dataset.state),
    chartsExpected: charts && charts.expected ? charts.expected.size : null,
    chartsDrawn: charts && charts.drawn ? charts.drawn.size : null,
    // the charts the kernel displayed not drawn yet, and whether the page has a view of each (the kernels' lines
    // in the server's log say which chart each is)
    chartsWaited: charts && charts.expected ? [...charts.expected].filter(uid => !charts.drawn.has(uid)).map(
      uid => `${uid} (${document.querySelector(`.kam-chart[data-uid="${uid}"]`) ? 'on the page' : 'no view'})`) : null,
    errors: outputs.filter(o => /Traceback|Error displaying widget|could not be drawn/.test(o.textContent))
      .map(o => o.textContent.slice(0, 300)),
  };
}
"""


def wait_rendered(page, timeout_ms: float = 240_000) -> None:
    """Wait until the lesson is completely on the page (see :data:`RENDERED`).

    A page that never completes fails with what it was still waiting for (:data:`PAGE_STATE`).
    """
    try:
        page.wait_for_function(RENDERED, timeout=timeout_ms, polling=100)
    except PlaywrightTimeout:
        try:
            state = page.evaluate(PAGE_STATE)
        except Exception as err:  # noqa: BLE001 - the page itself is gone: say so
            state = f"(the page could not be read: {err})"
        logs = "".join(f"\n--- {server.log} (last lines)\n{server.log_tail()}{server.draws()}" for server in RUNNING)
        raise AssertionError(
            f"{page.url} never completed in {timeout_ms / 1000:.0f} s; it stood at {state}{logs}"
        ) from None


#: The axe-core rules run: WCAG 2.0 and 2.1, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def accessibility_problems(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's serious and critical WCAG A/AA violations on the page, one line per element.

    Every rule of those levels runs; none is switched off.
    """
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return [
        f"{v['id']} ({v['impact']}): {node['html'][:160]}"
        for v in result.response["violations"]
        if v["impact"] in impacts
        for node in v["nodes"]
    ]


#: The contrast check of the widgets' own text (see contrast_probe.js).
CONTRAST_PROBE = (Path(__file__).parent / "contrast_probe.js").read_text(encoding="utf-8")


def contrast_problems(page) -> list[str]:
    """Text of the workbook's widgets below WCAG AA contrast, in whatever theme the page has."""
    return page.evaluate(CONTRAST_PROBE)


#: The layout check (cut labels, chart texts on top of each other or outside their output).
LAYOUT_PROBE = (Path(__file__).parent / "layout_probe.js").read_text(encoding="utf-8")


def layout_problems(page, *, settle_ms: float = 10_000) -> list[str]:
    """What a reader would find cut, overlapping or outside its box on the page, one line each.

    Waits up to ``settle_ms`` for the page to have none (charts redraw a
    moment after their box changes size), then reports what is left.
    """
    try:
        page.wait_for_function(f"() => ({LAYOUT_PROBE})().length === 0", timeout=settle_ms, polling=250)
        return []  # once settled, a later redraw in passing is not a problem a reader sees
    except PlaywrightTimeout:
        return page.evaluate(LAYOUT_PROBE)


def throttle(page, rate: float) -> None:
    """Slow the page's CPU ``rate`` times (Chromium's DevTools protocol)."""
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": rate})


#: Voila as ``.ci/workshop`` serves the lessons: the list of lessons and error pages in the lessons' frame.
WORKSHOP = ("--template=kamwidgets",)

#: Voila with a kernel run ahead for every page (``.ci/workshop --preheat``); a used kernel is replaced
#: 5 s later, not 1 s, so that running the lesson again does not slow the page just opened.  On its
#: port or not at all: the kernels Voila runs ahead at its start are told the port it was asked for,
#: and would wait for their pages there.
PREHEAT = ("--preheat_kernel=True", "--pool_size=1", "--VoilaKernelManager.fill_delay=5", "--Voila.port_retries=0")


def free_port() -> int:
    """A port nobody listens on at 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: Voila's request to shut a page's kernel down when the page closes is refused (403, no "_xsrf" cookie:
#: voila-dashboards/voila#1458), so every page opened would keep its kernel for the server's life; as
#: .ci/workshop does, the test and benchmark servers end a kernel whose page is gone (no connection) after
#: it has been idle this long.  A page still open is never culled.
CULL = ("--MappingKernelManager.cull_idle_timeout=30", "--MappingKernelManager.cull_interval=10")


def voila_command(
    folder: Path, *, port: int, options: Sequence[str] = (), module: str = "voila", cull: bool = True
) -> list[str]:
    """The command line that starts Voila on ``folder`` at 127.0.0.1:``port``, the one place it is built.

    ``module`` is what runs it: ``voila``, or ``kamwidgets.page_assets`` (the workshop's Voila, with its
    hooks, as ``.ci/workshop`` runs it).  The kernels of closed pages are culled (:data:`CULL`) unless ``cull``
    is False or ``options`` set those settings themselves; ``options`` come last.
    """
    command = [sys.executable, "-m", module, str(folder), "--no-browser", f"--port={port}"]
    command += ["--ServerApp.port_retries=200", "--Voila.ip=127.0.0.1"]
    if module == "voila":  # as every Voila of the project (kamwidgets.page_assets.serve sets it itself)
        command += [NOT_ON_PAGES, PAGE_KERNELS]
    given = {option.split("=")[0] for option in options}  # a setting given twice stops Voila
    if cull:
        command += [c for c in CULL if c.split("=")[0] not in given]
    return [*command, *options]


class VoilaServer(JupyterServer):
    """Voila serving the notebooks in ``folder`` as apps (the command: :func:`voila_command`)."""

    def __init__(
        self,
        folder: Path,
        log: Path,
        *,
        env: dict[str, str] | None = None,
        timeout: float = 120,
        options: tuple[str, ...] = (),
        port: int = 8866,
        module: str = "voila",
        cull: bool = True,
    ) -> None:
        command = voila_command(folder, port=port, options=options, module=module, cull=cull)
        super().__init__(command, folder, log, env=env, timeout=timeout)


class NotebookServer(JupyterServer):
    """Jupyter Notebook 7 on ``folder``, without a token (127.0.0.1 only, for tests)."""

    def __init__(self, folder: Path, log: Path, *, env: dict[str, str] | None = None, timeout: float = 120) -> None:
        command = [sys.executable, "-m", "notebook", "--no-browser", "--port=8888", "--ServerApp.port_retries=200"]
        command += ["--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password="]
        if os.geteuid() == 0:
            command.append("--allow-root")
        super().__init__(command, folder, log, env=env, timeout=timeout)


class LabServer(JupyterServer):
    """JupyterLab on ``folder``, without a token (127.0.0.1 only, for tests), its app reachable from the page.

    Settings and workspaces live in ``state`` (a fresh JupyterLab: the file browser open on the left).
    """

    def __init__(
        self, folder: Path, log: Path, state: Path, *, env: dict[str, str] | None = None, timeout: float = 120
    ) -> None:
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--port=8890", "--ServerApp.port_retries=200"]
        command += ["--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password="]
        command += ["--LabApp.expose_app_in_browser=True"]
        if os.geteuid() == 0:
            command.append("--allow-root")
        state.mkdir(parents=True, exist_ok=True)
        paths = {"JUPYTERLAB_SETTINGS_DIR": str(state / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(state / "ws")}
        super().__init__(command, folder, log, env=dict(env or {}, **paths), timeout=timeout)


def write_notebook(folder: Path, name: str, cells: list[str], *, template: str | None = None) -> str:
    """A notebook of ``cells`` (code, under a heading with its name) in ``folder``; returns its file name.

    ``template`` names the Voila page it asks for in its metadata (as the lessons ask for ``kamwidgets``).
    """
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}")] + [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if template:
        nb.metadata["voila"] = {"template": template}
    nbformat.write(nb, Path(folder) / f"{name}.ipynb")
    return f"{name}.ipynb"


def server_env(extra: dict[str, str] | None) -> dict[str, str]:
    """This process's environment without what chooses a workbook (a test's leftovers must not reach the pages).

    The kernels log each tool asked for and drawn (``KAMWIDGETS_LOG_DRAWS``): a page that never completes
    fails with those lines (:func:`wait_rendered`).
    """
    env = {k: v for k, v in os.environ.items() if k not in ("KAMWIDGETS_WORKBOOK", "JUPYTERHUB_USER", "QUERY_STRING")}
    return {**env, "KAMWIDGETS_LOG_DRAWS": "1", **(extra or {})}


#: What a lesson page must never show: a widget that failed, a Python error, a chart that could not be drawn.
WIDGET_ERRORS = (
    "Error displaying widget",
    "No version of module",
    "model not found",
    "Traceback",
    "KamDataError",
    "There was an error when executing cell",
    "could not be drawn",
)


class Page:
    """A rendered lesson with what the browser reported while loading it."""

    def __init__(self, browser, url: str, *, cpu_slowdown: float = 1):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.console_errors: list[str] = []  # what the page logged as an error (a module that failed to load, ...)
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text[:300]))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        if cpu_slowdown > 1:
            throttle(self.page, cpu_slowdown)
        self.page.goto(url, timeout=240_000)
        wait_rendered(self.page)

    def text(self) -> str:
        return self.page.inner_text("body")

    def chart_states(self) -> list[str]:
        return self.page.eval_on_selector_all(".kam-chart", "els => els.map(e => e.dataset.state)")

    def close(self) -> None:
        self.page.close()

    def assert_clean(self, name: str) -> None:
        """No widget error and no page error on the page; ``name`` says which page in the message."""
        text = self.text()
        assert not [w for w in WIDGET_ERRORS if w in text], f"{name}: {[w for w in WIDGET_ERRORS if w in text]}"
        assert not self.errors, f"{name}: page errors {self.errors}"

    def download(self, button: str, where=None) -> tuple[str, bytes]:
        """Press a download button (in ``where``, else anywhere); the file the browser saves: its name, its bytes."""
        where = where if where is not None else self.page
        with self.page.expect_download(timeout=120_000) as download:
            where.get_by_role("button", name=button, exact=True).click()
        saved = download.value
        return saved.suggested_filename, Path(saved.path()).read_bytes()


@contextmanager
def opened(browser, url: str, name: str) -> Iterator[Page]:
    """A lesson opened and rendered, clean (:meth:`Page.assert_clean`) as it opens and when the test is done with
    it, then closed: the open, act, check steps of a test that walks the lessons."""
    view = Page(browser, url)
    try:
        view.assert_clean(name)
        yield view
        view.assert_clean(name)
    finally:
        view.close()


@contextmanager
def reopened(browser, url: str, shows: Callable[[Page], bool], what: str, timeout: float = 120) -> Iterator[Page]:
    """The lesson opened again, as a reload does, until it ``shows(view)`` the work, then as :func:`opened`.

    Autosave writes about a second after the last change, so the first reload may come before it; ``what``
    names the work in the messages.
    """
    deadline = time.monotonic() + timeout
    while True:
        view = Page(browser, url)
        try:
            if shows(view):
                break
        except BaseException:
            view.close()
            raise
        view.close()
        assert time.monotonic() < deadline, f"a reload never showed {what}"
    try:
        view.assert_clean(f"{what}, reloaded")
        yield view
        view.assert_clean(f"{what}, reloaded")
    finally:
        view.close()

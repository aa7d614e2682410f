"""What a participant waits for in the browser: lessons served by Voila, drawn by headless Chromium.

    .venv/bin/python benchmarks/browser.py                          # the wrap-up, 3 runs, CPU at 1x and 4x
    .venv/bin/python benchmarks/browser.py --lessons 15_wrap_up.ipynb 00_start_here.ipynb --runs 5 --throttle 1 6
    .venv/bin/python benchmarks/browser.py --all --throttle 1     # every lesson, with its ratio to a one-widget page
    .venv/bin/python benchmarks/browser.py --slider 10000 100000  # slider press to redrawn matrix
    .venv/bin/python benchmarks/browser.py --all --throttle 1 --preheat  # as `.ci/workshop --preheat` serves
    .venv/bin/python benchmarks/browser.py --all --throttle 1 --at-once  # every tool drawn at once (to compare)
    .venv/bin/python benchmarks/browser.py --all --html --runs 5  # each page's HTML come whole, no browser

For each lesson and CPU throttling rate (Chromium's DevTools emulation; 4x
is a busy two-core laptop) it prints, as medians over the runs:

* ``shown s``: navigation start to Voila showing the executed cells;
* ``charts s``: from ``shown`` to the last chart of the first screen drawn
  (the figures' initialisation, what used to time out);
* ``complete s``: navigation start to the reader's first screen complete:
  every widget and chart in the window drawn (a lesson's tools further down
  are drawn as the reader scrolls to them, see kamwidgets/widgets/_later.py);
* ``whole s``: navigation start to the whole page drawn, when the tools
  further down are asked for as soon as the first screen is complete (as if
  the reader jumped to the end);
* ``charts``: how many charts were drawn, and ``ws MB``: the widget state
  the kernel sent over the websocket (the whole page's);
* ``errors``: page errors seen in all runs (there should be none).

The kernel's own execution of the notebook is part of ``shown s``;
``charts s`` is the browser's share alone.  ``x one`` is ``complete s``
over the same for a page with one widget (an ipywidgets slider), opened
before each run of every lesson (its median over the whole run; the results
are printed at the end): the issue's target is at most 2.  The line ends
with the lowest and highest ratio of a single run of the lesson.

``--preheat`` serves the pages as ``.ci/workshop --preheat`` does: Voila
runs each page ahead in a spare kernel (the one-widget page's too, so its
ratio compares like with like; compare ``complete s`` with a run without
it); each lesson's line ends with its ratio to a one-widget page served
without it, in the same run.  Only the lessons measured are served, and each run waits for Voila
to replace the kernel the run before used.

``--at-once`` serves the lessons with every tool drawn at once, as before
tools waited for the reader (``KAMWIDGETS_DRAW_AT_ONCE=1``): the two runs compare.

``--slider N ...`` opens the classification workbench on a portfolio of N
made-up accounts and presses the first weight slider's handle with the
keyboard (one step) ``--presses`` times: it prints the median and the
worst time from the key press to the matrix redrawn on the page.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._results import Figure, save_and_compare, table, within  # noqa: E402
from tests.browser_support import (  # noqa: E402
    CHROMIUM_ARGS,
    PREHEAT,
    TIMING_SCRIPT,
    VoilaServer,
    chromium,
    free_port,
    throttle,
    wait_rendered,
    write_notebook,
)


def one_run(browser, url: str, rate: float) -> dict:
    """Open the lesson once and wait until it is complete (every chart the kernel displayed is drawn)."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    received = [0]  # bytes of websocket frames the page received

    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload))),
    )
    page.add_init_script(TIMING_SCRIPT)
    if rate > 1:
        throttle(page, rate)
    page.goto(url, timeout=600_000)
    page.wait_for_function("() => window.__kamTiming && window.__kamTiming.first !== null", timeout=600_000)
    wait_rendered(page, 600_000)  # and the rest of the page, asked for at once (as if the reader scrolled down)
    timing = page.evaluate("() => window.__kamTiming")
    last_tool = page.evaluate("() => (window.__kamwidgetsLater || {lastDrawn: 0}).lastDrawn")
    spent = page.evaluate(
        "() => Object.fromEntries(['kam:plotly', 'kam:draw'].map(n => [n, performance.getEntriesByName(n)"
        ".reduce((sum, e) => sum + e.duration, 0)]))"
    )
    library = page.evaluate(
        "() => (performance.getEntriesByName('kam:plotly-start')[0] || {startTime: null}).startTime"
    )
    source = page.evaluate("() => (window.__kamwidgetsCharts || {}).from || ''")
    page.close()
    # the first screen: the page's own test, and every chart drawn in the window (some draw after the
    # test holds: their widgets were still loading their front end)
    first = max([timing["first"], *timing["inView"]])
    last = max(timing["inView"]) if timing["inView"] else timing["shown"]
    whole = max([first, last_tool, *timing["charts"]])
    return {
        "shown": timing["shown"] / 1000,
        "charts": max(0.0, last - timing["shown"]) / 1000,
        "complete": first / 1000,
        "whole": whole / 1000,
        "bytes": received[0],
        "drawn": len(timing["charts"]),
        "errors": errors,
        "plotly": spent["kam:plotly"] / 1000,
        "draw": spent["kam:draw"] / 1000,
        "library": (library - timing["shown"]) / 1000 if library is not None and timing["shown"] else 0.0,
        "from": source,
    }


ONE_WIDGET = ["import ipywidgets as W\nW.IntSlider(description='One widget')"]
SLIDER = [
    "import pandas as pd\nimport kamwidgets as kw\n"
    "portfolio = kw.load_portfolio('accounts.csv')\n"
    "bench = kw.ClassificationWidget(portfolio, {'revenue': 50, 'growth': 25, 'margin': 25}, "
    "{'share': 50, 'relationship': 25, 'product_fit': 25})\nbench"
]


#: Seconds to let Voila refill a page's pool before the next run.
REFILL = 12.0

PRESS = """
async (selector) => {
  const chart = document.querySelector('.kam-chart');
  const before = chart.dataset.drawnAt;
  const handle = document.querySelector(selector);
  handle.focus();
  const start = performance.now();
  handle.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
  handle.dispatchEvent(new KeyboardEvent('keyup', {key: 'ArrowRight', bubbles: true}));
  for (let i = 0; i < 600 && chart.dataset.drawnAt === before; i++) await new Promise(r => setTimeout(r, 5));
  if (chart.dataset.drawnAt === before) return null;
  const d = chart.dataset;
  return [parseFloat(d.drawnAt) - start, parseFloat(d.readMs), parseFloat(d.drawMs)];
}
"""


def slider_latency(browser, url: str, presses: int) -> list[float]:
    """Milliseconds from a key press on a weight slider to the matrix redrawn, one per press."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(url, timeout=600_000)
    wait_rendered(page, 600_000)
    times: list[float] = []
    parts: list[list[float]] = []
    for _ in range(presses):
        selector = ".widget-slider .noUi-handle"
        got = page.evaluate(PRESS, selector)
        if got is not None:
            times.append(got[0])
            parts.append(got[1:])
        page.wait_for_timeout(300)  # let the kernel settle between presses (a person's pace)
    page.close()
    if parts:
        read = statistics.median(p[0] for p in parts)
        draw = statistics.median(p[1] for p in parts)
        print(f"          (in the page: reading the figure {read:.0f} ms, drawing it {draw:.0f} ms)")
    return times


#: Targets: slider (ms, median) by portfolio size; lessons against a one-widget page (median, any single run).
SLIDER_TARGETS = {10_000: 50.0, 100_000: 80.0, 1_000_000: 150.0}
LESSON_MEDIAN, LESSON_SINGLE = 1.5, 2.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lessons", nargs="+", default=["15_wrap_up.ipynb"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--throttle", nargs="+", type=float, default=[1, 4])
    parser.add_argument("--all", action="store_true", help="every lesson in notebooks/")
    parser.add_argument("--slider", nargs="*", type=int, default=None, help="portfolio sizes for the slider test")
    parser.add_argument("--presses", type=int, default=15)
    parser.add_argument(
        "--preheat",
        action="store_true",
        help="serve as .ci/workshop --preheat does: a kernel per page run ahead (the one-widget page's too)",
    )
    parser.add_argument(
        "--at-once", action="store_true", help="draw every tool of a lesson at once (KAMWIDGETS_DRAW_AT_ONCE=1)"
    )
    parser.add_argument(
        "--html",
        action="store_true",
        help="only the time until each page's HTML has come whole (the kernel has run the lesson), no browser",
    )
    parser.add_argument("--no-save", action="store_true", help="do not replace the saved run (benchmarks/results)")
    args = parser.parse_args()
    if args.all:
        args.lessons = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    return args


def serve(args: argparse.Namespace, tmp: Path) -> tuple[VoilaServer, VoilaServer | None, Path, str]:
    """Voila on a copy of the lessons (and, preheated, a plain one for the one-widget page): servers, folder, page."""
    folder = tmp / "pages"
    measured = set(args.lessons)  # preheated, every notebook in the folder holds a kernel: only those measured
    shutil.copytree(
        ROOT / "notebooks",
        folder,
        ignore=lambda d, names: [n for n in names if args.preheat and n.endswith(".ipynb") and n not in measured],
    )
    one = write_notebook(folder, "one_widget", ONE_WIDGET)
    server = VoilaServer(
        folder,
        tmp / "voila.log",
        env={
            "KAMWIDGETS_DB_URL": f"sqlite:///{tmp}/bench.sqlite",
            **({"KAMWIDGETS_DRAW_AT_ONCE": "1"} if args.at_once else {}),
        },
        options=PREHEAT if args.preheat else (),
        port=free_port() if args.preheat else 8866,
    )
    plain = None  # preheated: the one-widget page also as Voila serves it without --preheat
    if args.preheat:
        alone = tmp / "plain"
        alone.mkdir()
        write_notebook(alone, "one_widget", ONE_WIDGET)
        plain = VoilaServer(alone, tmp / "plain.log")
        time.sleep(10 + 3 * len(measured))  # every page's kernel runs its lesson ahead once at the start
    return server, plain, folder, one


def measure_sliders(browser, server: VoilaServer, folder: Path, args: argparse.Namespace) -> list[Figure]:
    """Key press to redrawn matrix, per portfolio size."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run import portfolio

    figures = []
    print(f"{'accounts':>9} {'median ms':>10} {'worst ms':>9} {'presses':>8}")
    for n in args.slider or [10_000, 100_000]:
        portfolio(n).to_csv(folder / "accounts.csv", index=False)
        page = write_notebook(folder, f"slider_{n}", SLIDER)
        times = slider_latency(browser, f"{server.url}/voila/render/{page}", args.presses)
        worst = max(times) if times else float("nan")
        med = statistics.median(times) if times else float("nan")
        print(f"{n:>9,} {med:>10.0f} {worst:>9.0f} {len(times):>8}")
        figure = Figure("slider key press to redrawn matrix (median)", n, med / 1000, extra={"worst_s": worst / 1000})
        if n in SLIDER_TARGETS:
            limit = SLIDER_TARGETS[n]
            figure.target = f"at most {limit:.0f} ms, worst under 2x the median"
            figure.met = within(med, limit) and within(worst, 2 * med)
        figures.append(figure)
    return figures


def measure_lessons(browser, server, plain, one: str, args: argparse.Namespace):
    """Each lesson's runs, with a one-widget page opened before each (its runs are the base of the ratios)."""
    # Both see the machine as it is at that moment (a 2-core machine drifts over a long run).
    ones: dict[float, list[dict]] = {rate: [] for rate in args.throttle}
    plain_ones: dict[float, list[dict]] = {rate: [] for rate in args.throttle}
    measured_runs: list[tuple[str, float, list[dict]]] = []

    def run(url: str, rate: float) -> dict:
        if args.preheat:
            time.sleep(REFILL)  # Voila replaces a used kernel 5 s later (PREHEAT), then runs it ahead
        return one_run(browser, url, rate)

    for lesson in args.lessons:
        url = f"{server.url}/voila/render/{lesson}"
        for rate in args.throttle:
            runs = []
            for _ in range(args.runs):
                ones[rate].append(run(f"{server.url}/voila/render/{one}", rate))
                if plain is not None:  # once the pool's refill (5 s after a page) is done
                    time.sleep(REFILL)
                    plain_ones[rate].append(one_run(browser, f"{plain.url}/voila/render/{one}", rate))
                runs.append(run(url, rate))
            measured_runs.append((lesson, rate, runs))
        print(f"measured {lesson}", file=sys.stderr, flush=True)
    return ones, plain_ones, measured_runs


def print_bases(ones: dict, plain_ones: dict) -> tuple[dict[float, float], dict[float, float]]:
    """Print the one-widget page's medians; return them by throttling rate (plain and, preheated, not)."""
    base: dict[float, float] = {}
    plain_base: dict[float, float] = {}
    for rate, runs in ones.items():
        base[rate] = statistics.median(r["complete"] for r in runs)
        shown = statistics.median(r["shown"] for r in runs)
        low, high = min(r["complete"] for r in runs), max(r["complete"] for r in runs)
        print(
            f"{'(a page with one widget)':38} {rate:>3g}x {shown:>8.2f} {'':>9} {base[rate]:>10.2f}"
            f"   ({len(runs)} runs between the lessons' runs: {low:.2f}-{high:.2f} s)"
        )
        if plain_ones.get(rate):
            plain_base[rate] = statistics.median(r["complete"] for r in plain_ones[rate])
            shown = statistics.median(r["shown"] for r in plain_ones[rate])
            print(f"{'(the same, not preheated)':38} {rate:>3g}x {shown:>8.2f} {'':>9} {plain_base[rate]:>10.2f}")
    return base, plain_base


def where_plotly_came_from(runs: list[dict], med: dict) -> str:
    if all(r["from"] == "page" for r in runs):
        return f"plotly.js: the page's own copy, from the server; drawing the charts {med['draw']:.2f} s"
    if all(r["from"] == "server" for r in runs):
        return f"plotly.js: the Jupyter server's copy; drawing the charts {med['draw']:.2f} s"
    return (
        f"plotly.js from the kernel: it arrives {med['library']:.2f} s after shown, is evaluated in "
        f"{med['plotly']:.2f} s; drawing the charts {med['draw']:.2f} s"
    )


def report_lessons(ones: dict, plain_ones: dict, measured_runs: list) -> list[Figure]:
    """Print every lesson's medians and ratios; return the figures (ratio to the one-widget page, with targets)."""
    print(
        f"{'lesson':38} {'cpu':>4} {'shown s':>8} {'charts s':>9} {'complete s':>10} {'x one':>6} "
        f"{'whole s':>8} {'charts':>6} {'ws MB':>6} {'errors':>6}"
    )
    base, plain_base = print_bases(ones, plain_ones)
    figures = []
    done: dict[float, int] = dict.fromkeys(ones, 0)  # the one-widget runs already matched to a lesson's
    for lesson, rate, runs in measured_runs:
        keys = ("shown", "charts", "complete", "whole", "bytes", "drawn", "plotly", "draw", "library")
        med = {k: statistics.median(r[k] for r in runs) for k in keys}
        # the one-widget runs opened just before this lesson's: the machine as it was then (it drifts)
        beside = ones[rate][done[rate] : done[rate] + len(runs)]
        done[rate] += len(runs)
        here = statistics.median(r["complete"] for r in beside) if beside else base[rate]
        errors = sum(len(r["errors"]) for r in runs)
        low, high = (f(r["complete"] for r in runs) / base[rate] for f in (min, max))
        print(
            f"{lesson:38} {rate:>3g}x {med['shown']:>8.2f} {med['charts']:>9.2f} "
            f"{med['complete']:>10.2f} {med['complete'] / base[rate]:>6.1f} {med['whole']:>8.2f} "
            f"{med['drawn']:>6g} {med['bytes'] / 1e6:>6.1f} {errors:>6}"
            + (f"   {med['complete'] / plain_base[rate]:.1f}x not preheated" if plain_base else "")
            + f"   (runs {low:.2f}-{high:.2f}x)"  # how far one run strays from the median
            + f"   (one widget just before: {here:.2f} s, {med['complete'] / here:.2f}x)"
        )
        if med["drawn"]:
            print(f"{'':38}      ({where_plotly_came_from(runs, med)})")
        for r in runs:
            for e in r["errors"]:
                print(f"    page error: {e[:200]}")
        figure = Figure(f"{lesson} complete (CPU {rate:g}x)", 0, med["complete"], floor="one widget")
        figure.floor_value = base[rate]
        figure.extra = {"single_runs": [round(low, 2), round(high, 2)], "errors": errors}
        if rate == 1:
            figure.target = f"at most {LESSON_MEDIAN}x, no run over {LESSON_SINGLE}x"
            figure.met = within(figure.ratio, LESSON_MEDIAN) and within(high, LESSON_SINGLE) and not errors
        figures.append(figure)
    return figures


def page_html_seconds(url: str) -> float:
    """Seconds from asking for a page to its HTML come whole: Voila sends it as the kernel runs the cells."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        response.read()
    return time.perf_counter() - start


def measure_html(server: VoilaServer, one: str, args: argparse.Namespace) -> list[Figure]:
    """Each page's HTML, alternating with the one-widget page's (medians of ``--runs``; no browser)."""
    url = f"{server.url}/voila/render/"
    page_html_seconds(url + one)  # the first page Voila serves also compiles its templates: not counted
    ones: list[float] = []
    figures = []
    print(f"{'page':<40} {'html s':>7} {'one s':>6} {'x one':>6}")
    for name in args.lessons:
        times = []
        for _ in range(args.runs):
            ones.append(page_html_seconds(url + one))
            times.append(page_html_seconds(url + name))
        med, floor = statistics.median(times), statistics.median(ones)
        print(f"{name:<40} {med:>7.2f} {floor:>6.2f} {med / floor:>6.2f}")
        figures.append(Figure(f"{name} HTML come whole", 0, med, floor="one widget", floor_value=floor))
    return figures


def main() -> int:
    args = parse_args()
    missing = [name for name in args.lessons if not (ROOT / "notebooks" / name).is_file()]
    if missing:
        print(f"No such lesson in notebooks/: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.html:
        if args.preheat or args.at_once:
            print("--html measures pages as served plainly: not with --preheat or --at-once.", file=sys.stderr)
            return 2
        with tempfile.TemporaryDirectory(prefix="kam-bench-") as tmp:
            server, _, _, one = serve(args, Path(tmp))
            try:
                figures = measure_html(server, one, args)
            finally:
                server.stop()
        print()
        print(table(figures))
        save_and_compare("browser-html", figures, save=not args.no_save)
        return 0
    exe = chromium()
    if exe is None:
        print("Chromium is not installed (bash .ci/system installs it).", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kam-bench-") as tmp:
        server, plain, folder, one = serve(args, Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
                if args.slider is not None:
                    figures, bench = measure_sliders(browser, server, folder, args), "browser-slider"
                else:
                    figures, bench = report_lessons(*measure_lessons(browser, server, plain, one, args)), "browser"
                browser.close()
        finally:
            server.stop()
            if plain is not None:
                plain.stop()
    print()
    print(table(figures))
    save_and_compare(bench, figures, save=not args.no_save)
    return 0


if __name__ == "__main__":
    sys.exit(main())

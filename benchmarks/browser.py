"""What a participant waits for in the browser: lessons served by Voila, drawn by headless Chromium.

    .venv/bin/python benchmarks/browser.py                          # the wrap-up, 3 runs, CPU at 1x and 4x
    .venv/bin/python benchmarks/browser.py --lessons 13_wrap_up.ipynb 00_start_here.ipynb --runs 5 --throttle 1 6

For each lesson and CPU throttling rate (Chromium's DevTools emulation; 4x
is a busy two-core laptop) it prints, as medians over the runs:

* ``shown``: navigation start to Voila showing the executed cells;
* ``charts``: from ``shown`` to the last chart drawn (the figures'
  initialisation, what used to time out);
* ``complete``: navigation start to every widget and chart rendered;
* ``models``: how many widget models the page holds, and the bytes of
  widget state the kernel sent over the websocket;
* ``errors``: page errors seen in all runs (there should be none).

The kernel's own execution of the notebook is part of ``shown``; ``charts``
is the browser's share alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import CHROMIUM_ARGS, TIMING_SCRIPT, VoilaServer, chromium, throttle  # noqa: E402

#: Cells shown, and as many charts drawn as the page will have (counted after the run, see below).
SETTLED = """
(n) => {
  const t = window.__kamTiming;
  if (!t || t.shown === null) return false;
  const c = window.__kamwidgetsCharts;
  const all = !c || !c.expected || [...c.expected].every(uid => c.drawn.has(uid));
  return t.charts.length >= n && all && !document.querySelector('.kam-chart[data-state="loading"]');
}
"""


def one_run(browser, url: str, rate: float, charts: int) -> dict:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors: list[str] = []
    sent = [0, 0]  # websocket frames received by the page, and their bytes

    def frames(ws):
        def count(payload):
            sent[0] += 1
            sent[1] += len(payload)

        ws.on("framereceived", count)

    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("websocket", frames)
    page.add_init_script(TIMING_SCRIPT)
    if rate > 1:
        throttle(page, rate)
    page.goto(url, timeout=600_000)
    page.wait_for_function(SETTLED, arg=charts, timeout=600_000, polling=100)
    timing = page.evaluate("() => window.__kamTiming")
    models = page.evaluate("() => document.querySelectorAll('.jupyter-widgets').length")
    page.close()
    last = max(timing["charts"]) if timing["charts"] else timing["shown"]
    return {
        "shown": timing["shown"] / 1000,
        "charts": max(0.0, last - timing["shown"]) / 1000,
        "complete": max(last, timing["shown"]) / 1000,
        "views": models,
        "frames": sent[0],
        "bytes": sent[1],
        "errors": errors,
        "drawn": len(timing["charts"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lessons", nargs="+", default=["13_wrap_up.ipynb"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--throttle", nargs="+", type=float, default=[1, 4])
    parser.add_argument(
        "--charts", type=int, default=None, help="charts to wait for (default: count them in a first, unthrottled run)"
    )
    args = parser.parse_args()
    exe = chromium()
    if exe is None:
        print("Chromium is not installed (bash .ci/system installs it).", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kam-bench-") as tmp:
        server = VoilaServer(
            ROOT / "notebooks", Path(tmp) / "voila.log", env={"KAMWIDGETS_DB_URL": f"sqlite:///{tmp}/bench.sqlite"}
        )
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
                print(
                    f"{'lesson':28} {'cpu':>4} {'shown s':>8} {'charts s':>9} {'complete s':>10} "
                    f"{'charts':>6} {'ws MB':>6} {'errors':>6}"
                )
                for lesson in args.lessons:
                    url = f"{server.url}/voila/render/{lesson}"
                    expected = args.charts
                    if expected is None:  # a first run, with time to spare, tells how many charts the page draws
                        warm = one_run(browser, url, 1, 0)
                        page = browser.new_page()
                        page.add_init_script(TIMING_SCRIPT)
                        page.goto(url, timeout=600_000)
                        page.wait_for_function(SETTLED, arg=0, timeout=600_000)
                        page.wait_for_timeout(10_000)  # only to count, never to measure
                        expected = page.evaluate("() => window.__kamTiming.charts.length")
                        page.close()
                        del warm
                    for rate in args.throttle:
                        runs = [one_run(browser, url, rate, expected) for _ in range(args.runs)]
                        med = {
                            k: statistics.median(r[k] for r in runs) for k in ("shown", "charts", "complete", "bytes")
                        }
                        errors = sum(len(r["errors"]) for r in runs)
                        print(
                            f"{lesson:28} {rate:>3g}x {med['shown']:>8.2f} {med['charts']:>9.2f} "
                            f"{med['complete']:>10.2f} {expected:>6} {med['bytes'] / 1e6:>6.1f} {errors:>6}"
                        )
                        for r in runs:
                            for e in r["errors"]:
                                print(f"    page error: {e[:200]}")
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

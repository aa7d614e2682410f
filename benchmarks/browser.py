"""What a participant waits for in the browser: lessons served by Voila, drawn by headless Chromium.

    .venv/bin/python benchmarks/browser.py                          # the wrap-up, 3 runs, CPU at 1x and 4x
    .venv/bin/python benchmarks/browser.py --lessons 13_wrap_up.ipynb 00_start_here.ipynb --runs 5 --throttle 1 6

For each lesson and CPU throttling rate (Chromium's DevTools emulation; 4x
is a busy two-core laptop) it prints, as medians over the runs:

* ``shown s``: navigation start to Voila showing the executed cells;
* ``charts s``: from ``shown`` to the last chart drawn (the figures'
  initialisation, what used to time out);
* ``complete s``: navigation start to every widget and chart rendered;
* ``charts``: how many charts were drawn, and ``ws MB``: the widget state
  the kernel sent over the websocket;
* ``errors``: page errors seen in all runs (there should be none).

The kernel's own execution of the notebook is part of ``shown s``;
``charts s`` is the browser's share alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import (  # noqa: E402
    CHROMIUM_ARGS,
    TIMING_SCRIPT,
    VoilaServer,
    chromium,
    throttle,
    wait_rendered,
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
    wait_rendered(page, 600_000)
    timing = page.evaluate("() => window.__kamTiming")
    page.close()
    last = max(timing["charts"]) if timing["charts"] else timing["shown"]
    return {
        "shown": timing["shown"] / 1000,
        "charts": max(0.0, last - timing["shown"]) / 1000,
        "complete": max(last, timing["shown"]) / 1000,
        "bytes": received[0],
        "drawn": len(timing["charts"]),
        "errors": errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lessons", nargs="+", default=["13_wrap_up.ipynb"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--throttle", nargs="+", type=float, default=[1, 4])
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
                    for rate in args.throttle:
                        runs = [one_run(browser, url, rate) for _ in range(args.runs)]
                        med = {
                            k: statistics.median(r[k] for r in runs)
                            for k in ("shown", "charts", "complete", "bytes", "drawn")
                        }
                        errors = sum(len(r["errors"]) for r in runs)
                        print(
                            f"{lesson:28} {rate:>3g}x {med['shown']:>8.2f} {med['charts']:>9.2f} "
                            f"{med['complete']:>10.2f} {med['drawn']:>6g} {med['bytes'] / 1e6:>6.1f} {errors:>6}"
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

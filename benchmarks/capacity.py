"""How many participants one workshop machine serves: memory per kernel, and lessons rendered at once.

    .venv/bin/python benchmarks/capacity.py                        # every lesson's kernel memory, then 1-8 at once
    .venv/bin/python benchmarks/capacity.py --sessions 1 2 4 6 8 12 --lesson 14_customer_classification.ipynb

Participants are simulated by kernels, not browsers (browsers on the same two
cores would measure themselves): each session starts a kernel and executes a
lesson as Voila does on a page request (nbclient, the engine Voila uses).

* memory: the kernel's resident memory (RSS) after running the lesson, per
  lesson, and after then drawing every tool further down as well (``whole
  MB``: a reader who scrolled to the end; in Voila those tools wait for the
  reader), with the kernel's time for that drawing alone (``draw s``), and
  the machine's total;
* concurrency: ``n`` sessions run the lesson at the same time; their median
  time over the time of one session alone. A session is served well while
  that ratio stays at most 2; the figure printed is the largest ``n`` tried
  that meets it, and how many kernels the memory would hold.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


#: What a reader scrolling to the end of the page asks the kernel for: every tool still waiting.
DRAW_WAITING = "from kamwidgets.widgets._later import draw_waiting\ndraw_waiting()"


def run_lesson(path: Path, store: str, *, whole: bool = False) -> tuple[float, int, float, int]:
    """(seconds, kernel RSS bytes) to execute one lesson in a fresh kernel; with ``whole``, then (seconds, RSS)
    after drawing every tool still waiting in the same kernel (else zeros)."""
    nb = nbformat.read(path, as_version=4)
    os.environ["KAMWIDGETS_DB_URL"] = store
    os.environ["VOILA_PREHEAT"] = "False"  # as Voila starts a page's kernel: tools further down wait for the reader
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        elapsed = time.perf_counter() - start
        kernel = psutil.Process(client.km.provisioner.process.pid)  # type: ignore[union-attr]
        rss = kernel.memory_info().rss
        drawing, whole_rss = 0.0, 0
        if whole:
            nb.cells.append(nbformat.v4.new_code_cell(DRAW_WAITING))
            start = time.perf_counter()
            client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
            drawing, whole_rss = time.perf_counter() - start, kernel.memory_info().rss
    return elapsed, rss, drawing, whole_rss


def at_once(path: Path, store: str, n: int) -> list[float]:
    """Seconds each of ``n`` sessions took, all started together (one process each, as a server has)."""
    with ProcessPoolExecutor(max_workers=n) as pool:
        return [seconds for seconds, *_ in pool.map(run_lesson, [path] * n, [store] * n)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lesson", default="14_customer_classification.ipynb")
    parser.add_argument("--sessions", nargs="+", type=int, default=[1, 2, 4, 6, 8])
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    total = psutil.virtual_memory().total
    print(f"machine: {os.cpu_count()} cores, {total / 2**30:.1f} GiB")
    with tempfile.TemporaryDirectory(prefix="kam-capacity-") as tmp:
        store = f"sqlite:///{tmp}/capacity.sqlite"
        rss_by_lesson = {}
        if not args.skip_memory:
            print(f"{'lesson':38} {'run s':>6} {'kernel MB':>10} {'draw s':>7} {'whole MB':>9}")
            for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
                # and once the reader has scrolled the whole page (every tool drawn): what the kernel holds then
                seconds, rss, all_seconds, all_rss = run_lesson(path, store, whole=True)
                rss_by_lesson[path.name] = max(rss, all_rss)
                print(
                    f"{path.name:38} {seconds:>6.1f} {rss / 2**20:>10.0f} {all_seconds:>7.2f} {all_rss / 2**20:>9.0f}"
                )
        path = ROOT / "notebooks" / args.lesson
        alone = statistics.median(run_lesson(path, store)[0] for _ in range(2))
        print(f"\n{args.lesson}: one session alone {alone:.1f} s")
        print(f"{'sessions':>8} {'median s':>9} {'worst s':>8} {'x alone':>8}")
        served = 1
        for n in args.sessions:
            times = at_once(path, store, n)
            ratio = statistics.median(times) / alone
            print(f"{n:>8} {statistics.median(times):>9.1f} {max(times):>8.1f} {ratio:>8.1f}")
            if ratio <= 2:
                served = max(served, n)
        heaviest = max(rss_by_lesson.values()) if rss_by_lesson else run_lesson(path, store)[1]
        print(
            f"\nserved within 2x: {served} sessions at once; memory holds about "
            f"{int(total * 0.8 // heaviest)} kernels of the heaviest lesson ({heaviest / 2**20:.0f} MB each)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How many participants one workshop machine serves: kernel CPU and memory per lesson opened, and lessons opened
by many participants at the same instant.

    .venv/bin/python benchmarks/capacity.py                          # the classification lesson: parts, 1-30 at once
    .venv/bin/python benchmarks/capacity.py --sessions 1 10 20 30 --lesson 14_customer_classification.ipynb
    .venv/bin/python benchmarks/capacity.py --memory                 # also every lesson's kernel memory
    .venv/bin/python benchmarks/capacity.py --preheated              # kernels Voila runs ahead (a pool)
    .venv/bin/python benchmarks/capacity.py --voila --sessions 10    # the real server: Voila, HTTP requests

Participants are simulated by kernels, not browsers (browsers on the same two
cores would measure themselves): each session starts a kernel and executes a
lesson as Voila does on a page request (nbclient, the engine Voila uses; tools
further down the page wait for the reader, as in Voila).

* the parts of one opening, in the kernel's own CPU time: the interpreter and
  the kernel starting, the imports (pandas, the workbook, its widgets and
  charts), the lesson's cells, and the widget messages the cells send (how
  many, and their bytes);
* memory: the kernel's resident memory after the lesson (``--memory``: of
  every lesson, and after drawing every tool still waiting);
* at once: ``n`` sessions open the lesson at the same instant; the median and
  the worst against one alone. The target: 10 at once, every page within 3x.
* ``--preheated``: the same, with kernels Voila runs ahead (``bash .ci/workshop
  --preheat``, a pool of kernels per lesson): each session's kernel has
  started, imported and warmed up (``kamwidgets.preheat``) before the instant,
  and only the lesson's cells are timed, as a page served from the pool waits
  only for them (``KAM_POOL=LESSON:N bash .ci/workshop --preheat`` keeps ``N``
  ready for a lesson). One alone is measured the same way, and also on a
  server without kernels ready: the target compares the room with that, as
  ten openings at one instant on 2 cores cannot end sooner than five times
  one opening's own CPU (the ratio to one alone from the pool is printed too).
* ``--voila``: the real thing without browsers: the workshop's Voila
  (``kamwidgets.page_assets``, as ``.ci/workshop`` runs it) asked for the
  lesson's page by ``n`` HTTP requests at one instant, each timed until the
  page has come whole (its cells run); first one request alone on the plain
  server, then ``n`` at once on a server with ``KAM_POOL=LESSON:n``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import nbformat
import psutil
from jupyter_client import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._results import Figure, save_and_compare, table, within  # noqa: E402
from tests.browser_support import VoilaServer, free_port  # noqa: E402

#: What a reader scrolling to the end of the page asks the kernel for: every tool still waiting.
DRAW_WAITING = "from kamwidgets.widgets._later import draw_waiting\ndraw_waiting()"
#: What every lesson imports before its first cell does anything else.
IMPORTS = "import pandas, plotly.graph_objects, kamwidgets, kamwidgets.widgets, kamwidgets.charts"
#: What a kernel Voila runs ahead has done before its page is asked for (see kamwidgets/preheat.py).
WARM_UP = "from kamwidgets.preheat import _warm_up\n_warm_up()"
#: Kernels on local sockets, as .ci/workshop starts them: many started at one instant on TCP pick the same port.
IPC = ("--KernelManager.transport=ipc",)
#: At most this many times one session alone, with 10 at once.
TARGET_AT_ONCE = 3.0


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


class _Counting(NotebookClient):
    """nbclient's client, counting the widget messages the kernel sends to the page."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.messages = 0
        self.message_bytes = 0

    def process_message(self, msg, cell, cell_index):  # noqa: ANN001 - nbclient's own signature
        if msg.get("msg_type", "").startswith("comm_"):
            self.messages += 1
            self.message_bytes += len(json.dumps(msg.get("content", {}), default=str))
        return super().process_message(msg, cell, cell_index)


def run_lesson(path: Path, store: str, *, whole: bool = False, preheated: bool = False, start_together=None) -> dict:
    """One opening of a lesson in a fresh kernel: wall seconds, its CPU by part, its messages and memory.

    ``preheated``: the kernel starts, imports and warms up first, and the time counts from the cells on (a page
    served by a kernel Voila ran ahead). ``start_together``: a barrier every session waits at before its time
    starts (sessions opening at the same instant).
    """
    nb = nbformat.read(path, as_version=4)
    os.environ["KAMWIDGETS_DB_URL"] = store
    os.environ["VOILA_PREHEAT"] = "False"  # as Voila starts a page's kernel: tools further down wait for the reader
    # kernels on local sockets, not TCP ports: sessions in separate processes started at one instant would pick
    # the same free port (a server's one process does not)
    km = KernelManager(kernel_name="python3", transport="ipc", ip=tempfile.mkdtemp(prefix="kam-kernel-") + "/k")
    resources = {"metadata": {"path": str(path.parent)}}
    client = _Counting(nb, km=km, timeout=600, kernel_name="python3", resources=resources)
    if start_together is not None and not preheated:
        start_together.wait()
    start = time.perf_counter()
    with client.setup_kernel():
        kernel = psutil.Process(client.km.provisioner.process.pid)  # type: ignore[union-attr]
        parts = {"interpreter and kernel": _cpu(kernel)}
        client.execute_cell(nbformat.v4.new_code_cell(IMPORTS), 0)
        parts["imports"] = _cpu(kernel) - parts["interpreter and kernel"]
        if preheated:
            client.execute_cell(nbformat.v4.new_code_cell(WARM_UP), 0)
            parts["warm-up ahead"] = _cpu(kernel) - sum(parts.values())
            if start_together is not None:
                start_together.wait()
            start = time.perf_counter()
        before = _cpu(kernel)
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        parts["cells and their widget messages"] = _cpu(kernel) - before
        result = {"seconds": time.perf_counter() - start, "cpu": parts, "rss": kernel.memory_info().rss}
        result.update(messages=client.messages, message_bytes=client.message_bytes)
        if whole:
            start = time.perf_counter()
            client.execute_cell(nbformat.v4.new_code_cell(DRAW_WAITING), len(nb.cells))
            result.update(draw_seconds=time.perf_counter() - start, whole_rss=kernel.memory_info().rss)
    return result


def _one_of_many(path: Path, store: str, preheated: bool, barrier) -> float:  # noqa: ANN001 - a manager's proxy
    return run_lesson(path, store, preheated=preheated, start_together=barrier)["seconds"]


def at_once(path: Path, store: str, n: int, *, preheated: bool = False) -> list[float]:
    """Seconds each of ``n`` sessions took, all started at one instant (one process each, as a server has)."""
    spawn = multiprocessing.get_context("spawn")  # fresh processes: a fork would inherit this one's kernel sockets
    with spawn.Manager() as manager, ProcessPoolExecutor(max_workers=n, mp_context=spawn) as pool:
        barrier = manager.Barrier(n)
        return list(pool.map(_one_of_many, [path] * n, [store] * n, [preheated] * n, [barrier] * n))


def memory_by_lesson(store: str) -> dict[str, int]:
    print(f"{'lesson':38} {'run s':>6} {'kernel MB':>10} {'draw s':>7} {'whole MB':>9}")
    rss = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        r = run_lesson(path, store, whole=True)
        rss[path.name] = max(r["rss"], r["whole_rss"])
        print(
            f"{path.name:38} {r['seconds']:>6.1f} {r['rss'] / 2**20:>10.0f} {r['draw_seconds']:>7.2f} "
            f"{r['whole_rss'] / 2**20:>9.0f}"
        )
    return rss


def one_opening(path: Path, store: str, *, preheated: bool = False) -> tuple[float, list[Figure]]:
    """One session alone (median of 3): its time, and the figures of its parts."""
    runs = [run_lesson(path, store, preheated=preheated) for _ in range(3)]
    alone = statistics.median(r["seconds"] for r in runs)
    figures = [Figure(f"{path.name}: one opening alone", 1, alone)]
    print(f"\n{path.name}: one session alone {alone:.2f} s; the kernel's CPU:")
    for part in runs[0]["cpu"]:
        cpu = statistics.median(r["cpu"][part] for r in runs)
        figures.append(Figure(f"kernel CPU: {part}", 1, cpu))
        print(f"  {part:34} {cpu:.2f} s")
    total = statistics.median(sum(r["cpu"].values()) for r in runs)
    figures.append(Figure("kernel CPU per lesson opened", 1, total))
    messages = statistics.median(r["messages"] for r in runs)
    kb = statistics.median(r["message_bytes"] for r in runs) / 1024
    rss = statistics.median(r["rss"] for r in runs) / 2**20
    figures.append(Figure("kernel memory per participant", 1, rss, unit="MB"))
    print(f"  {'total':34} {total:.2f} s; {messages:.0f} widget messages ({kb:,.0f} KB); kernel {rss:.0f} MB")
    return alone, figures


def _serve(folder: Path, log: Path, store: str, pool: str = "") -> VoilaServer:
    """The workshop's Voila on ``folder`` (with ``KAM_POOL=pool`` and kernels run ahead when ``pool`` is given)."""
    options = ("--template=kamwidgets", *IPC)
    if pool:
        options += ("--preheat_kernel=True", "--pool_size=0", "--VoilaKernelManager.fill_delay=60")
    env = {"KAMWIDGETS_DB_URL": store, "KAM_POOL": pool}
    return VoilaServer(
        folder,
        log,
        env=env,
        timeout=300,
        options=options,
        port=free_port(),
        module="kamwidgets.page_assets",
        cull=False,
    )


def _fetch(url: str, barrier=None) -> float:  # noqa: ANN001 - a threading.Barrier or None
    if barrier is not None:
        barrier.wait()
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        response.read()
    return time.perf_counter() - start


def _quiet(seconds: float = 3.0, limit: float = 15.0, most: float = 300.0) -> None:
    """Wait until the machine's CPU has been under ``limit`` % for ``seconds`` (kernels done warming up), for
    at most ``most`` seconds (a machine that stays busy is measured busy: the figures then say so)."""
    deadline = time.monotonic() + most
    while psutil.cpu_percent(interval=seconds) > limit and time.monotonic() < deadline:
        pass


def voila_at_once(lesson: str, n: int, tmp: Path) -> tuple[float, list[float], list[float]]:
    """One page alone on the plain workshop server (median of 3) and ``n`` at once there, then with a pool of ``n``."""
    folder = tmp / "lessons"
    shutil.copytree(ROOT / "notebooks", folder)
    store = f"sqlite:///{tmp}/voila.sqlite"
    page = f"/voila/render/{lesson}?workbook=room/"
    server = _serve(folder, tmp / "plain.log", store)
    try:
        _fetch(f"{server.url}{page}warm")  # the first page ever also compiles the template
        alone = statistics.median(_fetch(f"{server.url}{page}alone{i}") for i in range(3))
        _quiet()
        plain = _together([f"{server.url}{page}plain{i}" for i in range(n)])
    finally:
        server.stop()
    server = _serve(folder, tmp / "pool.log", store, pool=f"{lesson}:{n}")
    try:
        server.wait_logged(f"Kernel pool of {lesson} is filled with {n} kernel(s)", timeout=600)
        _quiet()
        times = _together([f"{server.url}{page}p{i}" for i in range(n)])
        assert server.log.read_text(errors="replace").count("Using pre-heated kernel") == n
    finally:
        server.stop()
    return alone, plain, times


def _together(urls: list[str]) -> list[float]:
    """Seconds each request took, all sent at one instant."""
    barrier = threading.Barrier(len(urls))
    with ThreadPoolExecutor(max_workers=len(urls)) as threads:
        return list(threads.map(_fetch, urls, [barrier] * len(urls)))


def _at_once_figure(n: int, times: list[float], alone: float, plain: float) -> Figure:
    """The worst of ``n`` sessions at once against one alone on a server without kernels ready (``plain``).

    Ten openings at one instant on 2 cores cannot end sooner than 5 times one opening's CPU, so with kernels
    ready the comparison that says what a room waits for is with one participant alone on a plain server;
    the ratio to one alone with a kernel ready (``alone``) is printed and kept beside it.
    """
    med, worst = statistics.median(times), max(times)
    print(f"{n:>8} {med:>9.1f} {worst:>8.1f} {med / alone:>8.1f} {worst / alone:>8.1f}", end="")
    print(f"   ({worst / plain:.1f}x one alone without a kernel ready)" if plain != alone else "")
    label = "one alone" if plain == alone else "one alone, no kernel ready"
    figure = Figure(f"{n} opening at once (worst)", n, worst, floor=label, floor_value=plain)
    figure.extra = {"median_s": med, "x_one_alone_same_server": worst / alone}
    if n == 10:
        figure.target = f"every page within {TARGET_AT_ONCE:g}x one alone"
        figure.met = within(worst / plain, TARGET_AT_ONCE)
    return figure


def _voila_main(args: argparse.Namespace, tmp: Path) -> int:
    figures = []
    print(f"{'sessions':>8} {'alone s':>8} {'median s':>9} {'worst s':>8} {'worst x':>8}   (Voila; kernels ready)")
    for n in args.sessions:
        alone, plain, times = voila_at_once(args.lesson, n, tmp / f"n{n}")
        med, worst = statistics.median(times), max(times)
        print(f"{n:>8} {alone:>8.2f} {med:>9.2f} {worst:>8.2f} {worst / alone:>8.1f}", end="")
        print(f"   (no kernels ready: worst {max(plain):.2f} s, {max(plain) / alone:.1f}x)")
        figures.append(Figure(f"Voila: {n} pages at once, no kernel ready (worst)", n, max(plain), floor_value=alone))
        figures[-1].floor = "one page alone, plain server"
        figure = Figure(f"Voila: {n} pages at once, a kernel ready each (worst)", n, worst)
        figure.floor, figure.floor_value, figure.extra = "one page alone, plain server", alone, {"median_s": med}
        if n == 10:
            figure.target = f"every page within {TARGET_AT_ONCE:g}x one alone"
            figure.met = within(worst / alone, TARGET_AT_ONCE)
        figures.append(figure)
    print()
    print(table(figures))
    save_and_compare("capacity-voila", figures, save=not args.no_save)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lesson", default="14_customer_classification.ipynb")
    parser.add_argument("--sessions", nargs="+", type=int, default=[1, 4, 10, 20, 30])
    parser.add_argument("--memory", action="store_true", help="also every lesson's kernel memory")
    parser.add_argument("--preheated", action="store_true", help="kernels run ahead (a pool, as --preheat)")
    parser.add_argument("--voila", action="store_true", help="the workshop's Voila, pages asked for over HTTP")
    parser.add_argument("--no-save", action="store_true", help="do not replace the saved run (benchmarks/results)")
    args = parser.parse_args()
    total = psutil.virtual_memory().total
    print(f"machine: {os.cpu_count()} cores, {total / 2**30:.1f} GiB")
    with tempfile.TemporaryDirectory(prefix="kam-capacity-") as tmp:
        store = f"sqlite:///{tmp}/capacity.sqlite"
        if args.memory:
            memory_by_lesson(store)
        path = ROOT / "notebooks" / args.lesson
        if args.voila:
            return _voila_main(args, Path(tmp))
        alone, figures = one_opening(path, store, preheated=args.preheated)
        # the target compares with what one participant alone waits for on a server without kernels ready
        plain = one_opening(path, store)[0] if args.preheated else alone
        if args.preheated:
            figures.append(Figure(f"{path.name}: one opening alone, no kernel ready", 1, plain))
        print(f"{'sessions':>8} {'median s':>9} {'worst s':>8} {'x alone':>8} {'worst x':>8}")
        for n in args.sessions:
            times = at_once(path, store, n, preheated=args.preheated)
            figures.append(_at_once_figure(n, times, alone, plain))
    print()
    print(table(figures))
    save_and_compare("capacity-preheated" if args.preheated else "capacity", figures, save=not args.no_save)
    return 0


if __name__ == "__main__":
    sys.exit(main())

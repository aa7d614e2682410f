"""A big export: ten million order lines from a CSV summed to accounts, beside pandas doing the least it could.

    .venv/bin/python benchmarks/big_export.py                    # makes the 10M-line CSV in a temporary folder
    .venv/bin/python benchmarks/big_export.py --file orders.csv  # a CSV made before (see --keep)
    .venv/bin/python benchmarks/big_export.py --rows 1000000     # smaller, to try something

The file is made from a seed, so every run reads the same one: order lines
(``Order ID``, ``Order Date``, ``Customer Name``, ``Sales Rep``, ``Product``,
``Sales``) of 200,000 customers, three lines per order, two years of dates
(about 570 MB for ten million lines).  Each measurement runs in its own
process, so that its peak memory (the process's resident set, as the system
counts it) is its own; the time is that of the call, imports aside.

==============================================  ======================================================
workbook                                        floor
==============================================  ======================================================
``accounts_from_transactions(path, account=,    ``pandas.read_csv`` of the same five columns, then a
value=, date=, order=, owner=)``                groupby-sum of the amounts by customer
==============================================  ======================================================

Targets: at most 20 s, within 2x the floor's time, peak memory under 3 GB.
The best of ``--repeat`` runs of each (taken in turn) is kept.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._results import Figure, save_and_compare, table, within  # noqa: E402

COLUMNS = ["Order ID", "Order Date", "Customer Name", "Sales Rep", "Sales"]
CALL = dict(account="Customer Name", value="Sales", date="Order Date", order="Order ID", owner="Sales Rep")
ACCOUNTS = 200_000
#: Targets: seconds, times the floor, and gigabytes of peak memory.
TARGET_SECONDS, TARGET_RATIO, TARGET_GB = 20.0, 2.0, 3.0


def make_export(path: Path, rows: int, *, seed: int = 3, block: int = 1_000_000) -> None:
    """Write ``rows`` order lines to ``path``, the same for the same seed (made a block at a time)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01")
    with path.open("w", encoding="utf-8", newline="") as out:
        for first in range(0, rows, block):
            n = min(block, rows - first)
            account = rng.integers(0, ACCOUNTS, n)
            lines = pd.DataFrame(
                {
                    "Order ID": np.char.add("SO-", ((np.arange(n) + first) // 3).astype(str)),
                    "Order Date": (start + pd.to_timedelta(rng.integers(0, 730, n), unit="D")).strftime("%Y-%m-%d"),
                    "Customer Name": np.char.add("Customer ", account.astype(str)),
                    "Sales Rep": np.char.add("Rep ", (account % 300).astype(str)),
                    "Product": np.char.add("P", rng.integers(0, 5000, n).astype(str)),
                    "Sales": np.round(rng.lognormal(5, 1, n), 2),
                }
            )
            lines.to_csv(out, index=False, header=first == 0)


def child(what: str, path: str) -> None:
    """In a process of its own: one measurement, printed as JSON (seconds, peak memory in GB, accounts)."""
    if what == "workbook":
        import kamwidgets as kw  # deferred: the floor's process does not load the workbook

        began = time.perf_counter()
        accounts = len(kw.accounts_from_transactions(path, **CALL))
    else:
        began = time.perf_counter()
        frame = pd.read_csv(path, usecols=COLUMNS, engine="c")
        accounts = len(frame.groupby("Customer Name")["Sales"].sum())
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "peak_gb": peak, "accounts": accounts}))


def measure(what: str, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", what, str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"{what} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def figures(rows: int, best: dict[str, dict]) -> list[Figure]:
    work, floor = best["workbook"], best["floor"]
    timed = Figure(
        "accounts_from_transactions, CSV",
        rows,
        work["seconds"],
        floor="read_csv + groupby-sum",
        floor_value=floor["seconds"],
        target=f"at most {TARGET_SECONDS:.0f} s and {TARGET_RATIO:.0f}x",
    )
    timed.met = within(timed.value, TARGET_SECONDS) and within(timed.ratio, TARGET_RATIO)
    memory = Figure(
        "accounts_from_transactions, CSV: peak memory",
        rows,
        work["peak_gb"],
        unit="GB",
        floor="read_csv + groupby-sum",
        floor_value=floor["peak_gb"],
        target=f"under {TARGET_GB:.0f} GB",
        met=work["peak_gb"] < TARGET_GB,
    )
    return [timed, memory]


def run(path: Path, rows: int, repeat: int) -> dict[str, dict]:
    best: dict[str, dict] = {}
    for attempt in range(repeat):
        for what in ("workbook", "floor"):
            got = measure(what, path)
            print(f"  run {attempt + 1} {what:>8}: {got['seconds']:6.2f} s, peak {got['peak_gb']:.2f} GB")
            if what not in best or got["seconds"] < best[what]["seconds"]:
                best[what] = got
    if best["workbook"]["accounts"] != best["floor"]["accounts"]:
        raise SystemExit(
            f"the workbook found {best['workbook']['accounts']} accounts, pandas {best['floor']['accounts']}"
        )
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="order lines to make (without --file)")
    parser.add_argument("--file", type=Path, help="a CSV with the columns above, instead of making one")
    parser.add_argument("--keep", type=Path, help="make the CSV here and keep it (for --file later)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best is kept")
    parser.add_argument("--no-save", action="store_true", help="do not replace the saved run (benchmarks/results)")
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file or args.keep or Path(tmp) / "orders.csv"
        if args.file is None:
            began = time.perf_counter()
            make_export(path, args.rows)
            print(f"made {path} ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - began:.0f} s")
        rows = args.rows if args.file is None else sum(1 for _ in path.open("rb")) - 1
        best = run(path, rows, args.repeat)
    found = figures(rows, best)
    print()
    print(table(found))
    save_and_compare("big-export", found, save=not args.no_save)


if __name__ == "__main__":
    main()

"""How the workbook scales: each figure printed beside its floor.

    .venv/bin/python benchmarks/run.py                 # 1k, 10k, 100k and 1M accounts
    .venv/bin/python benchmarks/run.py --sizes 1000 10000

For every portfolio size it times the workbook's own functions and, in the
same run, the plain tool that bounds them from below (the "floor"):

=========================  ==============================================
workbook                   floor
=========================  ==============================================
load_portfolio (CSV)       pandas.read_csv (pyarrow engine if installed)
load_portfolio (XLSX)      pandas.read_excel (calamine engine)
load_portfolio (frame)     DataFrame.copy (validation only)
accounts_from_transactions pandas groupby-sum of the same rows
classify                   numpy: ranks + weighted sums + buckets
balance                    pandas.crosstab
stability                  numpy: the same scores, buckets and counts
figure (matrix)            (payload in bytes per account)
widget slider change       (target: under 50 ms at 10,000 accounts)
import kamwidgets          import pandas
=========================  ==============================================

Peak memory is the tracemalloc peak of the operation (numpy and pandas
report their buffers to it).  Times are the best of a few repeats.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kamwidgets as kw  # noqa: E402
from kamwidgets.model.classify import segment_codes  # noqa: E402
from kamwidgets.model.load import _bytes as model_io  # noqa: E402

model_io.PROGRESS_FROM = float("inf")  # no progress bars in the middle of the table

ATT = {"revenue": 35, "growth": 25, "margin": 20, "fit": 20}
STR = {"share": 35, "relationship": 25, "product_fit": 20, "price": 20}
ROWS: list[dict] = []


def portfolio(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    people = np.array([f"Salesperson {i:02d}" for i in range(max(1, min(300, n // 30)))], dtype=object)
    return pd.DataFrame(
        {
            "account": pd.array([f"Account {i:07d}" for i in range(n)], dtype="str"),
            "account_manager": pd.array(people[rng.integers(0, len(people), n)], dtype="str"),
            "revenue": np.round(rng.lognormal(11, 1.2, n), 2),
            "growth": np.round(rng.normal(0.05, 0.1, n), 3),
            "margin": np.round(rng.uniform(0.05, 0.5, n), 3),
            "fit": rng.integers(1, 11, n),
            "share": np.round(rng.uniform(0, 1, n), 3),
            "relationship": rng.integers(1, 11, n),
            "product_fit": rng.integers(1, 11, n),
            "price": rng.integers(1, 11, n),
        }
    )


def transactions(n_accounts: int, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = n_accounts * 10
    acc = rng.integers(0, n_accounts, rows)
    return pd.DataFrame(
        {
            "account": pd.array(np.char.add("Account ", np.char.zfill(acc.astype(str), 7)), dtype="str"),
            "value": np.round(rng.lognormal(8, 1, rows), 2),
            "stage": pd.array(np.where(rng.random(rows) < 0.6, "Won", "Lost"), dtype="str"),
        }
    )


def measure(fn, repeat: int = 3) -> tuple[float, float]:
    """(best seconds, peak MB) of ``fn()``."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(times), peak / 2**20


def record(
    size: int, what: str, fn, floor_name: str | None = None, floor_fn=None, repeat: int = 3, extra: str = ""
) -> None:
    t, mem = measure(fn, repeat)
    row = {
        "accounts": size,
        "what": what,
        "seconds": t,
        "peak_mb": mem,
        "floor": floor_name or "",
        "floor_seconds": np.nan,
        "ratio": np.nan,
        "note": extra,
    }
    if floor_fn is not None:
        ft, _ = measure(floor_fn, repeat)
        row.update(floor_seconds=ft, ratio=t / ft if ft > 0 else np.nan)
    ROWS.append(row)
    ratio = f"{row['ratio']:.2f}x {floor_name}" if floor_fn is not None else ""
    print(f"{size:>9,}  {what:<34} {t * 1000:>10.1f} ms  {mem:>8.1f} MB  {ratio:<28} {extra}", flush=True)


def numpy_floor(p: pd.DataFrame) -> None:
    """The scoring arithmetic alone: percentile ranks, weighted sums, buckets."""

    def ranks(v: np.ndarray) -> np.ndarray:
        order = np.argsort(v, kind="stable")
        r = np.empty(v.size)
        r[order] = np.arange(v.size)
        return r / (v.size - 1) * 10

    a = sum(w * ranks(p[c].to_numpy(dtype=float)) for c, w in ATT.items()) / sum(ATT.values())
    s = sum(w * ranks(p[c].to_numpy(dtype=float)) for c, w in STR.items()) / sum(STR.values())
    segment_codes(a, s, (5.0, 5.0))


def import_time(module: str, repeat: int = 5) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout)
        for _ in range(repeat)
    ]
    return statistics.median(runs)


def bench_size(n: int, tmp: Path, xlsx_up_to: int) -> None:
    p = portfolio(n)
    csv_path = tmp / f"p{n}.csv"
    p.to_csv(csv_path, index=False)
    try:
        import pyarrow  # noqa: F401

        engine = "pyarrow"
    except ImportError:
        engine = "c"
    record(
        n,
        "load_portfolio (CSV)",
        lambda: kw.load_portfolio(csv_path),
        f"read_csv[{engine}]",
        lambda: pd.read_csv(csv_path, engine=engine),
        repeat=2,
    )
    if n <= xlsx_up_to:
        xlsx_path = tmp / f"p{n}.xlsx"
        p.to_excel(xlsx_path, index=False)
        record(
            n,
            "load_portfolio (XLSX)",
            lambda: kw.load_portfolio(xlsx_path),
            "read_excel[calamine]",
            lambda: pd.read_excel(xlsx_path, engine="calamine"),
            repeat=1,
        )
    record(n, "load_portfolio (frame: validation)", lambda: kw.load_portfolio(p), "DataFrame.copy", lambda: p.copy())

    tx = transactions(n)
    record(
        n,
        f"accounts_from_transactions ({len(tx):,} rows)",
        lambda: kw.accounts_from_transactions(tx, account="account", value="value", stage="stage"),
        "groupby-sum",
        lambda: tx[tx["stage"] == "Won"].groupby("account")["value"].sum(),
        repeat=2,
    )
    tx = None  # the rows are not needed any more

    record(n, "classify", lambda: kw.classify(p, ATT, STR), "numpy", lambda: numpy_floor(p))
    classified = kw.classify(p, ATT, STR)
    record(
        n,
        "balance",
        lambda: kw.balance(classified),
        "crosstab",
        lambda: pd.crosstab(classified["account_manager"], classified["segment"]),
    )
    draws = 300 if n <= 100_000 else 50
    rng = np.random.default_rng(0)
    sa, ss = rng.random((n, 4)) * 10, rng.random((n, 4)) * 10
    wa, ws = rng.random((draws, 4)), rng.random((draws, 4))
    base = rng.integers(0, 4, n)

    def stability_floor() -> None:
        """The same work in plain numpy: scores for every draw, buckets, how often each account keeps its own."""
        chunk = max(1, 2_000_000 // draws)
        for i in range(0, n, chunk):
            a = sa[i : i + chunk] @ wa.T / wa.sum(axis=1)
            s = ss[i : i + chunk] @ ws.T / ws.sum(axis=1)
            codes = np.where(a >= 5, np.where(s >= 5, 0, 1), np.where(s >= 5, 2, 3))
            (codes == base[i : i + chunk, None]).sum(axis=1)

    record(
        n,
        f"stability ({draws} draws)",
        lambda: kw.stability(classified, draws=draws),
        "numpy",
        stability_floor,
        repeat=1,
    )

    from kamwidgets.charts import balance_chart, portfolio_matrix

    fig_holder = {}
    record(n, "figure: portfolio matrix", lambda: fig_holder.update(f=portfolio_matrix(classified)), repeat=2)
    payload = len(fig_holder["f"].to_json())
    ROWS[-1]["note"] = f"{payload / n:.1f} bytes/account"
    print(f"{'':>9}  {'':<34} payload {payload / n:.1f} bytes per account")
    record(n, "figure: balance", lambda: balance_chart(kw.balance(classified)), repeat=2)

    if n <= 100_000:
        w = kw.ClassificationWidget(p, ATT, STR)
        steps = iter(range(10, 10_000))
        record(
            n,
            "widget slider change (end to end)",
            lambda: setattr(w.controls["revenue"], "value", float(next(steps) % 90 + 5)),
            repeat=7,
        )
        w.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--xlsx-up-to", type=int, default=10_000, help="largest size to test as .xlsx")
    parser.add_argument("--csv", type=Path, help="also write the table to this CSV file")
    args = parser.parse_args()
    print(
        f"kamwidgets {kw.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores"
    )
    print(f"{'accounts':>9}  {'what':<34} {'time':>13}  {'peak mem':>11}  floor")
    pandas_import = import_time("pandas")
    kam_import = import_time("kamwidgets")
    ROWS.append(
        {
            "accounts": 0,
            "what": "import kamwidgets",
            "seconds": kam_import,
            "peak_mb": np.nan,
            "floor": "import pandas",
            "floor_seconds": pandas_import,
            "ratio": kam_import / pandas_import,
            "note": "",
        }
    )
    print(
        f"{'':>9}  {'import kamwidgets':<34} {kam_import * 1000:>10.1f} ms  {'':>11}  "
        f"{kam_import / pandas_import:.2f}x import pandas ({pandas_import * 1000:.0f} ms)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            bench_size(n, Path(tmp), args.xlsx_up_to)
    if args.csv:
        pd.DataFrame(ROWS).to_csv(args.csv, index=False)


if __name__ == "__main__":
    main()

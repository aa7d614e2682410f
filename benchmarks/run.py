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
widget slider change       (Python side; target: at most 15 ms at 10,000 accounts)
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
from benchmarks._results import Figure, save_and_compare, table, within  # noqa: E402
from kamwidgets.model.classification import segment_codes  # noqa: E402
from kamwidgets.model.load import _bytes as model_io  # noqa: E402

model_io.PROGRESS_FROM = float("inf")  # no progress bars in the middle of the table

ATT = {"revenue": 35, "growth": 25, "margin": 20, "fit": 20}
STR = {"share": 35, "relationship": 25, "product_fit": 20, "price": 20}
FIGURES: list[Figure] = []


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
    size: int,
    what: str,
    fn,
    floor_name: str = "",
    floor_fn=None,
    repeat: int = 3,
    target: tuple[str, float, str] | None = None,
) -> Figure:
    """Time ``fn`` (and its floor), print the line and keep the figure.

    ``target`` is (words, limit, on): ``on`` is "ratio" (the figure over its floor) or "value" (seconds).
    """
    t, mem = measure(fn, repeat)
    figure = Figure(what, size, t, floor=floor_name, extra={"peak_mb": round(mem, 1)})
    if floor_fn is not None:
        figure.floor_value, _ = measure(floor_fn, repeat)
    if target is not None:
        words, limit, on = target
        figure.target = words
        figure.met = within(figure.ratio if on == "ratio" else figure.value, limit)
    FIGURES.append(figure)
    ratio = f"{figure.ratio:.2f}x {floor_name}" if floor_fn is not None else ""
    verdict = "" if figure.met is None else f"{figure.target}: {'met' if figure.met else 'NOT MET'}"
    print(f"{size:>9,}  {what:<34} {t * 1000:>10.1f} ms  {mem:>8.1f} MB  {ratio:<28} {verdict}", flush=True)
    return figure


def numpy_floor(p: pd.DataFrame) -> None:
    """The scoring arithmetic alone, in plain numpy: percentile ranks with ties averaged (as classify's, with
    its shortcuts: a column without ties ranked by its place in the sort, each tied run scaled once), weighted
    sums a criterion at a time, buckets; no checks, no missing values, no frame to return."""

    def ranks(v: np.ndarray) -> np.ndarray:  # the arithmetic of classify's ranks, step for step
        n = v.size
        order = np.argsort(v)
        sv = v[order]
        first = np.empty(n, dtype=bool)
        first[0] = True
        np.not_equal(sv[1:], sv[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        r = np.empty(n)
        if starts.size == n:
            r[order] = np.arange(n) / (n - 1) * 10.0
        else:
            ends = np.r_[starts[1:], n]
            r[order] = np.repeat((starts + ends - 1) / 2.0 / (n - 1) * 10.0, ends - starts)
        return r

    a = sum(w * ranks(p[c].to_numpy(dtype=float)) for c, w in ATT.items()) / sum(ATT.values())
    s = sum(w * ranks(p[c].to_numpy(dtype=float)) for c, w in STR.items()) / sum(STR.values())
    segment_codes(a, s, (5.0, 5.0))


def import_time(module: str, repeat: int = 7) -> float:
    """Median seconds to import ``module`` in a fresh interpreter, with its bytecode written first (as pip
    writes it for an installed package; pandas' own is there since its install)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kamwidgets")], check=True)
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout)
        for _ in range(repeat)
    ]
    return statistics.median(runs)


def csv_engine() -> str:
    try:
        import pyarrow  # noqa: F401

        return "pyarrow"
    except ImportError:
        return "c"


def bench_loading(n: int, p: pd.DataFrame, tmp: Path, xlsx_up_to: int) -> None:
    csv_path, engine = tmp / f"p{n}.csv", csv_engine()
    p.to_csv(csv_path, index=False)
    record(
        n,
        "load_portfolio (CSV)",
        lambda: kw.load_portfolio(csv_path),
        f"read_csv[{engine}]",
        lambda: pd.read_csv(csv_path, engine=engine),
        repeat=2,
        target=("within 2x", 2.0, "ratio") if n >= 10_000 else None,
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
        target=("within 2x", 2.0, "ratio"),
    )


def bench_scoring(n: int, p: pd.DataFrame) -> pd.DataFrame:
    target = ("at most 1.1x", 1.1, "ratio") if n >= 1_000_000 else None
    record(n, "classify", lambda: kw.classify(p, ATT, STR), "numpy", lambda: numpy_floor(p), target=target)
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
    return classified


def bench_figures(n: int, p: pd.DataFrame, classified: pd.DataFrame) -> None:
    from kamwidgets.charts import balance_chart, portfolio_matrix

    made = {}
    figure = record(n, "figure: portfolio matrix", lambda: made.update(f=portfolio_matrix(classified)), repeat=2)
    figure.extra["bytes_per_account"] = round(len(made["f"].to_json()) / n, 1)
    print(f"{'':>9}  {'':<34} payload {figure.extra['bytes_per_account']} bytes per account")
    record(n, "figure: balance", lambda: balance_chart(kw.balance(classified)), repeat=2)
    if n <= 100_000:
        w = kw.ClassificationWidget(p, ATT, STR)
        steps = iter(range(10, 10_000))
        record(
            n,
            "widget slider change, Python side",
            lambda: setattr(w.controls["revenue"], "value", float(next(steps) % 90 + 5)),
            repeat=7,
            target=("at most 15 ms", 0.015, "value") if n == 10_000 else None,
        )
        w.close()


def bench_export(n: int, classified: pd.DataFrame, tmp: Path) -> None:
    """The Excel file of a classified portfolio (the lessons' "Excel summary" holds it), beside pandas' own."""
    frame = classified.reset_index(drop=True)
    record(
        n,
        "export_workbook (Excel)",
        lambda: kw.export_workbook(tmp / "export.xlsx", {"Portfolio": frame}),
        "DataFrame.to_excel (openpyxl)",
        lambda: frame.to_excel(tmp / "floor.xlsx", engine="openpyxl", index=False),
        repeat=2,
        target=("within 2x", 2.0, "ratio") if n == 10_000 else None,
    )


def bench_size(n: int, tmp: Path, xlsx_up_to: int) -> None:
    p = portfolio(n)
    bench_loading(n, p, tmp, xlsx_up_to)
    classified = bench_scoring(n, p)
    bench_figures(n, p, classified)
    if n <= xlsx_up_to * 10:
        bench_export(n, classified, tmp)


def bench_import() -> None:
    pandas_import, kam_import = import_time("pandas"), import_time("kamwidgets")
    figure = Figure("import kamwidgets", 0, kam_import, floor="import pandas", floor_value=pandas_import)
    figure.target, figure.met = "at most 1.1x", within(figure.ratio, 1.1)
    FIGURES.append(figure)
    print(
        f"{'':>9}  {'import kamwidgets':<34} {kam_import * 1000:>10.1f} ms  {'':>11}  "
        f"{figure.ratio:.2f}x import pandas ({pandas_import * 1000:.0f} ms)  "
        f"at most 1.1x: {'met' if figure.met else 'NOT MET'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--xlsx-up-to", type=int, default=10_000, help="largest size to test as .xlsx")
    parser.add_argument("--no-save", action="store_true", help="do not replace the saved run (benchmarks/results)")
    args = parser.parse_args()
    print(
        f"kamwidgets {kw.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores"
    )
    print(f"{'accounts':>9}  {'what':<34} {'time':>13}  {'peak mem':>11}  floor")
    bench_import()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            bench_size(n, Path(tmp), args.xlsx_up_to)
    print()
    print(table(FIGURES))
    save_and_compare("library", FIGURES, save=not args.no_save)


if __name__ == "__main__":
    main()

"""Benchmark figures saved as JSON and compared with the last saved run.

Each benchmark script collects :class:`Figure` rows (a figure, its floor from
the same run and its target), prints them, then calls :func:`save_and_compare`:
the run is written to ``benchmarks/results/<bench>.json`` after being compared
with the file already there (the last saved run on this machine), and any
figure more than 20 % slower than there is flagged.  ``--no-save`` keeps the
saved run as it is (to try something without moving the baseline).
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
#: A figure this much slower than the last saved run is flagged.
SLOWER = 1.20


@dataclass
class Figure:
    """One measured figure: ``value`` (seconds, or the unit named) beside its floor and its target."""

    what: str
    size: int = 0  # accounts, rows or participants the figure is for (0: none)
    value: float = float("nan")
    unit: str = "s"
    floor: str = ""  # what bounds it from below, measured in the same run
    floor_value: float = float("nan")
    target: str = ""  # in words, e.g. "at most 1.1x" or "at most 50 ms"
    met: bool | None = None  # None: no target
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return (
            self.value / self.floor_value if self.floor_value and self.floor_value == self.floor_value else float("nan")
        )

    def key(self) -> str:
        return f"{self.what} @ {self.size}"


def within(value: float, limit: float) -> bool:
    """Whether a measured value meets an "at most" target (a value that is NaN does not)."""
    return value == value and value <= limit


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def _number(value: float, unit: str) -> str:
    if value != value:
        return ""
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:,.1f} {unit}"


def table(figures: list[Figure]) -> str:
    """The figures as a plain-text table: figure, floor and ratio, target and whether it is met."""
    lines = [f"{'what':44} {'size':>10} {'figure':>11} {'floor':>30} {'ratio':>6}  target"]
    for f in figures:
        floor = f"{f.floor} {_number(f.floor_value, f.unit)}".strip() if f.floor else ""
        ratio = f"{f.ratio:.2f}x" if f.ratio == f.ratio else ""
        verdict = "" if f.met is None else ("met" if f.met else "NOT MET")
        target = f"{f.target}: {verdict}" if f.target else ""
        size = f"{f.size:,}" if f.size else ""
        lines.append(
            f"{f.what[:44]:44} {size:>10} {_number(f.value, f.unit):>11} {floor[:30]:>30} {ratio:>6}  {target}"
        )
    return "\n".join(lines)


def compare(figures: list[Figure], previous: dict) -> list[str]:
    """Figures more than 20 % slower than in ``previous`` (a saved run), in words."""
    before = {f"{row['what']} @ {row['size']}": row for row in previous.get("figures", [])}
    slower = []
    for f in figures:
        old = before.get(f.key())
        if old is None or f.unit != old.get("unit", "s") or not old.get("value") or f.value != f.value:
            continue
        if f.value > old["value"] * SLOWER:
            slower.append(f"{f.key()}: {_number(f.value, f.unit)} against {_number(old['value'], f.unit)} saved")
    return slower


def save_and_compare(bench: str, figures: list[Figure], *, save: bool = True) -> list[str]:
    """Print the comparison with the last saved run of ``bench``; save this run unless told not to."""
    path = RESULTS / f"{bench}.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    slower = compare(figures, previous)
    if previous:
        when = previous.get("machine", {}).get("when", "?")
        print(f"\nAgainst the last saved run ({path.name}, {when}): " + ("" if slower else "nothing 20 % slower"))
        for line in slower:
            print(f"  SLOWER: {line}")
    if save:
        RESULTS.mkdir(exist_ok=True)
        doc = {"bench": bench, "machine": machine(), "figures": [asdict(f) for f in figures]}
        path.write_text(json.dumps(doc, indent=1, default=str, allow_nan=True) + "\n")
        print(f"saved {path.relative_to(RESULTS.parent.parent)}")
    return slower

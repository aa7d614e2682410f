"""The test tiers: each marker runs alone (``pytest -m TIER``) and collects the tests it names, and only those.

Each tier is collected in a fresh pytest, as a developer or CI would run it,
and compared with what the tests are: their files, fixtures, parameters and
whether hypothesis drives them (tests/tier_report.py writes that down).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import ROOT

#: The fast tier: what a change to the package is checked with first (docs/development.md, "Tests").
FAST = "not browser and not notebooks"
TIERS = ("browser", "hub", "notebooks", "postgres", "wheel", "properties")


def _collect(expression: str | None, folder) -> tuple[set[str], dict[str, dict]]:
    """The node ids ``pytest --collect-only -q [-m expression]`` prints, and what each collected test is."""
    report = folder / f"{expression or 'all'}.json".replace(" ", "_")
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "tests.tier_report"]
    command += ["--tier-report", str(report), *(["-m", expression] if expression else [])]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"pytest -m {expression!r} did not collect:\n{run.stdout[-3000:]}{run.stderr[-3000:]}"
    return {line for line in run.stdout.splitlines() if "::" in line}, json.loads(report.read_text())


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> dict[str | None, tuple[set[str], dict[str, dict]]]:
    """Every tier collected alone, and everything (None), two pytest processes at a time."""
    folder = tmp_path_factory.mktemp("tiers")
    expressions = [None, FAST, *TIERS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(expressions, pool.map(lambda e: _collect(e, folder), expressions)))


def _files_driving_chromium(everything: dict[str, dict]) -> set[str]:
    return {test["file"] for test in everything.values() if "browser" in test["fixtures"]}


def _belongs(tier: str, test: dict, everything: dict[str, dict]) -> bool:
    """Whether a test belongs in a tier, read from what it is (never from its markers)."""
    if tier == "browser":
        return test["file"] in _files_driving_chromium(everything)
    if tier == "hub":
        return test["file"] == "tests/test_hub.py"
    if tier == "notebooks":
        return test["file"].endswith(".ipynb")
    if tier == "postgres":
        return "postgres_server" in test["fixtures"] or test["params"].get("store_url") == "postgresql"
    if tier == "wheel":
        return test["file"] == "tests/test_wheel.py"
    assert tier == "properties"
    return test["hypothesis"]


def test_the_tiers_are_declared_strictly_and_slow_tests_show():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert {line.split(":")[0] for line in options["markers"]} == set(TIERS)
    assert "--strict-markers" in options["addopts"]  # a misspelt marker is an error, not an empty tier
    assert "--durations=15" in options["addopts"]


@pytest.mark.parametrize("tier", TIERS)
def test_each_tier_runs_alone_and_collects_exactly_its_tests(collected, tier):
    ids, report = collected[tier]
    _, everything = collected[None]
    assert ids and set(report) == ids
    assert ids == {node for node, test in everything.items() if tier in test["markers"]}
    wrong = sorted(node for node in ids if not _belongs(tier, everything[node], everything))
    missing = sorted(node for node, test in everything.items() if _belongs(tier, test, everything) and node not in ids)
    assert not wrong, f"-m {tier} collects tests that are not of the tier: {wrong[:5]}"
    assert not missing, f"-m {tier} leaves out tests of the tier: {missing[:5]}"


def test_the_notebooks_tier_runs_every_lesson_and_the_fast_tier_no_lesson_and_no_browser(collected):
    notebooks, _ = collected["notebooks"]
    assert {node.split("::")[0] for node in notebooks} == {
        path.relative_to(ROOT).as_posix() for path in (ROOT / "notebooks").glob("*.ipynb")
    }
    fast, report = collected[FAST]
    everything = collected[None][1]
    assert len(fast) > len(everything) / 2  # most of the suite runs without a browser or a notebook kernel
    assert fast == set(everything) - collected["browser"][0] - notebooks
    assert not any(test["file"].endswith(".ipynb") or "browser" in test["fixtures"] for test in report.values())

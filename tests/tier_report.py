"""A pytest plugin for tests/test_tiers.py: writes what each collected test is, as JSON.

Loaded only by that test (``-p tests.tier_report --tier-report FILE``). For
every collected test it records the node id, its markers, its fixtures (the
whole closure) and its parameters, and whether hypothesis drives it, so the
tiers can be checked against what the tests are.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--tier-report", metavar="FILE", help="write the collected tests' markers and fixtures here")


def _described(item: pytest.Item) -> dict:
    callspec = getattr(item, "callspec", None)
    return {
        "markers": sorted({mark.name for mark in item.iter_markers()}),
        "fixtures": sorted(getattr(item, "fixturenames", ())),
        "params": {name: str(value) for name, value in (callspec.params.items() if callspec else ())},
        "hypothesis": hasattr(getattr(item, "obj", None), "hypothesis"),
        "file": item.path.relative_to(item.session.config.rootpath).as_posix(),
    }


def pytest_collection_finish(session: pytest.Session) -> None:
    target = session.config.getoption("--tier-report")
    if target:
        Path(target).write_text(json.dumps({item.nodeid: _described(item) for item in session.items}))

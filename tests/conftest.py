"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
REAL = DATA / "real"
#: The project's shared folder sits beside the checkout (in CI too).
SHARED_REAL = ROOT.parent / "shared" / "realdata"


@pytest.fixture
def write(tmp_path: Path):
    """Write bytes or text to a file in a temporary folder and return its path."""

    def _write(name: str, content: bytes | str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


@pytest.fixture
def small() -> pd.DataFrame:
    """Six accounts with clear, hand-checkable criteria."""
    return pd.DataFrame({
        "account": ["A", "B", "C", "D", "E", "F"],
        "account_manager": ["Ann", "Ann", "Ann", "Bob", "Bob", None],
        "revenue": [100.0, 200.0, 300.0, 400.0, 500.0, 600.0],
        "growth": [0.5, 0.4, 0.3, 0.2, 0.1, 0.0],
        "share": [9.0, 1.0, 8.0, 2.0, 7.0, 3.0],
    })

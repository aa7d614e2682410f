"""Notebooks are committed small and clean (no widget state, only checked outputs)."""

from __future__ import annotations

import importlib.util

import nbformat
import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _tool():
    spec = importlib.util.spec_from_file_location("kam_notebooks", ROOT / ".ci" / "notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_is_a_start_page():
    assert (ROOT / "notebooks" / "00_start_here.ipynb") in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata
    assert path.stat().st_size < 200_000
    assert _tool().is_clean(nb), f"run: python .ci/notebooks.py clean {path.relative_to(ROOT)}"

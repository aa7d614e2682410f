"""Shared test helpers, the sample as fixtures, and the test tiers.

The tiers are pytest markers (declared in pyproject.toml, see
docs/development.md "Tests"). Files mark themselves where the whole file is
one tier (``browser``, ``hub``, ``wheel``); the rest is marked here, from
what a test is rather than from a list that could fall behind:

- ``notebooks``: every cell nbval collects from a notebook;
- ``postgres``: every test whose fixtures reach ``postgres_server``, and the
  ``postgresql`` half of ``store_url``;
- ``properties``: every hypothesis test.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pytest
from playwright.sync_api import sync_playwright

import kamwidgets as kw

from .browser_support import CHROMIUM_ARGS, chromium

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
REAL = DATA / "real"
#: The project's shared folder sits beside the checkout (in CI too).
SHARED_REAL = ROOT.parent / "shared" / "realdata"

# Lesson notebooks that open the workbook store write into a throwaway file
# during the test run, not into the checkout (the nbval kernels inherit this).
os.environ.setdefault("KAMWIDGETS_DB_URL", f"sqlite:///{tempfile.mkdtemp(prefix='kam-nb-')}/notebooks.sqlite")


# ------------------------------------------------------------------ the tiers
def pytest_collection_modifyitems(config, items):
    """Mark the notebook, PostgreSQL and property tiers (see the module docstring)."""
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebooks)
        if "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.properties)


# ------------------------------------------------------------------ small inputs
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
    return pd.DataFrame(
        {
            "account": ["A", "B", "C", "D", "E", "F"],
            "account_manager": ["Ann", "Ann", "Ann", "Bob", "Bob", None],
            "revenue": [100.0, 200.0, 300.0, 400.0, 500.0, 600.0],
            "growth": [0.5, 0.4, 0.3, 0.2, 0.1, 0.0],
            "share": [9.0, 1.0, 8.0, 2.0, 7.0, 3.0],
        }
    )


# ------------------------------------------------------------------ the sample portfolio
@functools.cache
def _loaded_sample() -> pd.DataFrame:
    return kw.load_portfolio(kw.sample_path())


@functools.cache
def _classified_sample() -> pd.DataFrame:
    return kw.classify(_loaded_sample(), kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)


def load_sample() -> pd.DataFrame:
    """The sample portfolio as ``load_portfolio`` reads data/sample_portfolio.csv: read once, a copy each call.

    For helpers and parameter tables, which cannot ask for a fixture; a test asks for ``sample_portfolio``.
    """
    return _loaded_sample().copy()


def classify_sample() -> pd.DataFrame:
    """The sample portfolio classified with the sample's weights (as lesson 14 starts): a copy each call."""
    return _classified_sample().copy()


@pytest.fixture
def sample_portfolio() -> pd.DataFrame:
    """The sample portfolio, loaded (``kw.load_portfolio(kw.sample_path())``); the test's own copy to change."""
    return load_sample()


@pytest.fixture
def sample_classified() -> pd.DataFrame:
    """The sample portfolio classified with ``kw.SAMPLE_ATTRACTIVENESS`` and ``kw.SAMPLE_STRENGTH``; a copy."""
    return classify_sample()


# ------------------------------------------------------------------ the portfolio matrix
def matrix_traces(fig) -> list:
    """The four traces of a portfolio matrix that hold its accounts (or cells), one per bucket, in order."""
    from kamwidgets.charts.classify import FIRST_BUCKET_TRACE  # deferred: start-up time (plotly)

    return list(fig.data[FIRST_BUCKET_TRACE : FIRST_BUCKET_TRACE + 4])


def hover_name(text: str) -> str:
    """The account's name (as escaped) in a matrix point's hover text (``<b>name</b><br>manager`` or the name)."""
    return text.split("<br>")[0].removeprefix("<b>").removesuffix("</b>")


def assert_matrix_shows(fig, classified: pd.DataFrame) -> None:
    """Each bucket's trace of a portfolio matrix holds exactly that bucket's accounts (none unscored), in the
    portfolio's order, at their scores and named on hover, in its legend key's name, colour and shape."""
    from kamwidgets.charts import escape  # deferred: start-up time (plotly)

    codes = classified["segment"].cat.codes.to_numpy()
    for code, trace in enumerate(matrix_traces(fig)):
        mine = codes == code
        key = fig.data[code]
        assert (trace.name, trace.marker.color, trace.marker.symbol) == (key.name, key.marker.color, key.marker.symbol)
        assert not trace.showlegend
        np.testing.assert_allclose(trace.x, classified["strength"].to_numpy()[mine], rtol=1e-6)
        np.testing.assert_allclose(trace.y, classified["attractiveness"].to_numpy()[mine], rtol=1e-6)
        assert [hover_name(h) for h in trace.hovertext] == [escape(a) for a in classified["account"][mine]]


# ------------------------------------------------------------------ PostgreSQL
def load_local_postgres():
    """deploy/local_postgres.py, the one way the project starts a PostgreSQL of its own (the workshop too)."""
    spec = importlib.util.spec_from_file_location("local_postgres", ROOT / "deploy" / "local_postgres.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server in a temporary folder, reached through a Unix socket in that folder.

    It listens on no network address at all, so no port can be taken by
    another process.  Yields the socket folder.  `.ci/test` installs the
    Debian packages when they are missing; a machine without them fails here
    with a message rather than skipping.
    """
    local = load_local_postgres()
    folder = Path(tempfile.mkdtemp(prefix="kam-pg-"))
    try:
        local.start(folder)
    except local.NotStarted as err:
        pytest.fail(f"{err} (`bash .ci/test` installs PostgreSQL)")
    try:
        yield str(folder)
    finally:
        local.stop(folder, mode="immediate")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """A fresh, empty store location on each database (the PostgreSQL half is in the ``postgres`` tier)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'work.sqlite'}"
    socket_folder = request.getfixturevalue("postgres_server")
    name = f"kam_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"postgresql://kam@/postgres?host={socket_folder}", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql+psycopg://kam@/{name}?host={socket_folder}"


# ------------------------------------------------------------------ the browser
@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (Playwright allows one sync session per process)."""
    exe = chromium()
    if exe is None:
        pytest.fail(
            "Chromium is not installed: run `bash .ci/test` (it installs Debian's chromium), "
            "or set KAM_CHROMIUM to a Chrome or Chromium executable."
        )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()

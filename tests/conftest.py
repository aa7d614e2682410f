"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lesson notebooks that open the workbook store write into a throwaway file
# during the test run, not into the checkout (the nbval kernels inherit this).
import os as _os  # noqa: E402
import tempfile as _tempfile  # noqa: E402

_os.environ.setdefault("KAMWIDGETS_DB_URL", f"sqlite:///{_tempfile.mkdtemp(prefix='kam-nb-')}/notebooks.sqlite")
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
    return pd.DataFrame(
        {
            "account": ["A", "B", "C", "D", "E", "F"],
            "account_manager": ["Ann", "Ann", "Ann", "Bob", "Bob", None],
            "revenue": [100.0, 200.0, 300.0, 400.0, 500.0, 600.0],
            "growth": [0.5, 0.4, 0.3, 0.2, 0.1, 0.0],
            "share": [9.0, 1.0, 8.0, 2.0, 7.0, 3.0],
        }
    )


# ------------------------------------------------------------------ PostgreSQL
import glob  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import uuid  # noqa: E402


def _pg_tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server in a temporary folder, reached through a Unix socket in that folder.

    It listens on no network address at all, so no port can be taken by
    another process.  Yields the socket folder.  `.ci/test` installs the
    Debian packages when they are missing; a machine without them fails here
    with a message rather than skipping.
    """
    initdb, pg_ctl = _pg_tool("initdb"), _pg_tool("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.fail(
            "PostgreSQL (initdb, pg_ctl) is not installed: run `bash .ci/test`, which installs it, "
            "or apt-get install postgresql"
        )
    folder = tempfile.mkdtemp(prefix="kam-pg-")
    data, log = os.path.join(folder, "data"), os.path.join(folder, "server.log")
    run_as: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(folder, "postgres", "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        run_as + [initdb, "-D", data, "-U", "kam", "--auth=trust", "-E", "UTF8", "--no-locale"],
        check=True,
        capture_output=True,
    )
    started = subprocess.run(
        run_as
        + [pg_ctl, "-D", data, "-l", log, "-w", "-t", "60", "-o", f"-k {folder} -c listen_addresses=''", "start"],
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        text = open(log).read() if os.path.exists(log) else ""
        pytest.fail(f"PostgreSQL did not start: {started.stdout}{started.stderr}{text}")
    try:
        yield folder
    finally:
        subprocess.run(run_as + [pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty store location on each database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'work.sqlite'}"
    import psycopg

    socket_folder = request.getfixturevalue("postgres_server")
    name = f"kam_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"postgresql://kam@/postgres?host={socket_folder}", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql+psycopg://kam@/{name}?host={socket_folder}"


# ------------------------------------------------------------------ the browser
@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (Playwright allows one sync session per process)."""
    from playwright.sync_api import sync_playwright

    from .browser_support import CHROMIUM_ARGS, chromium

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

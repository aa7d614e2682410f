"""A PostgreSQL server of the workshop's own, in a folder, reached through a Unix socket there (no port).

    python deploy/local_postgres.py start FOLDER   # prints the store's URL (KAMWIDGETS_DB_URL)
    python deploy/local_postgres.py stop FOLDER

Made on first start (``initdb``); the database ``kamwidgets`` holds every
participant's work and stays between workshops until the folder is removed.
PostgreSQL refuses to run as root: as root it runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


class NotStarted(RuntimeError):
    """PostgreSQL is missing or did not start; the message says why."""


def _tool(name: str) -> str:
    found = shutil.which(name) or (sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [None])[-1]
    if not found:
        raise NotStarted(f"PostgreSQL's {name} is not installed: apt-get install -y postgresql")
    return found


def _as_owner(folder: Path) -> list[str]:
    if os.geteuid() != 0:
        return []
    shutil.chown(folder, "postgres", "postgres")
    return ["runuser", "-u", "postgres", "--"]


def start(folder: Path) -> str:
    """Start (made on first use) the server in ``folder``; returns the store's URL.  Raises NotStarted."""
    folder.mkdir(parents=True, exist_ok=True)
    run_as = _as_owner(folder)
    data = folder / "data"
    if not (data / "PG_VERSION").exists():
        subprocess.run(
            [*run_as, _tool("initdb"), "-D", str(data), "-U", "kam", "--auth=trust", "-E", "UTF8", "--no-locale"],
            check=True,
            capture_output=True,
        )
    options = f"-k {folder} -c listen_addresses=''"
    status = subprocess.run([*run_as, _tool("pg_ctl"), "-D", str(data), "status"], capture_output=True)
    if status.returncode != 0:
        log = folder / "server.log"
        started = subprocess.run(
            [*run_as, _tool("pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options, "start"],
            capture_output=True,
            text=True,
        )
        if started.returncode != 0:
            said = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise NotStarted(f"PostgreSQL did not start: {started.stdout}{started.stderr}{said}")
    import psycopg

    for _ in range(50):
        try:
            with psycopg.connect(f"postgresql://kam@/postgres?host={folder}", autocommit=True) as conn:
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'kamwidgets'").fetchone():
                    conn.execute("CREATE DATABASE kamwidgets")
            break
        except psycopg.OperationalError:
            time.sleep(0.2)
    return f"postgresql+psycopg://kam@/kamwidgets?host={folder}"


def stop(folder: Path, *, mode: str = "fast") -> None:
    """Stop the server in ``folder`` (``mode="immediate"`` when its data is thrown away next)."""
    data = folder / "data"
    if data.exists():
        subprocess.run([*_as_owner(folder), _tool("pg_ctl"), "-D", str(data), "-m", mode, "stop"], capture_output=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        sys.exit(__doc__)
    where = Path(sys.argv[2]).resolve()
    try:
        if sys.argv[1] == "start":
            print(start(where))
        else:
            stop(where)
    except NotStarted as err:
        sys.exit(str(err))

"""A PostgreSQL server of the workshop's own, in a folder, reached through a Unix socket there (no port).

    python deploy/local_postgres.py start FOLDER   # prints the store's URL (KAMWIDGETS_DB_URL)
    python deploy/local_postgres.py stop FOLDER

Made on first start (``initdb``); the database ``kamwidgets`` holds every
participant's work and stays between workshops until the folder is removed.
Started from the command line (as ``bash .ci/hub`` does), the server asks
every connection for a password (scram-sha-256, on the socket and on any TCP
address): the superuser ``kam``'s is in ``FOLDER/superuser-password``
(readable by its owner only), and the URL printed carries it.  A server made
by an earlier version, which trusted every local connection, gets its
password on its next start.  The tests' throwaway servers (``start(folder)``
from Python) trust every connection instead; only the folder's owner can
reach their socket.

PostgreSQL refuses to run as root: as root it runs as the ``postgres`` user,
which must be able to enter the folder: every folder above it must let other
users through (``chmod o+x``); a folder only root may enter (``mktemp -d``
makes one) is refused with a message saying which.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote


class NotStarted(RuntimeError):
    """PostgreSQL is missing or did not start; the message says why."""


#: Every connection gives a password; written over pg_hba.conf at every start of a server with one.
HBA = """\
# Written by deploy/local_postgres.py at every start: every connection gives a password.
local   all   all                 scram-sha-256
host    all   all   127.0.0.1/32  scram-sha-256
host    all   all   ::1/128       scram-sha-256
"""
PASSWORD_FILE = "superuser-password"


def _tool(name: str) -> str:
    found = shutil.which(name) or (sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [None])[-1]
    if not found:
        raise NotStarted(f"PostgreSQL's {name} is not installed: apt-get install -y postgresql")
    return found


def closed_folder(path: Path) -> Path | None:
    """The first folder above ``path`` that other users cannot enter (no ``o+x``), or None."""
    for folder in reversed(path.resolve().parents):
        if not os.stat(folder).st_mode & stat.S_IXOTH:
            return folder
    return None


def _as_owner(folder: Path) -> list[str]:
    if os.geteuid() != 0:
        return []
    closed = closed_folder(folder)
    if closed is not None:
        raise NotStarted(
            f"PostgreSQL runs as the user postgres, which cannot enter {closed} (only its owner may): "
            "put the folder where other users can pass (KAM_HUB_DIR for the workshop server), "
            f"or let them pass with chmod o+x {closed}"
        )
    shutil.chown(folder, "postgres", "postgres")
    return ["runuser", "-u", "postgres", "--"]


def _secret(path: Path) -> str:
    """The superuser's password, made (random, readable by its owner only) when the file is missing."""
    if path.exists():
        text = path.read_text().strip()
        if text:
            return text
    text = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text + "\n")
    os.chmod(path, 0o600)
    return text


def start(folder: Path, *, password_file: Path | None = None) -> str:
    """Start (made on first use) the server in ``folder``; returns the store's URL.  Raises NotStarted.

    ``password_file``: every connection must give a password, the
    superuser's is kept in that file (made when missing); without it, every
    local connection is trusted (the tests' throwaway servers).
    """
    folder.mkdir(parents=True, exist_ok=True)
    run_as = _as_owner(folder)
    secret = None if password_file is None else _secret(password_file)
    if secret is not None:
        os.chmod(folder, 0o700)  # nobody else reaches the socket until every connection needs a password
    data = folder / "data"
    if not (data / "PG_VERSION").exists():
        initdb = [*run_as, _tool("initdb"), "-D", str(data), "-U", "kam", "-E", "UTF8", "--no-locale"]
        if secret is None:
            subprocess.run([*initdb, "--auth=trust"], check=True, capture_output=True)
        else:
            given = folder / ".initdb-password"  # initdb runs as the server's user: a copy it can read
            given.write_text(secret + "\n")
            os.chmod(given, 0o600)
            if run_as:
                shutil.chown(given, "postgres", "postgres")
            try:
                subprocess.run([*initdb, "--auth=scram-sha-256", f"--pwfile={given}"], check=True, capture_output=True)
            finally:
                given.unlink()
    options = f"-k {folder} -c listen_addresses='' -c password_encryption=scram-sha-256"
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

    login = {"host": str(folder), "user": "kam"} | ({} if secret is None else {"password": secret})
    for attempt in range(50):
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, **login) as conn:
                if secret is not None:
                    _ask_for_passwords(conn, data, secret)
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'kamwidgets'").fetchone():
                    conn.execute("CREATE DATABASE kamwidgets")
            break
        except psycopg.OperationalError as err:
            if attempt == 49 or "password authentication failed" in str(err):
                raise NotStarted(
                    f"PostgreSQL in {folder} did not let the superuser in ({str(err).strip()}); "
                    f"its password is in {password_file}"
                ) from None
            time.sleep(0.2)
    if secret is not None:
        os.chmod(folder, 0o711)  # the participants' logins reach the socket, and list nothing
        return f"postgresql+psycopg://kam:{quote(secret, safe='')}@/kamwidgets?host={quote(str(folder))}"
    return f"postgresql+psycopg://kam@/kamwidgets?host={folder}"


def _ask_for_passwords(conn, data: Path, secret: str) -> None:
    """Give the superuser its password and make every connection give one (a server made trusting all)."""
    from psycopg import sql

    hba = data / "pg_hba.conf"
    if hba.read_text() == HBA:
        return
    conn.execute(sql.SQL("ALTER ROLE kam PASSWORD {}").format(sql.Literal(secret)))
    hba.write_text(HBA)  # in place: it keeps its owner
    conn.execute("SELECT pg_reload_conf()")
    time.sleep(0.5)  # the server reads it again in the background


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
            where.mkdir(parents=True, exist_ok=True)
            print(start(where, password_file=where / PASSWORD_FILE))
        else:
            stop(where)
    except NotStarted as err:
        sys.exit(str(err))

"""Database errors are told apart by their codes (SQLite's result code, PostgreSQL's SQLSTATE), not their words.

Each kind is made for real (a locked file, a file that is not a database, a
read-only connection, a server that is not there, a login without the
privilege ...), then classified by :func:`kamwidgets.store._database.problem`; the
store's messages for them stay the ones users have always seen.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import psycopg
import psycopg.errors
import pytest

from kamwidgets.errors import KamDataError
from kamwidgets.store import Store
from kamwidgets.store._database import BUSY, DAMAGED, DENIED, OTHER, READ_ONLY, UNREACHABLE, problem


def _error_of(action) -> BaseException:
    try:
        action()
    except (sqlite3.Error, psycopg.Error) as err:
        return err
    raise AssertionError("no database error")


def _table(path: Path, rows: int = 0) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 200,)] * rows)
    conn.close()


# ---------------------------------------------------------------- SQLite, for real
def test_a_locked_sqlite_file_is_busy(tmp_path):
    path = tmp_path / "s.sqlite"
    _table(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        err = _error_of(lambda: other.execute("BEGIN IMMEDIATE"))
    finally:
        other.close()
        holder.close()
    assert err.sqlite_errorname == "SQLITE_BUSY" and problem(err) == BUSY


def test_a_file_that_is_not_a_database_is_damaged(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    conn = sqlite3.connect(path)
    err = _error_of(lambda: conn.execute("SELECT * FROM sqlite_master").fetchall())
    conn.close()
    assert err.sqlite_errorname == "SQLITE_NOTADB" and problem(err) == DAMAGED


def test_a_sqlite_file_with_a_damaged_page_is_damaged(tmp_path):
    path = tmp_path / "s.sqlite"
    _table(path, rows=200)
    with sqlite3.connect(path) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:  # the table's first page (page 2), written over
        fh.seek(page)
        fh.write(b"\xff" * page)
    conn = sqlite3.connect(path)
    err = _error_of(lambda: conn.execute("SELECT count(*) FROM t").fetchall())
    conn.close()
    assert err.sqlite_errorname.startswith("SQLITE_CORRUPT") and problem(err) == DAMAGED


def test_a_read_only_sqlite_file_is_read_only(tmp_path):
    path = tmp_path / "s.sqlite"
    _table(path)
    # opened read-only (what a file without write permission gives, even for root)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    err = _error_of(lambda: conn.execute("INSERT INTO t VALUES ('y')"))
    conn.close()
    assert err.sqlite_errorname.startswith("SQLITE_READONLY") and problem(err) == READ_ONLY


def test_a_sqlite_file_that_cannot_be_made_is_read_only(tmp_path):
    err = _error_of(lambda: sqlite3.connect(tmp_path / "no folder" / "s.sqlite"))
    assert err.sqlite_errorname == "SQLITE_CANTOPEN" and problem(err) == READ_ONLY


def test_words_alone_decide_nothing():
    """An error without a code is OTHER whatever its message says; a code decides whatever the words."""
    for words in ("database disk image is malformed", "attempt to write a readonly database", "database is locked"):
        assert problem(sqlite3.OperationalError(words)) == OTHER
    assert problem(psycopg.errors.InsufficientPrivilege("nothing here says so")) == DENIED
    assert problem(psycopg.errors.ReadOnlySqlTransaction()) == READ_ONLY
    assert problem(psycopg.errors.TooManyConnections()) == BUSY
    assert problem(psycopg.errors.CannotConnectNow()) == BUSY
    assert problem(psycopg.errors.DataCorrupted()) == DAMAGED
    assert problem(psycopg.errors.ConnectionFailure()) == UNREACHABLE  # SQLSTATE class 08
    assert problem(psycopg.errors.UniqueViolation()) == OTHER
    assert problem(ValueError("not a database error")) == OTHER


def test_the_store_says_a_locked_file_as_it_always_did(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.save("x", {"a": 1})
    store._db.timeout = 0.05  # instead of a minute's wait for the other writer
    holder = sqlite3.connect(tmp_path / "s.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(KamDataError) as err:
            store.save("x", {"a": 2})
    finally:
        holder.close()
    assert err.value.problem == "cannot be saved (database is locked); nothing was changed"
    assert "database server is running" in err.value.fix
    assert store.load("x") == {"a": 1}


def test_the_store_says_a_damaged_file_as_it_always_did(tmp_path):
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00\xff" * 2000)  # SQLite's first bytes, then nothing of it
    with pytest.raises(KamDataError, match="is damaged or not a kamwidgets store; it was left as it is"):
        Store(path)
    assert path.read_bytes().startswith(b"SQLite format 3\x00\x00\xff")


# ---------------------------------------------------------------- PostgreSQL, for real
@pytest.fixture
def database(postgres_server):
    """A fresh database on the test server: (its name, its URL for psycopg, the owner's open connection)."""
    name = f"kam_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"postgresql://kam@/postgres?host={postgres_server}", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = f"postgresql://kam@/{name}?host={postgres_server}"
    with psycopg.connect(url, autocommit=True) as owner:
        owner.execute("CREATE TABLE t (x text)")
        yield name, url, owner


def test_a_server_that_is_not_there_is_unreachable(tmp_path):
    err = _error_of(lambda: psycopg.connect(f"host={tmp_path} dbname=kam connect_timeout=2"))
    assert err.sqlstate is None and problem(err) == UNREACHABLE
    with pytest.raises(KamDataError, match="cannot be opened") as said:
        Store(f"postgresql://kam@/kam?host={tmp_path}")
    assert "database server is running" in said.value.fix


def test_a_connection_the_server_refuses_is_unreachable_and_said_at_once(postgres_server, monkeypatch):
    """libpq gives no SQLSTATE for a refusal before any SQL runs (here: no such database)."""
    from kamwidgets.store import core

    url = f"postgresql://kam@/kam_none_{uuid.uuid4().hex[:6]}?host={postgres_server}"
    err = _error_of(lambda: psycopg.connect(url))
    assert err.sqlstate is None and problem(err) == UNREACHABLE
    waits: list[float] = []
    monkeypatch.setattr(core.time, "sleep", waits.append)
    with pytest.raises(KamDataError, match="cannot be opened .*does not exist"):
        Store(url)
    assert waits == []  # trying again would change nothing


def test_a_login_without_the_privilege_is_denied(database):
    _, url, owner = database
    role = f"kam_nobody_{uuid.uuid4().hex[:6]}"
    owner.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw'")
    with psycopg.connect(url.replace("kam@", f"{role}:pw@")) as conn:
        err = _error_of(lambda: conn.execute("SELECT * FROM t"))
    assert isinstance(err, psycopg.errors.InsufficientPrivilege) and problem(err) == DENIED


def test_a_read_only_transaction_is_read_only_and_the_store_says_so(database):
    name, url, owner = database
    with psycopg.connect(url) as conn:
        conn.execute("SET TRANSACTION READ ONLY")
        err = _error_of(lambda: conn.execute("INSERT INTO t VALUES ('y')"))
    assert isinstance(err, psycopg.errors.ReadOnlySqlTransaction) and problem(err) == READ_ONLY
    owner.execute(f"DROP TABLE t; ALTER DATABASE {name} SET default_transaction_read_only = on")
    with pytest.raises(KamDataError, match="cannot be written"):
        Store(url)  # its tables cannot be made


def test_a_locked_table_is_busy(database):
    _, url, _ = database
    with psycopg.connect(url) as holder, psycopg.connect(url) as other:
        holder.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE")
        other.execute("SET lock_timeout = '50ms'")
        err = _error_of(lambda: other.execute("SELECT * FROM t"))
    assert isinstance(err, psycopg.errors.LockNotAvailable) and problem(err) == BUSY


def test_a_statement_the_server_rejects_for_another_reason_is_other(database):
    _, url, _ = database
    with psycopg.connect(url) as conn:
        err = _error_of(lambda: conn.execute("INSERT INTO t VALUES ('a', 'b')"))
    assert err.sqlstate == "42601" and problem(err) == OTHER  # more values than columns

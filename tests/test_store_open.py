"""Opening a store file: made once even by processes at once, refused and left as it is when damaged or
another program's, upgraded from an older layout, and a clear answer when it cannot be written."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys

import pytest

from kamwidgets import store as store_module
from kamwidgets.errors import KamDataError
from kamwidgets.store import APPLICATION_ID, SCHEMA_VERSION, Store
from kamwidgets.store._database import SQLite


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sql(path, *statements: str) -> None:
    """Run statements on a SQLite file directly, as another program would, and close it."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


OPEN_AND_SAVE = """
import sys
from kamwidgets.store import Store
store = Store(sys.argv[1], workbook="W")
store.save("note", {"by": sys.argv[2]})
"""


# -- the first open is one transaction, also when several processes open a new store at once ------------------
def test_processes_creating_a_new_store_at_once_all_succeed(tmp_path):
    for trial in range(6):
        path = tmp_path / f"new{trial}.sqlite"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_AND_SAVE, str(path), str(i)], stderr=subprocess.PIPE, text=True
            )
            for i in range(3)
        ]
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
        store = Store(path, workbook="W")
        assert sorted(store.load("note", version=v)["by"] for v in store.history()["id"]) == ["0", "1", "2"]


def test_a_crash_during_creation_leaves_no_half_made_store(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite"
    real = store_module.Store._open_in

    def crash_after_tables(self, conn):
        real(self, conn)
        raise KeyboardInterrupt  # the process dies before the transaction commits

    monkeypatch.setattr(store_module.Store, "_open_in", crash_after_tables)
    with pytest.raises(KeyboardInterrupt):
        Store(path)
    monkeypatch.setattr(store_module.Store, "_open_in", real)
    Store(path).save("x", {"a": 1})  # opens as a new store: no tables were left without their version row
    assert Store(path).load("x") == {"a": 1}


# -- a damaged file is refused on open and left byte for byte -------------------------------------------------
@pytest.mark.parametrize("damage", ["zeroed", "truncated"])
def test_a_damaged_store_is_refused_and_left_as_it_is(tmp_path, damage):
    path = tmp_path / "s.sqlite"
    store = Store(path)
    for i in range(300):
        store.save("x", {"i": i, "text": "y" * 200}, account=f"a{i}")
    data = bytearray(path.read_bytes())
    if damage == "zeroed":
        data[8192:12288] = bytes(4096)
    else:
        data = data[:-1]
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(KamDataError, match="damaged|not a kamwidgets store"):
        Store(path)
    assert digest(path) == before


# -- other programs' files, odd versions --------------------------------------------------------------------
def test_another_programs_sqlite_file_with_only_views_or_an_application_id_is_left_alone(tmp_path):
    views = tmp_path / "views.db"
    _sql(views, "create view v as select 1 as x")
    marked = tmp_path / "marked.db"
    _sql(marked, "pragma application_id = 1234", "pragma user_version = 1")
    for path in (views, marked):
        before = digest(path)
        with pytest.raises(KamDataError, match="belongs to another program"):
            Store(path)
        assert digest(path) == before


def test_a_store_is_marked_as_the_workbooks(tmp_path):
    path = tmp_path / "s.sqlite"
    Store(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("pragma application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_a_layout_version_that_is_not_a_number_is_a_clear_error(tmp_path):
    path = tmp_path / "s.sqlite"
    Store(path).save("x", {"a": 1})
    _sql(path, "update kamwidgets_info set value = 'abc' where key = 'schema_version'")
    before = digest(path)
    with pytest.raises(KamDataError, match="layout version is 'abc'"):
        Store(path)
    assert digest(path) == before


# -- the one migration path: a store of layout 1 is upgraded -----------------------------------------------------
def test_a_layout_1_store_gets_uids_and_keeps_every_version(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript("""
            create table kamwidgets_info (key varchar(64) primary key, value varchar(256) not null);
            insert into kamwidgets_info values ('schema_version', '1');
            create table kamwidgets_artefacts (id integer primary key autoincrement, workbook varchar(200) not null,
              kind varchar(100) not null, account text not null, account_key varchar(64) not null,
              saved_at varchar(40) not null, note text, payload text not null, checksum varchar(64) not null);
        """)
        for i in range(3):
            payload = json.dumps({"i": i}, separators=(",", ":"))
            conn.execute(
                "insert into kamwidgets_artefacts (workbook, kind, account, account_key, saved_at, note, payload, "
                "checksum) values ('default', 'x', '', ?, ?, '', ?, ?)",
                (
                    hashlib.sha256(b"").hexdigest(),
                    f"2026-01-0{i + 1}T00:00:00",
                    payload,
                    hashlib.sha256(payload.encode()).hexdigest(),
                ),
            )
    conn.close()
    store = Store(path)
    assert store.load("x") == {"i": 2} and len(store.history("x")) == 3
    with sqlite3.connect(path) as conn:
        uids = [r[0] for r in conn.execute("select uid from kamwidgets_artefacts")]
        version = conn.execute("select value from kamwidgets_info").fetchone()[0]
    conn.close()
    assert len(set(uids)) == 3 and all(len(u) == 32 for u in uids) and version == str(SCHEMA_VERSION)
    exported = store.export(tmp_path / "old.json")
    assert Store(tmp_path / "copy.sqlite").import_(exported) == 3


# -- stores that cannot be written -------------------------------------------------------------
def test_a_read_only_store_says_so_without_sql(tmp_path, monkeypatch):
    store = Store(tmp_path / "s.sqlite")
    store.save("x", {"a": 1})
    # what a read-only file gives SQLite, even for root: every write is refused
    connect = SQLite._connect

    def read_only(self):
        raw = connect(self)
        raw.execute("PRAGMA query_only = 1")
        return raw

    monkeypatch.setattr(SQLite, "_connect", read_only)
    with pytest.raises(KamDataError) as err:
        store.save("x", {"a": 2})
    assert "read-only" in str(err.value) and "INSERT" not in str(err.value)
    assert store.load("x") == {"a": 1}


def _refused(sqlstate: str) -> sqlite3.OperationalError:
    err = sqlite3.OperationalError(f"connection refused by the server ({sqlstate})")
    err.sqlstate = sqlstate  # as psycopg's errors carry PostgreSQL's code
    return err


def test_a_busy_server_is_tried_again_and_a_refusal_is_said_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module.core.time, "sleep", lambda s: None)
    connect, calls = SQLite._connect, []

    def busy_twice(self):
        calls.append(1)
        if len(calls) <= 2:
            raise _refused("53300")  # too many clients at this moment
        return connect(self)

    monkeypatch.setattr(SQLite, "_connect", busy_twice)
    Store(tmp_path / "s.sqlite").save("x", {"a": 1})
    assert len(calls) >= 3 and Store(tmp_path / "s.sqlite").load("x") == {"a": 1}

    calls.clear()

    def refused(self):
        calls.append(1)
        raise _refused("28P01")  # a wrong password: trying again changes nothing

    monkeypatch.setattr(SQLite, "_connect", refused)
    with pytest.raises(KamDataError, match="cannot be opened"):
        Store(tmp_path / "s.sqlite")
    assert len(calls) == 1


def test_a_new_store_where_no_file_can_be_made_says_so():
    with pytest.raises(KamDataError) as err:
        Store("/proc/kamwidgets-test.sqlite")  # a folder that exists, where no file can be created
    assert "cannot be written" in str(err.value) and "database server" not in str(err.value)

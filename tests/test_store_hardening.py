"""The store against careless and hostile use (hardening review, cases 1-4, 6 and 7): clear answers, nothing lost."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys

import pytest

from kamwidgets.errors import KamDataError
from kamwidgets.store import APPLICATION_ID, SCHEMA_VERSION, Store


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


# -- 1: the first open is one transaction, also when several processes open a new store at once ------------------
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
    import kamwidgets.store as store_module

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


# -- 2: a damaged file is refused on open and left byte for byte -------------------------------------------------
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


# -- 3: other programs' files, odd versions --------------------------------------------------------------------
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


# -- 4: hostile import files ----------------------------------------------------------------------------------
def _export_doc(artefacts, **extra):
    return {"format": "kamwidgets-workbook", "schema": 2, "workbook": "W", "artefacts": artefacts, **extra}


def _with_checksum(doc):
    """A hand-made export with the checksum store.export() writes, so what is tested is not the checksum."""
    from kamwidgets.store import export_checksum

    doc = {**doc, "checksum_covers": "document"}
    return {**doc, "checksum": export_checksum(doc)}


HOSTILE_IMPORTS = {
    "artefact is a string": _export_doc(["hello"]),
    "no data": _export_doc([{"kind": "x"}]),
    "no kind": _export_doc([{"data": {}}]),
    "schema is text": _export_doc([], schema="two"),
    "schema is null": _export_doc([], schema=None),
    "frame without columns": _export_doc([{"kind": "x", "data": {"__frame__": {"rows": 1}}}]),
    "empty kind": _export_doc([{"kind": "", "data": {}}]),
    "kind too long": _export_doc([{"kind": "k" * 101, "data": {}}]),
    "NUL in account": _export_doc([{"kind": "x", "account": "a\x00b", "data": {}}]),
}


@pytest.mark.parametrize("name", list(HOSTILE_IMPORTS))
def test_hostile_import_files_get_a_clear_error_and_change_nothing(tmp_path, name):
    store = Store(tmp_path / "s.sqlite", workbook="W")
    store.save("keep", {"a": 1})
    path = tmp_path / "in.json"
    path.write_text(json.dumps(_with_checksum(HOSTILE_IMPORTS[name])))
    before = digest(path)
    with pytest.raises(KamDataError):
        store.import_(path)
    assert digest(path) == before
    assert store.history()["kind"].tolist() == ["keep"]


@pytest.mark.parametrize(
    "text",
    ['{"format": "kamwidgets-workbook", "artefacts": [{"kind": "x", "data": NaN}]}', "[" * 200_000 + "]" * 200_000],
)
def test_non_json_numbers_and_deep_nesting_are_refused(tmp_path, text):
    store = Store(tmp_path / "s.sqlite")
    path = tmp_path / "in.json"
    path.write_text(text)
    with pytest.raises(KamDataError, match="not a workbook exported by kamwidgets"):
        store.import_(path)
    assert store.history().empty


def test_null_account_and_note_import_as_empty_not_as_none(tmp_path):
    store = Store(tmp_path / "s.sqlite", workbook="W")
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps(_with_checksum(_export_doc([{"kind": "x", "account": None, "note": None, "data": {"a": 1}}])))
    )
    assert store.import_(path) == 1
    hist = store.history()
    assert hist["account"].tolist() == [""] and hist["note"].tolist() == [""]
    assert store.load("x") == {"a": 1}


def test_an_export_carries_a_checksum_and_a_changed_file_is_refused(tmp_path):
    store = Store(tmp_path / "s.sqlite", workbook="W")
    store.save("x", {"amount": 100})
    path = store.export(tmp_path / "w.json")
    doc = json.loads(path.read_text())
    assert len(doc["checksum"]) == 64
    doc["artefacts"][0]["data"]["amount"] = 1_000_000
    path.write_text(json.dumps(doc))
    other = Store(tmp_path / "o.sqlite")
    with pytest.raises(KamDataError, match="checksum does not match"):
        other.import_(path)
    assert other.history(workbook="W").empty


# -- 6: the same file imported twice at once adds each version once --------------------------------------------
IMPORT = """
import sys
from kamwidgets.store import Store
print(Store(sys.argv[1]).import_(sys.argv[2]))
"""


def test_two_processes_importing_the_same_file_add_each_version_once(store_url, tmp_path):
    source = Store(tmp_path / "source.sqlite", workbook="Room/Ann")
    for i in range(150):
        source.save("note", {"i": i}, account=f"a{i % 7}")
    source.save("note", {"i": 0}, account="a0")  # a real second save of the same data stays a version
    path = source.export(tmp_path / "room.json")
    Store(store_url).close()
    procs = [
        subprocess.Popen([sys.executable, "-c", IMPORT, store_url, str(path)], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    counts = [int(p.communicate(timeout=240)[0].split()[-1]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(counts) == 151
    assert len(Store(store_url).history(workbook="Room/Ann")) == 151


# -- 7: the same limits on SQLite as on PostgreSQL, checked before writing ------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda s: Store(s.url, workbook="w" * 201),
        lambda s: s.save("x", {}, account="a\x00b"),
        lambda s: s.save("x", {}, note="n\x00"),
        lambda s: s.save("k" * 101, {}),
        lambda s: s.save("k\x00", {}),
    ],
    ids=["long-workbook", "nul-account", "nul-note", "long-kind", "nul-kind"],
)
def test_limits_are_the_same_on_every_database(store_url, call):
    store = Store(store_url, workbook="W")
    with pytest.raises(KamDataError):
        call(store)
    assert store.history().empty


# -- retention: autosave cannot fill the store, and each day's last version stays ------------------------------
def test_saves_keep_the_last_versions_and_one_per_day(tmp_path, monkeypatch):
    import kamwidgets.store.core as store_module

    days = iter(["2026-01-01T10:00:00"] * 3 + ["2026-01-02T09:00:00"] * 3 + ["2026-01-03T08:00:00"] * 7)
    monkeypatch.setattr(store_module, "_now", lambda: next(days))
    store = Store(tmp_path / "s.sqlite", keep_last=4)
    for i in range(12):
        store.save("classification", {"i": i})
    store.save("other", {"i": 99}, account="someone")  # other artefacts are counted apart
    kept = [store.load("classification", version=v)["i"] for v in store.history("classification")["id"]]
    assert kept == [2, 5, 8, 9, 10, 11]  # each day's last, then the last four
    assert len(store.history("other")) == 1


def test_keeping_every_version_and_a_bad_setting(tmp_path, monkeypatch):
    everything = Store(tmp_path / "all.sqlite", keep_last=None)
    for i in range(60):
        everything.save("x", {"i": i})
    assert len(everything.history("x")) == 60
    monkeypatch.setenv("KAMWIDGETS_KEEP_LAST", "3")
    few = Store(tmp_path / "few.sqlite")
    for i in range(5):
        few.save("x", {"i": i})
    assert len(few.history("x")) == 3  # all on one day: that day's last is among the last three
    monkeypatch.setenv("KAMWIDGETS_KEEP_LAST", "many")
    with pytest.raises(KamDataError, match="KAMWIDGETS_KEEP_LAST"):
        Store(tmp_path / "few.sqlite")
    with pytest.raises(KamDataError, match="keep_last"):
        Store(tmp_path / "few.sqlite", keep_last=-5)


# -- 3 (continued): stores that cannot be written -------------------------------------------------------------
def test_a_read_only_store_says_so_without_sql(tmp_path, monkeypatch):
    from kamwidgets._database import SQLite

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
    from kamwidgets._database import SQLite
    from kamwidgets.store import core as store_module

    monkeypatch.setattr(store_module.time, "sleep", lambda s: None)
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

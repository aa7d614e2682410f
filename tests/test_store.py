"""The workbook store on SQLite and on a real PostgreSQL server: nothing a user makes is lost."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets import KamDataError
from kamwidgets import store as store_module
from kamwidgets.store import Store


def sample_frame(n: int = 50) -> pd.DataFrame:
    rng = np.random.default_rng(n)
    p = pd.DataFrame(
        {
            "account": [f"Acct {i} <b>&amp; \u00fc\u4e2d" for i in range(n)],
            "revenue": rng.random(n) * 1000,
            "orders": rng.integers(0, 50, n),
            "vip": rng.random(n) > 0.5,
            "since": pd.date_range("2020-01-01", periods=n, freq="W"),
        }
    )
    p.loc[3, "revenue"] = np.nan
    return kw.classify(p, {"revenue": 1}, {"orders": 1})


def test_round_trip_of_settings_and_frames(store_url):
    store = Store(store_url, workbook="Workshop")
    frame = sample_frame()
    settings = {
        "weights": {"revenue": 60.5},
        "thresholds": [5, 5],
        "labels": ["a", "b"],
        "note": "=SUM(A1)",
        "when": pd.Timestamp("2026-01-31"),
        "none": None,
        "inf": float("inf"),
    }
    store.save("classification", {"settings": settings, "value": frame}, account="Acme")
    back = store.load("classification", account="Acme")
    assert back["settings"] == settings
    pd.testing.assert_frame_equal(back["value"], frame)
    assert back["value"].attrs["classification"] == frame.attrs["classification"]
    assert list(back["value"]["segment"].cat.categories) == list(frame["segment"].cat.categories)
    store.close()


def test_history_and_going_back(store_url):
    store = Store(store_url, workbook="W")
    v1 = store.save("swot", {"items": 1}, account="Acme")
    store.save("swot", {"items": 2}, account="Acme")
    store.save("swot", {"items": 9}, account="Globex")
    store.save("swot", {"items": 3}, account="Acme")
    assert store.load("swot", account="Acme") == {"items": 3}
    assert store.load("swot", account="Acme", version=v1.id) == {"items": 1}
    hist = store.history("swot", account="Acme")
    assert hist["id"].tolist() == sorted(hist["id"]) and len(hist) == 3
    contents = store.contents()
    assert contents.set_index("account").loc["Acme", "versions"] == 3
    with pytest.raises(KamDataError, match="nothing is saved as 'plan' for account 'Acme'"):
        store.load("plan", account="Acme")
    assert store.load("plan", account="Acme", default=None) is None
    # workbooks are kept apart
    other = Store(store_url, workbook="Other")
    assert other.load("swot", account="Acme", default="none") == "none"
    assert set(other.workbooks()) == {"W"}


def test_long_and_foreign_account_names(store_url):
    store = Store(store_url)
    long_name = "\u0410\u043a\u043c\u0435 " * 1000 + "<script>x</script>"
    store.save("plan", {"text": long_name}, account=long_name)
    assert store.load("plan", account=long_name) == {"text": long_name}


def test_export_and_import_move_a_workbook(store_url, tmp_path):
    store = Store(store_url, workbook="Team A")
    store.save("classification", {"settings": {"t": 1}, "value": sample_frame(10)})
    store.save("classification", {"settings": {"t": 2}, "value": sample_frame(12)})
    store.save("quiz", {"q1": "b"}, account="learner 7")
    path = store.export(tmp_path / "team.json")
    fresh = Store(f"sqlite:///{tmp_path / 'other.sqlite'}")
    assert fresh.import_(path) == 3
    assert fresh.import_(path) == 0  # twice adds nothing
    assert fresh.workbooks() == ["Team A"]
    pd.testing.assert_frame_equal(fresh.load("classification", workbook="Team A")["value"], sample_frame(12))
    assert fresh.history(workbook="Team A")["saved_at"].tolist() == store.history()["saved_at"].tolist()


def test_foreign_import_files_are_refused_untouched(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    for content in (b"\x00\x01garbage", b'{"format": "something else"}', b"[1, 2]"):
        path = tmp_path / "in.json"
        path.write_bytes(content)
        with pytest.raises(KamDataError, match="not a workbook exported by kamwidgets"):
            store.import_(path)
        assert path.read_bytes() == content
    assert store.history().empty


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_corrupt_or_foreign_sqlite_files_are_left_untouched(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(os.urandom(4096))
    before = digest(junk)
    with pytest.raises(KamDataError, match="not a kamwidgets store"):
        Store(junk)
    assert digest(junk) == before

    foreign = tmp_path / "crm.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("create table customers (id integer, name text)")
        conn.execute("insert into customers values (1, 'Acme')")
    conn.close()
    before = digest(foreign)
    with pytest.raises(KamDataError, match="belongs to another program"):
        Store(foreign)
    assert digest(foreign) == before

    damaged = tmp_path / "damaged.sqlite"
    Store(damaged).save("x", {"a": 1})
    data = bytearray(damaged.read_bytes())
    data[100:4096] = os.urandom(3996)  # header kept, pages scrambled
    damaged.write_bytes(bytes(data))
    before = digest(damaged)
    with pytest.raises(KamDataError, match="damaged|not a kamwidgets store|cannot be opened"):
        Store(damaged).load("x")
    assert digest(damaged) == before


def test_a_damaged_version_is_reported(tmp_path):
    path = tmp_path / "s.sqlite"
    store = Store(path)
    v = store.save("x", {"a": 1})
    with sqlite3.connect(path) as conn:
        conn.execute("update kamwidgets_artefacts set payload = '{\"a\":2}' where id = ?", (v.id,))
    conn.close()
    with pytest.raises(KamDataError, match="damaged"):
        store.load("x")


def test_schema_version_and_migration(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite"
    Store(path).save("x", {"a": 1})
    with sqlite3.connect(path) as conn:
        conn.execute("update kamwidgets_info set value = '99' where key = 'schema_version'")
    conn.close()
    with pytest.raises(KamDataError, match="newer kamwidgets"):
        Store(path)
    # an older layout is upgraded in the transaction that opens it
    with sqlite3.connect(path) as conn:
        conn.execute("update kamwidgets_info set value = '1' where key = 'schema_version'")
    conn.close()
    steps = []

    def to_two(conn):
        conn.run("create table kamwidgets_extra (x integer)")
        steps.append("1->2")

    monkeypatch.setattr(store_module.layout, "SCHEMA_VERSION", 2)  # where the tables are upgraded
    monkeypatch.setitem(store_module.MIGRATIONS, 1, to_two)
    store = Store(path)
    assert steps == ["1->2"] and store.load("x") == {"a": 1}
    with sqlite3.connect(path) as conn:
        assert conn.execute("select value from kamwidgets_info").fetchone()[0] == "2"
    conn.close()
    Store(path)  # already upgraded: no second run
    assert steps == ["1->2"]


def test_default_location_and_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(store_module.ENV_URL, raising=False)
    store = Store()
    assert store.location == str(tmp_path / "kamwidgets.sqlite")
    store.save("x", {"a": 1})
    assert (tmp_path / "kamwidgets.sqlite").exists()
    monkeypatch.setenv(store_module.ENV_URL, f"sqlite:///{tmp_path / 'team.sqlite'}")
    assert Store().location == str(tmp_path / "team.sqlite")
    with pytest.raises(KamDataError, match="folder does not exist"):
        Store(tmp_path / "nope" / "s.sqlite")


def test_database_urls_that_cannot_be_used_say_so_without_the_password():
    with pytest.raises(KamDataError) as err:
        Store("mysql://kam:s3cret@localhost/kam")
    assert "cannot use the database URL" in str(err.value) and "SQLite file or PostgreSQL" in str(err.value)
    assert "s3cret" not in str(err.value) and "kam:***@localhost" in str(err.value)
    with pytest.raises(KamDataError) as err:
        Store("postgresql+psycopg://kam:s3cret@127.0.0.1:1/kam")  # nothing listens on port 1
    assert "cannot be opened" in str(err.value) and "database server" in str(err.value)
    assert "s3cret" not in str(err.value) and "postgresql+psycopg://kam:***@127.0.0.1:1/kam" in str(err.value)


@pytest.mark.parametrize(
    "url, password, parts",
    [
        ("postgresql+psycopg://kam:pa#ss@/kam?host=/tmp/my folder", "pa#ss", {"host": "/tmp/my folder"}),
        ("postgresql://kam:s3cr/t@db/kam", "s3cr/t", {"host": "db", "dbname": "kam"}),
        ("postgresql+psycopg2://kam:a%40b@db:5433/kam", "a@b", {"host": "db", "port": "5433"}),
        ("postgres://kam:p@ss:w?rd@[::1]/kam?sslmode=require", "p@ss:w?rd", {"host": "::1", "sslmode": "require"}),
    ],
)
def test_postgresql_urls_are_read_part_by_part_and_shown_without_the_password(url, password, parts):
    from kamwidgets.store._database import connect_options

    options = connect_options(url)
    assert options["user"] == "kam" and options["password"] == password
    assert {k: options[k] for k in parts} == parts
    with pytest.raises(KamDataError) as err:  # nothing listens there (a port, or a socket folder, of no server)
        Store(url.replace("@db", "@127.0.0.1:1").replace("db:5433", "127.0.0.1:1").replace("[::1]", "[::1]:1"))
    shown = str(err.value)
    assert "cannot be opened" in shown and "kam:***@" in shown
    assert password not in shown and password.replace("@", "%40") not in shown


def test_sqlite_urls_name_a_file_and_a_store_in_memory_is_refused(tmp_path, monkeypatch):
    for url in (f"sqlite+pysqlite:///{tmp_path / 'a.sqlite'}", f"SQLITE:///{tmp_path / 'b.sqlite'}"):
        Store(url).save("x", {"a": 1})
    assert (tmp_path / "a.sqlite").exists() and (tmp_path / "b.sqlite").exists()
    for url in ("sqlite://", "sqlite:///:memory:"):
        with pytest.raises(KamDataError, match="in memory, which keeps nothing"):
            Store(url)
    with pytest.raises(KamDataError, match="three slashes"):
        Store("sqlite://c.sqlite")  # two slashes: "c.sqlite" would be a host
    monkeypatch.chdir(tmp_path)
    relative = Store("sqlite:///d.sqlite")  # relative to where the notebook runs, like a plain path
    assert relative.path == tmp_path / "d.sqlite" and relative.path.is_absolute()


def test_a_kind_prefix_is_matched_as_written(store_url):
    # the workshop room reads every workbook's latest "quiz..." by prefix: case and LIKE's wildcards count as text
    store = Store(store_url, workbook="Room/Ann")
    for kind in ("quiz_1", "Quiz_2", "quiz%", "quiz_x"):
        store.save(kind, {"kind": kind})
    Store(store_url, workbook="Roomy/Bo").save("quiz_1", {"kind": "elsewhere"})
    found = store.latest_everywhere("quiz_", prefix=True, room="Room")
    assert sorted(item["kind"] for item in found) == ["quiz_1", "quiz_x"]
    assert [item["data"]["kind"] for item in store.latest_everywhere("quiz%", room="Room")] == ["quiz%"]


WRITER = textwrap.dedent("""
    import sys, numpy as np, pandas as pd
    from kamwidgets.store import Store
    url, tag, count, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = Store(url, workbook="W")
    frame = pd.DataFrame({"x": np.arange(rows, dtype=float), "name": ["n%d" % i for i in range(rows)]})
    for i in range(count):
        frame["x"] = frame["x"] + 1
        store.save("work", {"seq": i, "tag": tag, "frame": frame, "total": float(frame["x"].sum())}, account=tag)
        print(i, flush=True)
""")


def _writer(url: str, tag: str, count: int, rows: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, url, tag, str(count), str(rows)], stdout=subprocess.PIPE, text=True
    )


def test_a_writer_killed_mid_save_leaves_the_last_save_readable(store_url):
    Store(store_url, workbook="W").close()  # tables exist before the race
    proc = _writer(store_url, "killed", 10_000, 40_000)
    done, stamps = -1, []
    while done < 4:
        line = proc.stdout.readline()
        assert line, "the writer stopped before saving"
        done = int(line)
        stamps.append(time.perf_counter())
    # each cycle encodes about 1 MB, then writes it: kill late in the cycle, while it writes
    time.sleep(0.85 * float(np.median(np.diff(stamps))))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    store = Store(store_url, workbook="W")
    last = store.load("work", account="killed")
    assert last["seq"] >= done
    assert float(last["frame"]["x"].sum()) == last["total"]  # whole, not half written
    for version in store.history("work")["id"]:  # every version that is there is complete
        data = store.load("work", account="killed", version=version)
        assert float(data["frame"]["x"].sum()) == data["total"]


def test_two_processes_saving_at_once_lose_nothing(store_url):
    Store(store_url, workbook="W").close()
    writers = [_writer(store_url, tag, 25, 2_000) for tag in ("a", "b")]
    for w in writers:
        out, _ = w.communicate(timeout=240)
        assert w.returncode == 0 and out.split()[-1] == "24"
    store = Store(store_url, workbook="W")
    hist = store.history("work")
    assert len(hist) == 50 and hist["id"].is_unique
    assert sorted(
        store.load("work", account="a", version=v)["seq"] for v in hist[hist["account"] == "a"]["id"]
    ) == list(range(25))


def test_widget_autosaves_and_reopens(store_url, sample_portfolio):
    store = Store(store_url, workbook="W")
    portfolio = sample_portfolio
    w = kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH).autosave(store, delay=0)
    w.controls["revenue"].value = 70
    w.controls["strength_threshold"].value = 6
    assert len(store.history("classification")) == 2
    fresh = kw.ClassificationWidget(portfolio, {"revenue": 1}, {"relationship": 1})
    fresh.restore(store)
    assert fresh.settings == w.settings
    pd.testing.assert_frame_equal(fresh.value, w.value)
    saved = store.load("classification")
    pd.testing.assert_frame_equal(saved["value"], w.value)


def test_autosave_is_debounced(tmp_path, sample_portfolio):
    store = Store(tmp_path / "s.sqlite")
    portfolio = sample_portfolio
    w = kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH).autosave(store, delay=30)
    for value in (10, 20, 30, 40):
        w.controls["revenue"].value = value
    assert store.history().empty  # nothing yet: still typing
    w.flush()
    assert len(store.history()) == 1
    assert store.load("classification")["settings"]["attractiveness"][0]["weight"] == 40


def test_save_errors_become_widget_messages(tmp_path, sample_portfolio):
    class Broken:
        location = "nowhere"

        def save(self, *a, **k):
            raise OSError("disk full")

    portfolio = sample_portfolio
    w = kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH).autosave(Broken(), delay=0)
    w.controls["revenue"].value = 5
    assert "could not save your work (disk full)" in w.error
    assert w.value.attrs["classification"]["attractiveness"][0]["weight"] == 5  # the work goes on


def test_export_is_plain_json(tmp_path):
    store = Store(tmp_path / "s.sqlite", workbook="W")
    store.save("quiz", {"answer": "b"}, account="Ann")
    doc = json.loads(store.export(tmp_path / "w.json").read_text())
    assert doc["format"] == "kamwidgets-workbook" and doc["artefacts"][0]["data"] == {"answer": "b"}


# ------------------------------------------------------------------ time order is time (imports keep theirs)
def test_importing_older_work_never_makes_it_the_latest_nor_pushes_newer_work_out(store_url, tmp_path):
    old = Store(f"sqlite:///{tmp_path / 'teammate.sqlite'}", workbook="W", keep_last=5)
    for i in range(8):
        old.save("plan", {"n": f"old {i}"})
    export = old.export(tmp_path / "old.json")  # saved before anything below
    store = Store(store_url, workbook="W", keep_last=5)
    for i in range(7):
        store.save("plan", {"n": f"new {i}"})
    assert store.import_(export) == 5  # the teammate's store kept 5 of 8
    assert store.load("plan") == {"n": "new 6"}  # the newest is still the latest
    hist = store.history("plan")
    assert hist["saved_at"].tolist() == sorted(hist["saved_at"])  # oldest first, imports in their place
    assert [store.load("plan", version=v) for v in hist["id"]][-1] == {"n": "new 6"}
    assert store.contents().set_index("kind").loc["plan", "id"] == hist["id"].iloc[-1]
    store.save("plan", {"n": "newest"})  # retention after the import removes old work, never the newest
    kept = [store.load("plan", version=v)["n"] for v in store.history("plan")["id"]]
    assert kept == ["new 3", "new 4", "new 5", "new 6", "newest"]  # all saved today: the last 5 stay
    room = store.latest_everywhere("plan")
    assert [r["data"] for r in room] == [{"n": "newest"}]


def _with_checksum(doc: dict) -> dict:
    """A hand-made export with the checksum store.export() writes (an import requires it)."""
    doc = {**doc, "checksum_covers": "document"}
    return {**doc, "checksum": store_module.export_checksum(doc)}


def test_an_imported_time_is_read_as_a_time_and_a_version_without_one_counts_as_older(tmp_path):
    store = Store(tmp_path / "s.sqlite", workbook="W")
    store.save("x", {"v": "mine"})
    doc = {
        "format": "kamwidgets-workbook",
        "schema": 2,
        "workbook": "W",
        "artefacts": [
            {"kind": "x", "data": {"v": "no time"}},
            {"kind": "x", "data": {"v": "naive"}, "saved_at": "2020-01-01T10:00:00"},
            {"kind": "x", "data": {"v": "zoned"}, "saved_at": "2020-01-01T12:00:00+05:00"},
        ],
    }
    (tmp_path / "in.json").write_text(json.dumps(_with_checksum(doc)))
    assert store.import_(tmp_path / "in.json") == 3
    hist = store.history("x")
    assert [store.load("x", version=v)["v"] for v in hist["id"]] == ["no time", "zoned", "naive", "mine"]
    assert hist["saved_at"].iloc[1] == "2020-01-01T07:00:00.000000+00:00"
    doc["artefacts"] = [{"kind": "x", "data": {}, "saved_at": "yesterday"}]
    (tmp_path / "bad.json").write_text(json.dumps(_with_checksum(doc)))
    with pytest.raises(KamDataError, match="no time of saving one can read"):
        store.import_(tmp_path / "bad.json")


def test_one_unreadable_version_does_not_stop_the_room(tmp_path):
    store = Store(tmp_path / "s.sqlite", workbook="Room/ann")
    store.save("quiz", {"a": 1})
    Store(tmp_path / "s.sqlite", workbook="Room/bob").save("quiz", {"b": 2})
    with sqlite3.connect(tmp_path / "s.sqlite") as conn:  # a version whose payload is valid JSON the codec refuses
        payload = json.dumps({"__frame__": "not a frame"})
        conn.execute(
            "UPDATE kamwidgets_artefacts SET payload = ?, checksum = ? WHERE workbook = 'Room/bob'",
            (payload, store_module.checks._checksum(payload)),
        )
    with pytest.warns(kw.KamDataWarning, match="Room/bob"):
        rows = store.latest_everywhere("quiz", room="Room")
    assert [r["workbook"] for r in rows] == ["Room/ann"]


# -- the same limits on SQLite as on PostgreSQL, checked before writing ------------------------------------
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
    days = iter(["2026-01-01T10:00:00"] * 3 + ["2026-01-02T09:00:00"] * 3 + ["2026-01-03T08:00:00"] * 7)
    monkeypatch.setattr(store_module.core, "_now", lambda: next(days))
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


def test_loading_a_version_of_another_kind_is_refused(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    v = store.save("swot", {"items": []}, account="A")
    with pytest.raises(KamDataError, match="nothing is saved as 'classification'"):
        store.load("classification", version=v.id)
    assert store.load("swot", account="A", version=v.id) == {"items": []}

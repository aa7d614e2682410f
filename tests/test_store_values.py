"""Nothing lost, nothing garbled: every value the store accepts comes back equal, or is refused saying why.

Also: copies of a workbook within one store, the export checksum over the
whole file, clear errors for bad arguments, and other programs' files left
byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import sqlite3
import subprocess
import sys
import zoneinfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kamwidgets.errors import KamDataError
from kamwidgets.store import SCHEMA_VERSION, Store, export_checksum

LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")


def round_trip(store: Store, value):
    store.save("x", value)
    return store.load("x")


def same(a, b) -> None:
    """``b`` is ``a``: the same types, values, dtypes and time zones (NaN equals NaN)."""
    if isinstance(a, pd.DataFrame):
        assert isinstance(b, pd.DataFrame)
        pd.testing.assert_frame_equal(b, a, check_dtype=True, check_exact=True, check_column_type=True)
        for x, y in zip(
            list(a.dtypes) + [a.index.dtype, a.columns.dtype], list(b.dtypes) + [b.index.dtype, b.columns.dtype]
        ):
            assert str(x) == str(y)  # time zones by name, not by offset
        for i in range(a.shape[1]):
            if a.dtypes.iloc[i] == np.dtype(object):
                for x, y in zip(a.iloc[:, i], b.iloc[:, i]):
                    same(x, y)
        return
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert [(type(k), k) for k in a] == [(type(k), k) for k in b]
        for k in a:
            same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            same(x, y)
    elif isinstance(a, float):
        assert (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    elif a is pd.NaT or a is pd.NA:
        assert b is a
    elif isinstance(a, pd.Timestamp):
        assert a == b and str(a.tz) == str(b.tz) and a.unit == b.unit
    elif isinstance(a, dt.datetime):
        assert a == b and a.tzinfo == b.tzinfo and a.utcoffset() == b.utcoffset()
    else:
        assert a == b


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "s.sqlite", workbook="W")


# -- 2 and 8: values that could not be loaded, or came back different ------------------------------------------------
def test_times_across_a_change_of_clocks_come_back_with_their_zone_name(store_url):
    store = Store(store_url, workbook="W")
    times = pd.to_datetime(["2026-01-15 12:00", "2026-07-15 12:00", None]).tz_localize("Europe/Lisbon")
    frame = pd.DataFrame({"when": times, "amount": [1.0, 2.0, 3.0]})
    settings = {"winter": times[0], "summer": times[1], "python": dt.datetime(2026, 7, 1, 9, tzinfo=LISBON)}
    back = round_trip(store, {"frame": frame, "settings": settings})
    same(frame, back["frame"])
    assert str(back["frame"]["when"].dtype) == "datetime64[us, Europe/Lisbon]"  # the name, not +01:00
    same(settings, back["settings"])
    assert str(back["settings"]["summer"].tz) == "Europe/Lisbon"


def test_nullable_dtypes_come_back_as_such_with_or_without_missing_values(store):
    frame = pd.DataFrame(
        {
            "Int64": pd.array([1, 2], dtype="Int64"),
            "UInt64": pd.array([2**64 - 1, 0], dtype="UInt64"),
            "boolean": pd.array([True, False], dtype="boolean"),
            "string": pd.array(["a", "b"], dtype="string"),
            "Float64": pd.array([1.5, float("inf")], dtype="Float64"),
            "with missing": pd.array([1, None], dtype="Int64"),
            "int32": np.array([1, -2], dtype=np.int32),
            "float32": np.array([0.1, np.nan], dtype=np.float32),
        }
    )
    back = round_trip(store, frame)
    same(frame, back)
    assert [str(t) for t in back.dtypes] == [
        "Int64",
        "UInt64",
        "boolean",
        "string",
        "Float64",
        "Int64",
        "int32",
        "float32",
    ]


def test_uint64_beyond_int64_comes_back(store):
    frame = pd.DataFrame({"u": np.array([2**63 + 5, 2**64 - 1, 0], dtype=np.uint64)})
    same(frame, round_trip(store, frame))
    same({"big": 2**70, "small": -(2**70)}, round_trip(store, {"big": 2**70, "small": -(2**70)}))


def test_categoricals_indexes_and_duplicate_column_names_come_back(store):
    frame = pd.DataFrame(
        [[1, "a", 2.5], [2, "b", np.nan]],
        columns=["x", "x", 3],
        index=pd.DatetimeIndex(["2026-03-29 00:30", "2026-03-29 03:30"], name="at").tz_localize("Europe/Lisbon"),
    )
    frame["seg"] = pd.Categorical(["hi", "lo"], categories=["lo", "hi"], ordered=True)
    frame.columns.name = "measure"
    same(frame, round_trip(store, frame))
    ranged = pd.DataFrame({"a": [1, 2, 3]}, index=pd.RangeIndex(10, 16, 2))
    same(ranged, round_trip(store, ranged))
    empty = pd.DataFrame(index=pd.Index(["a", "b"], dtype=object))
    same(empty, round_trip(store, empty))


def test_multiindex_columns_and_rows_are_refused_saying_how_to_fix_it(store):
    columns = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("a", "b"), ("a", "c")]))
    with pytest.raises(KamDataError, match=r"columns have 2 levels .*MultiIndex.*frame.columns ="):
        store.save("x", {"table": columns})
    rows = pd.DataFrame({"v": [1]}, index=pd.MultiIndex.from_tuples([("a", 1)]))
    with pytest.raises(KamDataError, match=r"rows have 2 levels.*reset_index"):
        store.save("x", rows)
    assert store.history().empty  # nothing half saved


@pytest.mark.parametrize(
    "value",
    [
        {"__frame__": 1},
        {"__float__": "x"},
        {"__timestamp__": "2026-01-01"},
        {"__codec__": 2, "value": 1},
        {"__tuple__": [1], "___": "three", "__": 2, "_": 1},
        {"a": {"__dict__": [[1, 2]]}, "__na__": None},
        [{"__frame__": {"columns": []}}],
    ],
    ids=["frame", "float", "timestamp", "envelope", "underscores", "nested", "in a list"],
)
def test_user_keys_like_the_codecs_own_markers_come_back(store, value):
    same(value, round_trip(store, value))


def test_keys_1_and_text_1_stay_apart_and_keep_their_types(store):
    value = {1: "int", "1": "text", None: "none", (2, "b"): "tuple", 2.5: "float", pd.Timestamp("2026-01-01"): "time"}
    same(value, round_trip(store, value))
    same({"only text": {"1": 1}}, round_trip(store, {"only text": {"1": 1}}))


def test_tuples_dates_missing_values_and_odd_floats_come_back_as_they_were(store):
    value = {
        "pair": (1, "a"),
        "day": dt.date(2026, 2, 28),
        "naive": dt.datetime(2026, 1, 1, 12, 30, 5, 17),
        "fold": dt.datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LISBON),  # the second 01:30 of that night
        "stamp": pd.Timestamp("2026-10-25 01:30:00.000000001", tz="UTC").tz_convert("Europe/Lisbon"),  # 01:30 again
        "offset": pd.Timestamp("2026-01-01 10:00", tz=dt.timezone(dt.timedelta(hours=-3))),
        "na": pd.NA,
        "nat": pd.NaT,
        "floats": [float("nan"), float("inf"), -0.0, 5e-324],
        "numpy": [np.int64(3), np.float32(0.5), np.bool_(True)],
    }
    back = round_trip(store, value)
    same({**value, "numpy": [3, 0.5, True]}, back)
    assert back["fold"].utcoffset() == dt.timedelta(0)


# -- the first codec's payloads (stores of layout 1 and 2) still load ---------------------------------------------
#: Written by kamwidgets' first codec (store layout 2), unchanged.
OLD_SETTINGS = (
    '{"weights":{"revenue":60.5},"thresholds":[5,5],"when":{"__timestamp__":"2026-01-31T00:00:00"},'
    '"none":null,"inf":{"__float__":"-inf"},"1":"one"}'
)
OLD_FRAME = (
    '{"value":{"__frame__":{"columns":[{"name":"account","kind":"str","values":["A","B",null]},'
    '{"name":"n","kind":"int","values":[1,2,3]},{"name":"x","kind":"float","values":[1.5,null,2.0]},'
    '{"name":"vip","kind":"bool","values":[true,false,true]},'
    '{"name":"seg","kind":"category","categories":["lo","hi"],"ordered":true,"values":[1,0,1]},'
    '{"name":"since","kind":"datetime","values":["2020-01-01T00:00:00",null,"2021-06-30T00:00:00"]},'
    '{"name":"orders","kind":"int","values":[1,null,3]},{"name":"mixed","kind":"object","values":["a",1,null]}],'
    '"index":{"name":"row","values":["r1","r2","r3"]},"attrs":{"source":"crm.csv"},"rows":3}}}'
)
# these the first codec saved but could not read back
OLD_LISBON = (
    '{"__frame__":{"columns":[{"name":"t","kind":"datetime","values":["2026-01-15T12:00:00+00:00",'
    '"2026-07-15T12:00:00+01:00"]}],"index":null,"attrs":{},"rows":2}}'
)
OLD_UINT = (
    '{"__frame__":{"columns":[{"name":"u","kind":"int","values":[9223372036854775813,1]}],'
    '"index":null,"attrs":{},"rows":2}}'
)
OLD_MULTI = (
    '{"__frame__":{"columns":[{"name":["a","b"],"kind":"int","values":[1]},{"name":["a","c"],"kind":"int",'
    '"values":[2]}],"index":null,"attrs":{},"rows":1}}'
)
OLD_KEYS = '{"__frame__":1,"b":2}'


def _put(path, kind: str, payload: str) -> None:
    """A version written straight into a SQLite store, as an earlier kamwidgets left it."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO kamwidgets_artefacts (workbook, kind, account, account_key, saved_at, note, payload, "
            "checksum, uid) VALUES ('W', ?, '', ?, '2026-01-01T00:00:00.000000+00:00', '', ?, ?, ?)",
            (
                kind,
                hashlib.sha256(b"").hexdigest(),
                payload,
                hashlib.sha256(payload.encode()).hexdigest(),
                hashlib.sha256(kind.encode()).hexdigest()[:32],
            ),
        )
    conn.close()


def test_a_layout_2_store_is_upgraded_and_the_first_codecs_payloads_still_load(tmp_path):
    path = tmp_path / "old.sqlite"
    Store(path, workbook="W")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE kamwidgets_info SET value = '2' WHERE key = 'schema_version'")
    conn.close()
    for kind, payload in [
        ("settings", OLD_SETTINGS),
        ("frame", OLD_FRAME),
        ("lisbon", OLD_LISBON),
        ("uint", OLD_UINT),
        ("multi", OLD_MULTI),
        ("keys", OLD_KEYS),
    ]:
        _put(path, kind, payload)
    store = Store(path, workbook="W")
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM kamwidgets_info").fetchone()[0] == str(SCHEMA_VERSION) == "3"
    conn.close()
    # as the first codec read them
    assert store.load("settings") == {
        "weights": {"revenue": 60.5},
        "thresholds": [5, 5],
        "when": pd.Timestamp("2026-01-31"),
        "none": None,
        "inf": float("-inf"),
        "1": "one",
    }
    frame = pd.DataFrame(
        {
            "account": pd.array(["A", "B", None], dtype="str"),
            "n": [1, 2, 3],
            "x": [1.5, np.nan, 2.0],
            "vip": [True, False, True],
            "seg": pd.Categorical(["hi", "lo", "hi"], categories=["lo", "hi"], ordered=True),
            "since": pd.to_datetime(["2020-01-01", None, "2021-06-30"]),
            "orders": pd.array([1, None, 3], dtype="Int64"),
            "mixed": pd.Series(["a", 1, None], dtype=object),
        }
    )
    frame.index = pd.Index(["r1", "r2", "r3"], name="row")
    back = store.load("frame")["value"]
    pd.testing.assert_frame_equal(back, frame)
    assert back.attrs == {"source": "crm.csv"}
    # and these, which it saved but could not read, now load: the instants, the numbers, the two levels
    lisbon = store.load("lisbon")["t"]
    assert lisbon.tolist() == [pd.Timestamp("2026-01-15 12:00", tz="UTC"), pd.Timestamp("2026-07-15 11:00", tz="UTC")]
    assert store.load("uint")["u"].tolist() == [2**63 + 5, 1] and store.load("uint")["u"].dtype == np.uint64
    assert store.load("multi").columns.tolist() == [("a", "b"), ("a", "c")]
    assert store.load("keys") == {"__frame__": 1, "b": 2}  # a dict of two keys was never one of its markers
    # an export of the upgraded store carries them as they are, and imports into a new store
    exported = store.export(tmp_path / "w.json")
    fresh = Store(tmp_path / "fresh.sqlite", workbook="W")
    assert fresh.import_(exported) == 6
    pd.testing.assert_frame_equal(fresh.load("frame")["value"], frame)


# -- the property: load(save(x)) is x, or save says why not ------------------------------------------------------
ZONES = [LISBON, zoneinfo.ZoneInfo("America/New_York"), zoneinfo.ZoneInfo("Australia/Lord_Howe"), dt.UTC]
NAMED_ZONES = ["Europe/Lisbon", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
TEXT = st.text(max_size=6) | st.sampled_from(["\ud800", "a\udfffb"])  # lone surrogates: refused, never a crash
ODD_KEYS = st.sampled_from(
    ["__frame__", "__float__", "__timestamp__", "__codec__", "value", "__tuple__", "___x", "__", "_", "1", ""]
)
MOMENTS = st.datetimes(min_value=dt.datetime(1960, 1, 1), max_value=dt.datetime(2080, 12, 31))


def _stamp(moment: dt.datetime, zone: str | None, unit: str) -> pd.Timestamp:
    stamp = pd.Timestamp(moment)
    if zone is not None:
        stamp = stamp.tz_localize("UTC").tz_convert(zone)
    return stamp.as_unit(unit)


STAMPS = st.builds(_stamp, MOMENTS, st.sampled_from([None, *NAMED_ZONES]), st.sampled_from(["s", "ms", "us", "ns"]))
PY_TIMES = st.datetimes(
    min_value=dt.datetime(1960, 1, 1), timezones=st.sampled_from([None, *ZONES]), allow_imaginary=False
)


KINDS = ["int64", "uint64", "Int64", "UInt8", "boolean", "bool", "float64", "Float64", "str", "string", "object"] + [
    "datetime",
    "datetime tz",
    "category",
    "timedelta",
]


def _column(draw, n: int, kind: str):
    missing = draw(st.booleans())

    def cells(strategy):
        cell = st.none() | strategy if missing else strategy
        return draw(st.lists(cell, min_size=n, max_size=n))

    if kind == "int64":
        return np.array(cells(st.integers(-(2**63), 2**63 - 1)) if not missing else [0] * n, dtype=np.int64)
    if kind == "uint64":
        return np.array(draw(st.lists(st.integers(0, 2**64 - 1), min_size=n, max_size=n)), dtype=np.uint64)
    if kind in ("Int64", "UInt8"):
        top = 2**63 - 1 if kind == "Int64" else 255
        return pd.array(cells(st.integers(0 if kind == "UInt8" else -top, top)), dtype=kind)
    if kind == "boolean":
        return pd.array(cells(st.booleans()), dtype="boolean")
    if kind == "bool":
        return np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    if kind == "float64":
        return np.array(draw(st.lists(st.floats(), min_size=n, max_size=n)), dtype=float)
    if kind == "Float64":
        return pd.array(cells(st.floats(allow_nan=False)), dtype="Float64")
    if kind in ("str", "string"):
        return pd.array(cells(TEXT), dtype=kind)
    if kind == "object":
        values = cells(st.one_of(TEXT, st.integers(), st.floats(), st.booleans(), st.tuples(st.integers())))
        out = np.empty(n, dtype=object)
        for i, v in enumerate(values):
            out[i] = v
        return out
    if kind == "category":
        categories = draw(st.lists(st.text(max_size=3), min_size=1, max_size=4, unique=True))
        codes = draw(st.lists(st.integers(-1 if missing else 0, len(categories) - 1), min_size=n, max_size=n))
        return pd.Categorical.from_codes(codes, categories=categories, ordered=draw(st.booleans()))
    if kind == "timedelta":
        return pd.to_timedelta(cells(st.integers(-(10**12), 10**12)), unit="s").as_unit("s")
    unit = draw(st.sampled_from(["s", "ms", "us", "ns"]))
    times = pd.DatetimeIndex(cells(MOMENTS)).as_unit(unit)
    if kind == "datetime tz":  # instants over a year or more: both sides of each change of clocks
        times = times.tz_localize("UTC").tz_convert(draw(st.sampled_from(NAMED_ZONES)))
    return times.array


@st.composite
def frames(draw):
    n = draw(st.integers(0, 4))
    kinds = draw(st.lists(st.sampled_from(KINDS), max_size=5))
    width = len(kinds)
    columns = [_column(draw, n, kind) for kind in kinds]
    frame = pd.DataFrame({i: pd.Series(c, dtype=c.dtype) for i, c in enumerate(columns)}, index=pd.RangeIndex(n))
    frame.columns = draw(st.lists(st.one_of(ODD_KEYS, st.integers(0, 2)), min_size=width, max_size=width))
    index = draw(st.sampled_from(["default", "range", "text", "times", "Int64"]))
    if index == "range":
        frame.index = pd.RangeIndex(5, 5 + 3 * n, 3, name="r")
    elif index == "text":
        frame.index = pd.Index(draw(st.lists(st.sampled_from(["a", "b", "__frame__"]), min_size=n, max_size=n)))
    elif index == "times":
        frame.index = pd.DatetimeIndex(draw(st.lists(MOMENTS, min_size=n, max_size=n))).tz_localize(LISBON)
    elif index == "Int64":
        frame.index = pd.Index(pd.array(draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n)), dtype="Int64"))
    return frame


LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    TEXT,
    STAMPS,
    PY_TIMES,
    st.dates(),
    st.sampled_from([pd.NA, pd.NaT]),
)
KEYS = st.one_of(TEXT, ODD_KEYS, st.integers(-2, 2), st.none(), st.tuples(st.integers(0, 2), st.text(max_size=2)))
VALUES = st.recursive(
    LEAVES | frames(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.lists(inner, max_size=3).map(tuple) | st.dictionaries(KEYS, inner, max_size=4)
    ),
    max_leaves=10,
)


def _has_surrogate(value) -> bool:
    if isinstance(value, str):
        return any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if isinstance(value, pd.DataFrame):
        return any(
            _has_surrogate(v) for v in [*value.columns, *value.index, *value.to_numpy().ravel().tolist()]
        ) or any(isinstance(t, pd.CategoricalDtype) and _has_surrogate(list(t.categories)) for t in value.dtypes)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_surrogate(v) for v in value)
    return False


def _property(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _kept_or_refused_saying_why(path, value) -> None:
    store = Store(path, workbook="W", keep_last=1)
    try:
        store.save("x", value)
    except KamDataError as err:
        assert _has_surrogate(value), err  # the one thing a database cannot hold
        assert "not valid Unicode" in str(err)
        return
    assert not _has_surrogate(value)
    same(value, store.load("x"))


@_property(150)
@given(value=VALUES)
def test_every_value_save_accepts_loads_back_equal_or_save_says_why(tmp_path, value):
    _kept_or_refused_saying_why(tmp_path / "p.sqlite", value)


@_property(100)
@given(frame=frames())
def test_every_frame_save_accepts_loads_back_equal_with_its_dtypes(tmp_path, frame):
    _kept_or_refused_saying_why(tmp_path / "f.sqlite", frame)


# -- 4: a copy of a workbook within one store ---------------------------------------------------------------------
def test_importing_into_another_workbook_makes_a_copy_once(store_url, tmp_path):
    store = Store(store_url, workbook="W")
    store.save("plan", {"n": 1}, account="Acme")
    store.save("plan", {"n": 2}, account="Acme", note="second")
    store.save("quiz", {"q1": "b"})
    path = store.export(tmp_path / "w.json")
    assert store.import_(path) == 0  # into its own workbook: every version is there already
    assert store.import_(path, workbook="W (copy)") == 3
    assert store.import_(path, workbook="W (copy)") == 0  # the same copy again adds nothing
    assert sorted(store.workbooks()) == ["W", "W (copy)"]
    copy = store.history(workbook="W (copy)")
    assert copy[["kind", "account", "saved_at", "note"]].equals(
        store.history()[["kind", "account", "saved_at", "note"]]
    )
    assert store.load("plan", account="Acme", workbook="W (copy)") == {"n": 2}
    copied = store.export(tmp_path / "copy.json", workbook="W (copy)")
    uids = [{a["uid"] for a in json.loads(p.read_text())["artefacts"]} for p in (path, copied)]
    assert not uids[0] & uids[1]  # versions of their own
    assert store.import_(copied, workbook="W") == 0  # the copy brought back to the original adds nothing
    assert store.import_(path, workbook="W (copy 2)") == 3  # a second copy is another copy
    other = Store(tmp_path / "other.sqlite")
    assert other.import_(copied) == 3 and other.import_(path, workbook="W (copy)") == 0


# -- 5: the export's checksum covers the whole file -----------------------------------------------------------------
@pytest.fixture
def exported(tmp_path):
    store = Store(tmp_path / "s.sqlite", workbook="Room/Ann")
    store.save("plan", {"amount": 100}, account="Acme", note="draft")
    return store.export(tmp_path / "ann.json")


def _changed(path, change) -> None:
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


def _rename_workbook(doc):
    doc["workbook"] = "Room/Anm"  # one byte: into another workbook, outside its room


def _set(field, value):
    def change(doc):
        doc["artefacts"][0][field] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        _rename_workbook,
        lambda doc: doc.update(schema=1),
        lambda doc: doc.update(exported_at="2020-01-01T00:00:00+00:00"),
        lambda doc: doc.pop("checksum_covers"),
        _set("uid", "0" * 32),
        _set("kind", "plan2"),
        _set("account", "Acme2"),
        _set("saved_at", "2020-01-01T00:00:00.000000+00:00"),
        _set("note", "final"),
        _set("data", {"amount": 1_000_000}),
        _set("codec", 1),
    ],
    ids=["workbook", "schema", "exported_at", "covers", "uid", "kind", "account", "saved_at", "note", "data", "codec"],
)
def test_any_change_to_an_export_is_refused_naming_the_file(exported, tmp_path, change):
    _changed(exported, change)
    other = Store(tmp_path / "o.sqlite")
    with pytest.raises(KamDataError, match="checksum does not match") as err:
        other.import_(exported)
    assert str(exported) in str(err.value)
    assert other.workbooks() == []


@pytest.mark.parametrize("key", [None, "Checksum", "checksum "])
def test_an_export_without_its_checksum_is_refused(exported, tmp_path, key):
    def change(doc):
        value = doc.pop("checksum")
        if key:
            doc[key] = value  # misspelt
        doc["artefacts"][0]["data"] = {"amount": 1_000_000}

    _changed(exported, change)
    other = Store(tmp_path / "o.sqlite")
    with pytest.raises(KamDataError, match="has no checksum") as err:
        other.import_(exported)
    assert str(exported) in str(err.value)
    assert other.workbooks() == []


def test_an_export_carries_a_checksum_of_the_whole_document(exported):
    doc = json.loads(exported.read_text())
    assert doc["checksum_covers"] == "document" and doc["checksum"] == export_checksum(doc)
    assert doc["artefacts"][0]["data"] == {"amount": 100} and doc["artefacts"][0]["codec"] == 2  # plain JSON


#: Written by store.export() of store layout 2 (its checksum covers the versions only), unchanged.
OLD_EXPORT = (
    '{"format": "kamwidgets-workbook", "schema": 2, "workbook": "Team A", "exported_at": '
    '"2026-12-06T22:00:09.606862+00:00", '
    '"checksum": "a7312f4c9933fbe21bf6dda462b338b24f098c283826e5c3da885c8c9104e080", '
    '"artefacts": [{"uid": "3703c2154fc5480bbc278603c42307cb", "kind": "quiz", "account": "Ann", "saved_at": '
    '"2026-12-06T22:00:09.570631+00:00", "note": "first", "data": {"q1": "b", "when": {"__timestamp__": '
    '"2026-01-31T00:00:00"}}}, {"uid": "5acfd01096034a50872f6882bf2f7f0e", "kind": "plan", "account": "", '
    '"saved_at": "2026-12-06T22:00:09.591086+00:00", "note": "", "data": {"value": {"__frame__": {"columns": '
    '[{"name": "x", "kind": "float", "values": [1.5, 2.0]}], "index": null, "attrs": {}, "rows": 2}}}}]}'
)


def test_an_export_of_the_previous_layout_still_imports_and_a_changed_one_does_not(tmp_path):
    path = tmp_path / "old.json"
    path.write_text(OLD_EXPORT)
    store = Store(tmp_path / "s.sqlite", workbook="Team A")
    assert store.import_(path) == 2
    assert store.load("quiz", account="Ann") == {"q1": "b", "when": pd.Timestamp("2026-01-31")}
    pd.testing.assert_frame_equal(store.load("plan")["value"], pd.DataFrame({"x": [1.5, 2.0]}))
    assert store.import_(path) == 0
    again = store.export(tmp_path / "again.json")  # the versions of the first codec travel as they were
    assert json.loads(again.read_text())["artefacts"][0]["data"] == json.loads(OLD_EXPORT)["artefacts"][0]["data"]
    for change in (_set("data", {"q1": "c"}), lambda doc: doc.update(schema=3)):
        path.write_text(OLD_EXPORT)
        _changed(path, change)
        with pytest.raises(KamDataError, match="checksum does not match"):
            Store(tmp_path / "fresh.sqlite").import_(path)


# -- 6: bad input gets a KamDataError saying what and how to fix it ----------------------------------------------------
SURROGATE = "Acme \ud800"


@pytest.mark.parametrize(
    "call",
    [
        lambda s: Store(s.url, workbook=SURROGATE),
        lambda s: s.save(SURROGATE, {}),
        lambda s: s.save("x", {}, account=SURROGATE),
        lambda s: s.save("x", {}, note=SURROGATE),
        lambda s: s.save("x", {}, workbook=SURROGATE),
        lambda s: s.save("x", {"name": SURROGATE}),
        lambda s: s.save("x", {SURROGATE: 1}),
        lambda s: s.save("x", pd.DataFrame({"account": [SURROGATE]})),
        lambda s: s.save("x", pd.DataFrame({SURROGATE: [1]})),
        lambda s: s.load(SURROGATE),
        lambda s: s.load("x", account=SURROGATE),
        lambda s: s.history(SURROGATE),
        lambda s: s.history(account=SURROGATE),
        lambda s: s.history(workbook=SURROGATE),
        lambda s: s.latest_everywhere(SURROGATE),
        lambda s: s.latest_everywhere("x", room=SURROGATE),
    ],
    ids=[
        "workbook",
        "kind",
        "account",
        "note",
        "save-workbook",
        "data",
        "key",
        "cell",
        "column",
        "load-kind",
        "load-account",
        "history-kind",
        "history-account",
        "history-workbook",
        "room-kind",
        "room",
    ],
)
def test_lone_surrogates_are_refused_clearly_on_every_database(store_url, call):
    store = Store(store_url, workbook="W")
    with pytest.raises(KamDataError, match="not valid Unicode"):
        call(store)
    assert store.history().empty


def test_an_import_with_a_lone_surrogate_is_refused_and_adds_nothing(tmp_path):
    store = Store(tmp_path / "s.sqlite", workbook="W")
    for entry in ({"kind": "x", "account": SURROGATE, "data": {}}, {"kind": "x", "data": {"a": SURROGATE}}):
        doc = {"format": "kamwidgets-workbook", "schema": 2, "workbook": "W", "checksum_covers": "document"}
        doc["artefacts"] = [entry]
        doc["checksum"] = export_checksum(doc)
        (tmp_path / "in.json").write_text(json.dumps(doc))  # json writes it as \\ud800
        with pytest.raises(KamDataError, match="not valid Unicode"):
            store.import_(tmp_path / "in.json")
    assert store.workbooks() == []


def _deep(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels):
        value = {"a": value}
    return value


def test_values_that_cannot_be_kept_are_refused_saying_where(store):
    with pytest.raises(KamDataError, match="nested more than 100 levels"):
        store.save("x", _deep(2000))
    same(_deep(90), round_trip(store, _deep(90)))
    with pytest.raises(KamDataError, match=r"the data\['a'\]\[1\] is a set"):
        store.save("x", {"a": [1, {2}]})
    with pytest.raises(KamDataError, match=r"column 'p', has the type period\[M\]"):
        store.save("x", {"t": pd.DataFrame({"p": pd.period_range("2026-01", periods=2, freq="M")})})
    with pytest.raises(KamDataError, match="JSON cannot carry"):
        store.save("x", {"n": 10**5000})
    with pytest.raises(KamDataError, match="time zone"):
        store.save("x", pd.Timestamp("2026-01-01", tz="dateutil/Europe/Lisbon"))
    assert len(store.history()) == 1  # the one that could be kept


@pytest.mark.parametrize("version", ["abc", 1.5, True, [1], None])
def test_a_version_that_is_not_an_id_is_a_clear_error(store, version):
    v = store.save("x", {"a": 1})
    if version is None:
        assert store.load("x", version=str(v.id)) == {"a": 1} and store.load("x", version=np.int64(v.id)) == {"a": 1}
        return
    with pytest.raises(KamDataError, match="not a version id.*store.history"):
        store.load("x", version=version)


@pytest.mark.parametrize("version", [2**70, 2**63, -1, 0])
def test_a_version_no_database_can_hold_names_no_version(store, version):
    store.save("x", {"a": 1})
    with pytest.raises(KamDataError, match="nothing is saved as 'x'"):
        store.load("x", version=version)
    assert store.load("x", version=version, default="none") == "none"


def test_bad_paths_and_arguments_are_clear_errors(tmp_path, store):
    with pytest.raises(KamDataError, match="NUL character"):
        Store(str(tmp_path / "a\x00b.sqlite"))
    with pytest.raises(KamDataError, match="must be a path or a URL, not int"):
        Store(5)
    with pytest.raises(KamDataError, match="NUL character"):
        store.export(str(tmp_path / "w\x00.json"))
    with pytest.raises(KamDataError, match="NUL character"):
        store.import_(str(tmp_path / "w\x00.json"))
    with pytest.raises(KamDataError, match="must be text, not list"):
        store.load(["x"])
    with pytest.raises(KamDataError, match="must be text, not int"):
        store.latest_everywhere(5, prefix=True)
    with pytest.raises(KamDataError, match="must be text, not int"):
        store.history(workbook=7)
    with pytest.raises(KamDataError, match="NUL"):
        store.load("x\x00")
    store.save("x", {"a": 1})
    with pytest.raises(KamDataError, match="needs the name of the workbook"):
        store.remove_workbook(None, kept_in=tmp_path / "k.json")
    assert store.load("x") == {"a": 1}
    assert not list(tmp_path.glob("*.json"))


def test_an_account_given_as_a_number_is_found_as_it_was_saved(store):
    store.save("x", {"a": 1}, account=5)
    store.save("x", {"a": 2}, account=None)
    assert store.load("x", account="5") == {"a": 1} and store.load("x", account=5) == {"a": 1}
    assert store.load("x") == {"a": 2}


# -- 7: other programs' files and a store without its table -------------------------------------------------------
def _files(path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(path.parent.glob(path.name + "*"))}


CRASHING_WRITER = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("pragma journal_mode = wal")
conn.execute("pragma wal_autocheckpoint = 0")
for statement in sys.argv[2:]:
    conn.execute(statement)
conn.commit()
os._exit(0)  # gone without closing: its changes stay in the -wal file
"""


@pytest.mark.parametrize("checkpointed", [False, True])
def test_another_programs_file_in_wal_mode_is_left_byte_for_byte(tmp_path, checkpointed):
    path = tmp_path / "crm.db"
    if checkpointed:  # some of its tables already in the file, more in its WAL
        conn = sqlite3.connect(path)
        conn.execute("create table accounts (id integer)")
        conn.commit()
        conn.close()
    statements = ["create table customers (id integer, name text)", "insert into customers values (1, 'Acme')"]
    subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(path), *statements], check=True)
    before = _files(path)
    assert set(before) == {"crm.db", "crm.db-wal", "crm.db-shm"}
    with pytest.raises(KamDataError, match="another program"):
        Store(path)
    assert _files(path) == before


def _drop_artefacts(url: str) -> None:
    from kamwidgets.store._database import connect_options, database_url

    _, path = database_url(url)
    if path is not None:
        conn = sqlite3.connect(path)
        conn.execute("DROP TABLE kamwidgets_artefacts")
        conn.commit()
        conn.close()
        return
    import psycopg

    with psycopg.connect(**connect_options(url), autocommit=True) as conn:
        conn.execute("DROP TABLE kamwidgets_artefacts")


def test_a_store_without_its_table_of_saved_work_is_refused_at_open(store_url, tmp_path):
    Store(store_url, workbook="W").save("x", {"a": 1})
    _drop_artefacts(store_url)
    before = _files(tmp_path / "work.sqlite") if store_url.startswith("sqlite") else None
    with pytest.raises(KamDataError, match="damaged.*kamwidgets_artefacts") as err:
        Store(store_url, workbook="W")
    assert "database server" not in str(err.value)
    if before is not None:
        assert _files(tmp_path / "work.sqlite") == before

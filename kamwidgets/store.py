"""The workbook store: everything the widgets make, kept with its history.

One small interface over two databases.  By default the store is a SQLite file
in the current folder (``kamwidgets.sqlite``, created on first use); give a
database URL (argument or the ``KAMWIDGETS_DB_URL`` environment variable) to
share one PostgreSQL database among a workshop or a team.  Nothing else in
the workbook knows which one it is.

Every save adds a new version (nothing is overwritten), keyed by workbook,
kind of artefact and account, so the annual review can compare years and a
user can go back.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> store = Store(folder / "work.sqlite", workbook="Workshop 2026")
>>> first = store.save("notes", {"text": "first"})
>>> second = store.save("notes", {"text": "second"})
>>> store.load("notes")
{'text': 'second'}
>>> store.load("notes", version=first.id)
{'text': 'first'}
>>> store.close()
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import re
import time
import warnings
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._database import SQLite, database_url, open_database, shown_url, with_login
from ._files import target_file, write_atomically
from .errors import KamDataError, KamDataWarning

__all__ = [
    "Store",
    "Version",
    "open_store",
    "my_portfolio",
    "saved_portfolio",
    "workbook_name",
    "SCHEMA_VERSION",
    "ENV_URL",
    "DEFAULT_FILE",
    "share_by_role",
    "grant_workbooks",
]

#: Environment variable with a database URL (e.g. ``postgresql+psycopg://user@host/db``).
ENV_URL = "KAMWIDGETS_DB_URL"
#: File name of the default SQLite store, in the current folder.
DEFAULT_FILE = "kamwidgets.sqlite"
#: The layout of the tables; raised when it changes, with a step in MIGRATIONS.
#: 1: the first layout.  2: every version has a ``uid`` (unique), which an
#: export carries, so importing the same versions again adds nothing.  3: the same tables; values are
#: saved with the second codec (:data:`CODEC`), which an older kamwidgets would misread, so it must refuse them.
SCHEMA_VERSION = 3
EXPORT_FORMAT = "kamwidgets-workbook"
#: What an export's checksum covers: the whole document but the checksum itself.  Exports that do not say
#: (written by layout 2) covered only their versions, and are read with that check.
CHECKSUM_COVERS = "document"
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: Written into a SQLite store's header (PRAGMA application_id): "KAMW".
APPLICATION_ID = 0x4B414D57
#: Limits that PostgreSQL enforces; checked before writing on every database, so a workbook can move between them.
LIMITS = {"workbook": 200, "kind": 100}


def _migrate_1_to_2(conn: Any) -> None:
    """Give every existing version a uid, and make uids unique."""
    conn.run("ALTER TABLE kamwidgets_artefacts ADD COLUMN uid VARCHAR(32)")
    for (row_id,) in conn.rows("SELECT id FROM kamwidgets_artefacts"):
        conn.run("UPDATE kamwidgets_artefacts SET uid = :u WHERE id = :i", {"u": _new_uid(), "i": row_id})
    conn.run("CREATE UNIQUE INDEX ux_kamwidgets_uid ON kamwidgets_artefacts (uid)")


def _migrate_2_to_3(conn: Any) -> None:
    """Nothing to change: versions saved before stay in the first codec, which :func:`decode` still reads."""


#: ``MIGRATIONS[v]`` upgrades a store from version ``v`` to ``v + 1`` inside
#: the transaction that opens it (one path: every upgrade goes through here).
#: It is given the store's connection (``kamwidgets._database.Connection``:
#: ``run``, ``rows`` and ``value``, SQL with ``:name`` parameters).
MIGRATIONS: dict[int, Callable[[Any], None]] = {1: _migrate_1_to_2, 2: _migrate_2_to_3}


@dataclass(frozen=True)
class Version:
    """One saved version of an artefact."""

    id: int
    workbook: str
    kind: str
    account: str
    saved_at: str


# ---------------------------------------------------------------- encoding
#: The codec's version, written around every saved value: ``{"__codec__": 2, "value": ...}``.  A payload
#: without it was written by the first codec (stores of layout 1 and 2) and is read as that codec wrote it.
CODEC = 2
_ENVELOPE = "__codec__"
_PAYLOAD_HEAD = f'{{"{_ENVELOPE}":{CODEC},"value":'  # how every payload of this codec begins
#: How deeply dicts, lists, tuples and tables may be nested in one saved value.
MAX_DEPTH = 100
_NAT = int(np.iinfo(np.int64).min)  # how numpy writes NaT in a datetime64 or timedelta64 array
_TIME_UNITS = ("s", "ms", "us", "ns")
#: Numpy column types kept as they are (``kind`` is the dtype's name).
_NUMPY = frozenset(
    ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32", "float64"]
)
#: pandas' nullable number types (missing values are ``pd.NA``).
_MASKED = frozenset(["Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Float32", "Float64"])
_KEEPABLE = "Save tables as DataFrames and settings as dicts and lists of text, numbers, dates and True/False."


class _Unkeepable(Exception):
    """A part of a value that cannot be kept: what is wrong, how to fix it, and where (``path``, innermost first)."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem, self.fix = problem, fix
        self.path: list[str] = []


def encode(value: Any) -> Any:
    """Plain JSON data for ``value``, which :func:`decode` turns back into an equal value.

    Kept as they are: dicts (with keys of any type below; ``1`` and ``"1"``
    stay apart), lists, tuples, text, whole numbers of any size, floats
    (NaN and infinities too), True/False/None, ``pd.NA``, dates, datetimes
    and Timestamps (with their time-zone names), and DataFrames (every
    column's dtype, the index and column names, duplicate names too).
    Anything else is refused with a :class:`KamDataError` that says where it is.
    The codec's own markers are dicts of one key starting with ``__``; a
    user's key that starts with ``__`` is written with one ``_`` more.

    >>> decode(encode({"__frame__": 1, 1: (2, float("inf"))}))
    {'__frame__': 1, 1: (2, inf)}
    """
    try:
        return {_ENVELOPE: CODEC, "value": _enc(value, 0)}
    except _Unkeepable as err:
        where = "".join(reversed(err.path))
        if len(where) > 120:  # nested deeply: the way in, and the end
            where = f"{where[:60]} ... {where[-50:]}"
        raise KamDataError(f"the data{where} {err.problem}; nothing was saved", fix=err.fix) from None


def decode(value: Any) -> Any:
    """The value :func:`encode` was given (also for payloads of the first codec); a :class:`KamDataError` when
    ``value`` is not something the codec wrote."""
    try:
        if isinstance(value, dict) and set(value) == {_ENVELOPE, "value"} and type(value[_ENVELOPE]) is int:
            if value[_ENVELOPE] == CODEC:
                return _dec(value["value"])
            if value[_ENVELOPE] > CODEC:
                raise KamDataError(
                    f"was saved by a newer kamwidgets (codec {value[_ENVELOPE]})", fix="Update kamwidgets."
                )
        return _decode_v1(value)
    except KamDataError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError, RecursionError) as err:
        raise KamDataError(
            f"cannot be read back ({type(err).__name__}: {str(err)[:200]})",
            fix="It was not written by the workbook store, or was changed since.",
        ) from None


def _enc(value: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise _Unkeepable(
            f"is nested more than {MAX_DEPTH} levels deep",
            "Keep what is saved flatter: a table (DataFrame) holds many rows at one level.",
        )
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, dict):
        return _enc_dict(value, depth)
    if isinstance(value, list):
        return _enc_items(value, depth)
    if isinstance(value, tuple):
        return {"__tuple__": _enc_items(value, depth)}
    if isinstance(value, pd.DataFrame):
        return {"__frame__": _frame_to_json(value, depth + 1)}
    if value is pd.NaT:
        return {"__timestamp__": None}
    if isinstance(value, pd.Timestamp):
        return {"__timestamp__": [value.isoformat(), _zone(value.tz), value.unit]}
    if isinstance(value, dt.datetime):
        return {"__datetime__": [value.isoformat(), _zone(value.tzinfo)]}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if value is pd.NA:
        return {"__na__": None}
    if isinstance(value, np.datetime64):
        return _enc(pd.Timestamp(value), depth)
    if isinstance(value, np.generic) and value.dtype.kind in "biufU":
        return _enc(value.item(), depth)
    raise _Unkeepable(f"is a {type(value).__name__}, which the workbook store cannot keep", _KEEPABLE)


def _float(value: float) -> Any:
    return float(value) if math.isfinite(value) else {"__float__": repr(float(value))}


def _enc_items(values: list | tuple, depth: int) -> list:
    out = []
    for i, v in enumerate(values):
        try:
            out.append(_enc(v, depth + 1))
        except _Unkeepable as err:
            err.path.append(f"[{i}]")
            raise
    return out


def _enc_dict(value: dict, depth: int) -> dict:
    if all(isinstance(k, str) for k in value):
        out = {}
        for k, v in value.items():
            try:
                out["_" + k if k.startswith("__") else k] = _enc(v, depth + 1)
            except _Unkeepable as err:
                err.path.append(f"[{k!r}]")
                raise
        return out
    pairs = []  # keys that are not all text: kept with their types, so 1 and "1" stay two keys
    for k, v in value.items():
        try:
            pairs.append([_enc(k, depth + 1), _enc(v, depth + 1)])
        except _Unkeepable as err:
            err.path.append(f"[{k!r}]")
            raise
    return {"__dict__": pairs}


def _zone(tz: Any) -> str | int | None:
    """A time zone as its name (``"Europe/Lisbon"``), or a fixed offset as seconds east of UTC."""
    if tz is None:
        return None
    key = getattr(tz, "key", None)  # zoneinfo
    if isinstance(tz, zoneinfo.ZoneInfo) and isinstance(key, str):
        return key
    zone = getattr(tz, "zone", None)  # pytz
    if isinstance(zone, str) and zone:
        return zone
    if isinstance(tz, dt.timezone):
        offset = tz.utcoffset(None)
        if offset % dt.timedelta(seconds=1) == dt.timedelta(0):
            return offset // dt.timedelta(seconds=1)
    raise _Unkeepable(
        f"has the time zone {tz!r}, which has no name the workbook store can keep",
        "Use a named time zone first, e.g. .tz_convert('Europe/Lisbon'), or 'UTC'.",
    )


def _zone_from(spec: Any) -> Any:
    if spec is None:
        return None
    if type(spec) is int:
        return dt.UTC if spec == 0 else dt.timezone(dt.timedelta(seconds=spec))
    if isinstance(spec, str):
        try:
            return zoneinfo.ZoneInfo(spec)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise KamDataError(
                f"uses the time zone {spec!r}, which this computer does not know",
                fix="Install the time-zone data (pip install tzdata) and load it again.",
            ) from None
    raise ValueError(f"{spec!r} is not a time zone")


def _frame_to_json(frame: pd.DataFrame, depth: int) -> dict:
    for axis, index, fix in (
        (
            "columns",
            frame.columns,
            "Give the columns one level of names, e.g. frame.columns = "
            "[' / '.join(map(str, c)) for c in frame.columns].",
        ),
        ("rows", frame.index, "Move the index levels into columns first: frame.reset_index()."),
    ):
        if isinstance(index, pd.MultiIndex):
            raise _Unkeepable(
                f"is a table whose {axis} have {index.nlevels} levels of names (a MultiIndex), "
                "which the workbook store cannot keep",
                fix,
            )
    data = []
    for i in range(frame.shape[1]):
        try:
            data.append(_array_to_json(frame.iloc[:, i], depth))
        except _Unkeepable as err:
            err.path.append(f" (a table), column {frame.columns[i]!r},")
            raise
    kept = {}  # what a frame carries in attrs is kept when it can be; the rest is left out, as pandas itself does
    for key, val in frame.attrs.items():
        try:
            _enc({key: val}, depth)
        except _Unkeepable:
            continue
        kept[key] = val
    return {
        "columns": _index_to_json(frame.columns, depth, "its column names"),
        "index": _index_to_json(frame.index, depth, "its index"),
        "data": data,
        "attrs": _enc(kept, depth),
    }


def _index_to_json(index: pd.Index, depth: int, what: str) -> dict:
    try:
        name = _enc(index.name, depth + 1)
        if isinstance(index, pd.RangeIndex):
            return {"range": [index.start, index.stop, index.step], "name": name}
        return {"values": _array_to_json(pd.Series(index, copy=False), depth), "name": name}
    except _Unkeepable as err:
        err.path.append(f" (a table), {what},")
        raise


def _array_to_json(series: pd.Series, depth: int) -> dict:
    """One column (or index) with its dtype, so that it comes back with the same one."""
    dtype = series.dtype
    missing = series.isna().tolist()
    if isinstance(dtype, pd.CategoricalDtype):
        return {
            "dtype": "category",
            "categories": _array_to_json(pd.Series(dtype.categories, copy=False), depth),
            "ordered": bool(dtype.ordered),
            "codes": series.cat.codes.tolist(),
        }
    if isinstance(dtype, pd.DatetimeTZDtype) or (isinstance(dtype, np.dtype) and dtype.kind in "mM"):
        unit = dtype.unit if isinstance(dtype, pd.DatetimeTZDtype) else np.datetime_data(dtype)[0]
        zone = _zone(dtype.tz) if isinstance(dtype, pd.DatetimeTZDtype) else None
        plain = series.dt.tz_convert("UTC").dt.tz_localize(None) if isinstance(dtype, pd.DatetimeTZDtype) else series
        ticks = np.asarray(plain.to_numpy()).view(np.int64).tolist()
        return {
            "dtype": "timedelta" if dtype.kind == "m" else "datetime",
            "unit": unit,
            "tz": zone,
            "values": [None if gone else int(v) for v, gone in zip(ticks, missing)],
        }
    values = series.tolist()
    if isinstance(dtype, pd.StringDtype):
        na = dtype.na_value
        return {
            "dtype": "string",
            "storage": dtype.storage,
            "na": "nan" if isinstance(na, float) else "NA",
            "values": [None if gone else str(v) for v, gone in zip(values, missing)],
        }
    if isinstance(dtype, pd.BooleanDtype):
        return {"dtype": "boolean", "values": [None if gone else bool(v) for v, gone in zip(values, missing)]}
    if str(dtype) in _MASKED and not isinstance(dtype, np.dtype):
        number: Callable[[Any], Any] = _float if dtype.kind == "f" else int
        return {"dtype": str(dtype), "values": [None if gone else number(v) for v, gone in zip(values, missing)]}
    if isinstance(dtype, np.dtype) and dtype.name in _NUMPY:
        cells_of: dict[str, Callable[[Any], Any]] = {"b": bool, "i": int, "u": int, "f": _float}
        cell = cells_of[dtype.kind]
        return {"dtype": dtype.name, "values": [cell(v) for v in values]}
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        cells = []
        for row, v in enumerate(values):
            try:
                cells.append(_enc(v, depth + 1))
            except _Unkeepable as err:
                err.path.append(f" row {row + 1}")  # counted from 1, as a person counts rows
                raise
        return {"dtype": "object", "values": cells}
    raise _Unkeepable(
        f"has the type {dtype}, which the workbook store cannot keep",
        "Convert the column first, e.g. with .astype(str), .astype('float64') or .astype('Int64').",
    )


def _dec(value: Any) -> Any:
    if isinstance(value, list):
        return [_dec(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, inner),) = value.items()
        if key.startswith("__") and not key.startswith("___"):
            return _MARKERS[key](inner)
    out = {}
    for key, v in value.items():
        if key.startswith("___"):
            key = key[1:]
        elif key.startswith("__"):
            raise ValueError(f"the marker {key!r} is among other keys")
        out[key] = _dec(v)
    return out


def _dec_float(text: Any) -> float:
    if text not in ("nan", "inf", "-inf"):
        raise ValueError(f"{text!r} is not a float the codec writes")
    return float(text)


def _dec_timestamp(spec: Any) -> Any:
    if spec is None:
        return pd.NaT
    iso, zone, unit = spec
    stamp = pd.Timestamp(iso)
    tz = _zone_from(zone)
    if tz is not None:
        stamp = stamp.tz_convert(tz)
    return stamp.as_unit(unit) if unit in _TIME_UNITS else stamp


def _dec_datetime(spec: Any) -> dt.datetime:
    iso, zone = spec
    when = dt.datetime.fromisoformat(iso)
    tz = _zone_from(zone)
    return when.astimezone(tz) if tz is not None else when


def _dec_pairs(pairs: Any) -> dict:
    out = {}
    for key, v in pairs:
        out[_dec(key)] = _dec(v)
    return out


_MARKERS: dict[str, Callable[[Any], Any]] = {
    "__float__": _dec_float,
    "__tuple__": lambda items: tuple(_dec(v) for v in items),
    "__dict__": _dec_pairs,
    "__frame__": lambda data: _frame_from_json(data),
    "__timestamp__": _dec_timestamp,
    "__datetime__": _dec_datetime,
    "__date__": dt.date.fromisoformat,
    "__na__": lambda _: pd.NA,
}


def _array_from_json(spec: dict) -> Any:
    """The numpy array or pandas extension array :func:`_array_to_json` wrote, with its dtype."""
    kind = spec["dtype"]
    if kind == "category":
        categories = _as_index(_array_from_json(spec["categories"]), None)
        return pd.Categorical.from_codes(
            spec["codes"], dtype=pd.CategoricalDtype(categories, ordered=bool(spec["ordered"]))
        )
    values = spec["values"]
    if not isinstance(values, list):
        raise TypeError("a column's values are not a list")
    if kind in ("datetime", "timedelta"):
        unit = spec["unit"]
        if unit not in _TIME_UNITS:
            raise ValueError(f"{unit!r} is not a unit of time")
        ticks = np.array([_NAT if v is None else v for v in values], dtype=np.int64)
        if kind == "timedelta":
            return ticks.view(f"m8[{unit}]")
        moments = ticks.view(f"M8[{unit}]")
        tz = _zone_from(spec.get("tz"))
        return moments if tz is None else pd.array(moments).tz_localize("UTC").tz_convert(tz)
    if kind == "string":
        na = np.nan if spec["na"] == "nan" else pd.NA
        try:
            dtype = pd.StringDtype(spec["storage"], na_value=na)
        except ImportError:  # saved with pyarrow, read without it: the same text, stored by Python
            dtype = pd.StringDtype("python", na_value=na)
        return pd.array(values, dtype=dtype)
    if kind == "boolean" or kind in _MASKED:
        return pd.array([None if v is None else _dec(v) for v in values], dtype=kind)
    if kind in _NUMPY:
        return np.array([_dec(v) for v in values], dtype=kind)
    if kind == "object":
        cells = np.empty(len(values), dtype=object)
        for i, v in enumerate(values):
            cells[i] = _dec(v)
        return cells
    raise ValueError(f"{kind!r} is not a column type the codec writes")


def _as_index(values: Any, name: Any) -> pd.Index:
    return pd.Index(values, dtype=values.dtype, name=name, copy=False)


def _index_from_json(spec: dict) -> pd.Index:
    name = _dec(spec["name"])
    if "range" in spec:
        start, stop, step = spec["range"]
        return pd.RangeIndex(start, stop, step, name=name)
    return _as_index(_array_from_json(spec["values"]), name)


def _frame_from_json(data: dict) -> pd.DataFrame:
    columns = _index_from_json(data["columns"])
    index = _index_from_json(data["index"])
    arrays = [_array_from_json(spec) for spec in data["data"]]
    if len(arrays) != len(columns) or any(len(a) != len(index) for a in arrays):
        raise ValueError("the table's columns, names and rows do not fit together")
    # built by position, then named: duplicate column names and index labels stay as they were
    frame = pd.DataFrame({i: pd.Series(a, dtype=a.dtype, copy=False) for i, a in enumerate(arrays)})
    frame = frame if arrays else pd.DataFrame(index=pd.RangeIndex(len(index)))
    frame.index = index
    frame.columns = columns
    attrs = _dec(data["attrs"])
    if not isinstance(attrs, dict):
        raise TypeError("a table's attrs are not a dict")
    frame.attrs.update(attrs)
    return frame


# -- the first codec (stores of layout 1 and 2): read as it was written ------------------------------------------
def _decode_v1(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:  # its markers were dicts of one key; a user's dict of more keys is a dict
            if "__frame__" in value:
                return _frame_from_json_v1(value["__frame__"])
            if "__timestamp__" in value:
                return pd.Timestamp(value["__timestamp__"])
            if "__float__" in value:
                return float(value["__float__"])
        return {k: _decode_v1(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode_v1(v) for v in value]
    return value


def _frame_from_json_v1(data: dict) -> pd.DataFrame:
    out = {}
    for entry in data["columns"]:
        kind, values = entry["kind"], entry["values"]
        if kind == "category":
            col = pd.Categorical.from_codes(
                values, categories=[_decode_v1(c) for c in entry["categories"]], ordered=entry["ordered"]
            )
        elif kind == "bool":
            col = pd.array(values, dtype="boolean") if None in values else np.array(values, dtype=bool)
        elif kind == "int":
            col = _ints_v1(values)
        elif kind == "float":
            col = np.array([np.nan if v is None else _decode_v1(v) for v in values], dtype=float)
        elif kind == "datetime":
            texts = pd.Series(values, dtype="object")
            try:
                col = pd.to_datetime(texts, format="ISO8601")
            except ValueError:  # times of one zone on both sides of a change of clocks: the instants, in UTC
                col = pd.to_datetime(texts, format="ISO8601", utc=True)
        elif kind == "str":
            col = pd.array(values, dtype="str")
        else:
            col = pd.Series([_decode_v1(v) for v in values], dtype="object")
        name = _decode_v1(entry["name"])
        out[tuple(name) if isinstance(name, list) else name] = col  # it wrote a tuple (a MultiIndex's) as a list
    frame = pd.DataFrame(out, index=pd.RangeIndex(data.get("rows", 0)) if not out else None)
    if data.get("index"):
        frame.index = pd.Index([_decode_v1(v) for v in data["index"]["values"]], name=_decode_v1(data["index"]["name"]))
    frame.attrs.update({k: _decode_v1(v) for k, v in data.get("attrs", {}).items()})
    return frame


def _ints_v1(values: list) -> Any:
    """Whole numbers as int64 (Int64 with missing ones), or uint64 beyond it, which the first codec wrote but
    could not read back."""
    given = [v for v in values if v is not None]
    missing = len(given) < len(values)
    if all(-(2**63) <= v < 2**63 for v in given):
        return pd.array(values, dtype="Int64") if missing else np.array(values, dtype=np.int64)
    if all(0 <= v < 2**64 for v in given):
        return pd.array(values, dtype="UInt64") if missing else np.array(values, dtype=np.uint64)
    return pd.Series(values, dtype="object")


# ---------------------------------------------------------------- the store
def _foreign(where: str) -> KamDataError:
    return KamDataError(
        "belongs to another program (it has tables or views that are not the workbook's); it was left as it is",
        source=where,
        fix="Point the workbook at its own file or database.",
    )


def _url_for(location: str | os.PathLike | None) -> tuple[str, Path | None]:
    if location is None:
        location = os.environ.get(ENV_URL) or Path.cwd() / DEFAULT_FILE
    return database_url(os.fspath(location))


class Store:
    """Saves and loads the workbook's artefacts, with history.

    Parameters
    ----------
    location:
        A database URL (``postgresql+psycopg://user:password@host:5432/db``,
        ``sqlite:///path``) or the path of a SQLite file.  By default the
        ``KAMWIDGETS_DB_URL`` environment variable, else ``kamwidgets.sqlite``
        in the current folder.
    workbook:
        The name work is filed under (a workshop, a team, a year...).
    keep_last:
        How many versions of each artefact a save keeps (default 50, or the
        ``KAMWIDGETS_KEEP_LAST`` environment variable; ``None`` or 0 keeps
        every version).  Older versions are removed, except the last one of
        each day, which is kept as that day's snapshot: autosave, which
        saves on every change, cannot fill the store, and any day's work can
        still be brought back.  Imports keep every version they bring.

    Raises
    ------
    KamDataError
        When the file is not a SQLite database, belongs to another program,
        or was made by a newer kamwidgets.  The file is left untouched.
    """

    def __init__(
        self, location: str | os.PathLike | None = None, *, workbook: str = "default", keep_last: int | None = -1
    ) -> None:
        if not isinstance(workbook, str) or not workbook.strip():
            raise KamDataError("the workbook needs a name", fix='For example Store(workbook="Workshop 2026").')
        self.workbook = _check_text(workbook, "workbook name", LIMITS["workbook"], "nothing was opened")
        self.keep_last = _keep_last(keep_last)
        if location is not None:
            location = _given_path(location, "store's location")
        self.url, self.path = _url_for(location)
        if self.path is not None:
            self._check_sqlite_file(self.path)
        # a connection lives only as long as one save or load, so nothing is
        # left open in a notebook that forgets to close the store
        try:
            self._db = open_database(self.url, self.path)
        except Exception as exc:  # a malformed URL, another database, a missing driver
            raise KamDataError(
                f"cannot use the database URL ({exc})",
                source=self.location,
                fix="Check the URL, e.g. postgresql+psycopg://user:password@localhost:5432/kam.",
            ) from None
        self._open()

    # -- where -------------------------------------------------------
    @property
    def location(self) -> str:
        """Where the work is kept, for showing to the user (no password)."""
        if self.path is not None:
            return str(self.path)
        try:
            return shown_url(self.url)
        except ValueError:
            return "the database URL"

    def __repr__(self) -> str:
        return f"Store({self.location!r}, workbook={self.workbook!r})"

    @staticmethod
    def _check_sqlite_file(path: Path) -> None:
        if path.is_dir():
            raise KamDataError("is a folder", source=str(path), fix="Give the path of a file for the store.")
        if not path.parent.exists():
            raise KamDataError(
                "the folder does not exist",
                source=str(path.parent),
                fix="Create the folder first, or choose another path.",
            )
        if path.exists() and path.stat().st_size > 0:
            with open(path, "rb") as fh:
                head = fh.read(len(_SQLITE_MAGIC))
            if head != _SQLITE_MAGIC:
                raise KamDataError(
                    "is not a kamwidgets store (not a SQLite database); it was left as it is",
                    source=str(path),
                    fix="Choose another file name for the store, or move this file away.",
                )
        # another program's file is recognised without opening it for writing (see SQLite.look)
        wal = path.with_name(path.name + "-wal")
        unwritten = wal.exists() and wal.stat().st_size > 0
        if not (path.exists() and path.stat().st_size > 0) and not unwritten:
            return  # a new store
        seen = SQLite(path).look() if path.exists() else (0, set())
        if seen is None:
            return  # SQLite cannot read it as it is on disk: the open says what is wrong
        app_id, names = seen
        if app_id not in (0, APPLICATION_ID) or (names and "kamwidgets_info" not in names):
            raise _foreign(str(path))
        if unwritten and not names and app_id == 0:
            raise KamDataError(
                "belongs to another program that has not finished writing it (its changes are still in the "
                f"{wal.name} file beside it); it was left as it is",
                source=str(path),
                fix="Open it once with the program that made it, or choose another file name for the store.",
            )

    def _open(self) -> None:
        for attempt in range(5):
            try:
                transaction = self._write()  # connects: a server that is not there is said at once
            except self._db.errors as err:
                if getattr(err, "sqlstate", None) in _BUSY_SERVER and attempt < 4:
                    time.sleep(0.2 * (attempt + 1))  # a server starting up, or full for a moment: try again
                    continue
                raise self._error(*_database_problem(err), "opened") from None
            try:
                with transaction as conn:
                    self._open_in(conn)
                return
            except self._db.errors as err:
                problem, text = _database_problem(err)
                if problem == "other" and attempt < 4:
                    time.sleep(0.2 * (attempt + 1))  # another process may be creating the tables right now
                    continue
                raise self._error(problem, text, "opened") from None

    def _error(self, problem: str, text: str, doing: str) -> KamDataError:
        """The :class:`KamDataError` for a database error met while the store was being ``doing``."""
        if problem == "damaged":
            return KamDataError(
                "is damaged or not a kamwidgets store; it was left as it is",
                source=self.location,
                fix="Restore it from a backup or an export.",
            )
        if problem == "read-only":
            where = self.path.parent if self.path is not None else self.location
            return KamDataError(
                "cannot be written (the file or its folder is read-only); nothing was changed",
                source=self.location,
                fix=f"Make {where} writable, or open the store in a folder you can write to.",
            )
        if problem == "denied":
            return KamDataError(
                f"refused: this login may not do that ({text}); nothing was changed",
                source=self.location,
                fix="On a shared server each participant's login keeps only their own workbook: work in it "
                "(kw.open_store() opens it); the facilitator's login reads and resets the room.",
            )
        return KamDataError(
            f"cannot be {doing} ({text}); nothing was changed",
            source=self.location,
            fix="Check that the database server is running and the URL is right, and that there is space left.",
        )

    @contextmanager
    def _database(self, doing: str) -> Iterator[None]:
        """Turn a database error inside the block into a :class:`KamDataError` (see :meth:`_error`)."""
        try:
            yield
        except self._db.errors as err:
            raise self._error(*_database_problem(err), doing) from None

    def _open_in(self, conn: Any) -> None:
        """Check, create or upgrade the tables, in the one transaction that opens the store."""
        sqlite = self._db.name == "sqlite"
        if sqlite:
            self._check_sqlite_integrity(conn)
        names = self._db.names(conn)
        app_id = conn.value("PRAGMA application_id") if sqlite else 0
        if app_id not in (0, APPLICATION_ID) or ("kamwidgets_info" not in names and names):
            raise _foreign(self.location)
        if "kamwidgets_info" in names and "kamwidgets_artefacts" not in names:
            raise KamDataError(
                "is damaged: it has the workbook store's table of settings but not its table of saved work "
                "(kamwidgets_artefacts); it was left as it is",
                source=self.location,
                fix="Restore it from a backup or an export (store.export() writes one), or choose another file.",
            )
        if "kamwidgets_info" not in names:
            for statement in _TABLES:
                conn.run(statement.format(id="INTEGER" if sqlite else "SERIAL"))
            conn.run(
                "INSERT INTO kamwidgets_info (\"key\", value) VALUES ('schema_version', :v)", {"v": str(SCHEMA_VERSION)}
            )
            if sqlite:
                conn.run(f"PRAGMA application_id = {APPLICATION_ID}")
            return
        raw = conn.value("SELECT value FROM kamwidgets_info WHERE \"key\" = 'schema_version'")
        try:
            version = int(raw)
        except (TypeError, ValueError):
            raise KamDataError(
                f"is damaged: its layout version is {raw!r}, not a number; it was left as it is",
                source=self.location,
                fix="Restore it from a backup or an export.",
            ) from None
        if version > SCHEMA_VERSION:
            raise KamDataError(
                f"was written by a newer kamwidgets (store layout {version}, this one reads up to "
                f"{SCHEMA_VERSION}); it was left as it is",
                source=self.location,
                fix="Update kamwidgets (pip install -U kamwidgets).",
            )
        for v in range(version, SCHEMA_VERSION):
            MIGRATIONS[v](conn)
        if version < SCHEMA_VERSION:
            conn.run(_SET_VERSION, {"v": str(SCHEMA_VERSION)})

    #: SQLite files checked in this process: path -> (size, mtime) when checked.
    _checked: dict[str, tuple[int, int]] = {}

    def _check_sqlite_integrity(self, conn: Any) -> None:
        """PRAGMA quick_check, once per process for each file (again only if the file changed since)."""
        if self.path is None or not self.path.exists():
            return
        stat = self.path.stat()
        if stat.st_size == 0:
            return
        stamp = (stat.st_size, stat.st_mtime_ns)
        if Store._checked.get(str(self.path)) == stamp:
            return
        page = int(conn.value("PRAGMA page_size") or 0)
        if page and stat.st_size % page:  # cut short: SQLite files are whole pages
            raise KamDataError(
                f"is damaged (its size, {stat.st_size:,} bytes, is not a whole number of pages); it was left as it is",
                source=self.location,
                fix="Restore it from a backup or an export (store.export() writes one).",
            )
        result = [r[0] for r in conn.rows("PRAGMA quick_check")]
        if result != ["ok"]:
            raise KamDataError(
                "is damaged (the database's own check failed: " + "; ".join(map(str, result[:3])) + "); "
                "it was left as it is",
                source=self.location,
                fix="Restore it from a backup or an export (store.export() writes one).",
            )
        Store._checked[str(self.path)] = stamp

    def _write(self) -> Any:
        """A connection in a write transaction (on SQLite, BEGIN IMMEDIATE: writers queue, none fail half-way)."""
        return self._db.transaction(write=True)

    def _read(self) -> Any:
        """A connection in a read transaction."""
        return self._db.transaction(write=False)

    def close(self) -> None:
        """Nothing to release: every save and load opens and closes its own connection (kept for ``with``)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- saving and loading ------------------------------------------
    def save(self, kind: str, data: Any, *, account: str = "", workbook: str | None = None, note: str = "") -> Version:
        """Save a new version of an artefact; returns its :class:`Version`.

        ``data`` is a dict (settings), a DataFrame, or a dict mixing both.
        The save is one transaction: it is there completely or not at all.
        """
        _check_key(kind, "kind")
        wb = self._workbook(workbook, "nothing was saved")
        try:
            payload = json.dumps(encode(data), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except KamDataError:
            raise
        except RecursionError:
            raise KamDataError(
                f"the data is nested more than {MAX_DEPTH} levels deep; nothing was saved",
                fix="Keep what is saved flatter: a table (DataFrame) holds many rows at one level.",
            ) from None
        except ValueError as err:  # a whole number of thousands of digits, which JSON readers refuse
            raise KamDataError(
                f"the data holds a value JSON cannot carry ({err}); nothing was saved",
                fix="Keep very long numbers as text.",
            ) from None
        _check_unicode(payload.removeprefix(_PAYLOAD_HEAD), "data", "nothing was saved")
        return self._insert(wb, kind, account, payload, _now(), note)

    def _workbook(self, workbook: object, outcome: str) -> str:
        """The workbook a call names (``None`` or "": this store's), checked as text the databases can hold."""
        if workbook is None or workbook == "":
            return self.workbook
        if not isinstance(workbook, str):
            raise KamDataError(
                f"the workbook name must be text, not {type(workbook).__name__} ({_shown(workbook)}); {outcome}",
                fix='For example workbook="Workshop 2026".',
            )
        return _check_text(workbook, "workbook name", None, outcome)

    def _row(self, workbook: str, kind: str, account: str, payload: str, saved_at: str, note: str, uid: str) -> dict:
        """The values of one version, checked against the limits every database shares."""
        _check_key(kind, "kind")
        account = _check_text(account, "account name")
        return dict(
            workbook=_check_text(workbook, "workbook name", LIMITS["workbook"]),
            kind=kind,
            account=account,
            account_key=_key(account),
            saved_at=saved_at,
            note=_check_text(note, "note"),
            payload=payload,
            checksum=_checksum(payload),
            uid=uid,
        )

    def _insert(self, workbook: str, kind: str, account: str, payload: str, saved_at: str, note: str) -> Version:
        row = self._row(workbook, kind, account, payload, saved_at, note, _new_uid())
        with self._database("saved"), self._write() as conn:
            new_id = int(conn.value(_INSERT + " RETURNING id", row))
            if self.keep_last:
                self._prune(conn, row)
        return Version(new_id, row["workbook"], kind, account, saved_at)

    def _prune(self, conn: Any, row: dict) -> None:
        """Remove versions of this artefact beyond the last ``keep_last``, keeping each day's last version."""
        versions = conn.rows(
            "SELECT id, saved_at FROM kamwidgets_artefacts "
            "WHERE workbook = :workbook AND kind = :kind AND account_key = :account_key " + _IN_TIME_ORDER,
            {k: row[k] for k in ("workbook", "kind", "account_key")},
        )
        if len(versions) <= self.keep_last:
            return
        keep = {row_id for row_id, _ in versions[-self.keep_last :]}
        last_of_day: dict[str, int] = {}
        for row_id, saved_at in versions:
            last_of_day[str(saved_at)[:10]] = row_id
        keep |= set(last_of_day.values())
        for row_id, _ in versions:
            if row_id not in keep:
                conn.run("DELETE FROM kamwidgets_artefacts WHERE id = :id", {"id": row_id})

    def load(
        self,
        kind: str,
        *,
        account: str = "",
        workbook: str | None = None,
        version: int | None = None,
        default: Any = KamDataError,
    ) -> Any:
        """The latest saved version (or ``version``, an id from :meth:`history`).

        When nothing is saved, returns ``default`` if given, else raises
        :class:`KamDataError`.
        """
        wb = self._workbook(workbook, "nothing was read")
        kind = _lookup(kind, "kind")
        account = _check_text(account, "account name", None, "nothing was read")
        query = (
            "SELECT payload, checksum, id FROM kamwidgets_artefacts "
            "WHERE workbook = :wb AND kind = :kind AND account_key = :key "
        )
        params: dict[str, Any] = {"wb": wb, "kind": kind, "key": _key(account)}
        row_id = None if version is None else _version_id(version)
        if version is None:
            query += "ORDER BY saved_at DESC, id DESC LIMIT 1"  # the newest by when it was saved
        else:  # that version, and it must be this kind of artefact for this account
            query += "AND id = :id"
            params["id"] = row_id
        found = []
        if version is None or row_id is not None:  # an id no database can hold names no version
            with self._database("read"), self._read() as conn:
                found = conn.rows(query, params)
        row = found[0] if found else None
        if row is None:
            if default is not KamDataError:
                return default
            what = f"{kind!r}" + (f" for account {account!r}" if account else "")
            raise KamDataError(
                f"nothing is saved as {what}" + (f" with version {version}" if version else ""),
                source=f"{self.location} [workbook {wb!r}]",
                fix="Save it first, or look at store.history() for what is there.",
            )
        payload, checksum, row_id = row
        if _checksum(payload) != checksum:
            raise KamDataError(
                f"version {row_id} is damaged (its checksum does not match)",
                source=self.location,
                fix="Load an earlier version from store.history().",
            )
        try:
            return decode(json.loads(payload))
        except (KamDataError, ValueError, RecursionError) as err:
            problem = err.problem if isinstance(err, KamDataError) else f"cannot be read back ({type(err).__name__})"
            raise KamDataError(
                f"version {row_id} of {kind!r} {problem}",
                source=f"{self.location} [workbook {wb!r}]",
                fix=(err.fix if isinstance(err, KamDataError) else None)
                or "Load an earlier version from store.history().",
            ) from None

    def history(
        self, kind: str | None = None, *, account: str | None = None, workbook: str | None = None
    ) -> pd.DataFrame:
        """Every saved version, oldest first: ``id``, ``workbook``, ``kind``, ``account``, ``saved_at``, ``note``.

        Oldest means saved first (``saved_at``), also for versions imported
        later from an export: an import never makes old work the latest.
        """
        query = "SELECT id, workbook, kind, account, saved_at, note FROM kamwidgets_artefacts WHERE workbook = :wb"
        params: dict[str, Any] = {"wb": self._workbook(workbook, "nothing was read")}
        if kind is not None:
            query += " AND kind = :kind"
            params["kind"] = _lookup(kind, "kind")
        if account is not None:
            query += " AND account_key = :key"
            params["key"] = _key(_check_text(account, "account name", None, "nothing was read"))
        with self._database("read"), self._read() as conn:
            rows = conn.rows(query + " " + _IN_TIME_ORDER, params)
        frame = pd.DataFrame(rows, columns=["id", "workbook", "kind", "account", "saved_at", "note"])
        frame["id"] = frame["id"].astype("int64")
        return frame

    def contents(self, *, workbook: str | None = None) -> pd.DataFrame:
        """The latest version of each artefact: one row per kind and account."""
        hist = self.history(workbook=workbook)  # in time order, so each group's last row is its latest
        latest = hist.groupby(["kind", "account"], sort=True, as_index=False).agg(
            id=("id", "last"), versions=("id", "size")
        )
        return latest.merge(hist[["id", "saved_at"]], on="id")

    def latest_everywhere(self, kind: str, *, prefix: bool = False, room: str | None = None) -> list[dict]:
        """The latest version of ``kind`` (or of every kind starting with it) in every workbook.

        For the workshop room: ``room`` keeps the workbooks named
        ``ROOM/NAME``.  Returns dicts ``workbook``, ``kind``, ``account``,
        ``saved_at`` and ``data``; a damaged version is skipped (its
        workbook's owner sees the error when they open it).
        """
        kind = _lookup(kind, "kind")
        room = None if room is None else _lookup(room, "room")
        # a prefix is compared as text (substr), not with LIKE, which SQLite matches without case
        where = "substr(kind, 1, :kind_len) = :kind" if prefix else "kind = :kind"
        params: dict[str, Any] = {"kind": kind, "kind_len": len(kind)} if prefix else {"kind": kind}
        if room:
            where += " AND substr(workbook, 1, :room_len) = :room"
            params.update(room=f"{room}/", room_len=len(room) + 1)
        # the latest of each artefact by when it was saved (ids follow imports, not time)
        query = (
            "SELECT workbook, kind, account, saved_at, payload, checksum FROM ("
            "SELECT workbook, kind, account, saved_at, payload, checksum, ROW_NUMBER() OVER ("
            "PARTITION BY workbook, kind, account_key ORDER BY saved_at DESC, id DESC) AS newest "
            f"FROM kamwidgets_artefacts WHERE {where}) AS ranked WHERE newest = 1 ORDER BY workbook, kind, account"
        )
        with self._database("read"), self._read() as conn:
            rows = conn.rows(query, params)
        out = []
        for wb, k, account, at, payload, checksum in rows:
            if _checksum(payload) != checksum:
                continue
            try:
                data = decode(json.loads(payload))
            except (ValueError, RecursionError) as err:  # KamDataError included
                # one participant's unreadable version must not stop the room's view of everyone else
                warnings.warn(
                    f"skipped {k!r} of workbook {wb!r} saved at {at}: it cannot be read back ({err})",
                    KamDataWarning,
                    stacklevel=2,
                )
                continue
            out.append({"workbook": wb, "kind": k, "account": account, "saved_at": at, "data": data})
        return out

    def workbooks(self) -> list[str]:
        """Names of the workbooks in this store."""
        with self._database("read"), self._read() as conn:
            return sorted(r[0] for r in conn.rows("SELECT DISTINCT workbook FROM kamwidgets_artefacts"))

    def remove_workbook(self, workbook: str, *, kept_in: str | os.PathLike) -> int:
        """Remove a whole workbook from the store, after writing it to ``kept_in`` (see :meth:`export`).

        The export comes first and must succeed, so the work can always be
        brought back with :meth:`import_`.  Returns how many versions were removed.
        """
        if not isinstance(workbook, str) or not workbook:
            raise KamDataError(
                f"remove_workbook needs the name of the workbook to remove, not {_shown(workbook)}; "
                "nothing was removed",
                fix='For example store.remove_workbook("Workshop/Ann", kept_in="Ann.json").',
            )
        self.export(kept_in, workbook=workbook)
        with self._database("removed"), self._write() as conn:
            count = conn.value("SELECT COUNT(*) FROM kamwidgets_artefacts WHERE workbook = :wb", {"wb": workbook})
            conn.run("DELETE FROM kamwidgets_artefacts WHERE workbook = :wb", {"wb": workbook})
        return int(count)

    # -- moving a workbook -------------------------------------------
    def export(self, path: str | os.PathLike, *, workbook: str | None = None) -> Path:
        """Write a whole workbook (every version) to one JSON file; returns its path.

        The file carries a checksum of everything in it (``checksum_covers``:
        ``"document"``), which :meth:`import_` checks.
        """
        target = target_file(_given_path(path, "export file's path"))
        wb = self._workbook(workbook, "nothing was exported")
        with self._database("read"), self._read() as conn:
            rows = conn.rows(
                "SELECT uid, kind, account, saved_at, note, payload FROM kamwidgets_artefacts "
                "WHERE workbook = :wb " + _IN_TIME_ORDER,
                {"wb": wb},
            )
        artefacts = [
            {
                "uid": uid,
                "kind": kind,
                "account": account,
                "saved_at": saved_at,
                "note": note or "",
                **_unwrapped(payload),
            }
            for uid, kind, account, saved_at, note, payload in rows
        ]
        head = {
            "format": EXPORT_FORMAT,
            "schema": SCHEMA_VERSION,
            "workbook": wb,
            "exported_at": _now(),
            "checksum_covers": CHECKSUM_COVERS,
        }
        doc = {**head, "checksum": export_checksum({**head, "artefacts": artefacts}), "artefacts": artefacts}
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
        write_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        return target

    def import_(self, path: str | os.PathLike, *, workbook: str | None = None) -> int:
        """Read a file written by :meth:`export` into this store; returns the number of versions added.

        Each version is imported once: a version already in the store (by its
        uid, or for files from before uids, by kind, account, time and
        content) is skipped, so importing twice, or two people importing the
        same file at once, adds nothing more.  Imported into another
        workbook than the one it was exported from (``workbook=``), the
        file is a copy: its versions get uids of their own there, so a
        workbook can be copied within one store (and copying it again adds
        nothing).  The whole file is checked (its checksum too) before
        anything is written, and written in one transaction: all or nothing.
        """
        source = Path(_given_path(path, "export file's path"))
        wb_asked = None if workbook is None else self._workbook(workbook, "nothing was imported")
        doc = _read_export(source)
        exported_from = doc.get("workbook")
        wb = wb_asked or exported_from or self.workbook  # checked with each row
        copy_into = wb if isinstance(exported_from, str) and wb != exported_from else None
        exported_at = _saving_time(doc.get("exported_at"))
        rows = [
            self._import_row(source, i, entry, wb, exported_at, copy_into)
            for i, entry in enumerate(doc["artefacts"], start=1)
        ]
        added = 0
        with self._database("written"), self._write() as conn:
            present = set(
                conn.rows(
                    "SELECT kind, account_key, saved_at, checksum FROM kamwidgets_artefacts WHERE workbook = :wb",
                    {"wb": wb},
                )
            )
            for row in rows:
                marker = (row["kind"], row["account_key"], row["saved_at"], row["checksum"])
                if marker in present:
                    continue
                added += self._insert_once(conn, row)
                present.add(marker)
        return added

    def _import_row(
        self, source: Path, number: int, entry: Any, workbook: str, exported_at: Any = None, copy_into: Any = None
    ) -> dict:
        """One exported version, checked: a clear error naming it, or the row to insert.

        ``copy_into``: the workbook a copy goes to, which gives the version a uid of its own there.
        """
        where = f"{source}, version {number}"
        if not isinstance(entry, dict) or "data" not in entry or not isinstance(entry.get("kind"), str):
            raise KamDataError(
                "is not a saved version (it needs a kind and data); nothing was imported",
                source=where,
                fix="Import a file written by store.export(), unchanged.",
            )
        try:
            saved = _wrapped(entry)
            decode(saved)  # it must load back later, not only import now
            payload = json.dumps(saved, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            _check_unicode(payload, "data", "nothing was imported")
        except (ValueError, RecursionError) as err:  # KamDataError included
            problem = err.problem if isinstance(err, KamDataError) else f"{type(err).__name__}: {err}"
            raise KamDataError(
                f"holds data that cannot be read back ({problem}); nothing was imported",
                source=where,
                fix="Import a file written by store.export(), unchanged.",
            ) from None
        # a version keeps when it was saved; one that does not say was saved before its export at the latest
        saved_at = _saving_time(entry.get("saved_at", exported_at or _OLDEST))
        if saved_at is None:
            raise KamDataError(
                f"has no time of saving one can read ({entry.get('saved_at')!r}); nothing was imported",
                source=where,
                fix="Import a file written by store.export(), unchanged: each version keeps when it was saved.",
            )
        account = entry.get("account")
        note = entry.get("note")
        uid = entry.get("uid")
        if not (isinstance(uid, str) and len(uid) == 32 and all(c in "0123456789abcdef" for c in uid)):
            # a file from before uids: the same content always gets the same uid
            uid = _checksum(_canonical([workbook, entry["kind"], account, saved_at, payload]))[:32]
        elif copy_into is not None:  # the same copy of the same version always gets the same uid
            uid = _checksum(_canonical(["copy", copy_into, uid]))[:32]
        try:
            return self._row(
                workbook,
                entry["kind"],
                "" if account is None else str(account),
                payload,
                saved_at,
                "" if note is None else str(note),
                uid,
            )
        except KamDataError as err:
            raise KamDataError(f"{err.problem}; nothing was imported", source=where, fix=err.fix) from None

    def _insert_once(self, conn: Any, row: dict) -> int:
        """Insert unless a version with the same uid is there (also when another process inserts it now)."""
        return len(conn.rows(_INSERT + " ON CONFLICT (uid) DO NOTHING RETURNING id", row))


def _unwrapped(payload: str) -> dict:
    """A saved payload as an export carries it: ``data`` as plain JSON, and the ``codec`` that wrote it (none for
    the first codec)."""
    value = json.loads(payload)
    if isinstance(value, dict) and set(value) == {_ENVELOPE, "value"} and type(value[_ENVELOPE]) is int:
        return {"codec": value[_ENVELOPE], "data": value["value"]}
    return {"data": value}


def _wrapped(entry: dict) -> Any:
    """The payload an exported version is saved as (the inverse of :func:`_unwrapped`)."""
    codec = entry.get("codec")
    if codec is None:
        return entry["data"]
    if type(codec) is not int or codec < CODEC:
        raise ValueError(f"codec {codec!r} is not one kamwidgets writes")
    if codec > CODEC:
        raise KamDataError(f"was saved by a newer kamwidgets (codec {codec})", fix="Update kamwidgets.")
    return {_ENVELOPE: codec, "value": entry["data"]}


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _read_export(source: Path) -> dict:
    """The export file's document, checked for its shape and checksum; the file is only read."""
    not_ours = KamDataError(
        "is not a workbook exported by kamwidgets; nothing was imported",
        source=str(source),
        fix="Choose a file written by store.export().",
    )
    try:
        doc = json.loads(source.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
    except FileNotFoundError:
        raise KamDataError("file not found", source=str(source), fix="Check the path.") from None
    except IsADirectoryError:
        raise KamDataError("is a folder, not an export file", source=str(source)) from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise not_ours from None
    if not (isinstance(doc, dict) and doc.get("format") == EXPORT_FORMAT and isinstance(doc.get("artefacts"), list)):
        raise not_ours
    schema = doc.get("schema", 1)
    if isinstance(schema, bool) or not isinstance(schema, int):
        raise KamDataError(
            f"has a layout version of {schema!r}, not a number; nothing was imported",
            source=str(source),
            fix="Import a file written by store.export(), unchanged.",
        )
    if schema > SCHEMA_VERSION:
        raise KamDataError(
            "was exported by a newer kamwidgets; nothing was imported", source=str(source), fix="Update kamwidgets."
        )
    checksum, covers = doc.get("checksum"), doc.get("checksum_covers")
    if not isinstance(checksum, str):
        raise KamDataError(
            'has no checksum (the "checksum" an export carries), so it cannot be checked; nothing was imported',
            source=str(source),
            fix="Import the file as store.export() wrote it; a file changed by hand is refused, "
            "so export the workbook again from its store.",
        )
    if covers == CHECKSUM_COVERS:
        expected = export_checksum(doc)
    elif covers is None and schema <= 2:  # written by layout 2, whose checksum covered the versions only
        expected = _checksum(_canonical(doc["artefacts"]))
    else:
        expected = None
    if checksum != expected:
        raise KamDataError(
            "was changed or damaged after it was exported (its checksum does not match); nothing was imported",
            source=str(source),
            fix="Export the workbook again from its store.",
        )
    workbook = doc.get("workbook")
    if workbook is not None and not isinstance(workbook, str):
        raise not_ours
    return doc


#: Where a hub tells the server whose it is.
HUB_USER = "JUPYTERHUB_USER"
#: Set in the kernel when a participant types their name in :class:`kamwidgets.WorkbookName`.
TYPED = "KAMWIDGETS_WORKBOOK"
#: Set by a workshop server (``deploy/jupyterhub_config.py``): hub users work in ``ROOM/USER``.
ROOM = "KAMWIDGETS_ROOM"


def workbook_name(workbook: str | None = None) -> str:
    """Whose work this is: the one rule every lesson, the app view and the room use.

    The name given (``workbook=``), else the page's ``?workbook=NAME``
    (Voila hands the page's query string to the kernel), else a name typed
    in :class:`kamwidgets.WorkbookName` in this kernel, else the hub user
    when running under JupyterHub (``ROOM/USER`` when the server sets
    ``KAMWIDGETS_ROOM``), else ``"default"``.  A workshop groups its
    workbooks as ``ROOM/NAME``.

    >>> workbook_name("Team A")
    'Team A'
    """
    if workbook is None:
        from urllib.parse import parse_qs

        from .page_assets import wait_for_page

        wait_for_page()  # a kernel Voila preheated learns the page's address only now

        asked = parse_qs(os.environ.get("QUERY_STRING", "")).get("workbook", [""])[0]
        hub_user, room = os.environ.get(HUB_USER, ""), os.environ.get(ROOM, "").strip().strip("/")
        if hub_user and room:
            hub_user = f"{room}/{hub_user}"
        workbook = asked or os.environ.get(TYPED) or hub_user or "default"
    name = str(workbook).strip()
    if not name or len(name) > 200 or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise KamDataError(
            f"{name[:60]!r} cannot name a workbook",
            fix="Use 1 to 200 characters without control characters, e.g. 'Workshop/Ann'.",
        )
    return name


def saved_portfolio(store: Store) -> pd.DataFrame | None:
    """The portfolio last loaded into this workbook with :class:`kamwidgets.DataPicker`, or None.

    ``attrs["source"]`` names the file it came from.
    """
    data = store.load("portfolio", default=None)
    frame = data.get("value") if isinstance(data, dict) else None
    if not isinstance(frame, pd.DataFrame) or "account" not in frame.columns:
        return None  # nothing loaded, or the sample chosen again
    frame.attrs["source"] = str((data.get("settings") or {}).get("file") or "your file")
    return frame


def my_portfolio(store: Store | None = None) -> Any:
    """The portfolio this workbook loaded with :class:`kamwidgets.DataPicker`, else the sample.

    ``attrs["source"]`` says which (see :func:`kamwidgets.samples.is_sample`), so a
    lesson can tell the participant what it is working on.  ``store``
    defaults to :func:`open_store` (the workbook chosen by :func:`workbook_name`).
    """
    from .samples import sample_portfolio

    store = store if store is not None else open_store()
    saved = saved_portfolio(store)
    return saved if saved is not None else sample_portfolio()


def open_store(location: str | os.PathLike | None = None, *, workbook: str | None = None) -> Store:
    """Open (or create) the workbook store for this participant's workbook and say where it is.

    The workbook is chosen by :func:`workbook_name`.
    """
    store = Store(location, workbook=workbook_name(workbook))
    if "QUERY_STRING" in os.environ:  # the app view (Voila): the participant has no use for a server path
        print(f"Your work is kept in the workbook {store.workbook!r}.")
    else:
        print(f"Your work is saved in {store.location} (workbook {store.workbook!r}).")
    return store


# ---------------------------------------------------------------- a store shared by roles
#: The PostgreSQL role every login made by :func:`grant_workbooks` belongs to; it holds the table rights.
MEMBERS = "kamwidgets_members"
#: Which workbooks each login may use: ``own`` (one workbook, to read, save and prune) or ``room`` (every
#: workbook whose name starts with ``workbook``, e.g. ``Workshop/``, to read and remove).  A login sees only its
#: own rows of this table too.
_ACCESS = (
    "CREATE TABLE IF NOT EXISTS kamwidgets_access (role_name NAME NOT NULL, workbook VARCHAR(201) NOT NULL, "
    "rights VARCHAR(8) NOT NULL CHECK (rights IN ('own', 'room')), PRIMARY KEY (role_name, workbook, rights))"
)
_MAY = (
    "EXISTS (SELECT 1 FROM kamwidgets_access a WHERE a.role_name = current_user AND a.rights = '{rights}' AND {match})"
)
_OWN = _MAY.format(rights="own", match="a.workbook = kamwidgets_artefacts.workbook")
_ROOM = _MAY.format(rights="room", match="substr(kamwidgets_artefacts.workbook, 1, length(a.workbook)) = a.workbook")
#: Row-level security: the tables' owner (and a superuser) sees every row; any other login only the rows its
#: entries in kamwidgets_access give it.  Run again, it puts the same policies back.
_SHARING = (
    _ACCESS,
    "ALTER TABLE kamwidgets_access ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS kamwidgets_mine ON kamwidgets_access",
    "CREATE POLICY kamwidgets_mine ON kamwidgets_access FOR SELECT USING (role_name = current_user)",
    "ALTER TABLE kamwidgets_artefacts ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS kamwidgets_own ON kamwidgets_artefacts",
    f"CREATE POLICY kamwidgets_own ON kamwidgets_artefacts USING ({_OWN}) WITH CHECK ({_OWN})",
    "DROP POLICY IF EXISTS kamwidgets_room_read ON kamwidgets_artefacts",
    f"CREATE POLICY kamwidgets_room_read ON kamwidgets_artefacts FOR SELECT USING ({_ROOM})",
    "DROP POLICY IF EXISTS kamwidgets_room_remove ON kamwidgets_artefacts",
    f"CREATE POLICY kamwidgets_room_remove ON kamwidgets_artefacts FOR DELETE USING ({_ROOM})",
    f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{MEMBERS}') "
    f"THEN CREATE ROLE {MEMBERS} NOLOGIN; END IF; END $$",
    f"GRANT SELECT ON kamwidgets_info, kamwidgets_access TO {MEMBERS}",
    f"GRANT SELECT, INSERT, DELETE ON kamwidgets_artefacts TO {MEMBERS}",
)


#: Whether an existing role is not a workbook login (a superuser is a member of every role, so asked directly).
_FOREIGN_ROLE = (
    "SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolbypassrls OR r.rolreplication OR NOT EXISTS ("
    "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid AND g.rolname = %s"
    ") FROM pg_roles r WHERE r.rolname = %s"
)


def _owner_connection(location: str | os.PathLike, doing: str) -> tuple[Store, Any]:
    """The store at ``location`` (tables made or brought up to date first) and a psycopg connection to it."""
    store = Store(location, workbook="default")
    if store.path is not None:
        raise KamDataError(
            f"is a SQLite file, which keeps no logins; nothing was {doing}",
            source=store.location,
            fix="Share a PostgreSQL store by role; a SQLite store is one person's.",
        )
    import psycopg

    return store, psycopg.connect(store._db.conninfo)  # type: ignore[union-attr]


def _owner_error(store: Store, err: Any, doing: str) -> KamDataError:
    """The error of :func:`share_by_role` or :func:`grant_workbooks` (run by the store's owner, not a participant)."""
    problem, text = _database_problem(err)
    if problem == "denied":
        return KamDataError(
            f"this login may not share the store by role ({text}); nothing was {doing}",
            source=store.location,
            fix="Use the URL of the login that owns the store's tables and may create roles (the hub's superuser).",
        )
    return store._error(problem, text, doing)


def share_by_role(location: str | os.PathLike) -> None:
    """Make the PostgreSQL store at ``location`` one where each login sees only the workbooks it is given.

    The database enforces it (row-level security on the workbook of every
    saved version): a login given its own workbook by
    :func:`grant_workbooks` reads, saves and prunes there only, and a
    room's login also reads and removes the room's workbooks; neither can
    change the tables.  Run as the tables' owner (the hub's superuser), who
    still sees everything, as on any store.  Safe to run again.  Logins and
    stores that never call it work as before.
    """
    store, raw = _owner_connection(location, "changed")
    import psycopg
    from psycopg import sql

    try:
        with raw:
            for statement in _SHARING:
                raw.execute(statement.encode())
            sequence = raw.execute("SELECT pg_get_serial_sequence('kamwidgets_artefacts', 'id')").fetchone()[0]
            raw.execute(sql.SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(sql.SQL(sequence), sql.Identifier(MEMBERS)))
            # nobody else creates objects in the store's schema (an object there could stand in for one the
            # owner's statements use)
            raw.execute(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(sql.Identifier(_schema(raw))))
    except psycopg.Error as err:
        raise _owner_error(store, err, "changed") from None


def _schema(raw: Any) -> str:
    return str(raw.execute("SELECT current_schema()").fetchone()[0])


def grant_workbooks(
    location: str | os.PathLike, role: str, *, password: str, own: list[str], room: str | None = None
) -> str:
    """Give the PostgreSQL login ``role`` (made if missing) the workbooks ``own``, and ``room``'s to read and
    remove; returns the store's URL for that login (``location`` with ``role`` and ``password``).

    Its earlier workbooks and its earlier password are replaced.  The login
    is never a superuser and may not create roles, databases or tables; a
    role of that name this function did not make is refused, not changed.
    The store must be shared by role first (:func:`share_by_role`); run as
    its owner.
    """
    for workbook in [*own, *([room] if room else [])]:
        _check_text(workbook, "workbook name", LIMITS["workbook"], "nothing was granted")
    if not role or len(role.encode()) > 63 or "\x00" in role:
        raise KamDataError(f"{role!r} cannot name a login", fix="Use 1 to 63 characters.")
    store, raw = _owner_connection(location, "granted")
    import psycopg
    from psycopg import sql

    login = sql.Identifier(role)
    try:
        with raw:
            found = raw.execute(_FOREIGN_ROLE, [MEMBERS, role]).fetchone()
            if found is not None and found[0]:
                raise KamDataError(
                    f"the database already has a role {role!r} that is not a workbook login; it was left as it is",
                    source=store.location,
                    fix="Give this participant another name.",
                )
            raw.execute(
                sql.SQL(
                    "{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT "
                    "CONNECTION LIMIT 20 PASSWORD {}"
                ).format(sql.SQL("ALTER" if found else "CREATE"), login, sql.Literal(password))
            )
            raw.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(MEMBERS), login))
            raw.execute("DELETE FROM kamwidgets_access WHERE role_name = %s", [role])
            rows = [(role, w, "own") for w in dict.fromkeys(own)] + ([(role, f"{room}/", "room")] if room else [])
            with raw.cursor() as cur:
                cur.executemany("INSERT INTO kamwidgets_access (role_name, workbook, rights) VALUES (%s, %s, %s)", rows)
    except psycopg.Error as err:
        raise _owner_error(store, err, "granted") from None
    return with_login(store.url, role, password)


#: The tables, written once for both databases (``{id}``: the id column's type, INTEGER on SQLite, SERIAL on
#: PostgreSQL).  The same tables the store has had since layout 1 (the uid since layout 2).
_TABLES = (
    'CREATE TABLE kamwidgets_info ("key" VARCHAR(64) NOT NULL, value VARCHAR(256) NOT NULL, PRIMARY KEY ("key"))',
    "CREATE TABLE kamwidgets_artefacts (id {id} NOT NULL, workbook VARCHAR(200) NOT NULL, "
    "kind VARCHAR(100) NOT NULL, account TEXT NOT NULL, account_key VARCHAR(64) NOT NULL, "
    "saved_at VARCHAR(40) NOT NULL, note TEXT, payload TEXT NOT NULL, checksum VARCHAR(64) NOT NULL, "
    "uid VARCHAR(32), PRIMARY KEY (id))",
    "CREATE INDEX ix_kamwidgets_lookup ON kamwidgets_artefacts (workbook, kind, account_key, id)",
    "CREATE UNIQUE INDEX ux_kamwidgets_uid ON kamwidgets_artefacts (uid)",
)
_SET_VERSION = "UPDATE kamwidgets_info SET value = :v WHERE \"key\" = 'schema_version'"
_COLUMNS = ("workbook", "kind", "account", "account_key", "saved_at", "note", "payload", "checksum", "uid")
_INSERT = f"INSERT INTO kamwidgets_artefacts ({', '.join(_COLUMNS)}) VALUES ({', '.join(':' + c for c in _COLUMNS)})"


#: PostgreSQL's answers to a connection that are worth trying again shortly: too many clients at this moment
#: (53300), the server is starting up or shutting down (57P03).  Anything else (no server there, a wrong
#: password or database) is said at once.
_BUSY_SERVER = frozenset({"53300", "57P03"})


def _database_problem(err: Any) -> tuple[str, str]:
    """``(problem, first line of the driver's message)``; problem is "damaged", "read-only", "denied" or "other"."""
    text = str(err.orig) if getattr(err, "orig", None) else str(err)
    first = (text.strip().splitlines() or [""])[0]
    lowered = text.lower()
    if "not a database" in lowered or "malformed" in lowered:
        return "damaged", first
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return "read-only", first
    if getattr(err, "sqlstate", None) == "42501":  # insufficient privilege: the login may not (see share_by_role)
        return "denied", first
    return "other", first


def _check_key(value: str, what: str) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > LIMITS["kind"] or "\x00" in value:
        raise KamDataError(
            f"the {what} {_shown(value)} cannot be used",
            fix=f"Give the {what} a short name (up to {LIMITS['kind']} characters).",
        )
    _check_unicode(value, what, "nothing was saved")


def _lookup(value: object, what: str) -> str:
    """Text a version is looked up by, checked like text that is saved (a clear error, not a database's)."""
    if not isinstance(value, str):
        raise KamDataError(
            f"the {what} must be text, not {type(value).__name__} ({_shown(value)}); nothing was read",
            fix=f'Give the {what} as it was saved, e.g. store.load("classification").',
        )
    return _check_text(value, what, None, "nothing was read")


def _shown(value: object) -> str:
    """A short, printable spelling of what the user gave (for messages)."""
    text = ascii(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _given_path(value: object, what: str) -> str:
    """A path (or URL) the user gave, as text, or a clear error when it cannot be one."""
    try:
        text = os.fspath(value)  # type: ignore[call-overload]
    except TypeError:
        raise KamDataError(
            f"the {what} must be a path or a URL, not {type(value).__name__} ({_shown(value)})",
            fix="Give it as text, e.g. 'work.sqlite', or as a pathlib.Path.",
        ) from None
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if "\x00" in text:
        raise KamDataError(
            f"the {what} contains a NUL character, which no file name or URL can hold ({_shown(text)})",
            fix="Type the path again (the character is invisible; it often comes from copying out of another program).",
        )
    return text


def _check_unicode(text: str, what: str, outcome: str) -> None:
    """Refuse text that is not valid Unicode (a lone surrogate such as '\\ud800'), which no database can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise KamDataError(
            f"the {what} holds a character that is not valid Unicode ({ascii(text[err.start])}, a lone surrogate, "
            f"after {ascii(text[max(0, err.start - 30) : err.start])}); {outcome}",
            fix="Remove the character; it comes from text decoded the wrong way (read the file again with its "
            "right encoding).",
        ) from None


def _key(account: str) -> str:
    return hashlib.sha256(str(account).encode("utf-8")).hexdigest()


#: Environment variable for how many versions of each artefact a save keeps.
ENV_KEEP_LAST = "KAMWIDGETS_KEEP_LAST"


def _keep_last(value: int | None) -> int:
    """The number of versions to keep (0: all); -1 means the default (environment, else 50)."""
    if value == -1:
        text = os.environ.get(ENV_KEEP_LAST, "50").strip()
        try:
            value = int(text)
        except ValueError:
            raise KamDataError(
                f"{ENV_KEEP_LAST}={text!r} is not a whole number", fix="Set it to e.g. 50, or 0 to keep every version."
            ) from None
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise KamDataError(
            f"keep_last must be a whole number of 0 or more (or None), not {value!r}",
            fix="For example keep_last=50; 0 or None keeps every version.",
        )
    return value


def _canonical(value: Any) -> str:
    """One spelling of a JSON value, for checksums."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":"))


def _new_uid() -> str:
    import uuid

    return uuid.uuid4().hex


def _check_text(value: object, what: str, limit: int | None = None, outcome: str = "nothing was saved") -> str:
    """Text the store can keep on SQLite and PostgreSQL alike (valid Unicode without NUL, within the column's
    length); ``outcome`` says what the refusal means (e.g. "nothing was saved")."""
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise KamDataError(
            f"the {what} contains a NUL character, which a database cannot keep; {outcome}",
            fix="Remove the character (it is invisible; it often comes from copying out of another program).",
        )
    _check_unicode(text, what, outcome)
    if limit is not None and len(text) > limit:
        raise KamDataError(
            f"the {what} is {len(text):,} characters long; at most {limit} fit; {outcome}",
            fix=f"Use a shorter {what}.",
        )
    return text


def _version_id(version: object) -> int | None:
    """A version id as the database holds it; None for a whole number no version can have (it names none)."""
    number: int | None = None
    if isinstance(version, (int, np.integer)) and not isinstance(version, (bool, np.bool_)):
        number = int(version)
    elif isinstance(version, float) and version.is_integer():
        number = int(version)
    elif isinstance(version, str) and re.fullmatch(r"\s*[0-9]{1,40}\s*", version):
        number = int(version)
    if number is None:
        raise KamDataError(
            f"version {_shown(version)} is not a version id (a whole number); nothing was read",
            fix="Use an id from the 'id' column of store.history(kind).",
        )
    return number if 0 < number < 2**63 else None


def _checksum(payload: str) -> str:
    # surrogatepass: text that is not valid Unicode (refused when saved) still gets a checksum, not an exception
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def export_checksum(doc: dict) -> str:
    """The checksum of an export's document: everything in it but the ``"checksum"`` itself.

    It finds a file damaged or changed after its export (any value, the
    workbook's name included); it is no signature: whoever changes a file
    on purpose can write a new checksum too.
    """
    return _checksum(_canonical({k: v for k, v in doc.items() if k != "checksum"}))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


#: The time given to an imported version that says nothing of when it was saved, nor its export: the oldest.
_OLDEST = "0001-01-01T00:00:00+00:00"

#: Versions in the order they were saved: the time first (imports keep theirs), the id for the same instant.
_IN_TIME_ORDER = "ORDER BY saved_at, id"


def _saving_time(value: Any) -> str | None:
    """A version's time of saving as :func:`_now` writes it (UTC, to the microsecond), so text order is time order.

    A time without a zone is taken as UTC; anything that is not a time gives ``None``.
    """
    if not isinstance(value, str) or not 0 < len(value) <= 40:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="microseconds")

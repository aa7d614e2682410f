"""The store's value codec: what a saved value becomes as JSON, and back (the first codec's values too)."""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..errors import KamDataError

#: The codec's version, written around every saved value: ``{"__codec__": 2, "value": ...}``.  It answers
#: *how was this one value written as JSON?* (its DataFrames' dtypes, dates, keys); a payload without it was
#: written by the first codec (stores of layout 1 and 2) and is read as that codec wrote it.  The other two
#: versions: which tables the store has (:data:`kamwidgets.store.layout.SCHEMA_VERSION`) and what a kind of
#: saved work holds (:mod:`kamwidgets.model.upgrades`).
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

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
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._database import database_url, open_database, shown_url
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
]

#: Environment variable with a database URL (e.g. ``postgresql+psycopg://user@host/db``).
ENV_URL = "KAMWIDGETS_DB_URL"
#: File name of the default SQLite store, in the current folder.
DEFAULT_FILE = "kamwidgets.sqlite"
#: The layout of the tables; raised when it changes, with a step in MIGRATIONS.
#: 1: the first layout.  2: every version has a ``uid`` (unique), which an
#: export carries, so importing the same versions again adds nothing.
SCHEMA_VERSION = 2
EXPORT_FORMAT = "kamwidgets-workbook"
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


#: ``MIGRATIONS[v]`` upgrades a store from version ``v`` to ``v + 1`` inside
#: the transaction that opens it (one path: every upgrade goes through here).
#: It is given the store's connection (``kamwidgets._database.Connection``:
#: ``run``, ``rows`` and ``value``, SQL with ``:name`` parameters).
MIGRATIONS: dict[int, Callable[[Any], None]] = {1: _migrate_1_to_2}


@dataclass(frozen=True)
class Version:
    """One saved version of an artefact."""

    id: int
    workbook: str
    kind: str
    account: str
    saved_at: str


# ---------------------------------------------------------------- encoding
def encode(value: Any) -> Any:
    """Plain JSON data for ``value``: dicts, lists, numbers, text, DataFrames, timestamps."""
    if isinstance(value, pd.DataFrame):
        return {"__frame__": _frame_to_json(value)}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return {"__timestamp__": pd.Timestamp(value).isoformat()}
    if isinstance(value, np.generic):
        return encode(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if value is pd.NA:
        return None
    raise KamDataError(
        f"a {type(value).__name__} cannot be saved in the workbook store",
        fix="Save tables as DataFrames and settings as dicts of text and numbers.",
    )


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "__frame__" in value:
            return _frame_from_json(value["__frame__"])
        if "__timestamp__" in value:
            return pd.Timestamp(value["__timestamp__"])
        if "__float__" in value:
            return float(value["__float__"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def _cell(v: Any) -> Any:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, float) and not math.isfinite(v):
        return {"__float__": repr(v)}
    return encode(v)


def _frame_to_json(frame: pd.DataFrame) -> dict:
    columns = []
    for name in frame.columns:
        col = frame[name]
        dtype = col.dtype
        entry: dict[str, Any] = {"name": encode(name)}
        if isinstance(dtype, pd.CategoricalDtype):
            entry.update(
                kind="category",
                categories=[encode(c) for c in dtype.categories],
                ordered=bool(dtype.ordered),
                values=col.cat.codes.astype(int).tolist(),
            )
        elif pd.api.types.is_bool_dtype(dtype):
            entry.update(kind="bool", values=[None if pd.isna(v) else bool(v) for v in col])
        elif pd.api.types.is_integer_dtype(dtype):
            entry.update(kind="int", values=[None if pd.isna(v) else int(v) for v in col])
        elif pd.api.types.is_float_dtype(dtype):
            entry.update(kind="float", values=[_cell(v) for v in col.tolist()])
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            entry.update(kind="datetime", values=[None if pd.isna(v) else v.isoformat() for v in col])
        elif pd.api.types.is_string_dtype(dtype) and dtype != np.dtype(object):
            entry.update(kind="str", values=[None if pd.isna(v) else str(v) for v in col])
        else:
            entry.update(kind="object", values=[_cell(v) for v in col.tolist()])
        columns.append(entry)
    index = (
        None
        if isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1
        else {"name": encode(frame.index.name), "values": [_cell(v) for v in frame.index.tolist()]}
    )
    attrs = {}
    for key, val in frame.attrs.items():
        try:
            attrs[str(key)] = encode(val)
        except KamDataError:
            continue
    return {"columns": columns, "index": index, "attrs": attrs, "rows": len(frame)}


def _frame_from_json(data: dict) -> pd.DataFrame:
    out = {}
    for entry in data["columns"]:
        kind, values = entry["kind"], entry["values"]
        if kind == "category":
            col = pd.Categorical.from_codes(
                values, categories=[decode(c) for c in entry["categories"]], ordered=entry["ordered"]
            )
        elif kind == "bool":
            col = pd.array(values, dtype="boolean") if None in values else np.array(values, dtype=bool)
        elif kind == "int":
            col = pd.array(values, dtype="Int64") if None in values else np.array(values, dtype=np.int64)
        elif kind == "float":
            col = np.array([np.nan if v is None else decode(v) for v in values], dtype=float)
        elif kind == "datetime":
            col = pd.to_datetime(pd.Series(values, dtype="object"), format="ISO8601")
        elif kind == "str":
            col = pd.array(values, dtype="str")
        else:
            col = pd.Series([decode(v) for v in values], dtype="object")
        out[decode(entry["name"])] = col
    frame = pd.DataFrame(out, index=pd.RangeIndex(data.get("rows", 0)) if not out else None)
    if data.get("index"):
        frame.index = pd.Index([decode(v) for v in data["index"]["values"]], name=decode(data["index"]["name"]))
    frame.attrs.update({k: decode(v) for k, v in data.get("attrs", {}).items()})
    return frame


# ---------------------------------------------------------------- the store
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
        self.workbook = _check_text(workbook, "workbook name", LIMITS["workbook"])
        self.keep_last = _keep_last(keep_last)
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
            raise KamDataError(
                "belongs to another program (it has tables or views that are not the workbook's); it was left as it is",
                source=self.location,
                fix="Point the workbook at its own file or database.",
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
        payload = json.dumps(encode(data), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return self._insert(workbook or self.workbook, kind, account, payload, _now(), note)

    def _row(self, workbook: str, kind: str, account: str, payload: str, saved_at: str, note: str, uid: str) -> dict:
        """The values of one version, checked against the limits every database shares."""
        _check_key(kind, "kind")
        return dict(
            workbook=_check_text(workbook, "workbook name", LIMITS["workbook"]),
            kind=kind,
            account=_check_text(account, "account name"),
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
        wb = workbook or self.workbook
        query = (
            "SELECT payload, checksum, id FROM kamwidgets_artefacts "
            "WHERE workbook = :wb AND kind = :kind AND account_key = :key "
        )
        params: dict[str, Any] = {"wb": wb, "kind": kind, "key": _key(account)}
        if version is not None:  # that version, and it must be this kind of artefact for this account
            query += "AND id = :id"
            params["id"] = int(version)
        else:
            query += "ORDER BY saved_at DESC, id DESC LIMIT 1"  # the newest by when it was saved
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
        return decode(json.loads(payload))

    def history(
        self, kind: str | None = None, *, account: str | None = None, workbook: str | None = None
    ) -> pd.DataFrame:
        """Every saved version, oldest first: ``id``, ``workbook``, ``kind``, ``account``, ``saved_at``, ``note``.

        Oldest means saved first (``saved_at``), also for versions imported
        later from an export: an import never makes old work the latest.
        """
        query = "SELECT id, workbook, kind, account, saved_at, note FROM kamwidgets_artefacts WHERE workbook = :wb"
        params: dict[str, Any] = {"wb": workbook or self.workbook}
        if kind is not None:
            query += " AND kind = :kind"
            params["kind"] = kind
        if account is not None:
            query += " AND account_key = :key"
            params["key"] = _key(account)
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
            except (KamDataError, KeyError, TypeError, ValueError, OverflowError, RecursionError) as err:
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
        self.export(kept_in, workbook=workbook)
        with self._database("removed"), self._write() as conn:
            count = conn.value("SELECT COUNT(*) FROM kamwidgets_artefacts WHERE workbook = :wb", {"wb": workbook})
            conn.run("DELETE FROM kamwidgets_artefacts WHERE workbook = :wb", {"wb": workbook})
        return int(count)

    # -- moving a workbook -------------------------------------------
    def export(self, path: str | os.PathLike, *, workbook: str | None = None) -> Path:
        """Write a whole workbook (every version) to one JSON file; returns its path."""
        wb = workbook or self.workbook
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
                "data": json.loads(payload),
            }
            for uid, kind, account, saved_at, note, payload in rows
        ]
        doc = {
            "format": EXPORT_FORMAT,
            "schema": SCHEMA_VERSION,
            "workbook": wb,
            "exported_at": _now(),
            "checksum": _checksum(_canonical(artefacts)),
            "artefacts": artefacts,
        }
        target = target_file(path)
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
        write_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        return target

    def import_(self, path: str | os.PathLike, *, workbook: str | None = None) -> int:
        """Read a file written by :meth:`export` into this store; returns the number of versions added.

        Each version is imported once: a version already in the store (by its
        uid, or for files from before uids, by kind, account, time and
        content) is skipped, so importing twice, or two people importing the
        same file at once, adds nothing more.  The whole file is checked
        before anything is written, and written in one transaction: all or
        nothing.
        """
        source = Path(path)
        doc = _read_export(source)
        wb = workbook or doc.get("workbook") or self.workbook  # checked with each row
        exported_at = _saving_time(doc.get("exported_at"))
        rows = [
            self._import_row(source, i, entry, wb, exported_at) for i, entry in enumerate(doc["artefacts"], start=1)
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

    def _import_row(self, source: Path, number: int, entry: Any, workbook: str, exported_at: Any = None) -> dict:
        """One exported version, checked: a clear error naming it, or the row to insert."""
        where = f"{source}, version {number}"
        if not isinstance(entry, dict) or "data" not in entry or not isinstance(entry.get("kind"), str):
            raise KamDataError(
                "is not a saved version (it needs a kind and data); nothing was imported",
                source=where,
                fix="Import a file written by store.export(), unchanged.",
            )
        try:
            decode(entry["data"])  # it must load back later, not only import now
        except (KamDataError, KeyError, TypeError, ValueError) as err:
            raise KamDataError(
                f"holds data that cannot be read back ({type(err).__name__}: {err}); nothing was imported",
                source=where,
                fix="Import a file written by store.export(), unchanged.",
            ) from None
        payload = json.dumps(entry["data"], ensure_ascii=False, allow_nan=False, separators=(",", ":"))
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
            uid = hashlib.sha256(
                _canonical([workbook, entry["kind"], account, saved_at, payload]).encode("utf-8")
            ).hexdigest()[:32]
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
            raise KamDataError(f"{err}; nothing was imported", source=where) from None

    def _insert_once(self, conn: Any, row: dict) -> int:
        """Insert unless a version with the same uid is there (also when another process inserts it now)."""
        return len(conn.rows(_INSERT + " ON CONFLICT (uid) DO NOTHING RETURNING id", row))


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
    if "checksum" in doc and doc["checksum"] != _checksum(_canonical(doc["artefacts"])):
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
    """``(problem, first line of the driver's message)``; problem is "damaged", "read-only" or "other"."""
    text = str(err.orig) if getattr(err, "orig", None) else str(err)
    first = (text.strip().splitlines() or [""])[0]
    lowered = text.lower()
    if "not a database" in lowered or "malformed" in lowered:
        return "damaged", first
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return "read-only", first
    return "other", first


def _check_key(value: str, what: str) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > LIMITS["kind"] or "\x00" in value:
        raise KamDataError(
            f"the {what} {value!r} cannot be used",
            fix=f"Give the {what} a short name (up to {LIMITS['kind']} characters).",
        )


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


def _check_text(value: object, what: str, limit: int | None = None) -> str:
    """Text the store can keep on SQLite and PostgreSQL alike (no NUL, within the column's length)."""
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise KamDataError(
            f"the {what} contains a NUL character, which a database cannot keep; nothing was saved",
            fix="Remove the character (it is invisible; it often comes from copying out of another program).",
        )
    if limit is not None and len(text) > limit:
        raise KamDataError(
            f"the {what} is {len(text):,} characters long; at most {limit} fit; nothing was saved",
            fix=f"Use a shorter {what}.",
        )
    return text


def _checksum(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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

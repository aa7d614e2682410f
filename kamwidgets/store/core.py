"""The :class:`Store`: saves and loads the workbook's artefacts, with history, on SQLite or PostgreSQL."""

from __future__ import annotations

import json
import os
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config
from .._files import target_file
from ..errors import KamDataError, KamDataWarning
from ._database import (
    BUSY,
    DAMAGED,
    DENIED,
    READ_ONLY,
    database_url,
    first_line,
    open_database,
    problem,
    shown_url,
)
from .checks import (
    LIMITS,
    _check_key,
    _check_text,
    _check_unicode,
    _checksum,
    _given_path,
    _keep_last,
    _key,
    _lookup,
    _new_uid,
    _now,
    _shown,
    _version_id,
    version_row,
)
from .codec import _PAYLOAD_HEAD, MAX_DEPTH, decode, encode
from .layout import _IN_TIME_ORDER, _INSERT, check_sqlite_file, open_tables
from .transfer import read_export, rows_to_import, write_export

#: Environment variable with a database URL (e.g. ``postgresql+psycopg://user@host/db``).
ENV_URL = config.DB_URL
#: File name of the default SQLite store, in the current folder.
DEFAULT_FILE = "kamwidgets.sqlite"


@dataclass(frozen=True)
class Version:
    """One saved version of an artefact."""

    id: int
    workbook: str
    kind: str
    account: str
    saved_at: str


# ---------------------------------------------------------------- the store
def _url_for(location: str | os.PathLike | None) -> tuple[str, Path | None]:
    if location is None:
        location = config.store_url() or Path.cwd() / DEFAULT_FILE
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
            check_sqlite_file(self.path)
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

    def _open(self) -> None:
        """Connect, and check, create or upgrade the tables, trying again for about two seconds when it may help.

        Connecting is tried again only for an error whose code says busy (:data:`kamwidgets.store._database.BUSY`);
        a connection that is not made is said at once (libpq gives no code for a refusal before any SQL, so
        a wrong password and a full server look alike: neither is waited for).  Checking the tables is tried
        again for anything but a damaged, read-only or refused store: another process may be creating them.
        """
        for attempt in range(5):
            last = attempt == 4
            try:
                transaction = self._write()  # connects: a server that is not there is said at once
            except self._db.errors as err:
                if problem(err) == BUSY and not last:
                    time.sleep(0.2 * (attempt + 1))
                    continue
                raise self._error(err, "opened") from None
            try:
                with transaction as conn:
                    self._open_in(conn)
                return
            except self._db.errors as err:
                if problem(err) not in (DAMAGED, READ_ONLY, DENIED) and not last:
                    time.sleep(0.2 * (attempt + 1))
                    continue
                raise self._error(err, "opened") from None

    def _error(self, err: BaseException, doing: str) -> KamDataError:
        """The :class:`KamDataError` for a database error met while the store was being ``doing``: what kind of
        error it is comes from its code (:func:`kamwidgets.store._database.problem`)."""
        kind, text = problem(err), first_line(err)
        if kind == DAMAGED:
            return KamDataError(
                "is damaged or not a kamwidgets store; it was left as it is",
                source=self.location,
                fix="Restore it from a backup or an export.",
            )
        if kind == READ_ONLY:
            where = self.path.parent if self.path is not None else self.location
            return KamDataError(
                "cannot be written (the file or its folder is read-only); nothing was changed",
                source=self.location,
                fix=f"Make {where} writable, or open the store in a folder you can write to.",
            )
        if kind == DENIED:
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
            raise self._error(err, doing) from None

    def _open_in(self, conn: Any) -> None:
        """Check, create or upgrade the tables, in the one transaction that opens the store."""
        open_tables(conn, self._db, self.path, self.location)

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

    def _insert(self, workbook: str, kind: str, account: str, payload: str, saved_at: str, note: str) -> Version:
        row = version_row(workbook, kind, account, payload, saved_at, note, _new_uid())
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
        write_export(target, wb, rows)
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
        asked = None if workbook is None else self._workbook(workbook, "nothing was imported")
        wb, rows = rows_to_import(source, read_export(source), asked, self.workbook)
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

    def _insert_once(self, conn: Any, row: dict) -> int:
        """Insert unless a version with the same uid is there (also when another process inserts it now)."""
        return len(conn.rows(_INSERT + " ON CONFLICT (uid) DO NOTHING RETURNING id", row))

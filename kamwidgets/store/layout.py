"""The store's tables, the same on SQLite and PostgreSQL, their layout version and the steps between layouts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import KamDataError
from ._database import SQLite
from .checks import _new_uid

#: The store's layout version: *which tables and columns does this store have?*  Kept in the store
#: (``kamwidgets_info``) and in each export (``schema``); raised when the tables change, with a step in
#: :data:`MIGRATIONS`, and a store of a higher layout is refused.  The other two versions: how one value was
#: written (:data:`kamwidgets.store.codec.CODEC`, on each value) and what a kind of saved work holds
#: (:mod:`kamwidgets.model.upgrades`, a version per kind).
#: 1: the first layout.  2: every version has a ``uid`` (unique), which an
#: export carries, so importing the same versions again adds nothing.  3: the same tables; values are
#: saved with the second codec (:data:`CODEC`), which an older kamwidgets would misread, so it must refuse them.
SCHEMA_VERSION = 3
#: Written into a SQLite store's header (PRAGMA application_id): "KAMW".
APPLICATION_ID = 0x4B414D57
#: The first bytes of every SQLite file.
_SQLITE_MAGIC = b"SQLite format 3\x00"


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
#: It is given the store's connection (``kamwidgets.store._database.Connection``:
#: ``run``, ``rows`` and ``value``, SQL with ``:name`` parameters).
MIGRATIONS: dict[int, Callable[[Any], None]] = {1: _migrate_1_to_2, 2: _migrate_2_to_3}


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

#: Versions in the order they were saved: the time first (imports keep theirs), the id for the same instant.
_IN_TIME_ORDER = "ORDER BY saved_at, id"


# ---------------------------------------------------------------- recognising, creating and upgrading a store
def _foreign(where: str) -> KamDataError:
    return KamDataError(
        "belongs to another program (it has tables or views that are not the workbook's); it was left as it is",
        source=where,
        fix="Point the workbook at its own file or database.",
    )


def check_sqlite_file(path: Path) -> None:
    """Refuse, before any connection, a path that cannot be a store: a folder, a folder that does not exist, a
    file that is not SQLite, another program's SQLite file (the file is left byte for byte as it was)."""
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


def open_tables(conn: Any, db: Any, path: Path | None, location: str) -> None:
    """Check, create or upgrade the tables of the store at ``location`` (``path`` for a SQLite file), in the one
    transaction that opens it: ``conn`` is that transaction's connection, ``db`` the database it is on."""
    sqlite = db.name == "sqlite"
    if sqlite:
        check_sqlite_integrity(conn, path, location)
    names = db.names(conn)
    app_id = conn.value("PRAGMA application_id") if sqlite else 0
    if app_id not in (0, APPLICATION_ID) or ("kamwidgets_info" not in names and names):
        raise _foreign(location)
    if "kamwidgets_info" in names and "kamwidgets_artefacts" not in names:
        raise KamDataError(
            "is damaged: it has the workbook store's table of settings but not its table of saved work "
            "(kamwidgets_artefacts); it was left as it is",
            source=location,
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
            source=location,
            fix="Restore it from a backup or an export.",
        ) from None
    if version > SCHEMA_VERSION:
        raise KamDataError(
            f"was written by a newer kamwidgets (store layout {version}, this one reads up to "
            f"{SCHEMA_VERSION}); it was left as it is",
            source=location,
            fix="Update kamwidgets (pip install -U kamwidgets).",
        )
    for v in range(version, SCHEMA_VERSION):
        MIGRATIONS[v](conn)
    if version < SCHEMA_VERSION:
        conn.run(_SET_VERSION, {"v": str(SCHEMA_VERSION)})


#: SQLite files checked in this process: path -> (size, mtime) when checked.
_checked: dict[str, tuple[int, int]] = {}


def check_sqlite_integrity(conn: Any, path: Path | None, location: str) -> None:
    """PRAGMA quick_check, once per process for each file (again only if the file changed since)."""
    if path is None or not path.exists():
        return
    stat = path.stat()
    if stat.st_size == 0:
        return
    stamp = (stat.st_size, stat.st_mtime_ns)
    if _checked.get(str(path)) == stamp:
        return
    page = int(conn.value("PRAGMA page_size") or 0)
    if page and stat.st_size % page:  # cut short: SQLite files are whole pages
        raise KamDataError(
            f"is damaged (its size, {stat.st_size:,} bytes, is not a whole number of pages); it was left as it is",
            source=location,
            fix="Restore it from a backup or an export (store.export() writes one).",
        )
    result = [r[0] for r in conn.rows("PRAGMA quick_check")]
    if result != ["ok"]:
        raise KamDataError(
            "is damaged (the database's own check failed: " + "; ".join(map(str, result[:3])) + "); "
            "it was left as it is",
            source=location,
            fix="Restore it from a backup or an export (store.export() writes one).",
        )
    _checked[str(path)] = stamp

"""The store's tables, the same on SQLite and PostgreSQL, their layout version and the steps between layouts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .checks import _new_uid

#: The layout of the tables; raised when it changes, with a step in MIGRATIONS.
#: 1: the first layout.  2: every version has a ``uid`` (unique), which an
#: export carries, so importing the same versions again adds nothing.  3: the same tables; values are
#: saved with the second codec (:data:`CODEC`), which an older kamwidgets would misread, so it must refuse them.
SCHEMA_VERSION = 3
#: Written into a SQLite store's header (PRAGMA application_id): "KAMW".
APPLICATION_ID = 0x4B414D57


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

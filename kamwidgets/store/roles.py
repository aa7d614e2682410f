"""A PostgreSQL store shared by roles: each login sees only the workbooks it is given."""

from __future__ import annotations

import os
from typing import Any

from ..errors import KamDataError
from ._database import DENIED, first_line, problem, with_login
from .checks import LIMITS, _check_text
from .core import Store

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
    import psycopg  # deferred: an optional dependency (kamwidgets[postgres]); only PostgreSQL stores have roles

    return store, psycopg.connect(store._db.conninfo)  # type: ignore[union-attr]


def _owner_error(store: Store, err: Any, doing: str) -> KamDataError:
    """The error of :func:`share_by_role` or :func:`grant_workbooks` (run by the store's owner, not a participant)."""
    if problem(err) == DENIED:
        return KamDataError(
            f"this login may not share the store by role ({first_line(err)}); nothing was {doing}",
            source=store.location,
            fix="Use the URL of the login that owns the store's tables and may create roles (the hub's superuser).",
        )
    return store._error(err, doing)


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
    import psycopg  # deferred: an optional dependency, as above
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
    import psycopg  # deferred: an optional dependency, as above
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

"""The store's two databases behind one small interface: SQLite (the standard library) and PostgreSQL (psycopg).

The store writes its SQL once, with ``:name`` parameters, and runs the same
text on both; this module only opens connections, runs transactions and
answers the few questions whose SQL differs (which tables exist).  It loads
nothing heavy: a lesson that opens a SQLite workbook pays for ``sqlite3``
only (psycopg is imported when a PostgreSQL store is opened).

:func:`problem` says what kind of error a database gave, by its code
(SQLite's result code, PostgreSQL's SQLSTATE), never by the words of its
message, which change between versions and languages.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from ..errors import KamDataError


class Connection:
    """One connection inside one transaction."""

    def __init__(self, raw: Any, style: Any) -> None:
        self._raw = raw
        self._style = style

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        """Every row the statement gives."""
        return [tuple(r) for r in self._raw.execute(self._style(sql), params or {}).fetchall()]

    def value(self, sql: str, params: dict | None = None) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self._raw.execute(self._style(sql), params or {}).fetchone()
        return None if row is None else row[0]

    def run(self, sql: str, params: dict | None = None) -> None:
        """Run a statement that gives no rows."""
        self._raw.execute(self._style(sql), params or {})


def _as_is(sql: str) -> str:
    return sql


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def _pyformat(sql: str) -> str:
    """``:name`` as psycopg spells it, ``%(name)s`` (the store's SQL has no ``%`` of its own)."""
    return _NAMED.sub(r"%(\1)s", sql)


@contextmanager
def _transaction(raw: Any, style: Any, begin: str = "") -> Iterator[Connection]:
    """Run the block in one transaction on ``raw``: committed when it ends, rolled back when it fails; the
    connection is closed either way."""
    try:
        try:
            if begin:
                raw.execute(begin)
            yield Connection(raw, style)
        except BaseException:
            with suppress(Exception):  # the error that stopped the work is the one to report
                raw.rollback()
            raise
        raw.commit()
    finally:
        raw.close()


class SQLite:
    """A SQLite file.  Every transaction is begun here: ``BEGIN IMMEDIATE`` for writes (writers wait their turn,
    up to the timeout, and none fails half-way), a plain ``BEGIN`` for reads; table creation is inside it too."""

    name = "sqlite"

    def __init__(self, path: Path, timeout: float = 60) -> None:
        self.path = path
        self.timeout = timeout
        self.errors: tuple[type[BaseException], ...] = (sqlite3.Error,)

    def _connect(self) -> Any:
        return sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)

    def transaction(self, *, write: bool) -> AbstractContextManager[Connection]:
        return _transaction(self._connect(), _as_is, begin="BEGIN IMMEDIATE" if write else "BEGIN")

    def names(self, conn: Connection) -> set[str]:
        """The tables and views in the file (not SQLite's own)."""
        rows = conn.rows("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        return {r[0] for r in rows if not str(r[0]).startswith("sqlite_")}

    def look(self) -> tuple[int, set[str]] | None:
        """``(application id, tables and views)`` of the file as it is on disk, or None when SQLite cannot read
        it so.

        The file is opened read-only and immutable: no lock is taken, and no journal, WAL or shared-memory file
        is read or written, so another program's file is left byte for byte (a connection that may write would
        checkpoint that program's WAL into its file on closing).  What is still only in a WAL is not seen."""
        try:
            raw = sqlite3.connect(f"file:{quote(os.fsencode(self.path))}?mode=ro&immutable=1", uri=True)
        except sqlite3.Error:
            return None
        try:
            app_id = raw.execute("PRAGMA application_id").fetchone()[0]
            rows = raw.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").fetchall()
        except sqlite3.Error:
            return None
        finally:
            raw.close()
        return int(app_id), {r[0] for r in rows if not str(r[0]).startswith("sqlite_")}


class PostgreSQL:
    """A PostgreSQL database, reached by a URL; a connection lives as long as one transaction."""

    name = "postgresql"

    def __init__(self, url: str) -> None:
        try:  # deferred: an optional dependency (kamwidgets[postgres]), loaded only for a PostgreSQL store
            import psycopg
            from psycopg.conninfo import make_conninfo
        except ImportError:
            raise ValueError("PostgreSQL needs psycopg: pip install 'kamwidgets[postgres]'") from None

        try:
            self.conninfo = make_conninfo("", **connect_options(url))
        except psycopg.Error:  # its message may quote the password
            raise ValueError("libpq cannot read one of its settings (after the '?')") from None
        self.errors = (psycopg.Error,)
        self._psycopg = psycopg

    def transaction(self, *, write: bool) -> AbstractContextManager[Connection]:
        # psycopg begins the transaction at the first statement
        return _transaction(self._psycopg.connect(self.conninfo), _pyformat)

    def names(self, conn: Connection) -> set[str]:
        """The tables, views and other relations in the connection's schema."""
        rows = conn.rows(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
        )
        return {r[0] for r in rows}


#: A database URL: ``scheme://user:password@host:port/database?key=value&...``, every part but the scheme
#: optional.  The password is everything between the user's colon and the URL's last "@", so it may hold "/",
#: "?", "#", ":" or "@" as typed (or percent-encoded); a host in [brackets] is an IPv6 address.
_URL = re.compile(
    r"^(?P<scheme>[A-Za-z][\w+.-]*)://"
    r"(?:(?P<user>[^:@/]*)(?::(?P<password>.*))?@)?"
    r"(?P<host>\[[^\]/]*\]|[^:/?]*)(?::(?P<port>[^/?]*))?"
    r"(?:/(?P<database>[^?]*))?(?:\?(?P<query>.*))?$",
    re.DOTALL,
)


def _parts(url: str) -> re.Match[str]:
    match = _URL.match(url)
    if match is None:
        raise ValueError("it is not of the form postgresql://user:password@host:port/database")
    return match


def database_url(location: str) -> tuple[str, Path | None]:
    """A store's location as ``(URL, path)``: the path is set for a SQLite file (given as a path or as a
    ``sqlite:///`` URL, in any case, with or without ``+driver``), None for any other URL."""
    if "://" not in location:
        path = Path(location).expanduser().resolve()
        return f"sqlite:///{path}", path
    scheme, _, rest = location.partition("://")
    if scheme.lower() != "sqlite" and not scheme.lower().startswith("sqlite+"):
        return location, None
    if rest in ("", "/", "/:memory:"):
        problem = "is a SQLite database in memory, which keeps nothing once the notebook stops"
    elif not rest.startswith("/"):
        problem = "is not a SQLite file URL (a file is named after three slashes)"
    else:
        problem = ""
    if problem:
        raise KamDataError(
            problem,
            source=location,
            fix="Give the path of a file: sqlite:///work.sqlite, or sqlite:////full/path/work.sqlite.",
        )
    path = Path(rest[1:]).expanduser().resolve()  # as a path given without sqlite:///
    return f"sqlite:///{path}", path


def is_postgres(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL database (``postgresql://``, ``postgres://``, ``postgresql+driver://``)."""
    scheme = url.split("://", 1)[0].lower()
    return scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+")


def connect_options(url: str) -> dict[str, str]:
    """psycopg's keyword arguments for a PostgreSQL URL, each part percent-decoded (``?host=/folder`` for a
    Unix socket; other ``?key=value`` pairs pass to libpq as they are).  The error never repeats the URL."""
    match = _parts(url)
    options = {
        key: unquote(match[part])
        for key, part in (("user", "user"), ("password", "password"), ("port", "port"), ("dbname", "database"))
        if match[part]
    }
    if match["host"]:
        options["host"] = unquote(match["host"].strip("[]"))
    for pair in filter(None, (match["query"] or "").split("&")):
        key, _, value = pair.partition("=")
        options[unquote(key)] = unquote(value)
    return options


def open_database(url: str, path: Path | None) -> SQLite | PostgreSQL:
    """The database for a store's URL (``path`` is set for SQLite); ValueError says why a URL cannot be used."""
    if path is not None:
        return SQLite(path)
    if not is_postgres(url):
        scheme = url.split("://", 1)[0]
        raise ValueError(f"{scheme!r} databases are not supported: use a SQLite file or PostgreSQL")
    return PostgreSQL(url)


def with_login(url: str, user: str, password: str) -> str:
    """The same database URL with another user and password (percent-encoded)."""
    match = _parts(url)
    if match["user"] is None:  # no "user@" at all
        rest = "@" + url[match.start("host") :]
    elif match["password"] is None:
        rest = url[match.end("user") :]
    else:
        rest = url[match.end("password") :]
    return f"{match['scheme']}://{quote(user, safe='')}:{quote(password, safe='')}{rest}"


def shown_url(url: str) -> str:
    """The URL without its password, for showing to the user (raises ValueError for what is not a URL)."""
    match = _parts(url)
    if match["password"] is None:
        return url
    return url[: match.start("password")] + "***" + url[match.end("password") :]


# ---------------------------------------------------------------- what went wrong, by the database's code
#: The kinds of database error the store tells apart; each has its own message (``kamwidgets.store.core``).
DAMAGED = "damaged"  # not a database, or its pages are corrupt
READ_ONLY = "read-only"  # the file, its folder or the transaction may not be written; or no file can be made there
DENIED = "denied"  # the login lacks the privilege (a store shared by role)
BUSY = "busy"  # locked by another writer, or the server is full or starting: worth trying again shortly
UNREACHABLE = "unreachable"  # no server answered (none there, connection refused, or lost)
OTHER = "other"

#: SQLite's primary result codes (the low byte of ``sqlite_errorcode``; extended codes share it).
_SQLITE_PROBLEMS = {
    sqlite3.SQLITE_NOTADB: DAMAGED,
    sqlite3.SQLITE_CORRUPT: DAMAGED,
    sqlite3.SQLITE_READONLY: READ_ONLY,
    sqlite3.SQLITE_CANTOPEN: READ_ONLY,
    sqlite3.SQLITE_PERM: READ_ONLY,
    sqlite3.SQLITE_BUSY: BUSY,
    sqlite3.SQLITE_LOCKED: BUSY,
}
#: PostgreSQL's SQLSTATEs (``psycopg.errors`` names the class of each).
_SQLSTATES = {
    "42501": DENIED,  # InsufficientPrivilege, also a row-level security policy's refusal
    "25006": READ_ONLY,  # ReadOnlySqlTransaction
    "XX001": DAMAGED,  # DataCorrupted
    "XX002": DAMAGED,  # IndexCorrupted
    "53300": BUSY,  # TooManyConnections
    "57P03": BUSY,  # CannotConnectNow: the server is starting up or shutting down
    "55P03": BUSY,  # LockNotAvailable
    "40001": BUSY,  # SerializationFailure
    "40P01": BUSY,  # DeadlockDetected
}
#: Whole classes of SQLSTATE (their first two characters).
_SQLSTATE_CLASSES = {"08": UNREACHABLE}  # connection exceptions
#: libpq's CONNECTION_BAD (``psycopg.pq.ConnStatus.BAD``): the status of a connection that failed or was lost.
_CONNECTION_BAD = 1


def problem(err: BaseException) -> str:
    """What kind of error a database gave: :data:`DAMAGED`, :data:`READ_ONLY`, :data:`DENIED`, :data:`BUSY`,
    :data:`UNREACHABLE` or :data:`OTHER`, from its code: psycopg's ``sqlstate``, sqlite3's ``sqlite_errorcode``.

    A psycopg error without a SQLSTATE on a bad connection (``pgconn.status``) is :data:`UNREACHABLE`: no
    connection was made, or it was lost.  libpq gives no SQLSTATE for a connection the server refuses before
    any SQL runs (no such database, a wrong password, too many clients, starting up), so those are
    :data:`UNREACHABLE` too, with the server's words in the message.  An error without any code (raised by the
    driver itself) is :data:`OTHER`.
    """
    state = getattr(err, "sqlstate", None)
    if isinstance(state, str) and state:
        return _SQLSTATES.get(state) or _SQLSTATE_CLASSES.get(state[:2], OTHER)
    code = getattr(err, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _SQLITE_PROBLEMS.get(code & 0xFF, OTHER)
    status = getattr(getattr(err, "pgconn", None), "status", None)
    if isinstance(status, int) and status == _CONNECTION_BAD:
        return UNREACHABLE
    return OTHER


def first_line(err: BaseException) -> str:
    """The first line of the driver's message, to show beside the store's own words."""
    return (str(err).strip().splitlines() or [""])[0]

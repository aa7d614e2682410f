"""The workbook store: everything the widgets make, kept with its history.

One small interface over two databases.  By default the store is a SQLite file
in the current folder (``kamwidgets.sqlite``, created on first use); give a
database URL (argument or the ``KAMWIDGETS_DB_URL`` environment variable) to
share one PostgreSQL database among a workshop or a team.  Nothing else in
the workbook knows which one it is.

Every save adds a new version (nothing is overwritten), keyed by workbook,
kind of artefact and account, so the annual review can compare years and a
user can go back.

The package holds one concern per module: :mod:`~kamwidgets.store.core`
(:class:`Store`), :mod:`~kamwidgets.store.codec` (values to JSON and back),
:mod:`~kamwidgets.store.layout` (tables, layout version, migrations),
:mod:`~kamwidgets.store.transfer` (the export file),
:mod:`~kamwidgets.store.checks` (what is checked before writing),
:mod:`~kamwidgets.store.roles` (a PostgreSQL store shared by role) and
:mod:`~kamwidgets.store.participant` (:func:`open_store`); whose workbook it
is, is :mod:`kamwidgets.identity`.  ``docs/store.md`` describes it all.

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

# the names this package has always given; the modules beside it hold one concern each
from ..identity import HUB_USER as HUB_USER
from ..identity import ROOM as ROOM
from ..identity import TYPED as TYPED
from ..identity import workbook_name
from .checks import ENV_KEEP_LAST as ENV_KEEP_LAST
from .checks import LIMITS as LIMITS
from .codec import CODEC as CODEC
from .codec import MAX_DEPTH as MAX_DEPTH
from .codec import decode as decode
from .codec import encode as encode
from .core import DEFAULT_FILE, ENV_URL, Store, Version
from .layout import APPLICATION_ID as APPLICATION_ID
from .layout import MIGRATIONS as MIGRATIONS
from .layout import SCHEMA_VERSION
from .participant import my_portfolio, open_store, saved_portfolio
from .roles import MEMBERS as MEMBERS
from .roles import grant_workbooks, share_by_role
from .transfer import CHECKSUM_COVERS as CHECKSUM_COVERS
from .transfer import EXPORT_FORMAT as EXPORT_FORMAT
from .transfer import export_checksum as export_checksum

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

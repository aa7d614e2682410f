"""Load a customer portfolio, or build one from order and opportunity rows.

The public face of the loader: the work is done in :mod:`kamwidgets.model.load`, one module per stage
(bytes, text, table, fields, numbers, accounts), and every name is re-exported here.
"""

from __future__ import annotations

from .load._accounts import load_portfolio
from .load._bytes import PROGRESS_FROM as PROGRESS_FROM
from .load._bytes import Source as Source
from .load._bytes import Upload
from .load._bytes import reporting_to as reporting_to
from .load._fields import FIELDS, TRANSACTION_FIELDS
from .load._fields import FIELDS_BY_KIND as FIELDS_BY_KIND
from .load._fields import REQUIRED as REQUIRED
from .load._fields import find_column as find_column
from .load._fields import guess_column as guess_column
from .load._numbers import as_text_keys as as_text_keys
from .load._numbers import numeric_columns as numeric_columns
from .load._numbers import parse_numbers_in as parse_numbers_in
from .load._numbers import text_cells as text_cells
from .load._preview import Preview, load_mapped, preview
from .load._tabular import Table as Table
from .load._tabular import read_table as read_table
from .load._tabular import sheet_names
from .load._transactions import accounts_from_transactions

__all__ = [
    "load_portfolio",
    "accounts_from_transactions",
    "FIELDS",
    "TRANSACTION_FIELDS",
    "Upload",
    "Preview",
    "preview",
    "load_mapped",
    "sheet_names",
]

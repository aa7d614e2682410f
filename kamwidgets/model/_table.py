"""The old home of the loader's reading, headers and numbers, now :mod:`kamwidgets.model.load`.

Kept so that imports written before the split go on working; new code imports from the stage modules.
"""

from __future__ import annotations

from .load._bytes import Source, Upload
from .load._fields import HEADERS_IN_OTHER_LANGUAGES, find_column, guess_column, normalise_name
from .load._numbers import MixedDecimalMarks, as_text_keys, numeric_columns, parse_numbers, parse_numbers_in, text_cells
from .load._tabular import NA_STRINGS, Table, TextColumns, read_table, sheet_names
from .load._text import LEGACY_ENCODINGS

__all__ = [
    "HEADERS_IN_OTHER_LANGUAGES",
    "LEGACY_ENCODINGS",
    "NA_STRINGS",
    "MixedDecimalMarks",
    "Source",
    "Table",
    "TextColumns",
    "Upload",
    "as_text_keys",
    "find_column",
    "guess_column",
    "normalise_name",
    "numeric_columns",
    "parse_numbers",
    "parse_numbers_in",
    "read_table",
    "sheet_names",
    "text_cells",
]

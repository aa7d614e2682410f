"""Stage 6, accounts: a portfolio, one row per account, checked.

:func:`load_portfolio` runs the stages in order, each once: the bytes, a
CSV's text and the header row (:func:`~._tabular.open_table`), the fields
(:func:`~._fields.resolve_fields`), the rows (:func:`~._tabular.read_rows`),
the numbers (:func:`~._numbers.numeric_columns`), and here the accounts'
own checks: every row has a name, and no name appears twice.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ...errors import KamDataError
from ._bytes import Progress, Source
from ._fields import FIELDS, resolve_fields
from ._numbers import as_text_keys, numeric_columns
from ._tabular import Table, open_table, read_rows


def load_portfolio(
    source: Source,
    *,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    make_ids: bool | str = False,
) -> pd.DataFrame:
    """Load a customer portfolio: one row per account.

    Parameters
    ----------
    source:
        Path of a CSV file or a spreadsheet (Excel .xlsx, .xlsm or .xls;
        OpenDocument .ods), an :class:`~._bytes.Upload`, or a DataFrame.
        CSV files may be UTF-8 (with or without BOM), UTF-16, or another
        encoding (Windows code pages, Shift-JIS, GB18030 ...) that is guessed
        with a warning naming it, separated by ``,`` ``;`` tab or ``|``, with
        decimal commas and numbers written as ``"$1,200.00"``,
        ``"1.200,50 €"`` or ``"50%"`` (read as 0.5).
    columns:
        Maps workbook fields to your headers, e.g. ``{"account": "Customer
        Name", "account_manager": "Sales Rep"}``.  Any other entry renames a
        column too (``{"revenue": "Sales 2025 (EUR)"}``).  Fields you leave
        out are looked for under common names (see :data:`FIELDS`).
    sheet:
        Sheet name or number (from 0) of a spreadsheet; the first by default.
    make_ids:
        For files with no account names (anonymised exports): number the rows
        instead, as ``"<prefix>0001"``.  ``True`` uses the prefix
        ``"Account "``.

    Returns
    -------
    DataFrame
        ``account`` (text, unique), ``account_manager`` (text, when
        present) and every other column of the file, numbers as numbers.
        ``frame.attrs["source"]`` names where it came from.

    Raises
    ------
    KamDataError
        Missing, empty or unreadable file; no rows; no account column; a
        mapped column that does not exist; empty or duplicate account names.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"Customer": ["Acme", "Globex"], "Spend": ["$1,200", "$950.50"]})
    >>> load_portfolio(frame)[["account", "Spend"]]
      account   Spend
    0    Acme  1200.0
    1  Globex   950.5
    """
    with Progress(source, "Loading the portfolio", ["read", "checked", "numbers"]) as progress:
        opened = open_table(source, sheet=sheet)  # stages 1-3: the bytes, a CSV's text, the header row
        rename = resolve_fields(opened.header, opened.label, columns, make_ids=bool(make_ids))  # stage 4
        table = read_rows(opened, text=[h for h, f in rename.items() if f in FIELDS])  # stage 3: the rows
        progress.next()
        table.frame = table.frame.rename(columns=rename)
        if make_ids:
            _number_the_rows(table, "Account " if make_ids is True else str(make_ids))
        keys = {"account", "account_manager"} & set(table.frame.columns)
        for key in keys:
            table.frame[key] = as_text_keys(table.frame[key], strip=table.padded)
        progress.next()
        numeric_columns(table, skip=keys)  # stage 5
        _check_accounts(table)  # stage 6
        progress.next()
    frame = table.frame
    order = ["account"] + (["account_manager"] if "account_manager" in frame.columns else [])
    frame = frame[order + [c for c in frame.columns if c not in order]]
    frame.attrs["source"] = table.label
    return frame


def _number_the_rows(table: Table, prefix: str) -> None:
    """An ``account`` column of made-up names, ``<prefix>0001`` ..., for a file with no names."""
    frame = table.frame
    if "account" in frame.columns:
        raise KamDataError(
            "make_ids would replace the existing 'account' column",
            source=table.label,
            column="account",
            fix="Leave make_ids off, or rename that column first.",
        )
    width = max(4, len(str(len(frame))))
    ids = [f"{prefix}{i:0{width}d}" for i in range(1, len(frame) + 1)]
    frame.insert(0, "account", pd.Series(ids, index=frame.index, dtype="str"))


def _check_accounts(table: Table) -> None:
    frame = table.frame
    accounts = frame["account"]
    empty = accounts.isna().to_numpy()
    if empty.any():
        raise KamDataError(
            "the account name is empty",
            source=table.label,
            column="account",
            rows=table.user_rows(empty),
            fix="Fill in the name, or delete the row if it is not an account.",
        )
    dupes = accounts.duplicated(keep=False).to_numpy()
    if dupes.any():
        first = accounts[dupes].iloc[0]
        where = table.user_rows((accounts == first).to_numpy())
        n = int(accounts[dupes].nunique())
        raise KamDataError(
            f"the account {first!r} appears more than once" + (f" ({n} names are repeated in all)" if n > 1 else ""),
            source=table.label,
            column="account",
            rows=where,
            fix=(
                "A portfolio has one row per account: merge the rows, or, if these are orders, "
                "build the portfolio with accounts_from_transactions()."
            ),
        )

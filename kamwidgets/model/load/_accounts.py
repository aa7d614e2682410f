"""Stage 6, accounts: a portfolio, one row per account, checked."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ...errors import KamDataError
from ._bytes import Source, _label, _Progress
from ._fields import FIELDS, _resolve_fields
from ._numbers import as_text_keys, numeric_columns
from ._tabular import Table, read_table


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
        Path of a CSV or Excel (.xlsx) file, or a DataFrame.  CSV files may
        be UTF-8 (with or without BOM), UTF-16, or another encoding (Windows code pages, Shift-JIS, GB18030 ...) that is
    guessed with a warning naming it, separated by
        ``,`` ``;`` tab or ``|``, with decimal commas and numbers written as
        ``"$1,200.00"``, ``"1.200,50 €"`` or ``"50%"`` (read as 0.5).
    columns:
        Maps workbook fields to your headers, e.g. ``{"account": "Customer
        Name", "account_manager": "Sales Rep"}``.  Any other entry renames a
        column too (``{"revenue": "Sales 2025 (EUR)"}``).  Fields you leave
        out are looked for under common names (see :data:`FIELDS`).
    sheet:
        Sheet name or number (from 0) of an Excel file; the first by default.
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
    keys: set = set()

    def key_columns(headers: list) -> set:
        rename = _resolve_fields(
            Table(pd.DataFrame(columns=headers), _label(source), np.empty(0)), columns, make_ids=bool(make_ids)
        )
        keys.update(h for h, f in rename.items() if f in FIELDS)
        return keys

    progress = _Progress(source, "Loading the portfolio", ["read", "checked", "numbers"])
    try:
        return _load(source, columns, sheet, make_ids, key_columns, progress)
    finally:
        progress.close()


def _load(
    source: Source,
    columns: Mapping[str, str] | None,
    sheet: str | int | None,
    make_ids: bool | str,
    key_columns,
    progress: _Progress,
) -> pd.DataFrame:
    table = read_table(source, sheet=sheet, text_columns=key_columns)
    progress.next()
    rename = _resolve_fields(table, columns, make_ids=bool(make_ids))
    frame = table.frame.rename(columns=rename)
    table.frame = frame
    if make_ids:
        if "account" in frame.columns:
            raise KamDataError(
                "make_ids would replace the existing 'account' column",
                source=table.label,
                column="account",
                fix="Leave make_ids off, or rename that column first.",
            )
        prefix = "Account " if make_ids is True else str(make_ids)
        width = max(4, len(str(len(frame))))
        ids = [f"{prefix}{i:0{width}d}" for i in range(1, len(frame) + 1)]
        frame.insert(0, "account", pd.Series(ids, index=frame.index, dtype="str"))
    keys = {"account", "account_manager"} & set(frame.columns)
    for key in keys:
        frame[key] = as_text_keys(frame[key], strip=table.padded)
    progress.next()
    numeric_columns(table, skip=keys)
    _check_accounts(table)
    progress.next()
    frame = table.frame
    order = ["account"] + (["account_manager"] if "account_manager" in frame.columns else [])
    frame = frame[order + [c for c in frame.columns if c not in order]]
    frame.attrs["source"] = table.label
    return frame


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

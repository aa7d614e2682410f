"""What the DataPicker reads: a file's first rows and the workbook's guesses, then the load as chosen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import pandas as pd

from ...errors import KamDataError
from ._accounts import load_portfolio
from ._bytes import Source, label_of
from ._fields import FIELDS, FIELDS_BY_KIND, REQUIRED, TRANSACTION_FIELDS, guess_column
from ._numbers import text_cells
from ._tabular import open_table, read_rows
from ._transactions import accounts_from_transactions


@dataclass
class Preview:
    """What a file holds before it is loaded, and what the workbook guesses about it.

    ``kind`` is what one row is (``"accounts"`` or ``"transactions"``, the
    workbook's suggestion unless you chose); ``guesses`` maps each field of
    that kind to a header or ``None``; ``confident`` is true when every
    required field was found (the account name, and the amount for
    transactions) and the rows fit the kind.
    """

    label: str
    sheets: list[str]
    sheet: str | None
    headers: list[str]
    head: pd.DataFrame
    rows: int
    kind: str
    guesses: dict[str, str | None]
    confident: bool
    notes: list[str] = dataclass_field(default_factory=list)
    #: no column can hold account names (every column is a number): number the rows
    make_ids: bool = False


def preview(source: Source, *, kind: str | None = None, sheet: str | int | None = None, rows: int = 5) -> Preview:
    """Read a file and guess how to load it, without loading it.

    Parameters
    ----------
    source:
        A path, a DataFrame or an :class:`Upload` (a file sent from the
        browser).
    kind:
        ``"accounts"`` (one row per account) or ``"transactions"`` (one row
        per order or opportunity, summed with
        :func:`accounts_from_transactions`); by default guessed: rows that
        repeat an account name, with an amount and a date or stage column,
        are transactions.
    sheet:
        The sheet of an Excel file (the first by default).
    rows:
        How many rows go in ``head``, as text.

    >>> import pandas as pd
    >>> p = preview(pd.DataFrame({"Customer": ["A", "A", "B"], "Amount": [1, 2, 3], "Date": ["2026-01-02"] * 3}))
    >>> p.kind, p.guesses["account"], p.guesses["value"], p.confident
    ('transactions', 'Customer', 'Amount', True)
    """
    if kind is not None and kind not in FIELDS_BY_KIND:
        raise KamDataError(f"{kind!r} is not a kind of row", fix="Use 'accounts' or 'transactions'.")
    opened = open_table(source, sheet=sheet)
    table = read_rows(opened, text=opened.header)  # every column as written, to show it
    headers = list(table.frame.columns)
    guessed_account = guess_column(headers, FIELDS["account"])
    repeats = bool(guessed_account is not None and table.frame[guessed_account].duplicated().any())
    has_value = guess_column(headers, TRANSACTION_FIELDS["value"]) is not None
    # repeated names with an amount and a date or stage: orders or opportunities; without them, a mistake
    dated = any(guess_column(headers, TRANSACTION_FIELDS[f]) is not None for f in ("date", "stage"))
    chosen = kind or ("transactions" if repeats and has_value and dated else "accounts")
    guesses = {f: guess_column(headers, syn) for f, syn in FIELDS_BY_KIND[chosen].items()}
    names = [c for c in headers if not _all_numbers(table.frame[c])]
    make_ids = chosen == "accounts" and guesses["account"] is None and not names
    confident = (all(guesses[f] for f in REQUIRED[chosen]) or make_ids) and not (chosen == "accounts" and repeats)
    return Preview(
        label=label_of(source),
        sheets=opened.sheets,
        sheet=opened.sheet,
        headers=headers,
        head=table.frame.head(rows).astype("string").fillna(""),
        rows=len(table.frame),
        kind=chosen,
        guesses=guesses,
        confident=bool(confident),
        notes=_notes(chosen, guesses, repeats=repeats, make_ids=make_ids),
        make_ids=make_ids,
    )


def _notes(kind: str, guesses: Mapping[str, str | None], *, repeats: bool, make_ids: bool) -> list[str]:
    """What a preview says to the user about its guesses."""
    notes = []
    if make_ids:
        notes.append("No column holds names (every column is a number): the rows are numbered as accounts.")
    elif kind == "accounts" and guesses["account"] is None:
        notes.append("No column looks like the account name: pick it, or number the rows (no names in the file).")
    if kind == "accounts" and repeats:
        notes.append("Some account names repeat: if each row is an order or an opportunity, choose that instead.")
    if kind == "transactions" and guesses["value"] is None:
        notes.append("No column looks like the amount: pick it.")
    return notes


def _all_numbers(column: pd.Series) -> bool:
    cells = text_cells(column).dropna()
    return bool(len(cells)) and bool(pd.to_numeric(cells.str.replace(",", "."), errors="coerce").notna().all())


def load_mapped(
    source: Source,
    kind: str,
    columns: Mapping[str, str | None],
    *,
    sheet: str | int | None = None,
    make_ids: bool = False,
) -> pd.DataFrame:
    """Load ``source`` as chosen in a :class:`Preview`: the kind of row and a header per field.

    ``columns`` maps the fields of the kind to headers (``None`` or ``""``:
    not in the file).  Accounts go through :func:`load_portfolio` (with
    ``make_ids`` when the file has no names), transactions through
    :func:`accounts_from_transactions`.
    """
    if kind not in FIELDS_BY_KIND:
        raise KamDataError(f"{kind!r} is not a kind of row", fix="Use 'accounts' or 'transactions'.")
    chosen = {f: h for f, h in columns.items() if h}
    unknown = sorted(set(chosen) - set(FIELDS_BY_KIND[kind]))
    if unknown:
        raise KamDataError(f"{unknown[0]!r} is not a field of {kind}", fix=f"Use {', '.join(FIELDS_BY_KIND[kind])}.")
    headers = list(chosen.values())
    twice = sorted({h for h in headers if headers.count(h) > 1})
    if twice:
        raise KamDataError(
            f"the column {twice[0]!r} is chosen for two fields", column=twice[0], fix="Pick one column per field."
        )
    if kind == "accounts":
        if make_ids:
            chosen.pop("account", None)
        return load_portfolio(source, columns=chosen, sheet=sheet, make_ids=make_ids)
    for f in REQUIRED["transactions"]:
        if f not in chosen:
            raise KamDataError(
                f"choose the column that holds the {'amount' if f == 'value' else 'account name'}",
                column=f,
                fix="Each order or opportunity needs an account and an amount.",
            )
    return accounts_from_transactions(source, sheet=sheet, **chosen)

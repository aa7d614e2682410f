"""Load a customer portfolio, or build one from order and opportunity rows."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import KamDataError, KamDataWarning
from ._table import (
    Source,
    Table,
    Upload,
    as_text_keys,
    find_column,
    guess_column,
    numeric_columns,
    parse_numbers_in,
    read_table,
    sheet_names,
    text_cells,
)

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

#: Inputs at least this large (bytes of file, or rows of a DataFrame times 100)
#: show a progress bar while they load.
PROGRESS_FROM = 20_000_000


class _Progress:
    """A progress bar over the steps of a long load (``tqdm.auto``: a widget in a
    notebook, text in a terminal); nothing at all for small inputs."""

    def __init__(self, source: object, what: str, steps: list[str]) -> None:
        self.bar = None
        if isinstance(source, pd.DataFrame):
            size = len(source) * 100
        else:
            try:
                size = os.stat(source).st_size  # type: ignore[arg-type]
            except (OSError, TypeError, ValueError):
                size = 0
        if size >= PROGRESS_FROM:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=len(steps), desc=what, unit="step", leave=False)
        self.steps = iter(steps)

    def next(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(next(self.steps, ""), refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


#: Workbook fields that :func:`load_portfolio` recognises, with the headers it
#: looks for when ``columns`` does not name them (compared without case,
#: spaces or punctuation).
FIELDS: dict[str, tuple[str, ...]] = {
    "account": (
        "account",
        "accountname",
        "customer",
        "customername",
        "client",
        "clientname",
        "company",
        "companyname",
        "name",
        "organisation",
        "organization",
        "accountid",
        "customerid",
        "clientid",
        "kunde",
        "kundenname",
        "firma",
        "cliente",
        "empresa",
        "klant",
        "societe",
    ),
    "account_manager": (
        "accountmanager",
        "keyaccountmanager",
        "kam",
        "salesperson",
        "salesagent",
        "salesrep",
        "salesrepresentative",
        "accountowner",
        "owner",
        "rep",
    ),
}


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


def _label(source: object) -> str:
    if isinstance(source, Upload):
        return source.name
    return "the DataFrame" if isinstance(source, pd.DataFrame) else str(source)


def _resolve_fields(table: Table, columns: Mapping[str, str] | None, *, make_ids: bool) -> dict:
    """Map the user's headers to workbook fields; fail clearly when one is missing."""
    if columns is not None and not isinstance(columns, Mapping):
        raise KamDataError(
            "columns must be a mapping of workbook field to your header",
            fix='For example columns={"account": "Customer Name"}.',
        )
    columns = dict(columns or {})
    rename: dict = {}
    for field, header in columns.items():
        if not isinstance(field, str) or not field:
            raise KamDataError(f"{field!r} is not a field name", fix="Use names like 'account' or 'revenue'.")
        found = find_column(table, header, field=field)
        if found in rename:
            raise KamDataError(
                f"the column {found!r} is given for both {rename[found]!r} and {field!r}",
                source=table.label,
                column=str(found),
                fix="Map each field to its own column.",
            )
        rename[found] = field
    taken = set(rename.values())
    for field, synonyms in FIELDS.items():
        if field in taken or (field == "account" and make_ids):
            continue
        guess = guess_column(table, synonyms)
        if guess is not None and guess not in rename:
            rename[guess] = field
        elif field == "account":
            headers = ", ".join(repr(str(c)) for c in table.frame.columns)
            raise KamDataError(
                "no column holds the account names",
                source=table.label,
                column="account",
                fix=(
                    f'Name it with columns={{"account": "<your header>"}}; the headers are {headers}. '
                    "If the file has no names at all, pass make_ids=True to number the rows."
                ),
            )
    clash = [f for f in rename.values() if f in table.frame.columns and f not in rename]
    if clash:
        raise KamDataError(
            f"a column is already called {clash[0]!r} but another one is mapped to that name",
            source=table.label,
            column=clash[0],
            fix="Rename one of them in the file, or map the field to that column.",
        )
    return rename


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


# ------------------------------------------------------------------ transactions
def accounts_from_transactions(
    source: Source,
    *,
    account: str,
    value: str,
    date: str | None = None,
    margin: str | None = None,
    product: str | None = None,
    owner: str | None = None,
    stage: str | None = None,
    won: str | Iterable[str] | None = None,
    lost: str | Iterable[str] | None = None,
    sheet: str | int | None = None,
    order: str | None = None,
) -> pd.DataFrame:
    """Sum order- or opportunity-level rows into one row per account.

    Parameters
    ----------
    source:
        A CSV/Excel path or a DataFrame, one row per order or opportunity.
    account, value:
        Headers of the account name and the amount.
    date:
        Header of the order (or close) date; gives ``first_date``,
        ``last_date`` and ``growth_12m``.  ISO, day-first and US month-first
        dates are told apart from the data.
    order:
        Header of the order id (order number, invoice number): ``orders``
        then counts the distinct orders of each account.  Without it each
        row is one order line, and the count is called ``order_lines``: an
        export with one row per product ordered says nothing about how many
        orders there were.
    margin, product, owner:
        Headers of the margin amount, the product and the salesperson; give
        ``margin``/``margin_pct``, ``products`` (the distinct products an
        account bought, not its lines) and ``account_manager``.
    stage, won, lost:
        For a CRM pipeline: the header of the deal stage and the stage
        names that mean won (default ``"Won"``) and lost (default
        ``"Lost"``), compared without case.  Only won rows count towards
        revenue, orders, dates, margin and products; ``win_rate`` is
        won / (won + lost).  Without ``stage``, ``won`` may name a yes/no
        column instead.

    Returns
    -------
    DataFrame
        One row per account: ``account``, ``revenue``, ``orders`` (with
        ``order``) or ``order_lines`` (without) and, where the inputs allow,
        ``first_date``, ``last_date``, ``growth_12m``, ``margin``,
        ``margin_pct``, ``products``, ``win_rate``, ``account_manager``
        (most frequent owner).  Accounts with no won row are kept, with
        revenue 0.

        ``growth_12m`` is the revenue of the last 12 months of the file (up
        to its last date) against the 12 months before, as a fraction (0.25
        is +25 %, -1 means no order in the last 12 months).  It is empty
        for an account that was not yet a customer when the earlier 12
        months began (its first order more than three months into them),
        that bought nothing in them, or whose earlier 12 months came to
        less than a tenth of the typical (median) account's: a rate on so
        small a base says nothing about the account.  The column is left
        out when the dates cover less than 23 months.

        ``attrs`` says what was done, in words: ``"source"`` (the file),
        ``"rows"`` and ``"rows_are"`` (how many rows were summed, and what
        they are: ``"order lines"`` or ``"opportunities"``),
        ``"growth_period"`` (the two periods compared, when there is a
        ``growth_12m``) and ``"notes"`` (a list of sentences: how orders
        were counted, why some growth rates are empty).

    Warns
    -----
    KamDataWarning
        When rows name no account (they are left out and counted), or when
        the dates cover less than 23 months (``growth_12m`` is left out).

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"Order ID": ["O-1", "O-1", "O-2"], "Customer": ["Acme"] * 3,
    ...                       "Product": ["Film", "Tape", "Film"], "Sales": [100, 20, 50]})
    >>> accounts_from_transactions(lines, account="Customer", value="Sales", product="Product", order="Order ID")
      account  revenue  orders  products
    0    Acme    170.0       2         2
    >>> accounts_from_transactions(lines, account="Customer", value="Sales").attrs["notes"][0][:60]
    'order_lines counts the rows of each account: the file has no'
    """
    cols = {
        "account": account,
        "value": value,
        "date": date,
        "margin": margin,
        "product": product,
        "owner": owner,
        "stage": stage,
        "order": order,
    }
    as_text = {k for k in ("account", "owner", "stage", "product", "date", "order")}

    def text_columns(headers: list) -> list:
        probe = Table(pd.DataFrame(columns=headers), _label(source), np.empty(0))
        names = [find_column(probe, v, field=k) for k, v in cols.items() if v is not None and k in as_text]
        if stage is None and isinstance(won, str):
            names.append(find_column(probe, won, field="won"))
        return names

    progress = _Progress(source, "Reading the transactions", ["read", "summed"])
    try:
        table = read_table(source, sheet=sheet, text_columns=text_columns)
        progress.next()
        out = _from_table(table, cols, stage=stage, won=won, lost=lost)
        progress.next()
        return out
    finally:
        progress.close()


def _from_table(
    table: Table, cols: Mapping[str, str | None], *, stage: str | None, won: Any, lost: Any
) -> pd.DataFrame:
    """The body of :func:`accounts_from_transactions`, once the table is read."""
    found = {k: find_column(table, v, field=k) for k, v in cols.items() if v is not None}
    won_column = None
    if stage is None and won is not None:
        if not isinstance(won, str):
            raise KamDataError(
                "without stage=, won= must name one yes/no column",
                fix="Pass stage= and the stage names, or one column.",
            )
        won_column = find_column(table, won, field="won")
    frame = table.frame
    acc = as_text_keys(frame[found["account"]], strip=table.padded)
    missing_account = acc.isna().to_numpy()

    counted = np.ones(len(frame), dtype=bool)
    decided = None  # rows won or lost, for the win rate
    is_won = None
    if "stage" in found:
        stages = text_cells(frame[found["stage"]]).str.casefold()
        won_names = _casefold_set(won, "won")
        lost_names = _casefold_set(lost, "lost")
        is_won = stages.isin(won_names).to_numpy()
        decided = is_won | stages.isin(lost_names).to_numpy()
        if not is_won.any():
            seen = ", ".join(map(repr, sorted(stages.dropna().unique())[:8]))
            raise KamDataError(
                f"no row has a stage meaning won ({', '.join(map(repr, sorted(won_names)))})",
                source=table.label,
                column=str(found["stage"]),
                fix=f"Pass won= with the name your CRM uses; the stages are {seen}.",
            )
        counted = is_won
    elif won_column is not None:
        is_won = _yes_no(frame[won_column], table, won_column)
        decided = np.ones(len(frame), dtype=bool)
        counted = is_won

    if missing_account.any():
        n = int(missing_account.sum())
        warnings.warn(
            f"{table.label}: {n:,} row{'s' if n != 1 else ''} with no {found['account']!r} "
            f"{'were' if n != 1 else 'was'} left out (first: row {table.user_rows(missing_account)[0]}).",
            KamDataWarning,
            stacklevel=3,
        )
    keep = ~missing_account
    values, bad = parse_numbers_in(table, found["value"], frame[found["value"]])
    _fail_on(
        table,
        found["value"],
        (bad.to_numpy() | values.isna().to_numpy()) & counted & keep,
        "has no amount or text that is not a number on a row that counts",
        "Fill in the amount, or fix the text (e.g. '1200.50').",
    )

    data = pd.DataFrame({"account": acc, "value": values.to_numpy(), "counted": counted})
    if "margin" in found:
        m, mbad = parse_numbers_in(table, found["margin"], frame[found["margin"]])
        _fail_on(
            table,
            found["margin"],
            mbad.to_numpy() & counted & keep,
            "has text that is not a number",
            "Fix the text or leave the cell empty.",
        )
        data["margin"] = m.to_numpy()
    if "date" in found:
        data["date"] = _parse_dates(frame[found["date"]], table, found["date"], counted & keep)
    if "product" in found:
        data["product"] = text_cells(frame[found["product"]]).to_numpy()
    if "order" in found:
        data["order"] = text_cells(frame[found["order"]]).to_numpy()
    if "owner" in found:
        data["owner"] = as_text_keys(frame[found["owner"]], strip=table.padded).to_numpy()
    if decided is not None:
        data["won"] = is_won
        data["decided"] = decided
    data = data.loc[keep].reset_index(drop=True)

    out = _summarise(data, table.label, order_column=str(found["order"]) if "order" in found else None)
    out.attrs["source"] = table.label
    return out


def _summarise(data: pd.DataFrame, label: str, *, order_column: str | None = None) -> pd.DataFrame:
    accounts = pd.Index(pd.unique(data["account"]), name="account")
    won = data.loc[data["counted"]]
    g = won.groupby("account", sort=False)
    out = pd.DataFrame(index=accounts)
    notes: list[str] = []
    attrs: dict[str, Any] = {
        "rows": len(data),
        "rows_are": "opportunities" if "won" in data.columns else "order lines",
    }
    out["revenue"] = g["value"].sum().reindex(accounts, fill_value=0.0).astype(float)
    if "order" in won.columns:
        out["orders"] = _orders(won, accounts, notes, order_column or "order")
    else:
        out["order_lines"] = g.size().reindex(accounts, fill_value=0).astype("int64")
        notes.append(
            f"order_lines counts the {'won ' if 'won' in data.columns else ''}rows of each account: the file has no "
            "order id, so orders cannot be told apart (an order of five products is five rows). Choose the column "
            "of order numbers ('Order number' in the picker, order= in code) to count orders."
        )
    if "date" in won.columns:
        out["first_date"] = g["date"].min().reindex(accounts)
        out["last_date"] = g["date"].max().reindex(accounts)
        end = won["date"].max()
        start = won["date"].min()
        if pd.notna(end) and start <= end - pd.DateOffset(months=23):  # the year before is (nearly) all there
            out["growth_12m"], attrs["growth_period"], note = _growth(won, accounts)
            notes.append(note)
        elif pd.notna(end):
            short = (
                f"{label}: the dates run from {start:%Y-%m-%d} to {end:%Y-%m-%d}, less than the 23 months needed, "
                "so 'growth_12m' (last 12 months against the 12 before) is left out."
            )
            warnings.warn(short, KamDataWarning, stacklevel=4)
            notes.append(short)
    if "margin" in won.columns:
        out["margin"] = g["margin"].sum(min_count=1).reindex(accounts).astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["margin_pct"] = np.where(out["revenue"] != 0, out["margin"] / out["revenue"], np.nan)
    if "product" in won.columns:  # distinct products: the same product ordered twice is one
        out["products"] = g["product"].nunique().reindex(accounts, fill_value=0).astype("int64")
    if "won" in data.columns:
        d = data.loc[data["decided"]].groupby("account")
        n_won = d["won"].sum().reindex(accounts, fill_value=0)
        n_dec = d.size().reindex(accounts, fill_value=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out["win_rate"] = np.where(n_dec > 0, n_won / n_dec.where(n_dec > 0, 1), np.nan)
    if "owner" in data.columns:
        owners = data.dropna(subset=["owner"])
        counts = owners.groupby(["account", "owner"]).size().reset_index(name="n")
        counts = counts.sort_values(["account", "n", "owner"], ascending=[True, False, True])
        top = counts.drop_duplicates("account").set_index("account")["owner"]
        out["account_manager"] = top.reindex(accounts).astype("str")
    out = out.reset_index()
    out["account"] = out["account"].astype("str")
    lead = ["account"] + (["account_manager"] if "account_manager" in out.columns else [])
    out = out[lead + [c for c in out.columns if c not in lead]]
    out.attrs.update(attrs, notes=notes)
    return out


def _orders(won: pd.DataFrame, accounts: pd.Index, notes: list[str], column: str) -> pd.Series:
    """Distinct order ids per account; a counted row without an id is an order of its own."""
    has_id = won["order"].notna()
    distinct = won.loc[has_id].groupby("account")["order"].nunique().reindex(accounts, fill_value=0)
    lone = won.loc[~has_id].groupby("account").size().reindex(accounts, fill_value=0)
    orders = (distinct + lone).astype("int64")
    rows = f"{len(won):,} {'won ' if 'won' in won.columns else ''}row{'s' if len(won) != 1 else ''}"
    note = f"orders counts the distinct {column!r} values of each account: {int(orders.sum()):,} orders on {rows}."
    if (~has_id).any():
        n = int((~has_id).sum())
        note += f" {n:,} row{'s have' if n != 1 else ' has'} no {column!r}: each is counted as an order of its own."
    shared = int((won.loc[has_id].groupby("order")["account"].nunique() > 1).sum())
    if shared:
        note += (
            f" {shared:,} value{'s' if shared != 1 else ''} of {column!r} appear{'' if shared != 1 else 's'} under "
            f"more than one account and {'are' if shared != 1 else 'is'} counted for each: check that the column "
            "holds order numbers."
        )
    notes.append(note)
    return orders


#: A growth rate needs the account to have been a customer from (nearly) the start of the earlier period ...
_JOINED_WITHIN = pd.DateOffset(months=3)
#: ... and an earlier revenue of at least this share of the typical (median) account's.
_SMALLEST_BASE = 0.1


def _growth(won: pd.DataFrame, accounts: pd.Index) -> tuple[pd.Series, str, str]:
    """Revenue in the last 12 months of the data against the 12 before, per account, with the period and a note.

    Empty (NaN) where the rate would mislead: an account that joined well into the earlier period, bought nothing
    in it, or bought too little in it for a rate to mean anything.
    """
    day = won["date"].dt.normalize()
    end = day.max()
    cut = end - pd.DateOffset(months=12)
    begin = end - pd.DateOffset(months=24)
    recent = day > cut
    before = (day > begin) & ~recent
    last = won.loc[recent].groupby("account")["value"].sum().reindex(accounts, fill_value=0.0)
    base = won.loc[before].groupby("account")["value"].sum().reindex(accounts, fill_value=0.0)
    first = day.groupby(won["account"]).min().reindex(accounts)
    joined_late = (first > begin + _JOINED_WITHIN).to_numpy()
    nothing = (base <= 0).to_numpy() & ~joined_late
    bases = base[~joined_late & ~nothing]
    floor = float(bases.median()) * _SMALLEST_BASE if len(bases) else 0.0
    small = (base < floor).to_numpy() & ~joined_late & ~nothing
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (last / base.where(base > 0) - 1.0).astype(float)
    growth = rate.where(~(joined_late | nothing | small))
    one_day = pd.Timedelta(days=1)
    recent_days = f"{cut + one_day:%Y-%m-%d} to {end:%Y-%m-%d}"
    earlier_days = f"{begin + one_day:%Y-%m-%d} to {cut:%Y-%m-%d}"
    note = (
        f"Growth over 12 months compares the revenue of the last 12 months of the file ({recent_days}) with the "
        f"12 months before ({earlier_days}): +25 % is a quarter more, -100 % is no order in the last 12 months."
    )
    empty = [
        f"{n:,} account{'s' if n != 1 else ''} {what}"
        for n, what in (
            (
                int(joined_late.sum()),
                f"that first bought after {begin + _JOINED_WITHIN:%Y-%m-%d} (too late for a full earlier year)",
            ),
            (int(nothing.sum()), "that bought nothing (net) in the earlier 12 months"),
            (
                int(small.sum()),
                f"whose earlier 12 months came to less than a tenth of the typical account's ({floor:,.2f})",
            ),
        )
        if n
    ]
    if empty:
        listed = empty[0] if len(empty) == 1 else ", ".join(empty[:-1]) + " and " + empty[-1]
        note += f" It is left empty for {listed}: a rate on no base or a small one says nothing about the account."
    return pd.Series(growth.to_numpy(), index=accounts), f"{recent_days} against {earlier_days}", note


def _casefold_set(names: str | Iterable[str] | None, default: str) -> set[str]:
    if names is None:
        return {default}
    if isinstance(names, str):
        return {names.casefold()}
    return {str(n).casefold() for n in names}


def _yes_no(col: pd.Series, table: Table, name: str) -> np.ndarray:
    if pd.api.types.is_bool_dtype(col.dtype):
        return col.fillna(False).to_numpy(dtype=bool)
    text = text_cells(col).str.casefold()
    yes = text.isin({"1", "true", "yes", "y", "won", "x"})
    no = text.isin({"0", "false", "no", "n", "lost"}) | text.isna()
    _fail_on(table, name, ~(yes | no).to_numpy(), "is neither yes nor no", "Use yes/no, true/false or 1/0.")
    return yes.to_numpy()


def _fail_on(table: Table, column: object, mask: np.ndarray, problem: str, fix: str) -> None:
    if mask.any():
        raise KamDataError(problem, source=table.label, column=str(column), rows=table.user_rows(mask), fix=fix)


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T].*)?$")
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T].*)?$")


def _dates_from_numbers(col: pd.Series, table: Table, name: object, must: np.ndarray) -> pd.Series:
    """Numbers as dates: 20240105 (year, month, day run together) or Excel's serial day numbers."""
    values = col.astype(float).reset_index(drop=True)
    present = values.notna()
    whole = present & np.isfinite(values) & (values == np.floor(values.fillna(0)))
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    if present.any() and (whole[present] & values[present].between(19000101, 21001231)).all():
        digits = values[present].astype("int64").astype(str)
        result[present] = pd.to_datetime(digits, format="%Y%m%d", errors="coerce")
    else:
        serial = present & values.between(1, 2_958_465)  # Excel's days 1900-01-01 .. 9999-12-31
        result[serial] = pd.Timestamp("1899-12-30") + pd.to_timedelta(values[serial], unit="D")
    _fail_on(
        table,
        name,
        (present & result.isna()).to_numpy() & must,
        "has a number that is not a date (neither like 20240105 nor an Excel day number)",
        "Write dates as 2025-03-31, or format the column as dates in the spreadsheet.",
    )
    return result


def _parse_dates(col: pd.Series, table: Table, name: object, must: np.ndarray) -> pd.Series:
    """Dates in ISO, day-first or month-first form; the order is read from the data."""
    stamps = pd.api.types.is_datetime64_any_dtype(col.dtype) or (
        col.dtype == object and col.map(lambda v: isinstance(v, pd.Timestamp) or hasattr(v, "year")).all()
    )
    if stamps:  # times with a zone (one or several) are compared in UTC; times without one are taken as UTC
        return pd.to_datetime(col, utc=True).dt.tz_localize(None).astype("datetime64[us]").reset_index(drop=True)
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return _dates_from_numbers(col, table, name, must)
    text = text_cells(col).reset_index(drop=True)
    present = text.notna()
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    values = text[present]
    if values.str.match(_ISO).all():  # 2024-01-05 or 2024-1-5, with or without a time
        parts = values.str.extract(r"^(\d{4})-(\d{1,2})-(\d{1,2})").astype(int)
        result[present] = pd.to_datetime(
            pd.DataFrame({"year": parts[0], "month": parts[1], "day": parts[2]}), errors="coerce"
        )
    elif values.str.match(_DMY).all():
        parts = values.str.extract(_DMY).astype(int)
        first, second, year = parts[0], parts[1], parts[2]
        year = year.where(year >= 100, year + 2000)
        if (first > 12).any():
            day, month = first, second
        elif (second > 12).any():
            day, month = second, first
        elif values.str.contains("/", regex=False).any():
            day, month = second, first  # ambiguous slashes: US month-first
        else:
            day, month = first, second
        result[present] = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": day}), errors="coerce")
    else:
        result[present] = pd.to_datetime(values, format="mixed", errors="coerce")
    bad = present & result.isna()
    _fail_on(
        table,
        name,
        bad.to_numpy() & must,
        "has a date that cannot be read",
        "Write dates as 2025-03-31 (or one consistent day/month/year form).",
    )
    return result


# ------------------------------------------------------------------ choosing columns
#: What an order or opportunity row holds, with the headers looked for (as in
#: :data:`FIELDS`): the arguments of :func:`accounts_from_transactions`.
TRANSACTION_FIELDS: dict[str, tuple[str, ...]] = {
    "account": FIELDS["account"],
    "value": (
        "value",
        "amount",
        "closevalue",
        "dealvalue",
        "ordervalue",
        "netvalue",
        "sales",
        "netsales",
        "revenue",
        "total",
        "turnover",
        "umsatz",
        "importe",
        "valor",
    ),
    "date": ("date", "closedate", "orderdate", "invoicedate", "closedon", "datum", "fecha", "data"),
    "order": (
        "orderid",
        "orderno",
        "ordernr",
        "ordernumber",
        "orderref",
        "order",
        "salesorder",
        "salesorderid",
        "salesordernumber",
        "invoice",
        "invoiceid",
        "invoiceno",
        "invoicenr",
        "invoicenumber",
        "auftragsnummer",
        "auftragsnr",
        "auftrag",
        "bestellnummer",
        "bestellnr",
        "rechnungsnummer",
        "rechnungsnr",
        "belegnummer",
        "numeropedido",
        "pedido",
        "numerofactura",
        "factura",
        "numerocommande",
        "commande",
        "ordernummer",
        "factuurnummer",
        "opportunityid",
        "dealid",
    ),
    "owner": FIELDS["account_manager"],
    "stage": ("stage", "dealstage", "opportunitystage", "salesstage", "status"),
    "product": ("product", "productname", "item", "article", "sku", "produkt", "producto", "produto"),
    "margin": ("margin", "grossmargin", "grossprofit", "profit", "marge", "margen"),
}
#: The fields a reading needs: without them nothing can be loaded.
REQUIRED = {"accounts": ("account",), "transactions": ("account", "value")}


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


FIELDS_BY_KIND: dict[str, dict[str, tuple[str, ...]]] = {
    "accounts": {"account": FIELDS["account"], "account_manager": FIELDS["account_manager"]},
    "transactions": TRANSACTION_FIELDS,
}


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
    sheets = sheet_names(source)
    table = read_table(source, sheet=sheet, text_columns=lambda headers: headers)
    headers = [str(c) for c in table.frame.columns]
    guessed_account = guess_column(table, FIELDS["account"])
    repeats = bool(guessed_account is not None and table.frame[guessed_account].duplicated().any())
    has_value = guess_column(table, TRANSACTION_FIELDS["value"]) is not None
    # repeated names with an amount and a date or stage: orders or opportunities; without them, a mistake
    dated = any(guess_column(table, TRANSACTION_FIELDS[f]) is not None for f in ("date", "stage"))
    suggested = "transactions" if repeats and has_value and dated else "accounts"
    chosen = kind or suggested
    guesses = {f: _as_header(guess_column(table, syn)) for f, syn in FIELDS_BY_KIND[chosen].items()}
    notes = []
    names = [c for c in table.frame.columns if not _all_numbers(table.frame[c])]
    make_ids = chosen == "accounts" and guesses["account"] is None and not names
    if make_ids:
        notes.append("No column holds names (every column is a number): the rows are numbered as accounts.")
    elif chosen == "accounts" and guesses["account"] is None:
        notes.append("No column looks like the account name: pick it, or number the rows (no names in the file).")
    if chosen == "accounts" and repeats:
        notes.append("Some account names repeat: if each row is an order or an opportunity, choose that instead.")
    if chosen == "transactions" and guesses["value"] is None:
        notes.append("No column looks like the amount: pick it.")
    confident = (all(guesses[f] for f in REQUIRED[chosen]) or make_ids) and not (chosen == "accounts" and repeats)
    head = table.frame.head(rows).astype("string").fillna("")
    chosen_sheet = None
    if sheets:
        chosen_sheet = sheets[sheet] if isinstance(sheet, int) else (sheet or sheets[0])
    return Preview(
        label=_label(source),
        sheets=sheets,
        sheet=chosen_sheet,
        headers=headers,
        head=head,
        rows=len(table.frame),
        kind=chosen,
        guesses=guesses,
        confident=bool(confident),
        notes=notes,
        make_ids=make_ids,
    )


def _all_numbers(column: pd.Series) -> bool:
    cells = text_cells(column).dropna()
    return bool(len(cells)) and bool(pd.to_numeric(cells.str.replace(",", "."), errors="coerce").notna().all())


def _as_header(found: object) -> str | None:
    return None if found is None else str(found)


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

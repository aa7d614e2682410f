"""Stage 6, accounts (from orders): order or opportunity rows summed into one row per account."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ...errors import KamDataError, KamDataWarning
from ._bytes import Progress, Source
from ._fields import find_column
from ._numbers import as_text_keys, fail_on, parse_dates, parse_numbers_in, text_cells
from ._tabular import Sheet, Table, open_table, read_rows


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
    with Progress(source, "Reading the transactions", ["read", "summed"]) as progress:
        opened = open_table(source, sheet=sheet)  # stages 1-3: the bytes, a CSV's text, the header row
        found = _find_fields(opened, cols, stage=stage, won=won)  # stage 4
        table = read_rows(opened, text=[h for f, h in found.items() if f in _AS_TEXT])  # stage 3: the rows
        progress.next()
        out = _from_table(table, found, won=won, lost=lost)  # stages 5 and 6
        progress.next()
    return out


#: The fields read from a CSV as text, as written: names, ids, stages and dates (read by the numbers stage).
_AS_TEXT = {"account", "owner", "stage", "product", "date", "order", "won"}


def _find_fields(opened: Sheet, cols: Mapping[str, str | None], *, stage: str | None, won: Any) -> dict[str, str]:
    """``{field: header}`` for the fields given; ``"won"`` too when ``won=`` names a yes/no column."""
    found = {k: find_column(opened.header, v, source=opened.label, field=k) for k, v in cols.items() if v is not None}
    if stage is None and won is not None:
        if not isinstance(won, str):
            raise KamDataError(
                "without stage=, won= must name one yes/no column",
                fix="Pass stage= and the stage names, or one column.",
            )
        found["won"] = find_column(opened.header, won, source=opened.label, field="won")
    return found


def _from_table(table: Table, found: Mapping[str, str], *, won: Any, lost: Any) -> pd.DataFrame:
    """Stages 5 and 6 of :func:`accounts_from_transactions`: the cells read as names, amounts and dates, then summed."""
    acc = as_text_keys(table.frame[found["account"]], strip=table.padded)
    missing_account = acc.isna().to_numpy()
    counted, is_won, decided = _won_rows(table, found, won, lost)
    if missing_account.any():
        n = int(missing_account.sum())
        warnings.warn(
            f"{table.label}: {n:,} row{'s' if n != 1 else ''} with no {found['account']!r} "
            f"{'were' if n != 1 else 'was'} left out (first: row {table.user_rows(missing_account)[0]}).",
            KamDataWarning,
            stacklevel=3,
        )
    keep = ~missing_account
    data = _row_values(table, found, acc, counted & keep)
    data["counted"] = counted
    if decided is not None:
        data["won"] = is_won
        data["decided"] = decided
    data = data.loc[keep].reset_index(drop=True)
    out = _summarise(data, table.label, order_column=found.get("order"))
    out.attrs["source"] = table.label
    return out


def _won_rows(
    table: Table, found: Mapping[str, str], won: Any, lost: Any
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """``(counted, won, decided)``: the rows that count (all, or the won ones), and for a win rate the won
    rows and those won or lost (None without a stage or a yes/no column)."""
    frame = table.frame
    if "stage" in found:
        stages = text_cells(frame[found["stage"]]).str.casefold()
        won_names = _casefold_set(won, "won")
        is_won = stages.isin(won_names).to_numpy()
        if not is_won.any():
            seen = ", ".join(map(repr, sorted(stages.dropna().unique())[:8]))
            raise KamDataError(
                f"no row has a stage meaning won ({', '.join(map(repr, sorted(won_names)))})",
                source=table.label,
                column=found["stage"],
                fix=f"Pass won= with the name your CRM uses; the stages are {seen}.",
            )
        return is_won, is_won, is_won | stages.isin(_casefold_set(lost, "lost")).to_numpy()
    if "won" in found:
        is_won = _yes_no(frame[found["won"]], table, found["won"])
        return is_won, is_won, np.ones(len(frame), dtype=bool)
    return np.ones(len(frame), dtype=bool), None, None


def _row_values(table: Table, found: Mapping[str, str], acc: pd.Series, must: np.ndarray) -> pd.DataFrame:
    """One row per order line: the account, the amount and, when given, margin, date, product, order and owner.

    ``must`` marks the rows that count: an amount, margin or date that cannot be read there is an error.
    """
    frame = table.frame
    values, bad = parse_numbers_in(table, found["value"], frame[found["value"]])
    fail_on(
        table,
        found["value"],
        (bad.to_numpy() | values.isna().to_numpy()) & must,
        "has no amount or text that is not a number on a row that counts",
        "Fill in the amount, or fix the text (e.g. '1200.50').",
    )
    data = pd.DataFrame({"account": acc, "value": values.to_numpy()})
    if "margin" in found:
        m, mbad = parse_numbers_in(table, found["margin"], frame[found["margin"]])
        fail_on(
            table,
            found["margin"],
            mbad.to_numpy() & must,
            "has text that is not a number",
            "Fix the text or leave the cell empty.",
        )
        data["margin"] = m.to_numpy()
    if "date" in found:
        data["date"] = parse_dates(frame[found["date"]], table, found["date"], must)
    for field in ("product", "order"):
        if field in found:
            data[field] = text_cells(frame[found[field]]).to_numpy()
    if "owner" in found:
        data["owner"] = as_text_keys(frame[found["owner"]], strip=table.padded).to_numpy()
    return data


class _Rows:
    """The order lines with each account as a number (its place among the accounts, in the file's order), so
    that every figure is a count or a sum over small integers instead of a grouping by text, again and again."""

    def __init__(self, data: pd.DataFrame) -> None:
        code, names = pd.factorize(data["account"])
        self.accounts = pd.Index(names, name="account")
        self.n = len(names)
        self.data = data
        self.code = code
        counted = data["counted"].to_numpy()
        self.won = data.loc[counted]
        self.won_code = code[counted]

    def sum(self, values: Any, code: np.ndarray | None = None) -> np.ndarray:
        code = self.won_code if code is None else code
        return np.bincount(code, weights=np.asarray(values, dtype=float), minlength=self.n)

    def count(self, code: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(self.won_code if code is None else code, minlength=self.n)

    def distinct(self, values: pd.Series, code: np.ndarray) -> np.ndarray:
        """How many distinct ``values`` (NaN aside) each account has, ``code`` giving each value's account."""
        present = values.notna().to_numpy()
        value_code, distinct = pd.factorize(values[present])
        width = len(distinct) + 1  # (account, value) as one number: account * width + value
        pairs = pd.unique(code[present].astype(np.int64) * width + value_code)
        return np.bincount(pairs // width, minlength=self.n)


def _summarise(data: pd.DataFrame, label: str, *, order_column: str | None = None) -> pd.DataFrame:
    rows = _Rows(data)
    won = rows.won
    out = pd.DataFrame(index=rows.accounts)
    notes: list[str] = []
    attrs: dict[str, Any] = {
        "rows": len(data),
        "rows_are": "opportunities" if "won" in data.columns else "order lines",
    }
    out["revenue"] = rows.sum(won["value"].to_numpy())
    if "order" in won.columns:
        out["orders"] = _orders(rows, notes, order_column or "order")
    else:
        out["order_lines"] = rows.count().astype("int64")
        notes.append(
            f"order_lines counts the {'won ' if 'won' in data.columns else ''}rows of each account: the file has no "
            "order id, so orders cannot be told apart (an order of five products is five rows). Choose the column "
            "of order numbers ('Order number' in the picker, order= in code) to count orders."
        )
    if "date" in won.columns:
        _dates(out, rows, label, attrs, notes)
    if "margin" in won.columns:
        margin = won["margin"].to_numpy(dtype=float)
        given = rows.count(rows.won_code[~np.isnan(margin)])
        out["margin"] = np.where(given > 0, rows.sum(np.nan_to_num(margin)), np.nan)  # as a sum with min_count=1
        with np.errstate(divide="ignore", invalid="ignore"):
            out["margin_pct"] = np.where(out["revenue"] != 0, out["margin"] / out["revenue"], np.nan)
    if "product" in won.columns:  # distinct products: the same product ordered twice is one
        out["products"] = rows.distinct(won["product"], rows.won_code).astype("int64")
    if "won" in data.columns:
        decided = data["decided"].to_numpy()
        n_won = rows.sum(data["won"].to_numpy()[decided], rows.code[decided])
        n_dec = rows.count(rows.code[decided])
        with np.errstate(divide="ignore", invalid="ignore"):
            out["win_rate"] = np.where(n_dec > 0, n_won / np.where(n_dec > 0, n_dec, 1), np.nan)
    if "owner" in data.columns:
        out["account_manager"] = _main_owner(rows)
    out = out.reset_index()
    out["account"] = out["account"].astype("str")
    lead = ["account"] + (["account_manager"] if "account_manager" in out.columns else [])
    out = out[lead + [c for c in out.columns if c not in lead]]
    out.attrs.update(attrs, notes=notes)
    return out


def _main_owner(rows: _Rows) -> pd.Series:
    """Each account's salesperson: the one on most of its rows (won or not), the first by name on a tie."""
    owner = rows.data["owner"]
    present = owner.notna().to_numpy()
    owner_code, names = pd.factorize(owner[present], sort=True)  # sorted: a lower code is the first by name
    width = len(names) + 1
    tally = pd.Series(rows.code[present].astype(np.int64) * width + owner_code).value_counts(sort=False)
    pairs, n = tally.index.to_numpy(), tally.to_numpy()
    counts = pd.DataFrame({"account": pairs // width, "owner": pairs % width, "n": n})
    top = counts.sort_values(["account", "n", "owner"], ascending=[True, False, True]).drop_duplicates("account")
    chosen = np.full(rows.n, -1, dtype=np.int64)
    chosen[top["account"].to_numpy()] = top["owner"].to_numpy()
    known = np.array([*names, None], dtype=object)  # -1, no salesperson: the last, None
    return pd.Series(known[chosen], index=rows.accounts, dtype="str")


def _dates(out: pd.DataFrame, rows: _Rows, label: str, attrs: dict[str, Any], notes: list[str]) -> None:
    """``first_date``, ``last_date`` and, when the dates cover 23 months or more, ``growth_12m`` (else a warning)."""
    dates = rows.won["date"]
    by_account = dates.groupby(rows.won_code)  # small integers: grouped without hashing any text
    out["first_date"] = by_account.min().reindex(range(rows.n)).to_numpy()
    out["last_date"] = by_account.max().reindex(range(rows.n)).to_numpy()
    end = dates.max()
    start = dates.min()
    if pd.notna(end) and start <= end - pd.DateOffset(months=23):  # the year before is (nearly) all there
        out["growth_12m"], attrs["growth_period"], note = _growth(rows, out["first_date"])
        notes.append(note)
    elif pd.notna(end):
        short = (
            f"{label}: the dates run from {start:%Y-%m-%d} to {end:%Y-%m-%d}, less than the 23 months needed, "
            "so 'growth_12m' (last 12 months against the 12 before) is left out."
        )
        # the caller of accounts_from_transactions, past _from_table and _summarise
        warnings.warn(short, KamDataWarning, stacklevel=5)
        notes.append(short)


def _orders(rows: _Rows, notes: list[str], column: str) -> np.ndarray:
    """Distinct order ids per account; a counted row without an id is an order of its own."""
    won = rows.won
    has_id = won["order"].notna().to_numpy()
    orders = (rows.distinct(won["order"], rows.won_code) + rows.count(rows.won_code[~has_id])).astype("int64")
    lines = f"{len(won):,} {'won ' if 'won' in won.columns else ''}row{'s' if len(won) != 1 else ''}"
    note = f"orders counts the distinct {column!r} values of each account: {int(orders.sum()):,} orders on {lines}."
    if (~has_id).any():
        n = int((~has_id).sum())
        note += f" {n:,} row{'s have' if n != 1 else ' has'} no {column!r}: each is counted as an order of its own."
    order_code, _ = pd.factorize(won["order"][has_id])
    if len(order_code):  # an order number under two accounts or more
        width = rows.n + 1
        pairs = pd.unique(order_code.astype(np.int64) * width + rows.won_code[has_id])
        shared = int((np.bincount(pairs // width) > 1).sum())
    else:
        shared = 0
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


def _growth(rows: _Rows, first: pd.Series) -> tuple[pd.Series, str, str]:
    """Revenue in the last 12 months of the data against the 12 before, per account, with the period and a note.

    Empty (NaN) where the rate would mislead: an account that joined well into the earlier period, bought nothing
    in it, or bought too little in it for a rate to mean anything. ``first`` is each account's first date.
    """
    day = rows.won["date"].dt.normalize().to_numpy()
    value = rows.won["value"].to_numpy(dtype=float)
    end = pd.Timestamp(day.max())
    cut = end - pd.DateOffset(months=12)
    begin = end - pd.DateOffset(months=24)
    recent = day > cut.to_datetime64()
    before = (day > begin.to_datetime64()) & ~recent
    last = rows.sum(value[recent], rows.won_code[recent])
    base = rows.sum(value[before], rows.won_code[before])
    joined_late = (first.dt.normalize() > begin + _JOINED_WITHIN).to_numpy()
    nothing = (base <= 0) & ~joined_late
    bases = base[~joined_late & ~nothing]
    floor = float(np.median(bases)) * _SMALLEST_BASE if len(bases) else 0.0
    small = (base < floor) & ~joined_late & ~nothing
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = last / np.where(base > 0, base, np.nan) - 1.0
    growth = pd.Series(np.where(joined_late | nothing | small, np.nan, rate), index=rows.accounts)
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
    return growth, f"{recent_days} against {earlier_days}", note


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
    fail_on(table, name, ~(yes | no).to_numpy(), "is neither yes nor no", "Use yes/no, true/false or 1/0.")
    return yes.to_numpy()

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
from ._lines import Lines, NotPlain, read_lines
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
        lines = _streamed(opened, found, progress)  # a CSV in chunks, as numbers (stages 3 and 5)
        if lines is None:  # a spreadsheet or a DataFrame, or a CSV with rows to name
            table = read_rows(opened, text=[h for f, h in found.items() if f in _AS_TEXT])  # stage 3: the rows
            lines = _from_table(table, found, won=won, lost=lost)  # stage 5
        progress.next()
        out = _summarise(lines, order_column=found.get("order"), value_column=found.get("value"))  # stage 6
        progress.next()
    return out


def _streamed(opened: Sheet, found: Mapping[str, str], progress: Progress) -> Lines | None:
    """A CSV's rows read a chunk at a time (:func:`~._lines.read_lines`); None when the file must be read whole."""
    try:
        lines = read_lines(opened, found, progress)
    except NotPlain:
        return None
    n, first = lines.no_account
    if n:
        _warn_no_account(lines.label, found["account"], n, first, stacklevel=4)
    return lines


def _warn_no_account(label: str, column: str, n: int, first: object, *, stacklevel: int) -> None:
    warnings.warn(
        f"{label}: {n:,} row{'s' if n != 1 else ''} with no {column!r} "
        f"{'were' if n != 1 else 'was'} left out (first: row {first}).",
        KamDataWarning,
        stacklevel=stacklevel,
    )


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


def _from_table(table: Table, found: Mapping[str, str], *, won: Any, lost: Any) -> Lines:
    """Stage 5 of :func:`accounts_from_transactions` for a table read whole: the cells read as names, amounts
    and dates, as numbers (:class:`~._lines.Lines`)."""
    acc = as_text_keys(table.frame[found["account"]], strip=table.padded)
    missing_account = acc.isna().to_numpy()
    counted, is_won, decided = _won_rows(table, found, won, lost)
    no_account: tuple[int, object] = (0, None)
    if missing_account.any():
        no_account = (int(missing_account.sum()), table.user_rows(missing_account)[0])
        _warn_no_account(table.label, found["account"], *no_account, stacklevel=4)
    keep = ~missing_account
    data = _row_values(table, found, acc, counted & keep)
    code, names = pd.factorize(data["account"].to_numpy(dtype=object)[keep])
    lines = Lines(table.label, np.asarray(names, dtype=object), code, data["value"].to_numpy()[keep])
    lines.no_account = no_account
    if decided is not None:
        lines.counted, lines.won, lines.decided = counted[keep], is_won[keep], decided[keep]  # type: ignore[index]
    for field in ("date", "margin"):
        if field in data.columns:
            setattr(lines, field, data[field].to_numpy()[keep])
    for field in ("order", "product", "owner"):
        if field in data.columns:
            codes, distinct = pd.factorize(data[field].to_numpy(dtype=object)[keep])  # empty (NA) is -1
            setattr(lines, field, codes)
            if field == "owner":
                lines.owners = np.asarray(distinct, dtype=object)
    return lines


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

    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.accounts = pd.Index(lines.accounts, name="account")
        self.n = len(lines.accounts)
        self.code = lines.account
        self.won_code = self.won(lines.account)

    def won(self, values: np.ndarray) -> np.ndarray:
        """``values`` on the rows that count (all rows when every row does)."""
        return values if self.lines.counted is None else values[self.lines.counted]

    def sum(self, values: Any, code: np.ndarray | None = None) -> np.ndarray:
        code = self.won_code if code is None else code
        return np.bincount(code, weights=np.asarray(values, dtype=float), minlength=self.n)

    def count(self, code: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(self.won_code if code is None else code, minlength=self.n)

    def pairs(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The distinct (account, value) pairs of the rows that count, ``values`` being codes (-1: no value).

        Most values (an order number) belong to one account: each gives one pair, found from the lowest and
        highest account it appears under; only the rows of values under several accounts are sorted out.
        """
        values = self.won(values)
        present = values >= 0
        code, values = self.won_code[present].astype(np.int64), values[present].astype(np.int64)
        width = int(values.max(initial=0)) + 1
        low, high = np.full(width, self.n, dtype=np.int64), np.full(width, -1, dtype=np.int64)
        np.minimum.at(low, values, code)
        np.maximum.at(high, values, code)
        alone = (high >= 0) & (low == high)
        shared = ~alone[values]
        both = np.sort(code[shared] * width + values[shared])  # (account, value) as one number, sorted ...
        both = both[np.concatenate([[True], both[1:] != both[:-1]])] if len(both) else both  # ... each once
        only = np.flatnonzero(alone)
        return np.concatenate([low[only], both // width]), np.concatenate([only, both % width])

    def distinct(self, values: np.ndarray) -> np.ndarray:
        """How many distinct ``values`` (codes, -1 for none) each account has on the rows that count."""
        return np.bincount(self.pairs(values)[0], minlength=self.n)


def _summarise(lines: Lines, *, order_column: str | None = None, value_column: str | None = None) -> pd.DataFrame:
    rows = _Rows(lines)
    out = pd.DataFrame(index=rows.accounts)
    notes: list[str] = []
    attrs: dict[str, Any] = {
        "source": lines.label,
        "rows": len(lines.account),
        "rows_are": "opportunities" if lines.won is not None else "order lines",
        "value_column": value_column,  # what revenue is the sum of
        "rows_counted": len(lines.account) if lines.counted is None else int(np.count_nonzero(lines.counted)),
    }
    out["revenue"] = rows.sum(rows.won(lines.value))
    if lines.order is not None:
        out["orders"] = _orders(rows, lines.order, notes, order_column or "order")
    else:
        out["order_lines"] = rows.count().astype("int64")
        notes.append(
            f"order_lines counts the {'won ' if lines.won is not None else ''}rows of each account: the file has no "
            "order id, so orders cannot be told apart (an order of five products is five rows). Choose the column "
            "of order numbers ('Order number' in the picker, order= in code) to count orders."
        )
    if lines.date is not None:
        _dates(out, rows, lines.label, attrs, notes)
    if lines.margin is not None:
        margin = rows.won(lines.margin).astype(float)
        given = rows.count(rows.won_code[~np.isnan(margin)])
        out["margin"] = np.where(given > 0, rows.sum(np.nan_to_num(margin)), np.nan)  # as a sum with min_count=1
        with np.errstate(divide="ignore", invalid="ignore"):
            out["margin_pct"] = np.where(out["revenue"] != 0, out["margin"] / out["revenue"], np.nan)
    if lines.product is not None:  # distinct products: the same product ordered twice is one
        out["products"] = rows.distinct(lines.product).astype("int64")
    if lines.won is not None and lines.decided is not None:
        decided = lines.decided
        n_won = rows.sum(lines.won[decided], rows.code[decided])
        n_dec = rows.count(rows.code[decided])
        with np.errstate(divide="ignore", invalid="ignore"):
            out["win_rate"] = np.where(n_dec > 0, n_won / np.where(n_dec > 0, n_dec, 1), np.nan)
    if lines.owner is not None and lines.owners is not None:
        out["account_manager"] = _main_owner(rows, lines.owner, lines.owners)
    out = out.reset_index()
    out["account"] = out["account"].astype("str")
    lead = ["account"] + (["account_manager"] if "account_manager" in out.columns else [])
    out = out[lead + [c for c in out.columns if c not in lead]]
    out.attrs.update(attrs, notes=notes)
    return out


def _main_owner(rows: _Rows, owner: np.ndarray, owners: np.ndarray) -> pd.Series:
    """Each account's salesperson: the one on most of its rows (won or not), the first by name on a tie."""
    present = owner >= 0
    by_name = np.argsort(owners, kind="stable")  # a lower rank is the first by name
    rank = np.empty(len(owners), dtype=np.int64)
    rank[by_name] = np.arange(len(owners))
    names = owners[by_name]
    width = len(names) + 1
    tally = pd.Series(rows.code[present].astype(np.int64) * width + rank[owner[present]]).value_counts(sort=False)
    pairs, n = tally.index.to_numpy(), tally.to_numpy()
    counts = pd.DataFrame({"account": pairs // width, "owner": pairs % width, "n": n})
    top = counts.sort_values(["account", "n", "owner"], ascending=[True, False, True]).drop_duplicates("account")
    chosen = np.full(rows.n, -1, dtype=np.int64)
    chosen[top["account"].to_numpy()] = top["owner"].to_numpy()
    known = np.array([*names, None], dtype=object)  # -1, no salesperson: the last, None
    return pd.Series(known[chosen], index=rows.accounts, dtype="str")


def _dates(out: pd.DataFrame, rows: _Rows, label: str, attrs: dict[str, Any], notes: list[str]) -> None:
    """``first_date``, ``last_date`` and, when the dates cover 23 months or more, ``growth_12m`` (else a warning)."""
    assert rows.lines.date is not None
    dates = pd.Series(rows.won(rows.lines.date))
    out["first_date"], out["last_date"] = _first_and_last(dates.to_numpy(), rows.won_code, rows.n)
    end = dates.max()
    start = dates.min()
    if pd.notna(end) and start <= end - pd.DateOffset(months=23):  # the year before is (nearly) all there
        out["growth_12m"], attrs["growth_period"], note = _growth(rows, dates, out["first_date"])
        notes.append(note)
    elif pd.notna(end):
        short = (
            f"{label}: the dates run from {start:%Y-%m-%d} to {end:%Y-%m-%d}, less than the 23 months needed, "
            "so 'growth_12m' (last 12 months against the 12 before) is left out."
        )
        # the caller of accounts_from_transactions, past _summarise
        warnings.warn(short, KamDataWarning, stacklevel=4)
        notes.append(short)


def _first_and_last(dates: np.ndarray, code: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each of ``n`` accounts' first and last date (NaT where it has none), ``code`` giving each date's account."""
    known = ~np.isnat(dates)
    stamps, code = dates[known].view(np.int64), code[known]  # as numbers, in the dates' own unit
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, np.iinfo(np.int64).min)  # the number NaT is
    np.minimum.at(first, code, stamps)
    np.maximum.at(last, code, stamps)
    first[last == np.iinfo(np.int64).min] = np.iinfo(np.int64).min  # no date: NaT
    return first.view(dates.dtype), last.view(dates.dtype)


def _orders(rows: _Rows, order: np.ndarray, notes: list[str], column: str) -> np.ndarray:
    """Distinct order ids per account; a counted row without an id is an order of its own."""
    won_order = rows.won(order)
    has_id = won_order >= 0
    account, order_of_pair = rows.pairs(order)  # the distinct (account, order) pairs
    orders = (np.bincount(account, minlength=rows.n) + rows.count(rows.won_code[~has_id])).astype("int64")
    n_rows = len(won_order)
    lines = f"{n_rows:,} {'won ' if rows.lines.won is not None else ''}row{'s' if n_rows != 1 else ''}"
    note = f"orders counts the distinct {column!r} values of each account: {int(orders.sum()):,} orders on {lines}."
    if (~has_id).any():
        n = int((~has_id).sum())
        note += f" {n:,} row{'s have' if n != 1 else ' has'} no {column!r}: each is counted as an order of its own."
    shared = int((np.bincount(order_of_pair) > 1).sum())  # an order number under two accounts or more
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


def _growth(rows: _Rows, dates: pd.Series, first: pd.Series) -> tuple[pd.Series, str, str]:
    """Revenue in the last 12 months of the data against the 12 before, per account, with the period and a note.

    Empty (NaN) where the rate would mislead: an account that joined well into the earlier period, bought nothing
    in it, or bought too little in it for a rate to mean anything. ``dates`` are those of the rows that count,
    ``first`` each account's first date.
    """
    day = dates.dt.normalize().to_numpy()
    value = rows.won(rows.lines.value).astype(float)
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

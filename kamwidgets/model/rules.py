"""The course's classification method: criteria for each bucket, then each customer placed.

Lesson 14 of the course works in two steps: first write down, for each of
the four buckets, the criteria a customer must meet to belong there
(tangible to your business: a revenue level, a share of their spend, a
relationship), then take the customers one by one and place them.  Here the
criteria are a table of rules, one condition per row; all the rules of a
bucket must hold for a customer to match it.  Buckets are tried in order
(key, key development, maintenance, opportunistic): a customer matching
several goes to the first and the others are listed; a customer matching
none stays unplaced, to be placed by hand.  A placement by hand (with its
reason) wins over the rules and is shown as such.

>>> import pandas as pd
>>> p = pd.DataFrame({"account": ["A", "B", "C"], "revenue": [900, 120, 40]})
>>> rules = [{"bucket": "key", "column": "revenue", "operator": ">=", "value": 500},
...          {"bucket": "maintenance", "column": "revenue", "operator": ">=", "value": 100}]
>>> placed = place_by_rules(p, rules, overrides={"C": {"bucket": "opportunistic", "reason": "sells our surplus"}})
>>> placed[["account", "segment", "placed_by"]].to_dict("list")
{'account': ['A', 'B', 'C'], 'segment': ['Key account', 'Maintenance account', 'Opportunistic account'], \
'placed_by': ['rule', 'rule', 'by hand']}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import KamDataError
from . import checks
from ._schema import Field, check_table
from .classification import DEFAULT_LABELS, SEGMENTS, segment_labels
from .criteria import looks_like_a_code, number_columns, size_column
from .display import column_named, column_words, is_share
from .load._numbers import read_number

__all__ = [
    "how_placed",
    "OPERATORS",
    "OPERATOR_WORDS",
    "RULE_FIELDS",
    "check_rules",
    "check_overrides",
    "place_by_rules",
    "compare_placements",
    "rules_table",
    "new_rule",
    "fitting_operator",
    "fitting_value",
    "unfilled",
    "TEXT_OPERATORS",
]

#: How a rule compares a column with its value.
OPERATORS: tuple[str, ...] = (">=", ">", "<=", "<", "=", "!=")

#: The operators a column of text takes (the others compare numbers).
TEXT_OPERATORS: tuple[str, ...] = ("=", "!=")

#: Each operator as it reads in a sentence, for people: "revenue at least 150,000".
OPERATOR_WORDS: dict[str, str] = {
    ">=": "at least",
    ">": "more than",
    "<=": "at most",
    "<": "less than",
    "=": "is",
    "!=": "is not",
}

RULE_FIELDS: tuple[Field, ...] = (
    Field(
        "bucket",
        "choice",
        choices=SEGMENTS,
        required=True,
        help=f"the bucket is one of {', '.join(SEGMENTS)}",
        aliases=tuple((label, key) for key, label in DEFAULT_LABELS.items()),
    ),
    Field("column", "text", required=True, help="name the portfolio column the rule looks at"),
    Field("operator", "choice", choices=OPERATORS, default=">=", help=f"the operator is one of {' '.join(OPERATORS)}"),
    Field("value", "value", required=True, help="give the value to compare with (a number, or a text for = and !=)"),
)


def fitting_operator(portfolio: pd.DataFrame, column: str, operator: str) -> str:
    """``operator`` if it fits the column, else the first that does: a column of text takes ``=`` or ``!=``.

    >>> p = pd.DataFrame({"account": ["A"], "sector": ["Retail"], "revenue": [9.0]})
    >>> fitting_operator(p, "sector", ">="), fitting_operator(p, "revenue", ">="), fitting_operator(p, "sector", "!=")
    ('=', '>=', '!=')
    """
    if column in portfolio.columns and not _holds_numbers(portfolio[column]) and operator not in TEXT_OPERATORS:
        return TEXT_OPERATORS[0]
    return operator


def unfilled(value: Any) -> bool:
    """Whether a rule's value is not filled yet (nothing, or only spaces): such a rule waits, it is not used."""
    return value is None or str(value).strip() == ""


def fitting_value(portfolio: pd.DataFrame, column: str, value: Any) -> Any:
    """``value`` if a rule on ``column`` can use it, else ``""`` (to fill again), for a rule moved to another column.

    A column of numbers takes a value read as a number ("0,3", "30%"); a column of text, one of its own values.
    A value typed for the column before (``0.3`` for a margin) would otherwise stay, meaningless, on the new one
    ("account manager is 0.3").

    >>> p = pd.DataFrame({"account": ["A"], "manager": ["Ann"], "margin_pct": [0.3], "revenue": [9e5]})
    >>> fitting_value(p, "manager", 0.3), fitting_value(p, "manager", "Ann"), fitting_value(p, "margin_pct", "Ann")
    ('', 'Ann', '')
    >>> fitting_value(p, "margin_pct", "30%"), fitting_value(p, "margin_pct", "30"), fitting_value(p, "revenue", "30%")
    ('30%', '', '')
    """
    if column not in portfolio.columns or unfilled(value):
        return value
    if _holds_numbers(portfolio[column]):
        rule = pd.Series({"column": column, "value": value})
        try:
            _rule_number(1, rule, portfolio[column])  # as the rule will read it: a share refuses 150000, revenue 30%
        except KamDataError:
            return ""
        return value
    known = set(portfolio[column].dropna().astype(str).str.strip().str.casefold())  # rules compare text so
    return value if str(value).strip().casefold() in known else ""


def new_rule(portfolio: pd.DataFrame, rules: Any = None) -> dict[str, Any]:
    """The row a new rule starts from: the last rule's bucket, a column of numbers no rule uses yet, no value.

    The account's size (:func:`~kamwidgets.model.criteria.size_column`) comes first, then the other number
    columns in the file's order, codes held as numbers last (a channel 1 or 2, a region: see
    :func:`~kamwidgets.model.criteria.looks_like_a_code`); when every one is used somewhere, the first the bucket
    does not use yet.  The value is left empty for the person to fill (a rule with no value is not used).

    >>> p = pd.DataFrame({"account": ["A"], "region": ["North"], "share": [0.2], "revenue": [9.0]})
    >>> new_rule(p)
    {'bucket': 'key', 'column': 'revenue', 'operator': '>=', 'value': ''}
    >>> new_rule(p, [{"bucket": "maintenance", "column": "revenue", "operator": ">=", "value": 5}])["column"]
    'share'
    """
    rows = rules.to_dict("records") if isinstance(rules, pd.DataFrame) else [dict(r) for r in (rules or [])]
    bucket = str(rows[-1].get("bucket", SEGMENTS[0])) if rows else SEGMENTS[0]
    size = size_column(portfolio)
    numbers = number_columns(portfolio)
    numbers = ([size] if size in numbers else []) + [c for c in numbers if c != size]
    numbers.sort(key=lambda c: looks_like_a_code(c, portfolio[c]))  # stable: amounts first, each in its order
    used = {str(r.get("column")) for r in rows}
    in_bucket = {str(r.get("column")) for r in rows if str(r.get("bucket")) == bucket}
    others = [str(c) for c in portfolio.columns if c != "account"]
    candidates = [c for c in numbers if c not in used] or [c for c in numbers if c not in in_bucket] or numbers
    column = (candidates or others or [""])[0]
    return {"bucket": bucket, "column": column, "operator": fitting_operator(portfolio, column, ">="), "value": ""}


def _holds_numbers(column: pd.Series) -> bool:
    """Whether a rule compares this column as numbers (flags and text are compared as text)."""
    return pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype)


def _bad_rule(row: int, column: str, problem: str, fix: str | None) -> KamDataError:
    """What is wrong with one rule of the table, with its row and column."""
    return KamDataError(problem, source="the bucket rules", column=column, rows=[row], fix=fix)


def check_rules(rules: Any, portfolio: pd.DataFrame) -> pd.DataFrame:
    """The rules as a clean table; a rule naming a missing column, or a text to compare with a number, is refused.

    Messages name a column as the page shows it, with its name in the file beside
    (:func:`~kamwidgets.model.display.column_named`: ``'share of wallet' (share_of_wallet)``).

    Values of number columns become numbers (typed text is read as the file
    loader reads a cell: "0,3", "150 000", "30%" against a share);
    ``=``/``!=`` on a text column compare texts without case.
    """
    frame = check_table(rules, RULE_FIELDS, what="bucket rules")
    values: list[Any] = []
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        if row.column not in portfolio.columns:
            shown = ", ".join(column_named(c) for c in [str(c) for c in portfolio.columns if c != "account"][:12])
            raise _bad_rule(
                i,
                "column",
                f"the portfolio has no column {column_named(row.column)}",
                f"Use one of its columns: {shown}.",
            )
        col = portfolio[row.column]
        if _holds_numbers(col):
            values.append(_rule_number(i, row, col))
        else:
            if row.operator not in TEXT_OPERATORS:
                raise _bad_rule(
                    i,
                    "operator",
                    f"{column_named(row.column)} holds text, which can only be compared with = or !=",
                    "Use = (or !=) with a text such as 'Retail'.",
                )
            values.append(str(row.value).strip())
    frame["value"] = pd.Series(values, index=frame.index, dtype=object)
    return frame


def _rule_number(i: int, row: Any, column: pd.Series) -> float:
    """The value of rule ``i`` for a column of numbers: a number as given, text read as the loader reads a cell.

    "0,3", "150 000" and "1.200,50" are read; "1,200" alone (1200 or 1.2?) is refused with both readings.  A
    percentage is a fraction ("30%" is 0.3), as the portfolio holds its shares; against a column that holds
    no shares it is refused, as it would compare 0.3 with amounts.
    """
    value = row.value
    try:
        read = read_number(value) if isinstance(value, str) else value
    except KamDataError as err:
        raise _bad_rule(i, "value", err.problem, err.fix) from None
    if isinstance(value, str) and read is not None and "%" in value and not is_share(row.column, column):
        raise _bad_rule(
            i,
            "value",
            f"{value!r} is a percentage, and {column_named(row.column)} holds no shares (fractions from 0 to 1)",
            "Write the number as the column holds it, without %.",
        )
    try:
        number = checks.number(read, f"the value of rule {i}")
    except KamDataError:
        raise _bad_rule(
            i,
            "value",
            f"{value!r} is not a number, and {column_named(row.column)} holds numbers",
            "Write the number to compare with (e.g. 100000 or 0.3).",
        ) from None
    typed_percent = isinstance(value, str) and "%" in value
    if abs(number) > 1 and not typed_percent and is_share(row.column, column):
        raise _bad_rule(
            i,
            "value",
            f"{value!r} against {column_named(row.column)}, which holds shares as fractions (0.3 is 30 %), "
            f"would mean {_number(100 * number)} %",
            f"Write {_number(number)}% (or {number / 100:g}) for {_number(number)} %.",
        )
    return number


def check_overrides(overrides: Any, portfolio: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Placements by hand, checked: ``{account: {"bucket": key, "reason": why}}``, accounts of the portfolio."""
    if overrides is None:
        return {}
    if not isinstance(overrides, Mapping):
        raise KamDataError(f"placements by hand must be a mapping {{account: {{bucket, reason}}}}, not {overrides!r}")
    accounts = set(portfolio["account"].astype(str))
    out = {}
    for account, spec in overrides.items():
        if str(account) not in accounts:
            raise KamDataError(
                f"{account!r} is not an account of this portfolio",
                column="account",
                fix="Place by hand only accounts of the portfolio (a renamed account loses its placement).",
            )
        if not isinstance(spec, Mapping):
            raise KamDataError(f"the placement of {account!r} must say bucket and reason, not {spec!r}")
        bucket = checks.choice(spec.get("bucket"), SEGMENTS, f"the bucket of {account!r}")
        reason = checks.text(spec.get("reason", ""), f"the reason for {account!r}").strip()
        if not reason:
            raise KamDataError(
                f"a placement by hand needs a reason ({account!r})",
                fix="Say in a few words why this account belongs there: it is what a reviewer will ask.",
            )
        out[str(account)] = {"bucket": bucket, "reason": reason}
    return out


def _number(value: float) -> str:
    """A number as people write it: thousands separated, no trailing zeros (``150,000``, ``7.5``)."""
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.10g}"


def _condition(row: Any, portfolio: pd.DataFrame) -> str:
    """One checked rule in words: ``revenue at least 150,000``, ``share of wallet at least 30 %``.

    A column of fractions (a share, a rate, a growth: see
    :func:`kamwidgets.model.display.is_share`) reads in %, as the tables
    show it; a text reads as it was written (``sector is not Retail``).
    """
    value = row.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        shown = f"{_number(100 * number)} %" if is_share(row.column, portfolio[row.column]) else _number(number)
    else:
        shown = str(value)
    name = column_words(row.column)
    return f"{name} {OPERATOR_WORDS[row.operator]} {shown}"


def _holds(column: pd.Series, op: str, value: Any) -> np.ndarray:
    if isinstance(value, float):
        v = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            result = {
                ">=": v >= value,
                ">": v > value,
                "<=": v <= value,
                "<": v < value,
                "=": v == value,
                "!=": v != value,
            }[op]
        return result & ~np.isnan(v)  # an empty cell meets no rule
    text = column.astype("string").str.strip().str.casefold()
    same = (text == value.casefold()).fillna(False).to_numpy(dtype=bool)
    known = text.notna().to_numpy()
    return same if op == "=" else (~same & known)


def place_by_rules(
    portfolio: pd.DataFrame,
    rules: Any,
    *,
    overrides: Mapping[str, Mapping[str, str]] | None = None,
    labels: Any = None,
) -> pd.DataFrame:
    """Each customer placed in the first bucket whose rules it meets, or by hand.

    Parameters
    ----------
    portfolio:
        One row per account (see :func:`kamwidgets.load_portfolio`).
    rules:
        Rows of ``bucket`` (key, development, maintenance, opportunistic or
        their default labels), ``column``, ``operator`` (>=, >, <=, <, =,
        !=) and ``value``; a DataFrame, a list of dicts or a file.  A
        bucket with no rule matches nobody.
    overrides:
        ``{account: {"bucket": key, "reason": why}}``: placements by hand,
        which win over the rules.  A reason is required.
    labels:
        Bucket names, as in :func:`kamwidgets.classify`.

    Returns
    -------
    DataFrame
        The portfolio with ``segment`` (a categorical of the four labels,
        like :func:`kamwidgets.classify`'s, NA when unplaced), ``matched``
        (every bucket whose rules the account meets, in order),
        ``placed_by`` (``"rule"``, ``"by hand"`` or ``""`` when unplaced)
        and ``reason`` (the rules met, in words, or the reason given by hand).
        ``attrs["rules"]`` holds how many rules there are.
    """
    if not isinstance(portfolio, pd.DataFrame) or "account" not in portfolio.columns:
        raise KamDataError("the portfolio needs an 'account' column", fix="Load it with load_portfolio().")
    names = segment_labels(labels)
    table = check_rules(rules, portfolio)
    n = len(portfolio)
    match = np.zeros((len(SEGMENTS), n), dtype=bool)
    why: list[list[str]] = [[] for _ in SEGMENTS]
    for b, key in enumerate(SEGMENTS):
        mine = table[table["bucket"] == key]
        if mine.empty:
            continue
        ok = np.ones(n, dtype=bool)
        for row in mine.itertuples(index=False):
            ok &= _holds(portfolio[row.column], row.operator, row.value)
            why[b].append(_condition(row, portfolio))
        match[b] = ok
    codes = np.where(match.any(axis=0), match.argmax(axis=0), -1).astype(np.int8)
    out = portfolio.copy()
    matched = [", ".join(names[SEGMENTS[b]] for b in range(len(SEGMENTS)) if match[b, i]) for i in range(n)]
    reason = ["; ".join(why[c]) if c >= 0 else "" for c in codes]
    placed_by = np.where(codes >= 0, "rule", "").astype(object)
    accounts = out["account"].astype(str).tolist()
    for account, spec in check_overrides(overrides, portfolio).items():
        key, given = spec["bucket"], spec["reason"]
        i = accounts.index(account)
        codes[i] = SEGMENTS.index(key)
        placed_by[i] = "by hand"
        reason[i] = given
    out["segment"] = pd.Categorical.from_codes(codes, categories=list(names.values()))
    out["matched"] = pd.Series(matched, index=out.index, dtype="str")
    out["placed_by"] = pd.Series(placed_by, index=out.index, dtype="str")
    out["reason"] = pd.Series(reason, index=out.index, dtype="str")
    out.attrs["rules"] = len(table)  # none yet: an unplaced account waits for criteria, it did not fail them
    return out


def rules_table(rules: Any, portfolio: pd.DataFrame, labels: Any = None) -> pd.DataFrame:
    """The rules as the course draws them: one row per bucket, its conditions side by side, in words.

    >>> p = pd.DataFrame({"account": ["A"], "revenue": [9e5], "share_of_wallet": [0.4]})
    >>> rules = [{"bucket": "key", "column": "revenue", "operator": ">=", "value": 150000},
    ...          {"bucket": "key", "column": "share_of_wallet", "operator": ">=", "value": 0.3}]
    >>> rules_table(rules, p)["criteria"].iloc[0]
    'revenue at least 150,000 and share of wallet at least 30 %'
    """
    names = segment_labels(labels)
    table = check_rules(rules, portfolio)
    rows = []
    for key in SEGMENTS:
        mine = table[table["bucket"] == key]
        conditions = [_condition(r, portfolio) for r in mine.itertuples(index=False)]
        rows.append({"bucket": names[key], "criteria": " and ".join(conditions) or "(no rule yet)"})
    return pd.DataFrame(rows)


def compare_placements(first: pd.DataFrame, second: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two placements of the same accounts side by side: a bucket-by-bucket count and the accounts that differ.

    Buckets are compared by position (key, development, maintenance,
    opportunistic), so renamed labels still match; unplaced accounts count
    as ``"(unplaced)"``.
    """
    for frame, what in ((first, "the first placement"), (second, "the second placement")):
        if "segment" not in frame.columns or not isinstance(frame["segment"].dtype, pd.CategoricalDtype):
            raise KamDataError(f"{what} has no buckets", fix="Pass results of place_by_rules() or classify().")
    a = first.set_index("account")["segment"]
    b = second.set_index("account")["segment"].reindex(a.index)
    labels = list(first["segment"].cat.categories)
    unplaced = "(unplaced)"
    left = pd.Series(np.where(a.cat.codes >= 0, a.astype("string").fillna(unplaced), unplaced), index=a.index)
    codes_b = b.cat.codes.to_numpy()
    right = pd.Series(
        [labels[c] if c >= 0 else unplaced for c in codes_b], index=a.index
    )  # the first placement's names
    counts = pd.crosstab(left.rename("first"), right.rename("second"))
    order = [*labels, unplaced]
    counts = counts.reindex(
        index=[o for o in order if o in counts.index], columns=[o for o in order if o in counts.columns], fill_value=0
    )
    differ = pd.DataFrame({"first": left, "second": right})
    differ = differ[differ["first"] != differ["second"]].reset_index()
    return counts, differ


def how_placed(row: Mapping[str, Any]) -> str:
    """How an account of :func:`place_by_rules` got its bucket, in words ("" for a placement of the matrix's).

    ``"placed by hand: REASON"`` (or ``"placed by hand"``), or ``"by the criteria of its bucket"``.
    """
    if row.get("placed_by") == "by hand":
        reason = str(row.get("reason") or "").strip()
        return "placed by hand" + (f": {reason}" if reason else "")
    if row.get("placed_by") == "rule":
        return "by the criteria of its bucket"
    return ""

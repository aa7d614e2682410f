"""Criteria: how one column of the portfolio becomes a 0-10 score.

A criterion is a column, a weight and a scale.  Scales:

``"rank"`` (default)
    Percentile rank within the portfolio: the lowest value scores 0, the
    highest 10, ties share their average rank.  Robust to outliers and to
    any unit (money, counts, percentages).
``"minmax"``
    Linear between the portfolio's smallest (0) and largest (10) value.
``"value"``
    The value itself, already on a scale: ``bounds`` (default 0 to 10) is
    mapped onto 0-10, so a 1-5 survey answer works with ``bounds=(1, 5)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, TypeAlias, get_args

import numpy as np
import pandas as pd

from ..errors import KamDataError
from . import checks
from .display import header
from .load._fields import normalise_name, tidy_header

__all__ = [
    "Criterion",
    "Criteria",
    "as_criteria",
    "criteria_table",
    "spend_profile",
    "criterion_scores",
    "weighted_score",
    "score_matrix",
    "own_weighted_score",
    "AXES",
    "AXIS_TITLES",
    "SCALES",
    "scale_words",
    "number_columns",
    "looks_like_a_code",
    "size_column",
    "suggest_criteria",
    "fitting_criteria",
    "FittingCriteria",
    "REPEATS_ABOVE",
    "repeated_columns",
    "key_account_split",
    "KeyAccountSplit",
]

#: The matrix's two axes (and the two score columns of a classified portfolio), in the order every pair of
#: the workbook follows: criteria, thresholds, splits.
AXES: tuple[str, str] = ("attractiveness", "strength")
#: What each axis is called on the page: the matrix's axis titles and the workbench's headings.
AXIS_TITLES: dict[str, str] = {"attractiveness": "Customer attractiveness", "strength": "Our relative strength"}

Scale = Literal["rank", "minmax", "value"]
#: The scales a criterion can use, the default first (the names of :data:`Scale`, said once).
SCALES: tuple[Scale, ...] = get_args(Scale)
# how each scale is said in tables and controls
_SCALE_WORDS: dict[str, str] = {"rank": "percentile rank", "minmax": "min-max", "value": "value on {lo:g}-{hi:g}"}


def scale_words(scale: str, bounds: tuple[float, float] = (0.0, 10.0)) -> str:
    """A scale in words, as the criteria's table and the workbench's controls say it.

    >>> [scale_words(s) for s in SCALES]
    ['percentile rank', 'min-max', 'value on 0-10']
    >>> scale_words("value", (1, 5))
    'value on 1-5'
    """
    return _SCALE_WORDS[scale].format(lo=float(bounds[0]), hi=float(bounds[1]))


@dataclass(frozen=True)
class Criterion:
    """One column scored 0-10 and weighted on one axis.

    Examples
    --------
    >>> Criterion("revenue", 40)
    Criterion(column='revenue', weight=40, higher_is_better=True, scale='rank', bounds=(0.0, 10.0))
    >>> Criterion("price_position", 20, higher_is_better=False, scale="value", bounds=(1, 5))
    Criterion(column='price_position', weight=20, higher_is_better=False, scale='value', bounds=(1, 5))
    """

    column: str
    weight: float = 1.0
    higher_is_better: bool = True
    scale: Scale = "rank"
    bounds: tuple[float, float] = field(default=(0.0, 10.0))

    def __post_init__(self) -> None:
        if self.scale not in SCALES:
            raise KamDataError(
                f"criterion {self.column!r} has an unknown scale {self.scale!r}",
                fix=f"Use one of {', '.join(map(repr, SCALES))}.",
            )
        if isinstance(self.weight, str):  # "40" from a file stays a typo to fix, not a silent number
            raise KamDataError(f"criterion {self.column!r} has the weight {self.weight!r}", fix="Give it as a number.")
        checks.weight(self.weight, f"the weight of criterion {self.column!r}")
        try:
            lo, hi = (float(b) for b in self.bounds)
        except (TypeError, ValueError):
            raise KamDataError(
                f"criterion {self.column!r} has bounds {self.bounds!r}",
                fix="Give (lowest, highest) as two numbers, e.g. (1, 5).",
            ) from None
        if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
            raise KamDataError(
                f"criterion {self.column!r} has bounds {self.bounds!r}",
                fix="Give (lowest, highest) with lowest below highest, e.g. (1, 5).",
            )

    def to_dict(self) -> dict:
        """Plain settings, for saving and re-applying."""
        return {
            "column": self.column,
            "weight": float(self.weight),
            "higher_is_better": self.higher_is_better,
            "scale": self.scale,
            "bounds": [float(b) for b in self.bounds],
        }


Criteria: TypeAlias = Mapping[str, float] | Iterable[Criterion]


def as_criteria(spec: Criteria, axis: str) -> list[Criterion]:
    """Turn ``{column: weight}``, criteria, or their dicts into a checked list.

    Weights must be non-negative with a positive sum; no column twice.
    """
    if isinstance(spec, Mapping):
        items = [Criterion(str(c), w) for c, w in spec.items()]
    elif isinstance(spec, (str, bytes)) or not isinstance(spec, Iterable):
        raise KamDataError(
            f"the {axis} criteria must be a mapping {{column: weight}} or a list of Criterion",
            fix=f'For example {axis}={{"revenue": 60, "growth": 40}}.',
        )
    else:
        items = []
        for c in spec:
            if isinstance(c, Criterion):
                items.append(c)
            elif isinstance(c, Mapping):
                d = dict(c)
                unknown = set(d) - {"column", "weight", "higher_is_better", "scale", "bounds"}
                if unknown or "column" not in d:
                    raise KamDataError(
                        f"the {axis} criterion {d!r} has "
                        + (f"unknown settings {sorted(unknown)}" if unknown else "no column"),
                        fix="Use column, weight, higher_is_better, scale and bounds.",
                    )
                if "bounds" in d:
                    d["bounds"] = tuple(d["bounds"])
                items.append(Criterion(**d))
            else:
                raise KamDataError(f"{c!r} is not a criterion", fix="Use Criterion(column, weight).")
    if not items:
        raise KamDataError(f"no {axis} criteria were given", fix="Give at least one column with a weight.")
    seen: set[str] = set()
    for c in items:
        if c.column in seen:
            raise KamDataError(f"{c.column!r} is given twice for {axis}", fix="Give each column once per axis.")
        seen.add(c.column)
    if sum(float(c.weight) for c in items) <= 0:
        raise KamDataError(
            f"the {axis} weights add up to 0",
            fix="Give at least one criterion a weight above 0.",
        )
    return items


def criteria_table(attractiveness: Criteria, strength: Criteria) -> pd.DataFrame:
    """Both axes' criteria as one readable table, weights as percentages of their axis."""
    rows = []
    for axis, spec in zip(AXES, (attractiveness, strength)):
        items = as_criteria(spec, axis)
        total = sum(float(c.weight) for c in items)
        for c in items:
            rows.append(
                {
                    "axis": axis,
                    "criterion": c.column,
                    "weight": f"{float(c.weight) / total:.0%}",
                    "scale": scale_words(c.scale, c.bounds),
                    "higher is better": "yes" if c.higher_is_better else "no",
                }
            )
    return pd.DataFrame(rows)


def spend_profile(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Two criteria from spend per product family, for exports that have no share of wallet.

    ``total_spend`` is the sum over ``columns``; ``breadth`` counts the
    families in which the account spends more than the typical (median)
    account: one that buys across the range depends on us for more of its
    needs.  Returns a frame with the same index, to join onto the portfolio.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KamDataError(
            "there is no such spend column",
            column=str(missing[0]),
            fix=f"Pick from {', '.join(map(repr, map(str, frame.columns)))}.",
        )
    spend = frame[list(columns)]
    text = [c for c in columns if not pd.api.types.is_numeric_dtype(spend[c].dtype)]
    if text:
        raise KamDataError(
            "the spend column is not numeric",
            column=str(text[0]),
            fix="Load the file with load_portfolio, which reads '$1,200' and '1.200,50' as numbers.",
        )
    return pd.DataFrame(
        {
            "total_spend": spend.sum(axis=1, min_count=1),
            "breadth": (spend > spend.median()).sum(axis=1).astype("int64"),
        },
        index=frame.index,
    )


def _accounts_of(portfolio: pd.DataFrame) -> pd.Series:
    """The account names to name in a message (the row numbers when there is no account column)."""
    if "account" in portfolio.columns:
        return portfolio["account"].astype("str")
    return pd.Series(portfolio.index.astype(str), index=portfolio.index)


def _numeric_column(portfolio: pd.DataFrame, column: str, label: str) -> np.ndarray:
    """The column's values as floats (NaN where missing); infinite values are left to :func:`_no_infinite`."""
    if column not in portfolio.columns:
        numeric = number_columns(portfolio)
        raise KamDataError(
            "the criterion column is not in the portfolio",
            source=label,
            column=column,
            fix=f"Pick one of the number columns: {', '.join(map(repr, numeric)) or '(none)'}.",
        )
    col = portfolio[column]
    if pd.api.types.is_bool_dtype(col.dtype):
        return col.astype(float).to_numpy()
    if not pd.api.types.is_numeric_dtype(col.dtype):
        as_num = pd.to_numeric(col, errors="coerce")
        text = (as_num.isna() & col.notna()).to_numpy()
        if text.any():
            accounts = _accounts_of(portfolio)
            bad = [f"{a} ({v!r})" for a, v in zip(accounts[text][:5], col[text][:5])]
            raise KamDataError(
                f"has text where a number is expected: {', '.join(bad)}",
                source=label,
                column=column,
                accounts=list(accounts[text]),
                fix="Replace the text with a number or leave the cell empty "
                "(load files with load_portfolio to read '$1,200' or '50%').",
            )
        col = as_num
    return col.to_numpy(dtype=float, na_value=np.nan)


def _no_infinite(portfolio: pd.DataFrame, column: str, values: np.ndarray, label: str) -> None:
    inf = np.isinf(values)
    if inf.any():
        raise KamDataError(
            "has an infinite value",
            source=label,
            column=column,
            accounts=list(_accounts_of(portfolio)[inf]),
            fix="Replace it with a real number or leave the cell empty.",
        )


def _rank_scores(values: np.ndarray) -> np.ndarray:
    """Percentile rank on 0-10, ties averaged, NaN kept."""
    return _ranked(values)[0]


def _ranked(values: np.ndarray, out: np.ndarray | None = None) -> tuple[np.ndarray, float, float, bool]:
    """:func:`_rank_scores` (written into ``out`` when given), the lowest and highest known value (NaN when
    none) and whether a value is missing, read off the sort."""
    n = values.size
    if out is None:
        out = np.empty(values.shape)
    if n == 0:
        return out, np.nan, np.nan, False
    # Any order of equal values gives the same averaged ranks, so the fastest sort will do (numpy's default
    # sorts floats with SIMD; a stable sort is several times slower).  NaN sorts last.
    order = np.argsort(values)
    sv = values[order]
    if np.isnan(sv[-1]):  # some values missing: rank the known ones among themselves
        ok = ~np.isnan(values)
        out[:] = np.nan
        out[ok], low, high, _ = _ranked(values[ok])
        return out, low, high, True
    if n == 1:
        out[0] = 5.0
        return out, float(sv[0]), float(sv[0]), False
    # average rank of tied runs: positions 0..n-1, run [i, j) gets (i + j - 1) / 2; scaled to 0-10 per run,
    # divided before it is multiplied (rank / (n - 1) * 10): the middle account scores exactly 5, on the threshold
    first = np.empty(n, dtype=bool)
    first[0] = True
    np.not_equal(sv[1:], sv[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    if starts.size == n:  # no ties: the rank is the place in the sort
        out[order] = np.arange(n) / (n - 1) * 10.0
    else:
        ends = np.empty_like(starts)
        ends[:-1] = starts[1:]
        ends[-1] = n
        out[order] = np.repeat((starts + ends - 1) / 2.0 / (n - 1) * 10.0, ends - starts)
    return out, float(sv[0]), float(sv[-1]), False


def _scored(portfolio: pd.DataFrame, c: Criterion, label: str, out: np.ndarray) -> bool:
    """One criterion's 0-10 scores (NaN where the value is missing) written into ``out``; whether a value
    is missing."""
    values = _numeric_column(portfolio, c.column, label)
    if c.scale == "rank":
        _, low, high, gaps = _ranked(values, out)
        if np.isinf(low) or np.isinf(high):  # the sort put any infinite value at an end
            _no_infinite(portfolio, c.column, values, label)
    else:
        _no_infinite(portfolio, c.column, values, label)
        gaps = bool(np.isnan(values.sum()))
        if c.scale == "minmax":
            known = values[~np.isnan(values)]
            lo, hi = (known.min(), known.max()) if known.size else (0.0, 0.0)
            if hi == lo:
                score = np.full(values.shape, 5.0)
            else:  # halved first, so that even the widest range of floats cannot overflow
                score = (values / 2 - lo / 2) / (hi / 2 - lo / 2) * 10.0
            score = np.where(np.isnan(values), np.nan, score)
        else:
            lo, hi = c.bounds
            outside = (values < lo) | (values > hi)
            if outside.any():
                raise KamDataError(
                    f"has values outside its scale {lo:g} to {hi:g}",
                    source=label,
                    column=c.column,
                    accounts=list(_accounts_of(portfolio)[outside]),
                    fix="Correct the values, set bounds= to the scale you used, or score it with scale='rank'.",
                )
            score = (values - lo) / (hi - lo) * 10.0
        out[:] = score
    if not c.higher_is_better:
        np.subtract(10.0, out, out=out)
    return gaps


def score_matrix(portfolio: pd.DataFrame, criteria: Iterable[Criterion]) -> tuple[np.ndarray, np.ndarray]:
    """``(scores, gaps)``: :func:`criterion_scores` as an accounts x criteria array (each criterion's scores
    side by side in memory, so one is read at full speed), and whether each criterion misses a value."""
    label = str(portfolio.attrs.get("source", "the portfolio"))
    criteria = list(criteria)
    scores = np.empty((len(portfolio), len(criteria)), order="F")
    gaps = np.zeros(len(criteria), dtype=bool)
    for j, c in enumerate(criteria):
        gaps[j] = _scored(portfolio, c, label, scores[:, j])
    return scores, gaps


def criterion_scores(portfolio: pd.DataFrame, criteria: Iterable[Criterion]) -> pd.DataFrame:
    """Each criterion's 0-10 score per account (NaN where the value is missing).

    The result has the portfolio's index and one column per criterion,
    named after the criterion's column.  Weights are not applied here, so a
    widget can change them without scoring again.
    """
    criteria = list(criteria)
    scores, _ = score_matrix(portfolio, criteria)
    return pd.DataFrame({c.column: scores[:, j] for j, c in enumerate(criteria)}, index=portfolio.index)


def weighted_score(
    scores: pd.DataFrame | np.ndarray, weights: np.ndarray, gaps: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The weighted mean of criterion scores, skipping missing ones.

    Returns ``(score, complete)``: the 0-10 score (NaN when an account has
    none of the weighted criteria) and whether every weighted criterion was
    present.  ``gaps`` (whether each criterion misses a value, as
    :func:`score_matrix` says) spares looking for missing values.
    """
    m = np.asarray(scores, dtype=float)
    w = np.asarray(weights, dtype=float)
    used = w > 0
    if gaps is None:
        gaps = np.isnan(m).any(axis=0)
    if not np.asarray(gaps, dtype=bool)[used].any():  # common case: no gaps, a sum of the weighted columns
        return _weighted_sum(m, w), np.ones(len(m), dtype=bool)
    present = ~np.isnan(m)
    wp = np.where(present, w, 0.0)
    total = wp.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(total > 0, np.nansum(np.where(present, m, 0.0) * w, axis=1) / total, np.nan)
    complete = present[:, used].all(axis=1)
    return score, complete


def _weighted_sum(m: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``m @ w / w.sum()`` for scores without gaps, a column at a time (no copy of the matrix), in the order
    and with the arithmetic of :func:`own_weighted_score` (the same scores give the same sums to the bit)."""
    columns = np.flatnonzero(w > 0)
    out = m[:, columns[0]] * w[columns[0]]
    part = np.empty_like(out)
    for j in columns[1:]:
        np.multiply(m[:, j], w[j], out=part)
        out += part
    out /= w[columns].sum()  # divided once: whole scores and weights that make exactly 5 give exactly 5
    return out


def own_weighted_score(portfolio: pd.DataFrame, criteria: Iterable[Criterion]) -> np.ndarray | None:
    """The weighted score with the criteria's own weights, a criterion at a time, keeping nothing but the sum;
    None when a criterion misses a value (then :func:`weighted_score` of :func:`score_matrix` tells who).

    Each criterion is checked as :func:`score_matrix` checks it, up to the first one that misses a value
    (the caller then scores the whole matrix, which checks every criterion).  For a single classification of a large
    portfolio: no accounts x criteria array is made (at 1,000,000 accounts and four criteria, 32 MB the
    system would hand over and clear page by page, on every call).
    """
    label = str(portfolio.attrs.get("source", "the portfolio"))
    criteria = list(criteria)
    w = np.array([float(c.weight) for c in criteria])
    score = np.empty(len(portfolio))
    out: np.ndarray | None = None
    for c, weight in zip(criteria, w):
        if _scored(portfolio, c, label, score):
            return None
        if weight <= 0:
            continue
        if out is None:
            out = score * weight
        else:
            np.multiply(score, weight, out=score)
            out += score
    if out is not None:
        out /= w[w > 0].sum()  # divided once, as _weighted_sum
    return out


#: Header words that suggest a column measures the customer (attractiveness)
#: or our position with them (strength); compared on tidied headers.
_ATTRACTIVE_WORDS = ("revenue", "sales", "spend", "volume", "growth", "potential", "margin", "profit", "size", "value")
_STRENGTH_WORDS = ("share", "wallet", "relationship", "fit", "satisfaction", "loyalty", "price", "winrate", "tenure")
#: Columns that are never a criterion on their own (identifiers, dates, years).
_NOT_CRITERIA = ("id", "year", "established", "zip", "postcode", "phone", "code", "channel", "region")


def number_columns(portfolio: pd.DataFrame) -> list[str]:
    """The columns a criterion can use: numbers (not flags), not the scores the workbook adds."""
    skip = set(AXES)
    return [
        str(c)
        for c in portfolio.columns
        if pd.api.types.is_numeric_dtype(portfolio[c].dtype)
        and not pd.api.types.is_bool_dtype(portfolio[c].dtype)
        and c not in skip
        and portfolio[c].notna().any()
    ]


#: A header ending in one of these words names a code held as a number (a channel 1 or 2, a region 1-3, a
#: customer id); a word elsewhere does not ("region_revenue", "channel sales" and "phone orders" are amounts).
_CODE_WORDS = frozenset({"id", "code", "channel", "region", "zip", "postcode", "phone"})
#: Header words of a measure on a small scale (a satisfaction 1-5, a count): never taken for a code by its values.
_MEASURE_WORDS = frozenset({"score", "rating", "satisfaction", "level", "grade", "stars", "nps", "count"})
#: At most this many distinct values, whole and in a row from 0 or 1, make a column a code (a flag, a channel).
_CODE_VALUES = 4


def looks_like_a_code(name: object, values: Iterable[float] | pd.Series) -> bool:
    """Whether a number column holds codes rather than amounts: its header ends in a word that says so (id,
    code, channel, region ...), or it holds very few whole numbers in a row from 0 or 1 (1 = Horeca,
    2 = Retail; a 0/1 flag), each many times, under a header that names no scale (a score, a rating).

    A rule on such a column compares labels, not sizes: a new rule does not start on one
    (:func:`kamwidgets.model.rules.new_rule`), though it stays choosable.  A small count in a row from 1
    (sites 1-4) under a header that does not say so is taken for a code too: it is only offered later.

    >>> channel = pd.Series([1, 2, 2, 1, 2, 2, 1, 2, 2, 2])
    >>> looks_like_a_code("Channel", channel), looks_like_a_code("kind", channel), looks_like_a_code("CustomerID", [7])
    (True, True, True)
    >>> looks_like_a_code("relationship", pd.Series([1, 4, 7, 10, 3, 5, 8, 2, 9, 6])), looks_like_a_code("x", [1, 2])
    (False, False)
    >>> looks_like_a_code("region_revenue", [1e5]), looks_like_a_code("Satisfaction", [3, 4, 5, 4, 5, 3, 4, 5])
    (False, False)
    """
    words = [w.casefold() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+", tidy_header(name))]
    if words and words[-1] in _CODE_WORDS:
        return True
    if _MEASURE_WORDS.intersection(words):
        return False
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").dropna().to_numpy(dtype=float)
    distinct = np.unique(numbers)
    return (
        0 < distinct.size <= _CODE_VALUES
        and numbers.size >= 2 * _CODE_VALUES  # a few accounts with a few values are not yet a pattern
        and distinct[0] in (0, 1)
        and bool(np.array_equal(distinct, np.arange(distinct[0], distinct[0] + distinct.size)))
    )


#: How a column of what an account buys begins, once normalised (``Revenue (EUR)`` is ``revenueeur``).
_SIZE_STARTS = (
    *("revenue", "sales", "netsales", "turnover", "spend", "umsatz", "chiffredaffaires", "facturacion"),
    *("ingresos", "receita", "faturamento", "fatturato", "omzet"),
)
#: Words that make such a column a ratio or a change, not an amount (``Revenue growth %``, ``Sales share``).
_NOT_AN_AMOUNT = ("growth", "share", "pct", "percent", "rate", "change", "margin", "per", "ratio", "index")


def size_column(portfolio: pd.DataFrame) -> str | None:
    """The column that says how big an account is: ``revenue``, else of the number columns whose header begins
    with revenue, sales, turnover, spend (or one of their translations) and is not a ratio or a change
    (growth, share, %, rate, margin...), the one with the largest total (``Umsatz 2025`` over ``Umsatz 2024``
    when it is larger); None when there is none.  It sizes the matrix's bubbles, the time tab's value and
    "biggest first" lists.

    >>> size_column(pd.DataFrame({"account": ["A"], "Revenue growth %": [3.0], "Revenue (EUR)": [9.0]}))
    'Revenue (EUR)'
    >>> size_column(pd.DataFrame({"account": ["A"], "share": [0.3]})) is None
    True
    """
    numbers = number_columns(portfolio)
    if "revenue" in numbers:
        return "revenue"
    headers = {c: normalise_name(c) for c in numbers if "%" not in c}  # each header normalised once
    amounts = [
        c
        for c, name in headers.items()
        if name.startswith(_SIZE_STARTS) and not any(word in name for word in _NOT_AN_AMOUNT)
    ]
    totals = {c: float(pd.to_numeric(portfolio[c], errors="coerce").clip(lower=0).sum()) for c in amounts}
    return max(amounts, key=lambda c: totals[c]) if amounts else None


def check_scorable(portfolio: pd.DataFrame) -> list[str]:
    """The number columns the two scores can use; a :class:`KamDataError` saying what to load when there are
    fewer than two (one for each axis)."""
    columns = number_columns(portfolio)
    usable = [c for c in columns if not any(w in normalise_name(c) for w in _NOT_CRITERIA)] or columns
    if len(usable) < 2:
        raise KamDataError(
            f"the portfolio has {len(usable)} number column{'s' if len(usable) != 1 else ''}"
            + (f" ({usable[0]!r})" if usable else "")
            + "; classifying needs at least one for each axis",
            source=str(portfolio.attrs.get("source", "the portfolio")),
            fix="Load a file with more figures per account (revenue, growth, share of wallet ...), "
            "or load orders to have them summed into revenue and orders.",
        )
    return usable


def suggest_criteria(portfolio: pd.DataFrame) -> tuple[list[Criterion], list[Criterion]]:
    """A first choice of criteria from any portfolio's number columns: ``(attractiveness, strength)``.

    Columns whose header speaks of money, volume or growth go to
    attractiveness, those about share, relationship or fit to strength;
    the rest are shared out so each axis has at least one.  Identifiers and
    years are left out, and so is a column that repeats an earlier one
    (:func:`repeated_columns`: ``products`` beside ``order_lines`` when
    nearly every order line is another product), so that no signal counts
    twice.  Equal weights, percentile-rank scale: a start to adjust, not an
    answer.

    >>> import pandas as pd
    >>> a, s = suggest_criteria(pd.DataFrame({"account": ["A", "B"], "Revenue": [1, 2], "Share of wallet": [0.1, 0.5]}))
    >>> [c.column for c in a], [c.column for c in s]
    (['Revenue'], ['Share of wallet'])
    """
    attractive, strong, _ = _suggested(portfolio)
    return attractive, strong


def _suggested(
    portfolio: pd.DataFrame,
) -> tuple[list[Criterion], list[Criterion], dict[str, tuple[str, float]]]:
    """:func:`suggest_criteria`, and the columns left out because they repeat another (:func:`repeated_columns`)."""
    usable = check_scorable(portfolio)
    repeats = repeated_columns(portfolio, usable, keep=2)
    usable = [c for c in usable if c not in repeats]
    attractive, strong, other = [], [], []
    for c in usable:
        name = normalise_name(c)
        if any(w in name for w in _STRENGTH_WORDS) and "strategic" not in name:
            strong.append(c)
        elif any(w in name for w in _ATTRACTIVE_WORDS):
            attractive.append(c)
        else:
            other.append(c)
    for c in other:  # fill the shorter axis first
        (attractive if len(attractive) <= len(strong) else strong).append(c)
    if not strong:
        strong.append(attractive.pop())
    if not attractive:
        attractive.append(strong.pop())
    return [Criterion(c, 10) for c in attractive], [Criterion(c, 10) for c in strong], repeats


#: Two columns whose rank correlation is above this (in size) repeat each other: scored side by side they count
#: one signal twice.
REPEATS_ABOVE = 0.95


def _rank_correlation(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's correlation over the rows where both are known (NaN with fewer than 3 such rows or a constant)."""
    both = ~(np.isnan(x) | np.isnan(y))
    if both.sum() < 3:
        return float("nan")
    rx, ry = _rank_scores(x[both]), _rank_scores(y[both])
    if np.ptp(rx) == 0 or np.ptp(ry) == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def repeated_columns(
    portfolio: pd.DataFrame, columns: Iterable[str], *, first: Iterable[str] = (), keep: int = 1
) -> dict[str, tuple[str, float]]:
    """The columns that repeat one kept before them: ``{column: (the column it repeats, rank correlation)}``.

    Columns are taken in order (``first`` before ``columns``, and always
    kept); one whose rank correlation with a kept column is above
    :data:`REPEATS_ABOVE` in size (criteria are scored by rank, so this is
    the correlation that matters) is left out, as long as ``keep`` columns
    remain.  ``order_lines`` and ``products`` of an export where nearly
    every line is another product are one signal, not two.

    >>> import pandas as pd
    >>> p = pd.DataFrame({"lines": [1, 4, 2, 8, 5], "products": [1, 4, 2, 7, 5], "revenue": [9, 1, 5, 3, 2]})
    >>> repeated_columns(p, ["lines", "products", "revenue"])
    {'products': ('lines', 1.0)}
    """
    first = [str(c) for c in first]
    candidates = [str(c) for c in columns if str(c) not in first]
    values = {
        c: pd.to_numeric(portfolio[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        for c in first + candidates
    }
    kept = list(first)
    out: dict[str, tuple[str, float]] = {}
    for c in candidates:
        if len(first) + len(candidates) - len(out) > keep:
            for k in kept:
                rho = _rank_correlation(values[c], values[k])
                if abs(rho) > REPEATS_ABOVE:
                    out[c] = (k, round(rho, 3))
                    break
        if c not in out:
            kept.append(c)
    return out


def _in_a_list(words: list[str]) -> str:
    """``["a", "b", "c"]`` as "a, b and c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _repeats_note(repeats: Mapping[str, tuple[str, float]]) -> str:
    if not repeats:
        return ""
    said = "; ".join(f"{header(c)} (it moves with {header(k)}, almost in step)" for c, (k, _rho) in repeats.items())
    which = "it" if len(repeats) == 1 else "each"
    return (
        f"Left out as a criterion: {said}, so {which} would count the same signal twice. "
        "Add it back with a weight if you mean it."
    )


@dataclass(frozen=True)
class FittingCriteria:
    """Criteria for one portfolio (see :func:`fitting_criteria`) and, when some were suggested, why."""

    attractiveness: list[Criterion]
    strength: list[Criterion]
    note: str = ""

    @property
    def suggested(self) -> bool:
        """Whether some criteria were suggested from the portfolio's own figures (the note says which)."""
        return bool(self.note)

    def __iter__(self):  # a, s = fitting_criteria(...)
        return iter((self.attractiveness, self.strength))


def fitting_criteria(
    portfolio: pd.DataFrame, attractiveness: Criteria | None, strength: Criteria | None
) -> FittingCriteria:
    """The criteria given that this portfolio has, and a suggestion (:func:`suggest_criteria`) for the rest.

    So a lesson written for the sample works on any loaded portfolio:
    criteria naming columns the portfolio lacks are left out, and an axis
    left empty is filled from the portfolio's own number columns.  ``note``
    says what was suggested ('' when the given criteria all fit).
    """
    out: dict[str, list[Criterion]] = {}
    dropped: list[str] = []
    thinned: list[str] = []  # axes that lost criteria and kept only one: its weight slider would move nothing
    for axis, spec in zip(AXES, (attractiveness, strength)):
        if spec is None:
            continue
        items = as_criteria(spec, axis)
        kept = [c for c in items if c.column in portfolio.columns]
        dropped += [c.column for c in items if c.column not in portfolio.columns]
        if kept and sum(c.weight for c in kept) > 0:
            out[axis] = kept
            if len(kept) == 1 < len(items):
                thinned.append(axis)
    missing = [axis for axis in AXES if axis not in out]
    if not missing and not thinned:
        return FittingCriteria(out["attractiveness"], out["strength"])
    attractive, strong, repeats = _suggested(portfolio)
    suggested = {"attractiveness": attractive, "strength": strong}
    given = [c.column for items in out.values() for c in items]
    used = set(given)
    pool = [c.column for axis in AXES for c in suggested[axis] if c.column not in used]
    echoes = repeated_columns(portfolio, pool, first=given)  # a suggestion that repeats a given criterion
    for axis in missing:
        fresh = [c for c in suggested[axis] if c.column not in used]
        spare = [c for other in AXES for c in suggested[other] if c.column not in used]
        out[axis] = (
            [c for c in fresh if c.column not in echoes]
            or [c for c in spare if c.column not in echoes][:1]
            or (fresh or spare)[:1]
        )
        used |= {c.column for c in out[axis]}
    for axis in thinned:  # one of the file's own figures beside the one left, at the same weight
        own = [
            c for other in (axis, *AXES) for c in suggested[other] if c.column not in used and c.column not in echoes
        ]
        if own:
            out[axis] = [*out[axis], replace(own[0], weight=out[axis][0].weight)]
            used.add(own[0].column)
    left_out = {c: why for c, why in {**repeats, **echoes}.items() if c not in used}
    note = "The workbench suggests criteria from your file's own figures: adjust the weights, add or remove criteria."
    if dropped:  # in words: the reader did nothing wrong, the lesson's criteria are the sample's
        missing_words = _in_a_list([header(c) for c in dict.fromkeys(dropped)])
        note = (
            f"Your file has no figures for {missing_words} (the sample's criteria); the workbench suggests criteria "
            "from your file's own figures: adjust the weights, add or remove criteria."
        )
    if left_out:
        note += " " + _repeats_note(left_out)
    return FittingCriteria(out["attractiveness"], out["strength"], note)


@dataclass(frozen=True)
class KeyAccountSplit:
    """Splits that give the key bucket the size the course describes (see :func:`key_account_split`).

    ``thresholds`` is ``(attractiveness, strength)``; ``key_accounts`` how
    many accounts they put in the key bucket; ``wanted`` the range aimed at
    (3 to 5 per salesperson); ``note`` says all that in words, or why the
    range could not be met.  ``ta, ts = key_account_split(...)`` unpacks the
    thresholds.
    """

    thresholds: tuple[float, float]
    key_accounts: int
    salespeople: int
    wanted: tuple[int, int]
    note: str

    def __iter__(self):
        return iter(self.thresholds)


#: The split points a :func:`key_account_split` can choose: the workbench's sliders move in steps of 0.1.
_SPLITS = np.round(np.arange(101) / 10, 1)


def key_account_split(
    classified: pd.DataFrame,
    salespeople: int | None = None,
    *,
    by: str | None = "account_manager",
    per_person: tuple[int, int] = (3, 5),
    current: tuple[float, float] = (5.0, 5.0),
) -> KeyAccountSplit:
    """Where to split the two scores so that the key bucket holds 3 to 5 accounts per salesperson.

    The course gives a key account manager three to five key accounts; a
    matrix split at 5 and 5 puts about a quarter of a portfolio or more in
    the key bucket, whatever its size.  This keeps ``current`` when it
    already gives 3 to 5 per person; otherwise it moves both splits up (or
    down) together, in steps of 0.1 (the workbench's sliders), to the point
    that gives closest to 4 per person, and sets them apart only when no
    common split gives 3 to 5.  A portfolio with no more accounts than that
    keeps ``current``; ``note`` says so.

    Parameters
    ----------
    classified:
        A frame with ``attractiveness`` and ``strength`` scores (what
        :func:`kamwidgets.classify` returns, at any thresholds).
    salespeople:
        How many people look after key accounts; by default the distinct
        names in ``by`` (one when there is no such column).
    by:
        The column naming each account's salesperson.
    per_person:
        The key accounts one person can look after: the course's 3 to 5.
    current:
        The splits in use, kept when they already fit.

    >>> import pandas as pd
    >>> steps = [i / 4 for i in range(41)]  # 41 accounts scored 0, 0.25 ... 10 on both axes, one salesperson
    >>> split = key_account_split(pd.DataFrame({"attractiveness": steps, "strength": steps}))
    >>> split.thresholds, split.key_accounts
    ((9.1, 9.1), 4)
    >>> print(split.note)
    Splits at 9.1 and 9.1 put 4 accounts in the key bucket (the course: 3 to 5 per salesperson); splits at 5 and 5
    put 21 there (51% of 41).
    """
    low, high, current = _split_inputs(classified, per_person, current)
    people = _salespeople(classified, salespeople, by)
    fewest, most = low * people, high * people
    a = pd.to_numeric(classified["attractiveness"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    s = pd.to_numeric(classified["strength"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    scored = ~(np.isnan(a) | np.isnan(s))
    n = int(scored.sum())
    now = int(((a >= current[0]) & (s >= current[1]) & scored).sum())
    course = f"the course: {low} to {high} per salesperson" + (
        f", {fewest} to {most} for {people} salespeople" if people > 1 else ""
    )
    if fewest <= now <= most:
        note = f"Splits at {_g(current)} put {now} accounts in the key bucket ({course})."
        return KeyAccountSplit(current, now, people, (fewest, most), note)
    if n <= most:  # every account could be key: the course's number says nothing about where to split
        note = (
            f"Only {n} account{'s are' if n != 1 else ' is'} scored, no more than the key accounts {course}: "
            f"the splits stay at {_g(current)}."
        )
        return KeyAccountSplit(current, now, people, (fewest, most), note)
    counts = _key_counts(a[scored], s[scored])
    i, j = _best_split(counts, fewest, most)
    split = (float(_SPLITS[i]), float(_SPLITS[j]))
    key = int(counts[i, j])
    note = (
        f"Splits at {_g(split)} put {key} account{'s' if key != 1 else ''} in the key bucket ({course}); "
        f"splits at {_g(current)} put {now} there ({now / max(n, 1):.0%} of {n:,})."
    )
    if not fewest <= key <= most:
        note += " No split gives a number in that range: many accounts share the same scores."
    return KeyAccountSplit(split, key, people, (fewest, most), note)


def _split_inputs(classified: object, per_person: object, current: object) -> tuple[int, int, tuple[float, float]]:
    """:func:`key_account_split`'s inputs checked: the fewest and most key accounts a person, the current splits."""
    label = str(classified.attrs.get("source", "the portfolio")) if isinstance(classified, pd.DataFrame) else ""
    if not isinstance(classified, pd.DataFrame) or not set(AXES) <= set(classified.columns):
        raise KamDataError(
            "key_account_split needs the two scores of each account",
            source=label or None,
            column="attractiveness",
            fix="Pass what classify() returns (or a ClassificationWidget's .value).",
        )
    if isinstance(per_person, (str, bytes)) or not isinstance(per_person, (tuple, list)) or len(per_person) != 2:
        raise KamDataError(f"per_person must be (fewest, most), not {per_person!r}", fix="For example (3, 5).")
    low, high = (checks.whole_number(n, "per_person", low=1) for n in per_person)
    if low > high:
        raise KamDataError(f"per_person must be (fewest, most), not {per_person!r}", fix="For example (3, 5).")
    return low, high, checks.score_pair(current, AXES, "current splits")


def _salespeople(classified: pd.DataFrame, salespeople: int | None, by: str | None) -> int:
    """How many people look after key accounts: as given, else the distinct names in ``by`` (at least one)."""
    if salespeople is None:
        names = classified[by].dropna() if by is not None and by in classified.columns else pd.Series([], dtype=str)
        salespeople = max(1, int(names.nunique()))
    return checks.whole_number(salespeople, "salespeople", low=1)


def _key_counts(a: np.ndarray, s: np.ndarray) -> np.ndarray:
    """``counts[i, j]``: the accounts with attractiveness >= ``_SPLITS[i]`` and strength >= ``_SPLITS[j]``,
    for every pair of splits at once (the scores given are all present)."""
    ai = np.searchsorted(_SPLITS, a, side="right") - 1
    si = np.searchsorted(_SPLITS, s, side="right") - 1
    grid = np.zeros((len(_SPLITS), len(_SPLITS)), dtype=np.int64)
    np.add.at(grid, (np.clip(ai, 0, None), np.clip(si, 0, None)), 1)
    return grid[::-1, ::-1].cumsum(0).cumsum(1)[::-1, ::-1]


def _best_split(counts: np.ndarray, fewest: int, most: int) -> tuple[int, int]:
    """The indices of the best pair of splits: a key bucket in the range first, then one split for both scores,
    then closest to the middle of the range, then the two splits close together, then the lowest."""
    ii, jj = np.indices(counts.shape)
    order = np.lexsort(
        (
            ii.ravel(),
            np.abs(ii - jj).ravel(),
            np.abs(counts - (fewest + most) / 2).ravel(),
            (ii != jj).ravel(),
            ~((counts >= fewest) & (counts <= most)).ravel(),
        )
    )
    i, j = np.unravel_index(int(order[0]), counts.shape)
    return int(i), int(j)


def _g(split: tuple[float, float]) -> str:
    return f"{split[0]:g} and {split[1]:g}"

"""Portfolio classification: four buckets, each salesperson's balance, the annual review.

Every account gets two 0-10 scores, customer *attractiveness* (y) and our
relative *strength* (x), each a weighted mean of criteria (see
:mod:`kamwidgets.model.criteria`).  Splitting both axes at a threshold gives
the four buckets of the directional policy matrix:

=====================  ======================  =====================
\\                      strength below          strength at or above
=====================  ======================  =====================
attractiveness >= t    Key development         Key account
attractiveness < t     Opportunistic           Maintenance
=====================  ======================  =====================

The buckets are known by the keys in :data:`SEGMENTS`; their labels are
only what is shown and can be renamed.  No logic reads a label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

from ..errors import KamDataError
from . import checks
from .criteria import AXES, Criteria, Criterion, as_criteria, own_weighted_score, score_matrix, weighted_score

__all__ = [
    "SEGMENTS",
    "STATUSES",
    "DEFAULT_LABELS",
    "DEFAULT_HOURS",
    "REFERENCE_MIX",
    "Scorer",
    "classify",
    "balance",
    "compare",
    "transitions",
    "effort",
    "stability",
    "segment_labels",
    "segment_codes",
    "segment_keys",
]

#: The four buckets, in the order of the ``segment`` categories.
SEGMENTS: tuple[str, ...] = ("key", "development", "maintenance", "opportunistic")

DEFAULT_LABELS: dict[str, str] = {
    "key": "Key account",
    "development": "Key development account",
    "maintenance": "Maintenance account",
    "opportunistic": "Opportunistic account",
}

#: Weekly hours one account of each bucket takes (the course's example).
DEFAULT_HOURS: dict[str, float] = {"key": 4.0, "development": 3.0, "maintenance": 2.0, "opportunistic": 1.0}

#: A typical mix for one salesperson: a handful of key accounts, some in
#: development, about ten loyal maintenance accounts and twenty opportunistic.
REFERENCE_MIX: dict[str, float] = {"key": 4, "development": 4, "maintenance": 10, "opportunistic": 20}

Labels: TypeAlias = Mapping[str, str] | Sequence[str] | None


def segment_labels(labels: Labels = None) -> dict[str, str]:
    """The label of each bucket: defaults, overridden by ``labels``.

    ``labels`` is a mapping from bucket key (or default label) to new
    label, or four labels in the order of :data:`SEGMENTS`.  Each label is
    non-empty text and no two are the same.
    """
    return checks.names(labels, DEFAULT_LABELS, "bucket")


def segment_codes(attractiveness: np.ndarray, strength: np.ndarray, thresholds: tuple[float, float]) -> np.ndarray:
    """Bucket position (0-3 in :data:`SEGMENTS` order; -1 when a score is missing)."""
    t_att, t_str = thresholds
    attractiveness, strength = np.asarray(attractiveness, dtype=float), np.asarray(strength, dtype=float)
    # 2 x (attractiveness low) + (strength low), a byte each: 0 key, 1 development, 2 maintenance, 3 opportunistic
    codes = np.less(attractiveness, t_att).view(np.int8) * np.int8(2)
    codes += np.less(strength, t_str).view(np.int8)
    unscored = np.isnan(attractiveness)
    unscored |= np.isnan(strength)
    if unscored.any():
        codes[unscored] = -1
    return codes


def _check_thresholds(thresholds: object) -> tuple[float, float]:
    return checks.score_pair(thresholds, AXES)


def _require_accounts(frame: object, what: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise KamDataError(
            f"{what} must be a DataFrame, not {type(frame).__name__}", fix="Load it with load_portfolio()."
        )
    if "account" not in frame.columns:
        raise KamDataError(
            f"{what} has no 'account' column",
            source=str(frame.attrs.get("source", "the DataFrame")),
            column="account",
            fix="Load it with load_portfolio(), which finds or maps the account column.",
        )
    return frame


class Scorer:
    """Criterion scores computed once, so that weights and thresholds can change cheaply.

    :func:`classify` is ``Scorer(portfolio, attractiveness, strength, keep_scores=False).classify(...)``.
    A widget keeps one scorer and calls :meth:`classify` with new weights on
    every slider move; only adding or removing a criterion needs a new one.

    ``scores_a`` and ``scores_s`` are the criteria's scores (accounts x
    criteria).  ``keep_scores=False`` keeps only each axis's score with the
    criteria's own weights (the scores of an axis with a missing value are
    kept all the same): for one classification, without changing weights.
    """

    def __init__(
        self, portfolio: pd.DataFrame, attractiveness: Criteria, strength: Criteria, *, keep_scores: bool = True
    ) -> None:
        self.portfolio = _require_accounts(portfolio, "the portfolio")
        self.attractiveness = as_criteria(attractiveness, "attractiveness")
        self.strength = as_criteria(strength, "strength")
        self._own: dict[str, np.ndarray] = {}  # the score of an axis whose criteria's scores were not kept
        if not keep_scores:
            for axis, criteria in (("attractiveness", self.attractiveness), ("strength", self.strength)):
                score = own_weighted_score(portfolio, criteria)
                if score is not None:
                    self._own[axis] = score
        # accounts x criteria, each criterion's scores side by side in memory; and which criteria miss a value
        self.scores_a: np.ndarray | None = None
        self.scores_s: np.ndarray | None = None
        self._gaps_a = self._gaps_s = np.zeros(0, dtype=bool)
        if "attractiveness" not in self._own:
            self.scores_a, self._gaps_a = score_matrix(portfolio, self.attractiveness)
        if "strength" not in self._own:
            self.scores_s, self._gaps_s = score_matrix(portfolio, self.strength)

    def weights(self, axis: str, weights: Mapping[str, float] | None = None) -> np.ndarray:
        """The weights of one axis as an array, the criteria's own unless overridden."""
        criteria = self.attractiveness if axis == "attractiveness" else self.strength
        w = np.array([float(c.weight) for c in criteria])
        if weights:
            cols = [c.column for c in criteria]
            for col, value in weights.items():
                if col not in cols:
                    raise KamDataError(f"{col!r} is not an {axis} criterion", fix=f"Use one of {cols}.")
                w[cols.index(col)] = value
            as_criteria([Criterion(c, x) for c, x in zip(cols, w)], axis)  # same checks as at the start
        return w

    def scores(
        self, weights_a: np.ndarray, weights_s: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(attractiveness, strength, a_complete, s_complete)`` for these weights."""
        a, a_ok = self._axis_score("attractiveness", self.scores_a, weights_a, self._gaps_a)
        s, s_ok = self._axis_score("strength", self.scores_s, weights_s, self._gaps_s)
        return a, s, a_ok, s_ok

    def _axis_score(
        self, axis: str, scores: np.ndarray | None, weights: np.ndarray, gaps: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        if scores is not None:
            return weighted_score(scores, weights, gaps)
        if not np.array_equal(weights, self.weights(axis)):
            raise ValueError(f"this scorer kept no {axis} scores to weigh anew: make it with keep_scores=True")
        own = self._own[axis]
        return own, np.ones(len(own), dtype=bool)

    def classify(
        self,
        *,
        attractiveness: Mapping[str, float] | None = None,
        strength: Mapping[str, float] | None = None,
        thresholds: tuple[float, float] = (5, 5),
        labels: Labels = None,
        missing: str = "flag",
    ) -> pd.DataFrame:
        """The classified portfolio; ``attractiveness``/``strength`` override weights by column."""
        t = _check_thresholds(thresholds)
        names = segment_labels(labels)
        if missing not in ("flag", "error"):
            raise KamDataError(f"missing={missing!r} is not an option", fix="Use 'flag' or 'error'.")
        wa = self.weights("attractiveness", attractiveness)
        ws = self.weights("strength", strength)
        a, s, a_ok, s_ok = self.scores(wa, ws)
        out = self.portfolio.copy(deep=False)  # copy-on-write (pandas 3): the caller's frame is never changed
        # the scores are new arrays no one else holds: the frame takes them as they are, without a copy
        out["attractiveness"] = pd.Series(a, index=out.index, copy=False)
        out["strength"] = pd.Series(s, index=out.index, copy=False)
        out["segment"] = pd.Categorical.from_codes(  # codes are -1..3 by construction: no need to check them
            segment_codes(a, s, t), dtype=pd.CategoricalDtype(list(names.values())), validate=False
        )
        if not (a_ok.all() and s_ok.all()):
            lacking = _missing_list(self.scores_a, self.attractiveness, wa) + _missing_list(
                self.scores_s, self.strength, ws
            )
            text = pd.Series([", ".join(x for x in row if x) for row in zip(*lacking)], index=out.index, dtype="str")
            text = text.mask(text == "")
            if missing == "error":
                bad = text.notna().to_numpy()
                raise KamDataError(
                    "some accounts have no value for a criterion: "
                    + "; ".join(f"{acc} ({cols})" for acc, cols in zip(out["account"][bad][:5], text[bad][:5])),
                    source=str(self.portfolio.attrs.get("source", "the portfolio")),
                    accounts=list(out["account"][bad]),
                    fix="Fill in the values, or classify with missing='flag' to score them on what they have.",
                )
            out["missing_criteria"] = text
        elif "missing_criteria" in out.columns:
            out = out.drop(columns="missing_criteria")
        out.attrs["classification"] = {
            "attractiveness": [dict(c.to_dict(), weight=float(w)) for c, w in zip(self.attractiveness, wa)],
            "strength": [dict(c.to_dict(), weight=float(w)) for c, w in zip(self.strength, ws)],
            "thresholds": list(t),
            "labels": names,
        }
        return out


def classify(
    portfolio: pd.DataFrame,
    attractiveness: Criteria,
    strength: Criteria,
    *,
    thresholds: tuple[float, float] = (5, 5),
    labels: Labels = None,
    missing: str = "flag",
) -> pd.DataFrame:
    """Score each account and place it in one of the four buckets.

    Parameters
    ----------
    portfolio:
        One row per account, with an ``account`` column (see
        :func:`~kamwidgets.load_portfolio`).
    attractiveness, strength:
        ``{column: weight}`` or a list of :class:`~kamwidgets.Criterion`.
        Weights are non-negative and are normalised to sum to 100 %.
    thresholds:
        ``(attractiveness, strength)`` on the 0-10 scale; a score equal to
        the threshold counts as high.
    labels:
        New names for the buckets (mapping from ``"key"``,
        ``"development"``, ``"maintenance"``, ``"opportunistic"``, or four
        texts in that order).
    missing:
        What to do with an account that lacks a criterion value:
        ``"flag"`` (default) scores it on the criteria it has and lists the
        missing ones in ``missing_criteria``; ``"error"`` raises.  An account
        with no value at all on an axis gets no bucket (NA) and is flagged,
        never dropped.

    Returns
    -------
    DataFrame
        The portfolio with ``attractiveness`` and ``strength`` (0-10) and
        ``segment``, a categorical of the four labels; ``missing_criteria``
        when some values were missing.  ``attrs["classification"]`` holds the
        settings as plain data.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"account": ["A", "B", "C"], "revenue": [900, 100, 500],
    ...                   "share": [8, 2, 6]})
    >>> classify(p, {"revenue": 1}, {"share": 1})[["account", "segment"]]
      account                segment
    0       A            Key account
    1       B  Opportunistic account
    2       C            Key account
    """
    scorer = Scorer(portfolio, attractiveness, strength, keep_scores=False)  # weighed once: no scores to keep
    return scorer.classify(thresholds=thresholds, labels=labels, missing=missing)


def _missing_list(scores: np.ndarray | None, criteria: list, weights: np.ndarray) -> list[list[str]]:
    if scores is None:  # scores not kept: the axis misses no value
        return []
    return [
        np.where(np.isnan(scores[:, i]) & (w > 0), c.column, "").tolist()
        for i, (c, w) in enumerate(zip(criteria, weights))
    ]


def _require_segments(frame: pd.DataFrame, what: str) -> pd.Series:
    frame = _require_accounts(frame, what)
    seg = frame.get("segment")
    if seg is None or not isinstance(seg.dtype, pd.CategoricalDtype) or len(seg.cat.categories) != len(SEGMENTS):
        raise KamDataError(
            f"{what} has no 'segment' column from classify()",
            source=str(frame.attrs.get("source", "the DataFrame")),
            column="segment",
            fix="Run classify() on the portfolio first and pass its result.",
        )
    return seg


def segment_keys(classified: pd.DataFrame) -> pd.Series:
    """Each account's bucket key (``"key"``, ``"development"``, ...), NA when unscored."""
    seg = _require_segments(classified, "the classified portfolio")
    codes = seg.cat.codes.to_numpy()
    keys = np.array(SEGMENTS, dtype=object)[np.clip(codes, 0, None)]
    return pd.Series(np.where(codes < 0, None, keys), index=classified.index, dtype="str")


UNASSIGNED = "(unassigned)"


def balance(
    classified: pd.DataFrame,
    *,
    by: str | None = "account_manager",
    max_key_accounts: int = 5,
    hours: Mapping[str, float] | Sequence[float] | None = None,
    reference_mix: Mapping[str, float] | Sequence[float] | None = None,
    max_mix_gap: float = 0.35,
    capacity: float | None = None,
) -> pd.DataFrame:
    """Each salesperson's accounts per bucket, weekly hours and warning flags.

    Parameters
    ----------
    classified:
        The result of :func:`classify`.
    by:
        The column naming the salesperson; ``None`` treats the portfolio as
        one person's.  Accounts without one are counted under
        ``"(unassigned)"``.
    max_key_accounts:
        How many key accounts one person can really look after (the course
        says three to five).
    hours:
        Weekly hours per account of each bucket (default 4/3/2/1).
    reference_mix, max_mix_gap:
        The mix a salesperson's buckets are compared with (default about
        4 key, 4 development, 10 maintenance, 20 opportunistic) and the
        largest gap allowed.  The gap is the share of accounts that would
        have to change bucket to match the reference (0 = same mix, 1 =
        nothing in common).
    capacity:
        Weekly hours one person has for account work; when given,
        ``over_capacity`` flags those whose buckets need more.

    Returns
    -------
    DataFrame
        Indexed by salesperson: one count column per bucket label,
        ``unscored`` (when some accounts have no bucket), ``accounts``,
        ``hours_per_week``, ``mix_gap``, the flags ``too_many_key_accounts``
        and ``unbalanced_mix`` (and ``over_capacity``), and ``notes`` saying
        why in words.
    """
    seg = _require_segments(classified, "the classified portfolio")
    labels = list(seg.cat.categories)
    max_key_accounts = checks.whole_number(max_key_accounts, "max_key_accounts")
    h = checks.per_bucket(hours, DEFAULT_HOURS, labels, "hours a week", high=checks.HOURS_IN_A_WEEK)
    ref = _reference_mix(reference_mix, labels, max_mix_gap)
    if capacity is not None:
        capacity = checks.number(capacity, "capacity (hours a week)", low=0, high=checks.HOURS_IN_A_WEEK)
    who, index_name = _salesperson(classified, by)
    people, table = _counts_per_bucket(who, seg)
    n = table[:, :4].astype(float)
    scored = n.sum(axis=1)
    out = pd.DataFrame(table[:, :4], index=pd.Index(people, name=index_name), columns=labels)
    if table[:, 4].any():
        out["unscored"] = table[:, 4]
    out["accounts"] = table.sum(axis=1)
    out["hours_per_week"] = n @ h
    with np.errstate(invalid="ignore", divide="ignore"):
        mix = np.where(scored[:, None] > 0, n / scored[:, None], 0.0)
    out["mix_gap"] = np.where(scored > 0, 0.5 * np.abs(mix - ref).sum(axis=1), np.nan)
    out["too_many_key_accounts"] = n[:, 0] > max_key_accounts
    out["unbalanced_mix"] = out["mix_gap"].to_numpy() > max_mix_gap
    if capacity is not None:
        out["over_capacity"] = out["hours_per_week"].to_numpy() > float(capacity)
    notes = _balance_notes(out, n, mix - ref, labels, max_key_accounts, capacity)
    out["notes"] = pd.Series(notes, index=out.index, dtype="str")
    return out


def _reference_mix(
    reference_mix: Mapping[str, float] | Sequence[float] | None, labels: list[str], max_mix_gap: object
) -> np.ndarray:
    """The reference mix as shares adding up to 1, once it and the gap allowed are checked."""
    ref = checks.per_bucket(reference_mix, REFERENCE_MIX, labels, "reference_mix")
    if ref.sum() <= 0:
        raise KamDataError("reference_mix adds up to 0", fix="Give at least one bucket a share.")
    if isinstance(max_mix_gap, bool) or not isinstance(max_mix_gap, (int, float)) or not 0 <= max_mix_gap <= 1:
        raise KamDataError(
            f"max_mix_gap must be a number from 0 to 1, not {max_mix_gap!r}",
            fix="0.35 means: flag a mix where more than a third of the accounts differ.",
        )
    return ref / ref.sum()


def _salesperson(classified: pd.DataFrame, by: str | None) -> tuple[pd.Series, str]:
    """Each account's salesperson (``"(unassigned)"`` when it has none) and the name of that column."""
    if by is None:
        return pd.Series("All accounts", index=classified.index, dtype="str"), "salesperson"
    if by not in classified.columns:
        raise KamDataError(
            "there is no such column to group by",
            source=str(classified.attrs.get("source", "the portfolio")),
            column=by,
            fix="Pass by= with the column naming the salesperson, or by=None for one person's portfolio.",
        )
    return classified[by].astype("str").fillna(UNASSIGNED), by


def _counts_per_bucket(who: pd.Series, seg: pd.Series) -> tuple[pd.Index, np.ndarray]:
    """The salespeople (sorted) and, for each, their accounts in buckets 0-3 and without a bucket (column 4)."""
    person, people = pd.factorize(who, sort=True)
    bucket = seg.cat.codes.to_numpy()
    bucket = np.where(bucket < 0, 4, bucket)  # -1: no bucket
    table = np.bincount(person * 5 + bucket, minlength=len(people) * 5).reshape(len(people), 5)
    return pd.Index(people), table


def _balance_notes(
    out: pd.DataFrame, n: np.ndarray, excess: np.ndarray, labels: list[str], most: int, capacity: float | None
) -> list[str]:
    """Why each salesperson's row is flagged, in words (``n``: their accounts per bucket; ``excess``: their mix
    less the reference)."""
    too_many = out["too_many_key_accounts"].to_numpy()
    unbalanced = out["unbalanced_mix"].to_numpy()
    over = out["over_capacity"].to_numpy() if capacity is not None else np.zeros(len(out), dtype=bool)
    hours = out["hours_per_week"].to_numpy()
    notes = [""] * len(out)
    for i in np.flatnonzero(too_many | unbalanced | over):
        why = []
        if too_many[i]:
            why.append(f"{int(n[i, 0])} key accounts, more than {most}")
        if unbalanced[i]:
            j = int(np.argmax(excess[i]))
            why.append(f"mix far from the reference ({n[i, j] / n[i].sum():.0%} {labels[j]})")
        if over[i]:
            why.append(f"{hours[i]:g} h a week, more than {capacity:g}")
        notes[i] = "; ".join(why)
    return notes


#: The values of ``compare(...)["status"]``.
STATUSES: tuple[str, ...] = ("moved", "new", "gone", "same")


def compare(previous: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """The annual review: which accounts changed bucket, which are new, which are gone.

    Both frames are results of :func:`classify` (for example last year's and
    this year's).  Buckets are matched by position, not label, so renamed
    labels still compare; the result uses the current labels.

    Returns
    -------
    DataFrame
        One row per account found in either: ``account``,
        ``previous_segment``, ``current_segment``, ``status`` (``"moved"``,
        ``"new"``, ``"gone"`` or ``"same"``), ``movement`` (``"A -> B"``
        for moves) and the change in ``attractiveness`` and ``strength``.
    """
    prev_seg = _require_segments(previous, "the previous portfolio")
    cur_seg = _require_segments(current, "the current portfolio")
    _check_years(previous, current)
    labels = list(cur_seg.cat.categories)
    m = _matched_years(previous, prev_seg, current, cur_seg)
    pc = m["pc"].fillna(-1).astype(int).to_numpy()
    cc = m["cc"].fillna(-1).astype(int).to_numpy()
    # merged as current.merge(previous): "left_only" is only this year, "right_only" only last year
    status = np.where(
        m["_merge"] == "left_only",
        "new",
        np.where(m["_merge"] == "right_only", "gone", np.where(pc == cc, "same", "moved")),
    )
    out = pd.DataFrame({"account": m["account"].astype("str")})
    if "account_manager" in m.columns or "pm" in m.columns:
        cur_m = m["account_manager"] if "account_manager" in m.columns else pd.Series(pd.NA, index=m.index)
        prev_m = m["pm"] if "pm" in m.columns else pd.Series(pd.NA, index=m.index)
        out["account_manager"] = cur_m.fillna(prev_m).astype("str")
    out["previous_segment"] = pd.Categorical.from_codes(pc, categories=labels)
    out["current_segment"] = pd.Categorical.from_codes(cc, categories=labels)
    out["status"] = pd.Categorical(status, categories=list(STATUSES))
    arrow = [
        f"{labels[p]} -> {labels[c]}" if s == "moved" and p >= 0 and c >= 0 else None for p, c, s in zip(pc, cc, status)
    ]
    out["movement"] = pd.Series(arrow, index=out.index, dtype="str")
    out["attractiveness_change"] = (m["ca"] - m["pa"]).to_numpy()
    out["strength_change"] = (m["cs"] - m["ps"]).to_numpy()
    return out


def _check_years(previous: pd.DataFrame, current: pd.DataFrame) -> None:
    """Both years have the two scores and list each account once."""
    for frame, what in ((previous, "previous"), (current, "current")):
        for col in AXES:
            if col not in frame.columns:
                raise KamDataError(
                    f"the {what} portfolio has no {col!r} column",
                    column=col,
                    fix="Pass the results of classify() for both years.",
                )
    for frame, what in ((previous, "previous"), (current, "current")):
        dup = frame["account"].duplicated()
        if dup.any():
            raise KamDataError(
                f"the {what} portfolio lists an account twice",
                accounts=list(frame["account"][dup].astype(str)),
                column="account",
                fix="Each account once per year: load it with load_portfolio().",
            )


def _matched_years(
    previous: pd.DataFrame, prev_seg: pd.Series, current: pd.DataFrame, cur_seg: pd.Series
) -> pd.DataFrame:
    """One row per account of either year, this year's order first: bucket codes ``pc``/``cc``, scores
    ``pa``/``ps`` and ``ca``/``cs``, salesperson ``pm``/``account_manager`` (when known) and ``_merge``."""
    left = pd.DataFrame(
        {
            "account": previous["account"].astype("str").to_numpy(),
            "pc": prev_seg.cat.codes.to_numpy(),
            "pa": previous["attractiveness"].to_numpy(dtype=float),
            "ps": previous["strength"].to_numpy(dtype=float),
        }
    )
    right = pd.DataFrame(
        {
            "account": current["account"].astype("str").to_numpy(),
            "cc": cur_seg.cat.codes.to_numpy(),
            "ca": current["attractiveness"].to_numpy(dtype=float),
            "cs": current["strength"].to_numpy(dtype=float),
        }
    )
    if "account_manager" in current.columns:
        right["account_manager"] = current["account_manager"].astype("str").to_numpy()
    if "account_manager" in previous.columns:
        left["pm"] = previous["account_manager"].astype("str").to_numpy()
    m = right.merge(left, on="account", how="outer", indicator=True, sort=False)
    order = {a: i for i, a in enumerate(right["account"])}
    order.update({a: len(order) + i for i, a in enumerate(left["account"]) if a not in order})
    return m.iloc[np.argsort(m["account"].map(order).to_numpy(), kind="stable")].reset_index(drop=True)


def transitions(review: pd.DataFrame) -> pd.DataFrame:
    """How many accounts went from each bucket to each other: the review as a table.

    Rows are last year's buckets plus ``"new"``; columns this year's buckets
    plus ``"gone"``.  The diagonal holds those that stayed.
    """
    for col in ("previous_segment", "current_segment", "status"):
        if col not in review.columns:
            raise KamDataError("the review has no such column", column=col, fix="Pass the result of compare().")
    labels = list(review["current_segment"].cat.categories)
    rows = review["previous_segment"].astype("object").where(review["status"] != "new", "new")
    cols = review["current_segment"].astype("object").where(review["status"] != "gone", "gone")
    ok = rows.notna() & cols.notna()  # an account unscored in one year has no cell
    table = pd.crosstab(rows[ok], cols[ok])
    table = table.reindex(index=labels + ["new"], columns=labels + ["gone"], fill_value=0)
    table.index.name, table.columns.name = "previous", "current"
    return table


def effort(
    classified: pd.DataFrame,
    *,
    hours: Mapping[str, float] | Sequence[float] | None = None,
    value: str = "revenue",
) -> pd.DataFrame:
    """Effort against value per bucket: where the hours go and where the money comes from.

    Returns one row per bucket: ``accounts``, ``hours_per_week`` (accounts
    times the bucket's hours), ``hours_share``, ``value`` (the sum of the
    ``value`` column) and ``value_share``.  A bucket whose hours share is far
    above its value share is where time may be wasted, or invested.
    """
    seg = _require_segments(classified, "the classified portfolio")
    labels = list(seg.cat.categories)
    if value not in classified.columns:
        raise KamDataError(
            "there is no such value column",
            column=value,
            fix="Pass value= with a number column, such as revenue or margin.",
        )
    h = checks.per_bucket(hours, DEFAULT_HOURS, labels, "hours a week", high=checks.HOURS_IN_A_WEEK)
    codes = seg.cat.codes.to_numpy()
    v = pd.to_numeric(classified[value], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    scored = codes >= 0
    counts = np.bincount(codes[scored], minlength=4).astype(float)
    sums = np.bincount(codes[scored], weights=np.nan_to_num(v[scored]), minlength=4)
    spent = counts * h
    out = pd.DataFrame(
        {
            "accounts": counts.astype(int),
            "hours_per_week": spent,
            "hours_share": spent / spent.sum() if spent.sum() > 0 else np.zeros(4),
            "value": sums,
            "value_share": sums / sums.sum() if sums.sum() != 0 else np.zeros(4),
        },
        index=pd.CategoricalIndex(labels, categories=labels, name="segment"),
    )
    return out


def stability(
    portfolio: pd.DataFrame,
    attractiveness: Criteria | None = None,
    strength: Criteria | None = None,
    *,
    thresholds: tuple[float, float] | None = None,
    labels: Labels = None,
    spread: float = 0.2,
    draws: int = 300,
    seed: int | None = 0,
    fragile_below: float = 0.9,
) -> pd.DataFrame:
    """How firmly each account sits in its bucket when the weights are uncertain.

    Nobody knows whether "revenue" deserves 35 % or 30 %.  This draws
    ``draws`` sets of weights, each criterion's weight multiplied by a
    random factor between ``1 - spread`` and ``1 + spread``, classifies the
    portfolio with each, and counts how often every account keeps its bucket.

    Parameters
    ----------
    portfolio:
        A portfolio, or the result of :func:`classify` (then the criteria,
        thresholds and labels default to the ones it was classified with).
    spread:
        Relative change of each weight, 0.2 = plus or minus 20 %.
    draws, seed:
        Number of random weight sets; the seed makes the result repeatable.
    fragile_below:
        An account that keeps its bucket in fewer than this share of the
        draws is flagged ``fragile``.

    Returns
    -------
    DataFrame
        ``account``, ``segment`` (with the given weights), ``attractiveness``,
        ``strength``, ``kept_share`` (0-1), ``likely_move`` (the bucket it
        moves to most often, NA if it never moves), ``distance`` (to the
        nearest threshold, in score points) and ``fragile``.
    """
    attractiveness, strength, thresholds, labels = _settings_of(portfolio, attractiveness, strength, thresholds, labels)
    if not (isinstance(spread, (int, float)) and 0 <= spread < 1):
        raise KamDataError(f"spread must be between 0 and 1 (0.2 = 20 %), not {spread!r}")
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise KamDataError(f"draws must be a whole number of 1 or more, not {draws!r}")
    scorer = Scorer(portfolio, attractiveness, strength)
    base = scorer.classify(thresholds=thresholds, labels=labels)
    t = _check_thresholds(thresholds)
    base_codes = base["segment"].cat.codes.to_numpy()
    kept, moves = _kept_and_moves(scorer, base_codes, t, spread=spread, draws=int(draws), seed=seed)
    valid = base_codes >= 0
    a0 = base["attractiveness"].to_numpy()
    s0 = base["strength"].to_numpy()
    out = pd.DataFrame(
        {
            "account": base["account"].to_numpy(),
            "segment": base["segment"].to_numpy(),
            "attractiveness": a0,
            "strength": s0,
            "kept_share": np.where(valid, kept / draws, np.nan),
            "likely_move": pd.Series(
                _likely_moves(moves, base_codes, list(base["segment"].cat.categories)), dtype="str"
            ).to_numpy(),
            "distance": np.minimum(np.abs(a0 - t[0]), np.abs(s0 - t[1])),
        },
        index=portfolio.index,
    )
    out["likely_move"] = out["likely_move"].astype("str")
    out["fragile"] = out["kept_share"].to_numpy() < fragile_below
    out.attrs["stability"] = {"spread": spread, "draws": int(draws), "seed": seed, "fragile_below": fragile_below}
    out.attrs["thresholds"] = t
    return out


def _settings_of(
    portfolio: pd.DataFrame,
    attractiveness: Criteria | None,
    strength: Criteria | None,
    thresholds: tuple[float, float] | None,
    labels: Labels,
) -> tuple[Criteria, Criteria, tuple[float, float], Labels]:
    """The criteria, thresholds and labels given, else those a classified portfolio was classified with."""
    settings = portfolio.attrs.get("classification") if isinstance(portfolio, pd.DataFrame) else None
    if attractiveness is None or strength is None:
        if not settings:
            raise KamDataError(
                "stability needs the criteria", fix="Pass attractiveness= and strength=, or a classify() result."
            )
        attractiveness = attractiveness if attractiveness is not None else settings["attractiveness"]
        strength = strength if strength is not None else settings["strength"]
    if thresholds is None:
        thresholds = tuple(settings["thresholds"]) if settings else (5.0, 5.0)
    if labels is None and settings:
        labels = settings["labels"]
    return attractiveness, strength, thresholds, labels


def _kept_and_moves(
    scorer: Scorer, base_codes: np.ndarray, t: tuple[float, float], *, spread: float, draws: int, seed: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Over ``draws`` random weight sets: how often each account keeps its bucket, and lands in each bucket."""
    assert scorer.scores_a is not None and scorer.scores_s is not None  # a scorer that keeps its scores
    rng = np.random.default_rng(seed)
    wa = scorer.weights("attractiveness")
    ws = scorer.weights("strength")
    Wa = wa * rng.uniform(1 - spread, 1 + spread, (draws, wa.size))
    Ws = ws * rng.uniform(1 - spread, 1 + spread, (draws, ws.size))
    n = len(base_codes)
    kept = np.zeros(n)
    moves = np.zeros((n, len(SEGMENTS)))
    chunk = max(1, 2_000_000 // draws)  # keep each block of draws to a few tens of MB
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        a = _scores_for_weight_sets(scorer.scores_a[start:stop], Wa)
        s = _scores_for_weight_sets(scorer.scores_s[start:stop], Ws)
        codes = segment_codes(a, s, t)
        kept[start:stop] = (codes == base_codes[start:stop, None]).sum(axis=1)
        for c in range(len(SEGMENTS)):
            moves[start:stop, c] = (codes == c).sum(axis=1)
    return kept, moves


def _likely_moves(moves: np.ndarray, base_codes: np.ndarray, names: list[str]) -> np.ndarray:
    """The bucket each account lands in most often besides its own (None when it never moves)."""
    other = moves.copy()
    valid = base_codes >= 0
    other[np.flatnonzero(valid), base_codes[valid]] = -1
    best = other.argmax(axis=1)
    moved = other.max(axis=1) > 0
    return np.where(moved, np.array(names, dtype=object)[best], np.array(None, dtype=object))


def _scores_for_weight_sets(scores: np.ndarray, weight_sets: np.ndarray) -> np.ndarray:
    """Weighted means for many weight sets at once (accounts x draws), skipping gaps."""
    present = ~np.isnan(scores)
    total = present.astype(float) @ weight_sets.T
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, np.where(present, scores, 0.0) @ weight_sets.T / total, np.nan)

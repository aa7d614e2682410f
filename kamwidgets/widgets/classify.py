"""The classification workbench: weights and thresholds in, matrix, buckets, balance and time out."""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd
import traitlets

from ..charts.classify import (
    balance_chart,
    effort_chart,
    portfolio_matrix,
    stability_chart,
    update_portfolio_matrix,
)
from ..errors import KamDataError
from ..model import checks
from ..model.classification import (
    DEFAULT_HOURS,
    SEGMENTS,
    Scorer,
    balance,
    effort,
    segment_labels,
    stability,
)
from ..model.criteria import (
    AXES,
    AXIS_TITLES,
    SCALES,
    Criterion,
    FittingCriteria,
    as_criteria,
    check_scorable,
    fitting_criteria,
    key_account_split,
    number_columns,
    scale_words,
    size_column,
)
from ..model.display import column_words, readable, whole_percents
from ..model.io import load_portfolio
from ..model.room import fingerprint
from ._base import WARNING_STYLE, Chart, Input, KamWidget, escape, html_table
from ._form import close_tree
from ._looks import shared_layout
from ._traits import Checked, ScorePair, WholeNumber

__all__ = ["ClassificationWidget"]


#: Column names in words, for the tables people read (see kamwidgets.readable).
_HEADERS = {
    "hours_per_week": "hours a week",
    "mix_gap": "mix gap",
    "too_many_key_accounts": "too many key accounts",
    "unbalanced_mix": "unbalanced mix",
    "kept_share": "keeps its bucket",
    "likely_move": "else moves to",
    "distance": "distance to a split",
    "account_manager": "account manager",
}


_TABS = ("Buckets", "Balance", "Time", "Fragile accounts")


class _AxisNeedsAWeight(KamDataError):
    """A change that would leave an axis with no criterion weighing more than 0 (``axis`` names it): said under
    that axis's sliders, where the reader is looking, rather than under the matrix."""

    def __init__(self, axis: str, problem: str, fix: str) -> None:
        super().__init__(problem, fix=fix)
        self.axis = axis


def _weightless(axis: str, proposed: dict[str, float], current: dict[str, float]) -> _AxisNeedsAWeight | None:
    """Why ``proposed`` (an axis's weights by column) is refused when none of them is above 0, or None when one is.

    One criterion lowered to 0 is named, with the weight it keeps and how to leave it out.
    """
    if not proposed or sum(float(w) for w in proposed.values()) > 0:
        return None
    axis_name = AXIS_TITLES[axis]
    need = f"{axis_name} needs at least one criterion with a weight above 0"
    lowered = [c for c in proposed if c in current and float(current[c]) > 0]
    if len(lowered) != 1:
        return _AxisNeedsAWeight(axis, f"{need}, so the weights stay as they were", "Give one a weight above 0.")
    name = column_words(lowered[0])
    problem = f"{_capital(name)} went back to {float(current[lowered[0]]):g}: {need}"
    if len(proposed) == 1:
        return _AxisNeedsAWeight(axis, problem, _add_first(name, axis_name))
    fix = f"To leave {name} out, first raise the weight of another criterion of {axis_name}, then lower this one."
    return _AxisNeedsAWeight(axis, problem, fix)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _add_first(name: str, axis_name: str) -> str:
    return f"To leave {name} out, first add another criterion to {axis_name} (under Another criterion)."


def _size_and_by(portfolio: pd.DataFrame, size: str | None, by: str | None) -> tuple[str | None, str | None]:
    """The bubble-size and salesperson columns: a default falls back quietly to None when the portfolio has no
    such column; a column named by the caller must exist."""
    for name, value, default in (("size", size, "revenue"), ("by", by, "account_manager")):
        if value is not None and value != default and value not in portfolio.columns:
            raise KamDataError(
                f"there is no column {value!r} for {name}=",
                column=str(value),
                fix=f"Pick one of {', '.join(map(repr, map(str, portfolio.columns)))}, or None.",
            )
    if size == "revenue" and size not in portfolio.columns:
        size = size_column(portfolio)  # e.g. "Revenue (EUR)": the file's own revenue column
    return (size if size in portfolio.columns else None), (by if by in portfolio.columns else None)


#: How many accounts a bucket's tab lists (the most attractive first); the rest are counted.
_BUCKET_ROWS = 100


def _largest(values: np.ndarray, n: int) -> np.ndarray:
    """The positions of the ``n`` largest ``values``, largest first, equal values in their order; found without
    sorting them all (a bucket of a million-account portfolio holds hundreds of thousands)."""
    keep = np.arange(len(values))
    if len(values) > n:
        cut = np.partition(values, len(values) - n)[len(values) - n]  # the n-th largest
        above = np.flatnonzero(values > cut)
        keep = np.union1d(above, np.flatnonzero(values == cut)[: n - len(above)])
    return keep[np.argsort(-values[keep], kind="stable")]


class ClassificationWidget(KamWidget):
    """Score and classify a portfolio live: sliders in, matrix and tables out.

    Parameters
    ----------
    portfolio:
        A portfolio DataFrame (see :func:`kamwidgets.load_portfolio`) or the
        path of a file to load.
    attractiveness, strength:
        The starting criteria: ``{column: weight}`` or a list of
        :class:`kamwidgets.Criterion`.  Left out (or naming columns this
        portfolio does not have), the widget starts from
        :func:`kamwidgets.model.criteria.suggest_criteria` for that axis and
        says so: any loaded portfolio works without code.
    thresholds:
        ``(attractiveness, strength)`` split points on the 0-10 scores.
    labels:
        Bucket names (see :func:`kamwidgets.classify`).
    size:
        Column for the bubble area in the matrix (``None``: equal bubbles).  The default, ``"revenue"``,
        falls back to the file's own revenue column (``Revenue (EUR)``, ``Sales``...: see
        :func:`~kamwidgets.model.criteria.size_column`), else equal bubbles.
    by:
        Column naming the salesperson for the balance view (``None``: the
        whole portfolio is one person's).
    max_key_accounts, hours:
        For the balance and time views (defaults: 5; 4/3/2/1 hours a week).

    Attributes
    ----------
    value : DataFrame
        The classified portfolio, as :func:`kamwidgets.classify` returns it,
        kept current.
    controls : dict
        Input widgets by name: one weight slider per criterion (keyed by its
        column), ``"attractiveness_threshold"``, ``"strength_threshold"``,
        ``"label_key"`` ... ``"label_opportunistic"``, ``"max_key_accounts"``,
        ``"hours_key"`` ... ``"hours_opportunistic"``, and for adding a
        criterion ``"add_column"``, ``"add_axis"``, ``"add_scale"``,
        ``"add_button"``; ``"remove_<column>"`` buttons; ``"stability_button"``.
    weights, thresholds, labels, hours, max_key_accounts : traits
        The inputs (listed in ``inputs``): ``{column: weight}`` of every
        criterion, ``(attractiveness, strength)``, ``{bucket key: label}``,
        ``{bucket key: hours a week}`` and the key-account limit.  Setting
        one moves its controls and recomputes, exactly as moving the
        controls does; a value the model's checks refuse raises
        :class:`kamwidgets.KamDataError` and changes nothing.
    balance : DataFrame
        :func:`kamwidgets.balance` of the current classification (worked
        out when it is read, or the Balance tab shown, after a change).
    figure : Chart
        The portfolio matrix, updated in place (``figure.figure`` is the
        plotly figure; ``figure.data`` its traces).

    Examples
    --------
    >>> import kamwidgets as kw
    >>> w = kw.ClassificationWidget(kw.load_portfolio(kw.sample_path()),
    ...                             attractiveness={"revenue": 60, "growth_potential": 40},
    ...                             strength={"share_of_wallet": 1})
    >>> w.controls["attractiveness_threshold"].value = 7
    >>> bool((w.value["attractiveness"] >= 7).eq(w.value["segment"].isin(
    ...     ["Key account", "Key development account"])).all())
    True
    """

    kind = "classification"
    inputs = ("weights", "thresholds", "labels", "hours", "max_key_accounts")

    weights = Input(help="{column: weight} of every criterion, attractiveness first")
    thresholds = ScorePair((5.0, 5.0), names=AXES, help="(attractiveness, strength) split points, 0-10")
    labels = Checked(segment_labels, help="{bucket key: label}")
    hours = Input(help="{bucket key: hours a week per account}, 0-168")
    max_key_accounts = WholeNumber(5, help="how many key accounts one person can look after")

    @traitlets.default("weights")
    def _no_weights(self) -> dict:
        return {}

    @traitlets.default("labels")
    def _default_labels(self) -> dict:
        return segment_labels(None)

    @traitlets.default("hours")
    def _default_hours(self) -> dict:
        return dict(DEFAULT_HOURS)

    @traitlets.validate("weights")
    def _valid_weights(self, proposal: Any) -> dict[str, float]:
        value = proposal["value"]
        if not isinstance(value, dict):
            raise KamDataError(f"weights must be a dict {{column: weight}}, not {value!r}")
        criteria = getattr(self, "_criteria", {axis: [] for axis in AXES})
        known = {c.column for axis in AXES for c in criteria[axis]}
        unknown = sorted(map(str, set(value) - known))
        if unknown:
            raise KamDataError(
                f"{', '.join(map(repr, unknown))} {'is' if len(unknown) == 1 else 'are'} not a criterion",
                fix="Add it with add_criterion() first; weights are set for the criteria there are.",
            )
        current = self.weights
        out: dict[str, float] = {}
        for axis in AXES:
            axis_weights = {c.column: value.get(c.column, current.get(c.column, c.weight)) for c in criteria[axis]}
            numbers = {col: checks.weight(w, f"the weight of {col!r}") for col, w in axis_weights.items()}
            refused = _weightless(axis, numbers, current)  # in words for the reader (checks.weights says it briefly)
            if refused is not None:
                raise refused
            out.update(numbers)
        return out

    @traitlets.validate("hours")
    def _valid_hours(self, proposal: Any) -> dict[str, float]:
        return checks.hours(proposal["value"], self.hours)

    def __init__(
        self,
        portfolio: pd.DataFrame | str | os.PathLike,
        attractiveness: Any = None,
        strength: Any = None,
        *,
        thresholds: tuple[float, float] = (5, 5),
        labels: Any = None,
        size: str | None = "revenue",
        by: str | None = "account_manager",
        max_key_accounts: int = 5,
        hours: dict[str, float] | None = None,
    ) -> None:
        super().__init__(layout=W.Layout(width="100%"))
        if not isinstance(portfolio, pd.DataFrame):
            portfolio = load_portfolio(portfolio)
        self.portfolio = portfolio
        self.size, self.by = _size_and_by(portfolio, size, by)
        self.thresholds = thresholds
        self.labels = labels if labels is not None else segment_labels(None)
        self.hours = hours if hours is not None else dict(DEFAULT_HOURS)
        self.max_key_accounts = max_key_accounts
        self.stability: pd.DataFrame | None = None
        self._balance: tuple | None = None  # (the classification, its settings, its balance), see balance
        try:
            found = fitting_criteria(portfolio, attractiveness, strength)
        except KamDataError as err:
            try:
                check_scorable(portfolio)
            except KamDataError as too_few:  # too few figures to score: say so where the workbench would be
                self._cannot_score(too_few)
                return
            raise err from None  # criteria asked for that this portfolio cannot give: the caller's to fix
        self.usable = True
        criteria = {"attractiveness": found.attractiveness, "strength": found.strength}
        self._scorer = Scorer(portfolio, criteria["attractiveness"], criteria["strength"])
        self._axis_boxes = {axis: W.VBox() for axis in AXES}
        self._axis_notes = {axis: W.HTML(layout=W.Layout(min_height="0")) for axis in AXES}  # see show_error
        self._criteria: dict[str, list[Criterion]] = {axis: [] for axis in AXES}
        self._set_criteria(criteria)
        self._make_controls()
        split_note = self._fitting_splits(found)
        self.value = self._scorer.classify(
            attractiveness=self._weights("attractiveness"),
            strength=self._weights("strength"),
            thresholds=self.thresholds,
            labels=self.labels,
        )
        self.figure = Chart(portfolio_matrix(self.value, size=self.size, thresholds=self.thresholds))
        self.views = self._make_views()
        self.children = self._layout()
        self._update_add_options()
        self._start()
        self._say_fitting(found.note, split_note)
        if split_note:  # true of the splits it suggested: said no more once they or the weights move
            self.observe(self._drop_split_note, names=["weights", "thresholds"])

    def _say_fitting(self, *notes: str) -> None:
        text = " ".join(n for n in notes if n)
        if not self.error:
            self.message.value = f'<div class="kam-note" style="padding:2px 8px">{escape(text)}</div>' if text else ""

    def _drop_split_note(self, _: Any = None) -> None:
        self.unobserve(self._drop_split_note, names=["weights", "thresholds"])
        self._say_fitting(self._found_note)

    # ---------------------------------------------------------------- building
    def _make_controls(self) -> None:
        """The inputs besides the criteria's rows, each bound to its trait."""
        slider = dict(
            min=0,
            max=10,
            step=0.1,
            continuous_update=False,
            readout_format=".2f",  # a split typed as 6.25 reads 6.25 (not 6.3), as it is used
            style={"description_width": "initial"},
            layout=W.Layout(width="320px"),
        )
        self.controls["attractiveness_threshold"] = W.FloatSlider(description="Attractiveness split", **slider)
        self.controls["strength_threshold"] = W.FloatSlider(description="Strength split", **slider)
        self._make_add_controls()
        for key in SEGMENTS:
            # one width for the names in front of the boxes, so that none is cut and the boxes line up
            named = {"style": {"description_width": "135px"}, "layout": W.Layout(width="310px")}
            self.controls[f"label_{key}"] = W.Text(description=key, continuous_update=False, **named)
            self.controls[f"hours_{key}"] = W.BoundedFloatText(
                min=0, max=checks.HOURS_IN_A_WEEK, step=0.5, description=f"hours, {key}", **named
            )
        # a number box: a slider's track was left a few pixels wide beside its long name in this column
        self.controls["max_key_accounts"] = W.BoundedIntText(
            min=0,
            max=20,
            description="Most key accounts per person",
            style={"description_width": "initial"},
            layout=W.Layout(width="290px"),
        )
        self.controls["stability_button"] = W.Button(
            description="Check stability (\u00b120 % weights)", layout=W.Layout(width="260px")
        )
        self.controls["stability_button"].on_click(lambda _: self.check_stability())
        for i, axis in enumerate(AXES):
            self._bind("thresholds", f"{axis}_threshold", i)
        self._bind("max_key_accounts", "max_key_accounts")
        for key in SEGMENTS:
            self._bind("labels", f"label_{key}", key)
            self._bind("hours", f"hours_{key}", key)

    def _make_add_controls(self) -> None:
        """Column, axis and scale of another criterion, and the button that adds it."""
        self.controls["add_column"] = W.Dropdown(
            description="Add", layout=W.Layout(width="220px"), style={"description_width": "initial"}
        )
        self.controls["add_axis"] = W.ToggleButtons(
            options=[(axis.capitalize(), axis) for axis in AXES], style={"button_width": "120px"}
        )
        self.controls["add_scale"] = W.Dropdown(
            options=[(scale_words(s), s) for s in SCALES],
            layout=W.Layout(width="140px"),
        )
        self.controls["add_button"] = W.Button(description="+ Add criterion")
        self.controls["add_button"].on_click(lambda _: self._add_from_controls())

    def _fitting_splits(self, found: FittingCriteria) -> str:
        """With criteria suggested for this file, splits for 3-5 key accounts a salesperson, as the course says
        (unless the splits were chosen): what they give, or "" (what was suggested is ``found.note``)."""
        self._found_note = found.note
        if not found.suggested or tuple(self.thresholds) != (5.0, 5.0):
            return ""
        scores = self._scorer.classify(
            attractiveness=self._weights("attractiveness"), strength=self._weights("strength")
        )
        split = key_account_split(scores, by=self.by)
        self.thresholds = split.thresholds
        return split.note

    def _make_views(self) -> W.Tab:
        """The tabs under the matrix: the buckets' accounts, balance, time and fragile accounts."""
        self._bucket_tables = [W.HTML() for _ in SEGMENTS]
        self._bucket_tabs = W.Tab(children=self._bucket_tables)
        self._bucket_tabs.add_class("kam-buckets")
        self._balance_html = W.HTML()
        self._balance_fig = Chart()
        self._time_html = W.HTML()
        self._time_fig = Chart()
        self._fragile_html = W.HTML(
            "<p>Press the button to see which accounts would change bucket if the weights were a little different.</p>"
        )
        self._fragile_fig = Chart()
        views = W.Tab(
            children=[
                self._bucket_tabs,
                W.VBox([self._balance_fig, self._balance_html]),
                W.VBox([self._time_fig, self._time_html]),
                W.VBox([self.controls["stability_button"], self._fragile_fig, self._fragile_html]),
            ]
        )
        for i, title in enumerate(_TABS):
            views.set_title(i, title)
        self._dirty: set[int] = set(range(len(_TABS) - 1))  # the stability tab runs on demand
        views.observe(lambda _: self._refresh_views(), names="selected_index")
        self._bucket_tabs.observe(lambda _: self._refresh_views(), names="selected_index")
        return views

    def _options(self) -> W.Accordion:
        """Bucket names, time budget and the key-account limit, folded away."""
        options = W.Accordion(
            children=[
                W.VBox(
                    [W.HTML("<b>Bucket names</b>")]
                    + [self.controls[f"label_{k}"] for k in SEGMENTS]
                    + [W.HTML("<b>Time budget per account (hours a week)</b>")]
                    + [self.controls[f"hours_{k}"] for k in SEGMENTS]
                    + [self.controls["max_key_accounts"]]
                )
            ]
        )
        options.set_title(0, "Names, time budget and limits")
        options.selected_index = None
        return options

    def _layout(self) -> tuple[W.Widget, ...]:
        """The controls on the left, the matrix beside them (under them in a narrow window: a phone, or a page
        zoomed to 200 %), then the messages and the views."""
        left = W.VBox(
            [
                W.HTML(f"<b>{AXIS_TITLES['attractiveness']}</b> (weights)"),
                self._axis_boxes["attractiveness"],
                self._axis_notes["attractiveness"],
                W.HTML(f"<b>{AXIS_TITLES['strength']}</b> (weights)"),
                self._axis_boxes["strength"],
                self._axis_notes["strength"],
                W.HTML("<b>Where to split</b>"),
                self.controls["attractiveness_threshold"],
                self.controls["strength_threshold"],
                W.HTML("<b>Another criterion</b>"),
                self.controls["add_column"],
                W.HBox([self.controls["add_axis"]]),
                W.HBox([self.controls["add_scale"], self.controls["add_button"]]),
                self._options(),
            ],
            layout=W.Layout(width="360px", min_width="340px"),
        )
        # (the bucket tabs' styles, js/buckets.css, come with the page helper every tool has)
        return (
            W.HBox(
                [left, W.Box([self.figure], layout=W.Layout(flex="1 1 480px", min_width="0"))],
                layout=W.Layout(flex_flow="row wrap"),
            ),
            self.message,
            self.views,
        )

    # ---------------------------------------------------------------- criteria rows
    def _set_criteria(self, criteria: dict[str, list[Criterion]]) -> None:
        """Replace every criterion: their rows, sliders and weights."""
        columns = [c.column for axis in AXES for c in criteria[axis]]
        mine = {c.column for axis in AXES for c in self._criteria[axis]}
        taken = sorted({c for c in columns if columns.count(c) > 1 or (c in self.controls and c not in mine)})
        if taken:
            raise KamDataError(
                f"{taken[0]!r} is used twice as a criterion, or is the name of a control",
                column=taken[0],
                fix="Each column can be used once; change its weight instead.",
            )
        for axis in AXES:
            for c in self._criteria[axis]:
                self._drop_row(axis, c.column)
        self._criteria = {axis: list(criteria[axis]) for axis in AXES}
        self.weights = {c.column: c.weight for axis in AXES for c in criteria[axis]}
        for axis in AXES:
            for c in criteria[axis]:
                self._add_row(axis, c)

    def _add_row(self, axis: str, criterion: Criterion) -> None:
        """The row of a criterion already in ``_criteria`` and ``weights``: name, share, slider, remove."""
        col = criterion.column
        slider = W.FloatSlider(
            min=0,
            max=max(100.0, float(criterion.weight)),
            step=1,
            continuous_update=False,
            readout_format=".0f",
            tooltip=f"weight of {column_words(col)}",
            layout=shared_layout(width="330px"),  # one model for every criterion's (see _looks)
        )
        share = W.Label(layout=shared_layout(width="60px"))
        remove = W.Button(
            description="\u2715", tooltip=f"remove {column_words(col)}", layout=shared_layout(width="32px")
        )
        remove.on_click(lambda _, c=col: self.remove_criterion(c))
        self.controls[col] = slider
        self.controls[f"remove_{col}"] = remove
        self._bind("weights", col, col)
        name = W.Label(column_words(col), layout=shared_layout(width="230px"))  # the column's own name on hover
        name.tooltip = col
        row = W.VBox([W.HBox([name, share, remove]), slider])
        row._kam_column = col
        row._kam_share = share
        self._axis_boxes[axis].children = (*self._axis_boxes[axis].children, row)

    def _update_add_options(self) -> None:
        used = {c.column for axis in AXES for c in self._criteria[axis]}
        options = [c for c in number_columns(self.portfolio) if c not in used]
        self.controls["add_column"].options = [(column_words(c), c) for c in options]  # words shown, column kept
        self.controls["add_column"].value = options[0] if options else None

    def _add_from_controls(self) -> None:
        column = self.controls["add_column"].value
        if column is None:
            self.show_error(KamDataError("there is no number column left to add"))
            return
        self.add_criterion(column, axis=self.controls["add_axis"].value, scale=self.controls["add_scale"].value)

    def add_criterion(
        self,
        column: str,
        axis: str = "attractiveness",
        weight: float = 20,
        scale: str = "rank",
        higher_is_better: bool = True,
    ) -> None:
        """Add a number column of the portfolio as a criterion on ``axis``."""
        with self.reporting():
            if axis not in AXES:
                raise KamDataError(f"{axis!r} is not an axis", fix=f"Use {' or '.join(map(repr, AXES))}.")
            if column in self.weights:
                raise KamDataError(
                    f"{column!r} is already a criterion",
                    column=column,
                    fix="Each column can be used once; change its weight instead.",
                )
            criterion = Criterion(column, weight, higher_is_better=higher_is_better, scale=scale)  # type: ignore[arg-type]
            trial = {a: list(self._criteria[a]) for a in AXES}
            trial[axis].append(criterion)
            scorer = Scorer(self.portfolio, trial["attractiveness"], trial["strength"])  # checks the column
            with self.hold():
                self._criteria[axis].append(criterion)
                self.weights = {**self.weights, column: criterion.weight}
                self._add_row(axis, criterion)
                self._scorer = scorer
                self._update_add_options()
                self._pending = True

    def remove_criterion(self, column: str) -> None:
        """Take a criterion off its axis (each axis keeps at least one)."""
        with self.reporting():
            axis = next((a for a in AXES if any(c.column == column for c in self._criteria[a])), None)
            if axis is None:
                raise KamDataError(f"{column!r} is not a criterion", column=column)
            name, axis_name = column_words(column), AXIS_TITLES[axis]
            if len(self._criteria[axis]) == 1:
                raise _AxisNeedsAWeight(
                    axis,
                    f"{_capital(name)} stays: it is the last criterion of {axis_name}, and each axis needs one",
                    _add_first(name, axis_name),
                )
            remaining = [c for c in self._criteria[axis] if c.column != column]
            if sum(float(self.weights[c.column]) for c in remaining) <= 0:
                raise _AxisNeedsAWeight(
                    axis,
                    f"{_capital(name)} stays: it is the only criterion of {axis_name} with a weight above 0, "
                    "and each axis needs one",
                    f"To leave {name} out, first raise the weight of another criterion of {axis_name}.",
                )
            with self.hold():
                self._criteria[axis] = remaining
                self._drop_row(axis, column)
                self.weights = {k: v for k, v in self.weights.items() if k != column}
                self._scorer = Scorer(self.portfolio, self._criteria["attractiveness"], self._criteria["strength"])
                self._update_add_options()
                self._pending = True

    def _drop_row(self, axis: str, column: str) -> None:
        box = self._axis_boxes[axis]
        gone = [r for r in box.children if r._kam_column == column]
        box.children = tuple(r for r in box.children if r._kam_column != column)
        self._unbind(column)
        self.controls.pop(column)
        self.controls.pop(f"remove_{column}")
        for row in gone:
            close_tree(row)  # the row's boxes too: an open box around closed widgets stops the page drawing

    # ---------------------------------------------------------------- messages
    def show_error(self, err: Exception, *, banner: bool = True) -> None:
        """As every tool does; a change refused because an axis would have no weight above 0 is said under that
        axis's sliders (beside the slider that went back; read out at once), not under the matrix."""
        axis = getattr(err, "axis", None)
        said = f'<div role="alert" style="{WARNING_STYLE};line-height:1.4">{escape(err)}</div>'  # lines kept close
        for name, note in getattr(self, "_axis_notes", {}).items():
            note.value = said if name == axis else ""
        super().show_error(err, banner=banner and axis is None)

    def clear_error(self) -> None:
        super().clear_error()
        for note in getattr(self, "_axis_notes", {}).values():
            note.value = ""

    # ---------------------------------------------------------------- settings
    def _weights(self, axis: str) -> dict[str, float]:
        return {c.column: float(self.weights[c.column]) for c in self._criteria[axis]}

    def artefact(self) -> dict:
        """The settings and the result, with the portfolio's fingerprint (the room compares like with like)."""
        return {**super().artefact(), "fingerprint": fingerprint(self.portfolio)}

    def _cannot_score(self, err: KamDataError) -> None:
        """A portfolio the two scores cannot be made of: the reason and what to do, no sliders; ``value`` stays None."""
        self.usable = False
        self._criteria = {axis: [] for axis in AXES}
        self.views = W.Tab()
        self.value = None
        self.show_error(err)
        self.children = (
            W.HTML(
                "<p><b>The matrix cannot be drawn for this file.</b> The course's classification above works on it.</p>"
            ),
            self.message,
        )
        self._on_page()

    @property
    def settings(self) -> dict:
        """Criteria with weights, thresholds, labels, time budget and limit, as plain data (read from the traits)."""
        if not self.usable:
            return {}
        return {
            **{
                axis: [dict(c.to_dict(), weight=float(self.weights[c.column])) for c in self._criteria[axis]]
                for axis in AXES
            },
            "thresholds": list(self.thresholds),
            "labels": dict(self.labels),
            "hours": dict(self.hours),
            "max_key_accounts": int(self.max_key_accounts),
        }

    def apply_settings(self, settings: dict) -> None:
        """Re-apply what :attr:`settings` returned (criteria may differ from the current ones)."""
        if not self.usable:
            return  # nothing to set on a portfolio the matrix cannot score; what was saved stays in the store
        with self.hold():
            crit = {axis: as_criteria(settings[axis], axis) for axis in AXES if axis in settings}
            if crit:
                crit = {axis: crit.get(axis, self._criteria[axis]) for axis in AXES}
                scorer = Scorer(self.portfolio, crit["attractiveness"], crit["strength"])
                self._set_criteria(crit)
                self._scorer = scorer
                self._update_add_options()
                self._pending = True
            for name in ("thresholds", "labels", "hours", "max_key_accounts"):
                if name in settings:
                    setattr(self, name, settings[name])

    # ---------------------------------------------------------------- recompute
    def recompute(self) -> None:
        """Classify with the current controls and update every view that is showing."""
        if not self.usable:
            return
        try:
            value = self._scorer.classify(
                attractiveness=self._weights("attractiveness"),
                strength=self._weights("strength"),
                thresholds=self.thresholds,
                labels=self.labels,
            )
        except KamDataError as err:
            self.show_error(err)
            return
        self.clear_error()
        self.value = value  # the balance follows when it is read (a slider move with its tab closed skips it)
        update_portfolio_matrix(self.figure.figure, value, thresholds=self.thresholds)
        self.figure.refresh()  # first: the matrix is what the reader watches while moving a slider
        self._show_shares()
        if self.stability is not None:
            self.stability = None
            self._fragile_html.value = "<p>The settings changed since the last check: press the button again.</p>"
        self._dirty = set(range(len(_TABS) - 1))
        self._refresh_views()

    def _show_shares(self) -> None:
        for axis in AXES:
            weights = self._weights(axis)
            rows = self._axis_boxes[axis].children
            for row, percent in zip(rows, whole_percents([weights[row._kam_column] for row in rows])):
                row._kam_share.value = f"{percent}%"  # the axis's shares add up to 100%

    def _refresh_views(self) -> None:
        tab = self.views.selected_index or 0
        if tab not in self._dirty and not (tab == 0 and self._dirty_buckets()):
            return
        self._dirty.discard(tab)
        if tab == 0:
            self._refresh_bucket_table()
        elif tab == 1:
            self._refresh_balance()
        elif tab == 2:
            self._refresh_time()

    def _dirty_buckets(self) -> bool:
        return getattr(self, "_bucket_shown", None) != (id(self.value), self._bucket_tabs.selected_index)

    def _refresh_bucket_table(self) -> None:
        """Only the bucket tab in view is rendered: the others wait until they are opened."""
        labels = list(self.value["segment"].cat.categories)
        counts = self.value["segment"].value_counts()
        for i, label in enumerate(labels):
            self._bucket_tabs.set_title(i, f"{counts.get(label, 0):,} \u00b7 {label}")
        i = self._bucket_tabs.selected_index or 0
        cols = [
            c
            for c in ("account", "account_manager", "attractiveness", "strength", self.size, "missing_criteria")
            if c and c in self.value.columns
        ]
        members = np.flatnonzero(self.value["segment"].cat.codes.to_numpy() == i)
        top = members[_largest(self.value["attractiveness"].to_numpy()[members], _BUCKET_ROWS)]
        shown = self.value.iloc[top][cols]  # only these are formatted
        self._bucket_tables[i].value = html_table(
            readable(shown, headers=_HEADERS),
            max_rows=_BUCKET_ROWS,
            total=len(members),
            empty="No account in this bucket.",
        )
        self._bucket_shown = (id(self.value), self._bucket_tabs.selected_index)

    @property
    def balance(self) -> pd.DataFrame | None:
        """:func:`kamwidgets.balance` of the current classification, worked out when first read after a change."""
        if not getattr(self, "usable", False) or self.value is None:
            return None
        settings = (self.by, self.max_key_accounts, tuple(self.hours.items()))
        made = self._balance
        if made is None or made[0] is not self.value or made[1] != settings:
            table = balance(self.value, by=self.by, max_key_accounts=self.max_key_accounts, hours=self.hours)
            self._balance = made = (self.value, settings, table)
        return made[2]

    def _refresh_balance(self) -> None:
        table = self.balance
        assert table is not None  # there is a classification whenever the tab can be shown
        self._balance_fig.show(balance_chart, table, max_key_accounts=self.max_key_accounts)
        flagged = table[table["too_many_key_accounts"] | table["unbalanced_mix"]]
        if flagged.empty:
            note = "<p>Every portfolio is within the limits.</p>"
        else:
            items = "".join(f"<li><b>{escape(p)}</b>: {escape(n)}</li>" for p, n in flagged["notes"].items())
            note = f"<p>Look at:</p><ul>{items}</ul>"
        self._balance_html.value = note + html_table(readable(table.reset_index(), headers=_HEADERS))

    def _refresh_time(self) -> None:
        value_col = self.size or "revenue"
        if value_col not in self.value.columns:
            self._time_html.value = "<p>Pick a size column (such as revenue) to compare time with value.</p>"
            return
        table = effort(self.value, hours=self.hours, value=value_col)
        self._time_fig.show(effort_chart, table)
        self._time_html.value = html_table(readable(table.reset_index(), headers=_HEADERS))

    def check_stability(self, *, spread: float = 0.2, draws: int = 300, seed: int = 0) -> pd.DataFrame | None:
        """Run :func:`kamwidgets.model.stability` on the current settings and show the fragile accounts."""
        with self.reporting():
            self.stability = stability(self.value, spread=spread, draws=draws, seed=seed)
            self._fragile_fig.show(
                stability_chart, self.stability, thresholds=self.thresholds, spread=spread, draws=draws
            )
            fragile = self.stability[self.stability["fragile"]].sort_values("kept_share")
            shown = fragile[["account", "segment", "kept_share", "likely_move", "distance"]]
            self._fragile_html.value = html_table(
                readable(shown, headers=_HEADERS),
                empty="No account is fragile: the buckets hold up to these weight changes.",
            )
        return self.stability

    def __repr__(self) -> str:
        n = len(self.value) if isinstance(self.value, pd.DataFrame) else 0
        return f"<ClassificationWidget: {n} accounts>"

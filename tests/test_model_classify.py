"""classify, balance and compare on small frames whose answers can be worked out by hand."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path
from typing import get_args

import numpy as np
import pandas as pd
import pytest

import kamwidgets as kw
import kamwidgets.model
from kamwidgets import (
    DEFAULT_LABELS,
    Criterion,
    KamDataError,
    balance,
    classify,
    compare,
    segment_keys,
)
from kamwidgets.model import buyers, classification, weighted_score
from kamwidgets.model import classify as classify_in_model
from kamwidgets.model.criteria import AXES, SCALES, Scale, scale_words

LABELS = ["Key account", "Key development account", "Maintenance account", "Opportunistic account"]


def independent_rank(values: pd.Series) -> pd.Series:
    """Percentile rank on 0-10 the plain-pandas way."""
    return (values.rank(method="average") - 1) / (values.notna().sum() - 1) * 10


def test_default_labels_are_exact(small):
    out = classify(small, {"revenue": 1}, {"share": 1})
    assert list(out["segment"].cat.categories) == LABELS
    assert list(DEFAULT_LABELS.values()) == LABELS


def test_rank_scores_and_buckets(small):
    out = classify(small, {"revenue": 1}, {"share": 1})
    pd.testing.assert_series_equal(out["attractiveness"], independent_rank(small["revenue"]), check_names=False)
    pd.testing.assert_series_equal(out["strength"], independent_rank(small["share"]), check_names=False)
    # revenue ranks 0,2,4,6,8,10; share ranks 10,0,8,2,6,4
    assert out["segment"].tolist() == [
        "Maintenance account",
        "Opportunistic account",
        "Maintenance account",
        "Key development account",
        "Key account",
        "Key development account",
    ]


def test_weighted_mean_of_criteria(small):
    out = classify(small, {"revenue": 3, "growth": 1}, {"share": 1})
    expected = (independent_rank(small["revenue"]) * 3 + independent_rank(small["growth"])) / 4
    np.testing.assert_allclose(out["attractiveness"], expected)


def test_weights_are_normalised(small):
    a = classify(small, {"revenue": 1, "growth": 1}, {"share": 1})
    b = classify(small, {"revenue": 50, "growth": 50}, {"share": 7})
    pd.testing.assert_frame_equal(a, b)


def test_zero_weight_criterion_is_ignored(small):
    a = classify(small, {"revenue": 1, "growth": 0}, {"share": 1})
    b = classify(small, {"revenue": 1}, {"share": 1})
    np.testing.assert_allclose(a["attractiveness"], b["attractiveness"])


@pytest.mark.parametrize(
    "weights, message",
    [
        ({"revenue": -1}, "weight of criterion 'revenue' must be a number of 0 or more, not -1"),
        ({"revenue": float("nan")}, "not nan"),
        ({"revenue": 0, "growth": 0}, "add up to 0"),
        ({}, "no attractiveness criteria"),
        ("revenue", "must be a mapping"),
    ],
)
def test_bad_weights(small, weights, message):
    with pytest.raises(KamDataError, match=message):
        classify(small, weights, {"share": 1})


def test_ties_share_their_rank():
    p = pd.DataFrame({"account": list("abcd"), "v": [1, 2, 2, 3], "s": [1, 1, 1, 1]})
    out = classify(p, {"v": 1}, {"s": 1})
    np.testing.assert_allclose(out["attractiveness"], [0, 5, 5, 10])
    np.testing.assert_allclose(out["strength"], [5, 5, 5, 5])  # all tied: middle


def test_value_scale_with_bounds_and_direction():
    p = pd.DataFrame({"account": list("abc"), "survey": [1, 3, 5], "price": [1, 5, 10]})
    out = classify(
        p,
        [Criterion("survey", 1, scale="value", bounds=(1, 5))],
        [Criterion("price", 1, higher_is_better=False, scale="value", bounds=(1, 10))],
    )
    np.testing.assert_allclose(out["attractiveness"], [0, 5, 10])
    np.testing.assert_allclose(out["strength"], [10, 10 - 40 / 9, 0])


def test_value_scale_outside_bounds_names_the_account():
    p = pd.DataFrame({"account": ["ok", "too big"], "score": [5, 14]})
    with pytest.raises(KamDataError) as err:
        classify(p, [Criterion("score", 1, scale="value")], {"score": 1})
    assert err.value.accounts == ["too big"] and err.value.column == "score"


def test_minmax_scale():
    p = pd.DataFrame({"account": list("abc"), "v": [10.0, 20.0, 110.0], "s": [1, 2, 3]})
    out = classify(p, [Criterion("v", 1, scale="minmax")], {"s": 1})
    np.testing.assert_allclose(out["attractiveness"], [0, 1, 10])


def test_threshold_is_inclusive_and_configurable(small):
    out = classify(small, {"revenue": 1}, {"share": 1}, thresholds=(6, 8))
    # revenue rank 6 (D) counts as attractive; share rank 8 (C) counts as strong
    assert out.set_index("account").loc["D", "segment"] == "Key development account"
    assert out.set_index("account").loc["C", "segment"] == "Maintenance account"
    with pytest.raises(KamDataError, match="from 0 to 10"):
        classify(small, {"revenue": 1}, {"share": 1}, thresholds=(11, 5))
    with pytest.raises(KamDataError, match="two numbers"):
        classify(small, {"revenue": 1}, {"share": 1}, thresholds="high")


def test_labels_rename_without_changing_logic(small):
    base = classify(small, {"revenue": 1}, {"share": 1})
    renamed = classify(
        small, {"revenue": 1}, {"share": 1}, labels={"key": "Strategic", "opportunistic": "Transactional"}
    )
    assert list(renamed["segment"].cat.categories) == [
        "Strategic",
        "Key development account",
        "Maintenance account",
        "Transactional",
    ]
    np.testing.assert_array_equal(base["segment"].cat.codes, renamed["segment"].cat.codes)
    swapped = classify(small, {"revenue": 1}, {"share": 1}, labels=["D", "C", "B", "A"])
    np.testing.assert_array_equal(base["segment"].cat.codes, swapped["segment"].cat.codes)
    assert segment_keys(swapped).tolist() == segment_keys(base).tolist()
    for bad, msg in ((["a", "a", "b", "c"], "same label"), (["a"], "1 labels"), ({"vip": "x"}, "not a bucket")):
        with pytest.raises(KamDataError, match=msg):
            classify(small, {"revenue": 1}, {"share": 1}, labels=bad)


def test_missing_values_are_scored_on_what_is_there_and_flagged(small):
    p = small.copy()
    p.loc[1, "growth"] = np.nan
    p.loc[2, ["revenue", "growth"]] = np.nan
    out = classify(p, {"revenue": 1, "growth": 1}, {"share": 1})
    assert len(out) == len(p) and out["account"].tolist() == p["account"].tolist()
    assert pd.isna(out.loc[0, "missing_criteria"])
    assert out.loc[1, "missing_criteria"] == "growth"
    assert out.loc[2, "missing_criteria"] == "revenue, growth"
    # B scored on revenue alone: its rank among the five known revenues
    known = p["revenue"].dropna()
    assert out.loc[1, "attractiveness"] == pytest.approx(independent_rank(known).loc[1])
    # C has nothing on attractiveness: no bucket, but still there
    assert np.isnan(out.loc[2, "attractiveness"]) and pd.isna(out.loc[2, "segment"])
    with pytest.raises(KamDataError) as err:
        classify(p, {"revenue": 1, "growth": 1}, {"share": 1}, missing="error")
    assert err.value.accounts == ["B", "C"]


def test_text_and_infinite_values_name_column_and_account(small):
    p = small.astype({"revenue": object})
    p.loc[3, "revenue"] = "call Bob"
    with pytest.raises(KamDataError) as err:
        classify(p, {"revenue": 1}, {"share": 1})
    assert err.value.column == "revenue" and err.value.accounts == ["D"] and "call Bob" in str(err.value)
    q = small.copy()
    q.loc[4, "share"] = np.inf
    with pytest.raises(KamDataError) as err:
        classify(q, {"revenue": 1}, {"share": 1})
    assert err.value.column == "share" and err.value.accounts == ["E"]


def test_missing_column_lists_number_columns(small):
    with pytest.raises(KamDataError, match=r"'revenu'.*'revenue', 'growth', 'share'"):
        classify(small, {"revenu": 1}, {"share": 1})


def test_needs_an_account_column(small):
    with pytest.raises(KamDataError, match="no 'account' column"):
        classify(small.drop(columns="account"), {"revenue": 1}, {"share": 1})


def test_input_not_modified_and_settings_kept(small):
    copy = small.copy()
    out = classify(small, {"revenue": 2}, [Criterion("share", 1)], thresholds=(4, 6))
    pd.testing.assert_frame_equal(small, copy)
    settings = out.attrs["classification"]
    assert settings["thresholds"] == [4.0, 6.0]
    assert settings["attractiveness"][0]["column"] == "revenue"
    assert settings["labels"]["key"] == "Key account"


# ------------------------------------------------------------------ balance
def test_balance_counts_hours_and_flags(small):
    out = classify(small, {"revenue": 1}, {"share": 1})
    b = balance(out, max_key_accounts=0)
    expected = pd.crosstab(out["account_manager"].fillna("(unassigned)"), out["segment"])
    for label in LABELS:
        assert b[label].tolist() == expected[label].tolist()
    hours = np.array([4, 3, 2, 1])
    np.testing.assert_allclose(b["hours_per_week"], expected[LABELS].to_numpy() @ hours)
    assert b.index.tolist() == ["(unassigned)", "Ann", "Bob"]
    assert b["too_many_key_accounts"].tolist() == [False, False, True]  # Bob has E
    assert "1 key accounts, more than 0" in b.loc["Bob", "notes"]


def test_balance_options(small):
    out = classify(small, {"revenue": 1}, {"share": 1})
    b = balance(out, by=None, hours={"key": 10, "Opportunistic account": 0}, capacity=20)
    assert b.index.tolist() == ["All accounts"]
    counts = out["segment"].value_counts().reindex(LABELS).to_numpy()
    assert b["hours_per_week"].iloc[0] == pytest.approx(counts @ np.array([10, 3, 2, 0]))
    assert bool(b["over_capacity"].iloc[0]) == (counts @ np.array([10, 3, 2, 0]) > 20)
    # a reference that is exactly this mix gives no gap
    same = balance(out, by=None, reference_mix=list(counts))
    assert same["mix_gap"].iloc[0] == pytest.approx(0)
    assert not same["unbalanced_mix"].iloc[0]
    # all opportunistic against an all-key reference is as far as it gets
    far = balance(out, by=None, reference_mix=[1, 0, 0, 0], max_mix_gap=0.5)
    key_share = counts[0] / counts.sum()
    assert far["mix_gap"].iloc[0] == pytest.approx(1 - key_share)
    assert far["unbalanced_mix"].iloc[0] and "mix far from the reference" in far["notes"].iloc[0]


def test_balance_errors(small):
    out = classify(small, {"revenue": 1}, {"share": 1})
    with pytest.raises(KamDataError, match="by=None"):
        balance(out, by="region")
    with pytest.raises(KamDataError, match="Run classify"):
        balance(small)
    with pytest.raises(KamDataError, match="4 numbers"):
        balance(out, hours=[1, 2])
    with pytest.raises(KamDataError, match="whole number"):
        balance(out, max_key_accounts=-1)


def test_balance_counts_unscored_accounts(small):
    p = small.copy()
    p.loc[0, "share"] = np.nan
    b = balance(classify(p, {"revenue": 1}, {"share": 1}))
    assert b.loc["Ann", "unscored"] == 1 and b["accounts"].sum() == len(p)


# ------------------------------------------------------------------ compare
def test_compare_moves_new_gone_same(small):
    last = classify(small, {"revenue": 1}, {"share": 1})
    now_frame = small[small["account"] != "A"].copy()
    now_frame.loc[len(small)] = ["G", "Bob", 50.0, 0.9, 5.0]
    now_frame.loc[now_frame["account"] == "B", "share"] = 10.0  # B: opportunistic -> maintenance
    now = classify(now_frame, {"revenue": 1}, {"share": 1}, labels={"key": "Strategic"})
    review = compare(last, now).set_index("account")
    assert review.loc["A", "status"] == "gone" and pd.isna(review.loc["A", "current_segment"])
    assert review.loc["G", "status"] == "new" and pd.isna(review.loc["G", "previous_segment"])
    assert review.loc["B", "status"] == "moved"
    assert review.loc["B", "movement"] == "Opportunistic account -> Maintenance account"
    # labels differ between the years; buckets still match by position
    same = review[review["status"] == "same"]
    assert (same["previous_segment"] == same["current_segment"]).all()
    assert "Strategic" in list(review["current_segment"].cat.categories)
    assert set(review.index) == set(small["account"]) | {"G"}
    assert review.loc["B", "strength_change"] > 0


def test_compare_needs_classified_frames(small):
    with pytest.raises(KamDataError, match="Run classify"):
        compare(small, small)


def test_criteria_table_shows_each_axis_in_percent():
    table = __import__("kamwidgets").criteria_table(
        {"revenue": 3, "growth": 1}, [Criterion("share", 2, scale="value", bounds=(1, 5))]
    )
    assert table["axis"].tolist() == ["attractiveness", "attractiveness", "strength"]
    assert table["weight"].tolist() == ["75%", "25%", "100%"]
    assert table.loc[2, "scale"] == "value on 1-5"


def test_the_scales_are_named_once_and_said_in_words_for_each():
    assert SCALES == get_args(Scale) == ("rank", "minmax", "value")
    assert [scale_words(s) for s in SCALES] == ["percentile rank", "min-max", "value on 0-10"]
    for scale in SCALES:  # every scale a criterion accepts is one the table can say
        Criterion("revenue", 1, scale=scale)
        assert scale_words(scale, (1, 5))
    with pytest.raises(KamDataError, match="unknown scale 'log'.*'rank', 'minmax', 'value'"):
        Criterion("revenue", 1, scale="log")  # type: ignore[arg-type]


def test_the_matrix_axes_are_named_in_one_place():
    assert AXES == ("attractiveness", "strength")
    package = Path(kamwidgets.__file__).parent
    pair = re.compile(r"""[(\[{]\s*["']attractiveness["'],\s*["']strength["']\s*[)\]}]""")
    again = [
        f"{path.relative_to(package)}:{n}"
        for path in package.rglob("*.py")
        if path.name != "criteria.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pair.search(line) and not line.lstrip().startswith(">>>")  # an example in a docstring may name them
    ]
    assert again == [], f"use kamwidgets.model.criteria.AXES: {again}"


def test_classify_is_the_function_and_its_module_is_classification():
    assert callable(classify_in_model)
    assert classify_in_model is classification.classify is kamwidgets.model.classify is classify
    by_old_path = importlib.import_module("kamwidgets.model.classify")  # the module's old path still imports
    assert by_old_path is classification and by_old_path.balance is balance
    assert sys.modules["kamwidgets.model.classify"] is classification
    # and in a fresh kernel, whichever is imported first
    code = (
        "from kamwidgets.model.classify import SEGMENTS; import kamwidgets.model as m; "
        "print(callable(m.classify), m.classification.SEGMENTS is SEGMENTS)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_spend_profile_total_and_breadth():
    from kamwidgets.model.criteria import spend_profile

    frame = pd.DataFrame({"a": [1.0, 5.0, 9.0], "b": [10.0, 0.0, 20.0], "c": ["x", "y", "z"]})
    out = spend_profile(frame, ["a", "b"])
    assert out["total_spend"].tolist() == [11.0, 5.0, 29.0]
    assert out["breadth"].tolist() == [0, 0, 2]  # medians 5 and 10: only the last beats both
    with pytest.raises(KamDataError, match="not numeric"):
        spend_profile(frame, ["a", "c"])
    with pytest.raises(KamDataError, match="no such spend column"):
        spend_profile(frame, ["zz"])


def test_classify_never_changes_the_callers_frame_or_its_attrs():
    """classify shares the caller's columns (copy-on-write) instead of copying them: changing the result,
    its cells or its attrs, must still leave the portfolio it was given exactly as it was."""
    portfolio = kw.load_portfolio(kw.sample_path("portfolio"))
    before, attrs = portfolio.copy(), dict(portfolio.attrs)
    out = kw.classify(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    out.loc[out.index[0], "revenue"] = -1.0
    out["account"] = "changed"
    out.attrs["source"] = "changed"
    pd.testing.assert_frame_equal(portfolio, before)
    assert portfolio.attrs == attrs and "classification" not in portfolio.attrs


def test_minmax_survives_the_widest_floats():
    p = pd.DataFrame({"account": list("abc"), "rev": [1e308, -1e308, 0.0], "s": [1, 2, 3]})
    out = kw.classify(p, [Criterion("rev", 1, scale="minmax")], {"s": 1})
    np.testing.assert_allclose(out["attractiveness"], [10, 0, 5])
    assert "missing_criteria" not in out.columns


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: Criterion("x", 1, bounds=("a", "b")), "bounds"),
        (lambda: Criterion("x", 1, bounds=(1, 2, 3)), "bounds"),
        (
            lambda: kw.classify(pd.DataFrame({"account": ["a"], "x": [1]}), [{"column": "x", "wieght": 1}], {"x": 1}),
            "unknown settings",
        ),
        (lambda: buyers.place_buyers([{"buyer": "A"}], thresholds=("x", 5)), "interest threshold must be a number"),
    ],
)
def test_bad_settings_are_kam_errors(call, message):
    with pytest.raises(KamDataError, match=message):
        call()


def test_balance_and_compare_check_their_inputs(sample_classified):
    c = sample_classified
    with pytest.raises(KamDataError, match="max_mix_gap"):
        kw.balance(c, max_mix_gap="x")
    with pytest.raises(KamDataError, match="no 'attractiveness' column"):
        kw.compare(c.drop(columns="attractiveness"), c)


@pytest.mark.parametrize("scale", ["rank", "minmax", "value"])
@pytest.mark.parametrize("where", [0, 3, 5])
def test_an_infinite_value_anywhere_is_named_on_every_scale(small, scale, where):
    """The rank scale finds an infinite value at the ends of its sort (no pass of its own): first, last or
    between, minus or plus, on either axis, it is named with its account and column."""
    for sign in (1, -1):
        q = small.copy()
        q.loc[where, "share"] = sign * np.inf
        with pytest.raises(KamDataError, match="infinite") as err:
            classify(q, {"revenue": 1}, [Criterion("share", 1, scale=scale, bounds=(0, 10))])
        assert err.value.column == "share" and err.value.accounts == [q.loc[where, "account"]]
    q = small.copy()
    q.loc[[1, 4], "revenue"] = [np.nan, np.inf]  # a gap and an infinite value in one column
    with pytest.raises(KamDataError, match="infinite") as err:
        classify(q, [Criterion("revenue", 1, scale=scale, bounds=(0, 1e9))], {"share": 1})
    assert err.value.accounts == ["E"]


def test_one_classification_equals_the_widgets_scorer_to_the_bit():
    """classify() keeps no criterion scores (the sum is made a criterion at a time); a scorer that keeps them
    (the widget's) gives the same scores, bit for bit, so the same buckets, with or without gaps."""
    rng = np.random.default_rng(3)
    n = 5_000
    p = pd.DataFrame(
        {
            "account": [f"A{i}" for i in range(n)],
            "revenue": rng.lognormal(10, 1, n),
            "growth": rng.integers(1, 6, n).astype(float),  # ties
            "margin": rng.normal(0.2, 0.1, n),
            "share": rng.random(n),
            "fit": rng.integers(1, 11, n),
        }
    )
    att, stre = {"revenue": 3, "growth": 0, "margin": 1.5}, [Criterion("share", 2), Criterion("fit", 1, False)]
    for frame in (p, p.assign(margin=p["margin"].mask(p.index % 97 == 0))):
        once = classify(frame, att, stre, thresholds=(5, 4.5))
        kept = classification.Scorer(frame, att, stre).classify(thresholds=(5, 4.5))
        pd.testing.assert_frame_equal(once, kept, check_exact=True)
    light = classification.Scorer(p, att, stre, keep_scores=False)
    assert light.scores_a is None and light.scores_s is None
    with pytest.raises(ValueError, match="keep_scores=True"):
        light.classify(attractiveness={"revenue": 1})


def test_segment_codes_by_hand():
    a = np.array([5.0, 5.0, 4.99, 4.99, np.nan, 7.0, 0.0])
    s = np.array([5.0, 4.99, 5.0, 4.99, 6.0, np.nan, 10.0])
    codes = classification.segment_codes(a, s, (5, 5))
    assert codes.dtype == np.int8 and codes.tolist() == [0, 1, 2, 3, -1, -1, 2]
    grid = classification.segment_codes(np.full((2, 3), 6.0), np.array([[6.0, 1, np.nan]] * 2), (5, 5))
    assert grid.tolist() == [[0, 1, -1], [0, 1, -1]]


def test_rank_scores_are_the_percentile_exactly_so_the_middle_account_sits_on_the_threshold():
    """A rank score is rank / (n - 1) * 10 to the last bit (ties averaged): the middle of an odd portfolio
    scores exactly 5, which counts as high, for every size."""
    for n in range(2, 400):
        values = np.arange(n, dtype=float)
        values[n // 3] = values[n // 3 + 1] if n > 3 else values[n // 3]  # one tie
        p = pd.DataFrame({"account": [f"A{i}" for i in range(n)], "revenue": values, "share": values})
        out = classify(p, {"revenue": 1}, {"share": 1})
        expected = (p["revenue"].rank(method="average") - 1) / (n - 1) * 10
        assert np.array_equal(out["attractiveness"].to_numpy(), expected.to_numpy()), n
    p = pd.DataFrame({"account": [f"A{i}" for i in range(155)], "revenue": range(155), "share": range(155)})
    middle = classify(p, {"revenue": 1}, {"share": 1}).loc[77]
    assert middle["attractiveness"] == 5.0 and middle["segment"] == "Key account"


def test_whole_scores_and_weights_that_make_exactly_the_split_are_on_it():
    """Scores typed as whole numbers (0-10) with whole weights whose weighted mean is exactly 5 score exactly 5
    (counted as high), however the weights are spread: the sum is divided once, not weighted by shares."""
    rng = np.random.default_rng(0)
    rows, weights = [], []
    while len(rows) < 60:
        w = rng.integers(1, 60, 4).astype(float)
        m = rng.integers(0, 11, 4).astype(float)
        if (m * w).sum() == 5 * w.sum():
            rows.append(m)
            weights.append(w)
    for m, w in zip(rows, weights):
        score, _ = weighted_score(m[None, :], w)
        assert score[0] == 5.0, (m, w)
        p = pd.DataFrame({"account": ["A", "B"], **{f"c{i}": [m[i], 0.0] for i in range(4)}})
        crit = [Criterion(f"c{i}", w[i], scale="value") for i in range(4)]
        out = classify(p, crit, crit)
        assert out.loc[0, "attractiveness"] == 5.0 and out.loc[0, "segment"] == "Key account", (m, w)

"""The bundled sample data: reproducible from its generator and shaped as documented."""

from __future__ import annotations

import importlib.util

import pandas as pd

from kamwidgets import SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH, balance, classify, compare, load_portfolio, sample_path

from .conftest import DATA


def _generator():
    spec = importlib.util.spec_from_file_location("kam_generate", DATA / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_reproduces_the_committed_files(tmp_path):
    written = _generator().generate(tmp_path)
    assert written
    for path in written:
        assert path.read_bytes() == (DATA / path.name).read_bytes(), path.name


def test_sample_portfolio_is_one_salesperson_with_thirty_accounts(sample_portfolio):
    p = sample_portfolio
    assert len(p) == 30 and p["account_manager"].nunique() == 1
    out = classify(p, SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH)
    counts = out["segment"].value_counts()
    assert (counts > 0).all()  # every bucket is represented
    near = ((out["attractiveness"] - 5).abs() < 0.5) | ((out["strength"] - 5).abs() < 0.5)
    assert near.sum() >= 3  # some accounts sit near a boundary, as real portfolios do


def test_company_portfolio_two_years_thirty_people():
    y1 = load_portfolio(sample_path("company_2025"))
    y2 = load_portfolio(sample_path("company_2026"))
    assert 2000 <= len(y1) <= 5000 and 2000 <= len(y2) <= 5000
    assert y1["account_manager"].nunique() == 30
    assert set(y1["year"]) == {2025} and set(y2["year"]) == {2026}
    review = compare(
        classify(y1, SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH), classify(y2, SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH)
    )
    status = review["status"].value_counts()
    assert status["new"] == len(set(y2["account"]) - set(y1["account"]))
    assert status["gone"] == len(set(y1["account"]) - set(y2["account"]))
    assert status["moved"] > 0
    assert len(balance(classify(y2, SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH))) == 30


def test_sample_orders_add_up_to_the_portfolio(sample_portfolio):
    orders = pd.read_csv(sample_path("transactions"), parse_dates=["order_date"])
    p = sample_portfolio.set_index("account")
    last12 = orders[orders["order_date"] > "2025-10-31"].groupby("account")["amount"].sum()
    pd.testing.assert_series_equal(
        last12.sort_index(), p["revenue"].astype(float).sort_index(), check_names=False, rtol=1e-4
    )  # amounts are rounded to cents

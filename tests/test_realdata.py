"""The model on real and public data, checked against plain pandas.

The files are copies in data/real/ (with their attribution); when the
project's shared folder is beside the checkout, the copies are checked
against it too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kamwidgets import KamDataWarning, accounts_from_transactions, balance, classify, load_portfolio, sample_path

from .conftest import REAL, SHARED_REAL

FILES = [
    "wholesale_customers.csv",
    "crm_accounts.csv",
    "crm_sales_pipeline.csv",
    "crm_sales_teams.csv",
    "crm_products.csv",
]


@pytest.mark.parametrize("name", FILES)
def test_copies_match_the_originals(name):
    if not SHARED_REAL.exists():
        pytest.skip("the shared real-data folder is not beside this checkout")
    assert (REAL / name).read_bytes() == (SHARED_REAL / name).read_bytes()


def test_wholesale_classified_like_plain_pandas():
    raw = pd.read_csv(REAL / "wholesale_customers.csv")
    p = load_portfolio(sample_path("wholesale"), make_ids="Customer ")
    assert len(p) == len(raw) == 440 and p["account"].is_unique
    att = {"Fresh goods": 2, "Grocery": 1, "Milk": 1}
    strg = {"Detergents_Paper": 1, "Delicassen": 1}
    out = classify(p, att, strg)

    def pct(col):
        return (raw[col].rank(method="average") - 1) / (len(raw) - 1) * 10

    exp_a = (2 * pct("Fresh goods") + pct("Grocery") + pct("Milk")) / 4
    exp_s = (pct("Detergents_Paper") + pct("Delicassen")) / 2
    np.testing.assert_allclose(out["attractiveness"], exp_a)
    np.testing.assert_allclose(out["strength"], exp_s)
    exp_seg = np.select(
        [(exp_a >= 5) & (exp_s >= 5), exp_a >= 5, exp_s >= 5],
        ["Key account", "Key development account", "Maintenance account"],
        "Opportunistic account",
    )
    assert out["segment"].astype(str).tolist() == exp_seg.tolist()
    # every number column kept its values
    for col in raw.columns:
        np.testing.assert_array_equal(p[col].to_numpy(), raw[col].to_numpy())


def crm_from_pipeline():
    with pytest.warns(KamDataWarning) as record:
        out = accounts_from_transactions(
            sample_path("crm_pipeline"),
            account="account",
            value="close_value",
            date="close_date",
            product="product",
            owner="sales_agent",
            stage="deal_stage",
        )
    return out, [str(w.message) for w in record]


def test_crm_pipeline_against_plain_pandas():
    out, messages = crm_from_pipeline()
    raw = pd.read_csv(REAL / "crm_sales_pipeline.csv")
    missing = int(raw["account"].isna().sum())
    assert missing == 1425
    assert any(f"{missing:,} rows with no 'account' were left out" in m for m in messages)
    assert any("less than the 23 months" in m for m in messages)  # 2017 only: no growth
    assert "growth_12m" not in out.columns

    won = raw[(raw["deal_stage"] == "Won") & raw["account"].notna()]
    out = out.set_index("account")
    assert set(out.index) == set(raw["account"].dropna())
    exp_rev = won.groupby("account")["close_value"].sum()
    np.testing.assert_allclose(out.loc[exp_rev.index, "revenue"], exp_rev)
    exp_orders = won.groupby("account").size()
    assert (out.loc[exp_orders.index, "order_lines"] == exp_orders).all()  # no order id given: won rows
    assert (out.loc[exp_rev.index, "products"] == won.groupby("account")["product"].nunique()).all()
    decided = raw[raw["deal_stage"].isin(["Won", "Lost"]) & raw["account"].notna()]
    exp_wr = decided.groupby("account")["deal_stage"].apply(lambda s: (s == "Won").mean())
    np.testing.assert_allclose(out.loc[exp_wr.index, "win_rate"], exp_wr)
    dates = pd.to_datetime(won["close_date"])
    np.testing.assert_array_equal(
        out.loc[exp_rev.index, "last_date"].to_numpy(),
        dates.groupby(won["account"]).max().loc[exp_rev.index].to_numpy(),
    )
    owners = raw[raw["account"].notna()].groupby(["account", "sales_agent"]).size().reset_index(name="n")
    owners = owners.sort_values(["account", "n", "sales_agent"], ascending=[True, False, True])
    top = owners.drop_duplicates("account").set_index("account")["sales_agent"]
    assert (out.loc[top.index, "account_manager"] == top).all()


def test_crm_accounts_loaded_as_is_and_joined():
    accounts = load_portfolio(sample_path("crm_accounts"))
    raw = pd.read_csv(REAL / "crm_accounts.csv")
    assert accounts["account"].tolist() == raw["account"].tolist()
    assert "technolgy" in set(accounts["sector"])  # the export's typo is kept, not "fixed"
    np.testing.assert_allclose(accounts["revenue"], raw["revenue"])
    assert accounts["subsidiary_of"].isna().sum() == raw["subsidiary_of"].isna().sum()

    sales, _ = crm_from_pipeline()
    teams = load_portfolio(sample_path("crm_teams"), columns={"account": "sales_agent"})
    portfolio = accounts.rename(columns={"revenue": "company_revenue"}).merge(sales, on="account", how="left")
    portfolio = portfolio.merge(
        teams[["account", "manager", "regional_office"]].rename(columns={"account": "account_manager"}),
        on="account_manager",
        how="left",
    )
    out = classify(portfolio, {"company_revenue": 1, "employees": 1}, {"revenue": 2, "win_rate": 1})
    assert len(out) == 85 and out["segment"].notna().all()
    per_agent = balance(out)
    assert per_agent["accounts"].sum() == 85
    exp = out.groupby("account_manager").size()
    assert (per_agent.loc[exp.index, "accounts"] == exp).all()

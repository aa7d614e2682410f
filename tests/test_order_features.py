"""An order export becomes honest account features (order lines are not orders, growth has a period,
no signal is counted twice, the key bucket has the course's size), in the model and in the picker.

The export is generated (seeded) in the shape of a retailer's order lines: one row per product ordered,
with an order id, an order date, the customer, the product, sales and profit, and the region's salesperson.
"""

from __future__ import annotations

import html
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kamwidgets as kw
from kamwidgets.model import criteria
from kamwidgets.model.io import preview

SALESPEOPLE = {"Central": "Kim Adler", "East": "Luis Moreno", "South": "Priya Shah", "West": "Tom Becker"}
FIRST = "Anna Ben Clara David Eva Frank Greta Hugo Ines Jon Kara Liam Mona Nils Olga Paul Rosa Sven Tara Udo".split()
FIRST += "Vera Walt Xenia Yann Zoe Aldo Bea Cem Dora Emil".split()
LAST = "Abbott Baker Cole Dunn Ellis Ford Grant Hale Ivers Jones Kent Lowe Marsh Nash Owens Price Quinn Reed".split()
LAST += "Stone Tate Urban Vance Wells Young Zeller Amos Brook Crane Drake Egan Frost Gale Hart Irwin Joyce".split()


def order_lines(seed: int = 28, customers: int = 793, products: int = 1862) -> pd.DataFrame:
    """About 10,000 order lines of about 5,000 orders over four years (2014-01-03 to 2017-12-30), as a
    retailer's export has them: most lines are another product, so lines and products per customer agree."""
    rng = np.random.default_rng(seed)
    names = rng.choice(sorted(f"{f} {last}" for f in FIRST for last in LAST), customers, replace=False)
    home = rng.choice(list(SALESPEOPLE), customers)
    orders = 1 + rng.poisson(5.3, customers)  # orders per customer
    who = np.repeat(np.arange(customers), orders)
    n = len(who)
    start, end = pd.Timestamp("2014-01-03"), pd.Timestamp("2017-12-30")
    days = np.floor(rng.beta(1.3, 1.0, n) * (end - start).days).astype(int)  # a growing business
    days[[0, -1]] = 0, (end - start).days  # the file runs from the first day to the last
    dates = start + pd.to_timedelta(days, unit="D")
    region = np.where(rng.random(n) < 0.75, home[who], rng.choice(list(SALESPEOPLE), n))
    numbers = rng.choice(np.arange(100_000, 1_000_000), n, replace=False)
    ids = [f"{p}-{d.year}-{k}" for p, d, k in zip(rng.choice(["CA", "US"], n, p=[0.8, 0.2]), dates, numbers)]
    lines = rng.geometric(0.5, n)  # lines per order, 2 on average
    row = np.repeat(np.arange(n), lines)
    product = rng.integers(0, products, len(row))
    sales = np.round(rng.lognormal(4.3, 1.3, len(row)), 2)
    return pd.DataFrame(
        {
            "Row ID": np.arange(1, len(row) + 1),
            "Order ID": np.asarray(ids)[row],
            "Order Date": [f"{d.month}/{d.day}/{d.year}" for d in dates[row]],  # US month-first, as exported
            "Customer Name": names[who][row],
            "Region": region[row],
            "Salesperson": [SALESPEOPLE[r] for r in region[row]],
            "Product ID": [f"P-{p:05d}" for p in product],
            "Product Name": [f"Product {p}" for p in product],
            "Sales": sales,
            "Profit": np.round(sales * rng.normal(0.12, 0.2, len(row)), 2),
        }
    )


@pytest.fixture(scope="module")
def export() -> pd.DataFrame:
    return order_lines()


COLUMNS = dict(
    account="Customer Name",
    value="Sales",
    date="Order Date",
    product="Product Name",
    margin="Profit",
    owner="Salesperson",
)


def summed(frame: pd.DataFrame, **extra) -> pd.DataFrame:
    return kw.accounts_from_transactions(frame, **COLUMNS, **extra)


# ------------------------------------------------------------------ 1. orders are orders, lines are lines
def test_orders_count_order_ids_and_without_one_the_count_is_called_order_lines(export):
    lines = export.groupby("Customer Name")
    assert (lines.size() == lines["Order ID"].nunique()).mean() < 0.1  # lines and orders differ for most

    by_order = summed(export, order="Order ID").set_index("account")
    expected = lines["Order ID"].nunique()
    assert (by_order.loc[expected.index, "orders"] == expected).all()
    assert "order_lines" not in by_order.columns
    total = export["Order ID"].nunique()
    assert f"{total:,} orders on {len(export):,} rows" in by_order.attrs["notes"][0]

    by_line = summed(export).set_index("account")
    assert "orders" not in by_line.columns  # a count of rows is not called orders
    assert (by_line.loc[expected.index, "order_lines"] == lines.size()).all()
    assert any("no order id" in n and "order_lines" in n for n in by_line.attrs["notes"])
    assert by_line.attrs["rows"] == len(export) and by_line.attrs["rows_are"] == "order lines"


def test_a_row_without_an_order_number_is_an_order_of_its_own():
    tx = pd.DataFrame(
        {"acc": ["A", "A", "A", "A"], "v": [1, 2, 3, 4], "no": ["O1", "O1", None, "O2"], "p": ["x", "y", "x", "x"]}
    )
    out = kw.accounts_from_transactions(tx, account="acc", value="v", order="no", product="p")
    assert out["orders"].tolist() == [3] and out["products"].tolist() == [2]
    assert "1 row has no 'no'" in out.attrs["notes"][0]


# ------------------------------------------------------------------ 2. distinct products
def test_products_counts_distinct_products_not_lines(export):
    out = summed(export, order="Order ID").set_index("account")
    expected = export.groupby("Customer Name")["Product Name"].nunique()
    assert (out.loc[expected.index, "products"] == expected).all()
    twice = pd.DataFrame(
        {
            "no": ["O1", "O1", "O2", "O3"],
            "acc": ["A", "A", "A", "B"],
            "prod": ["Film", "Tape", "Film", "Film"],
            "v": [1.0, 2.0, 3.0, 4.0],
        }
    )
    small = kw.accounts_from_transactions(twice, account="acc", value="v", product="prod", order="no")
    assert small.set_index("account")[["orders", "products"]].to_dict("index") == {
        "A": {"orders": 2, "products": 2},  # three lines, two orders, two products (Film twice)
        "B": {"orders": 1, "products": 1},
    }


# ------------------------------------------------------------------ 3. growth over a stated period
def test_growth_names_its_period_and_leaves_new_and_tiny_bases_empty(export):
    out = summed(export, order="Order ID").set_index("account")
    assert "growth" not in out.columns and "growth_12m" in out.columns
    assert out.attrs["growth_period"] == "2016-12-31 to 2017-12-30 against 2015-12-31 to 2016-12-30"
    note = next(n for n in out.attrs["notes"] if n.startswith("Growth over 12 months"))
    assert "2016-12-31 to 2017-12-30" in note and "12 months before (2015-12-31 to 2016-12-30)" in note

    # plain pandas: the last 12 months against the 12 before, by the file's last date
    d = pd.to_datetime(export["Order Date"], format="%m/%d/%Y")
    recent, before = d > "2016-12-30", (d > "2015-12-30") & (d <= "2016-12-30")
    last = export[recent].groupby("Customer Name")["Sales"].sum().reindex(out.index, fill_value=0.0)
    base = export[before].groupby("Customer Name")["Sales"].sum().reindex(out.index, fill_value=0.0)
    first = d.groupby(export["Customer Name"]).min().reindex(out.index)
    late = first > "2016-03-30"  # not a customer for (nearly) the whole earlier year
    tiny = base < 0.1 * base[~late & (base > 0)].median()
    empty = late | (base <= 0) | tiny
    rate = out["growth_12m"]
    assert rate[empty].isna().all() and rate[~empty].notna().all()
    np.testing.assert_allclose(rate[~empty], (last / base - 1)[~empty])
    # the old rate ran to hundreds of times the base on a few dollars; a tenth of the typical base caps that
    assert (last / base - 1)[late | tiny].max() > 100 and rate.max() < 100
    for count, words in ((late.sum(), "accounts that first bought after 2016-03-30"), (tiny.sum(), "a tenth")):
        assert count > 0 and words in note


def test_growth_cases_by_hand():
    rows = [
        ("Steady", "2023-06-01", 100.0),
        ("Steady", "2024-06-01", 200.0),
        ("Steady", "2025-06-01", 300.0),
        ("Newcomer", "2024-09-01", 10.0),  # joined eight months into the earlier year: no full year to compare
        ("Newcomer", "2025-06-01", 900.0),
        ("Tiny", "2023-03-01", 500.0),
        ("Tiny", "2024-03-01", 2.0),  # a base of 2 against a typical 200: +24,900 % says nothing
        ("Tiny", "2025-03-01", 500.0),
        ("Lapsed", "2023-02-01", 150.0),
        ("Lapsed", "2024-02-01", 150.0),  # bought in the earlier year, nothing since: -100 %
        ("Quiet", "2023-01-05", 80.0),  # nothing in the earlier year: no base
        ("Quiet", "2025-12-31", 80.0),
    ]
    tx = pd.DataFrame(rows, columns=["acc", "d", "v"])
    out = kw.accounts_from_transactions(tx, account="acc", value="v", date="d").set_index("account")
    rate = out["growth_12m"]
    assert rate["Steady"] == pytest.approx(0.5) and rate["Lapsed"] == -1.0
    assert rate[["Newcomer", "Tiny", "Quiet"]].isna().all()
    note = next(n for n in out.attrs["notes"] if n.startswith("Growth over 12 months"))
    assert "1 account that first bought after 2024-03-31" in note
    assert "1 account that bought nothing (net) in the earlier 12 months" in note and "1 account whose earlier" in note


def test_a_file_shorter_than_two_years_has_no_growth_and_says_why():
    tx = pd.DataFrame({"acc": ["A", "A", "B"], "d": ["2025-01-01", "2025-09-01", "2025-12-01"], "v": [1, 2, 3]})
    with pytest.warns(kw.KamDataWarning, match="less than the 23 months needed"):
        out = kw.accounts_from_transactions(tx, account="acc", value="v", date="d", order="acc")
    assert not {"growth", "growth_12m"} & set(out.columns) and "growth_period" not in out.attrs
    assert any("less than the 23 months needed" in n and "growth_12m" in n for n in out.attrs["notes"])


# ------------------------------------------------------------------ 4. no signal counted twice
def _repeats(portfolio: pd.DataFrame, columns: list[str]) -> list[tuple[str, str]]:
    ranks = portfolio[columns].rank()
    corr = ranks.corr()
    return [(a, b) for i, a in enumerate(columns) for b in columns[i + 1 :] if abs(corr.loc[a, b]) > 0.95]


def test_suggested_criteria_do_not_use_two_columns_that_repeat_each_other(export):
    portfolio = summed(export)  # no order id: lines, and nearly every line another product
    lines = next(c for c in ("order_lines", "orders") if c in portfolio.columns)
    assert portfolio[[lines, "products"]].rank().corr().iloc[0, 1] > 0.95  # the two are one signal
    a, s = criteria.suggest_criteria(portfolio)
    chosen = [c.column for c in a + s]
    assert _repeats(portfolio, chosen) == [] and lines in chosen and "products" not in chosen
    found = criteria.fitting_criteria(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    chosen = [c.column for c in found.attractiveness + found.strength]
    assert _repeats(portfolio, chosen) == []
    assert "products (it moves with order lines, almost in step)" in found.note and "twice" in found.note
    # a suggestion never repeats a criterion you gave either
    given = criteria.fitting_criteria(portfolio, {"products": 1}, None)
    assert "order_lines" not in [c.column for c in given.strength] and given.strength
    assert "order lines (it moves with products, almost in step)" in given.note
    assert "products (it moves" not in given.note
    # with the order id the two differ, and both stay
    by_order = summed(export, order="Order ID")
    a, s = criteria.suggest_criteria(by_order)
    assert {"orders", "products"} <= {c.column for c in a + s}
    # two columns that repeat each other are still one for each axis when there is nothing else
    same = pd.DataFrame({"account": list("ABCDE"), "lines": [1, 2, 3, 4, 5], "products": [2, 4, 6, 8, 10]})
    a, s = criteria.suggest_criteria(same)
    assert {c.column for c in a + s} == {"lines", "products"}


# ------------------------------------------------------------------ 5. the key bucket has the course's size
def test_the_suggested_split_gives_three_to_five_key_accounts_per_salesperson(export):
    portfolio = summed(export, order="Order ID")
    assert portfolio["account_manager"].nunique() == 4
    found = criteria.fitting_criteria(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    at_five = kw.classify(portfolio, found.attractiveness, found.strength)
    assert (at_five["segment"] == "Key account").sum() > 100  # the matrix at 5 and 5: a third of the file
    split = criteria.key_account_split(at_five)
    assert split.salespeople == 4 and split.wanted == (12, 20) and 12 <= split.key_accounts <= 20
    again = kw.classify(portfolio, found.attractiveness, found.strength, thresholds=split.thresholds)
    assert (again["segment"] == "Key account").sum() == split.key_accounts
    assert split.thresholds[0] == split.thresholds[1]  # one split for both scores when one fits
    assert "12 to 20 for 4 salespeople" in split.note and f"{len(portfolio):,}" in split.note
    ta, ts = split  # unpacks as the thresholds
    assert (ta, ts) == split.thresholds
    one = criteria.key_account_split(at_five, salespeople=1)
    assert 3 <= one.key_accounts <= 5


def test_the_workbench_says_the_splits_it_suggested_only_until_they_or_the_weights_move(export):
    portfolio = summed(export, order="Order ID")
    bench = kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    found = criteria.fitting_criteria(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH).note
    split = f"Splits at {bench.thresholds[0]:g}"
    assert split in bench.message.value and found[:40] in bench.message.value
    bench.controls["attractiveness_threshold"].value = 6.0
    assert split not in bench.message.value and found[:40] in bench.message.value  # what was suggested stays
    again = kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    column = next(iter(again.weights))
    again.weights = {**again.weights, column: again.weights[column] + 5}  # as a restore sets them
    assert split not in again.message.value


def test_a_split_that_already_fits_stays_and_a_small_portfolio_says_why_not():
    scores = pd.DataFrame({"attractiveness": [9.0, 8.0, 7.0, 2.0, 1.0], "strength": [9.0, 8.0, 7.0, 2.0, 1.0]})
    kept = criteria.key_account_split(scores)
    assert kept.thresholds == (5.0, 5.0) and kept.key_accounts == 3 and "3 to 5" in kept.note
    few = criteria.key_account_split(scores, salespeople=4)
    assert few.thresholds == (5.0, 5.0) and "Only 5 accounts are scored" in few.note and "12 to 20" in few.note
    with pytest.raises(kw.KamDataError, match="two scores"):
        criteria.key_account_split(pd.DataFrame({"revenue": [1]}))


@settings(max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scores=st.lists(st.tuples(st.floats(0, 10), st.floats(0, 10)), min_size=1, max_size=120),
    people=st.integers(1, 6),
)
def test_the_split_counts_what_classify_counts(scores, people):
    frame = pd.DataFrame(scores, columns=["attractiveness", "strength"])
    split = criteria.key_account_split(frame, salespeople=people)
    a, s = frame["attractiveness"].to_numpy(), frame["strength"].to_numpy()
    key = ((a >= split.thresholds[0]) & (s >= split.thresholds[1])).sum()
    assert split.key_accounts == key
    steps = np.round(np.arange(101) / 10, 1)
    every = ((a[None, None, :] >= steps[:, None, None]) & (s[None, None, :] >= steps[None, :, None])).sum(axis=2)
    fits = ((every >= 3 * people) & (every <= 5 * people)).any()
    if fits and len(frame) > 5 * people:
        assert 3 * people <= key <= 5 * people


# ------------------------------------------------------------------ 6. the picker
@pytest.mark.parametrize("header", ["Order ID", "Order No", "Auftragsnummer", "Invoice", "order_number"])
def test_the_picker_guesses_the_order_number_from_common_headers(header):
    frame = pd.DataFrame(
        {header: ["1", "1", "2"], "Customer": ["A", "A", "B"], "Amount": [1, 2, 3], "Date": ["2025-01-02"] * 3}
    )
    assert preview(frame).guesses["order"] == header


def test_the_picker_offers_the_order_number_and_says_what_it_summed(export, tmp_path):
    content = export.to_csv(index=False).encode()
    store = kw.open_store(tmp_path / "work.sqlite", workbook="test/orders")
    picker = kw.DataPicker(store)
    offered = [value for _, value in picker.controls["map_order"].options]
    assert picker.controls["map_order"].description == "Order number" and offered == [""]
    picker.load_file("orders.csv", content)
    assert picker.columns["order"] == "Order ID" and "Order ID" in [v for _, v in picker.controls["map_order"].options]
    assert picker.controls["map_order"].layout.display is None  # shown for order rows
    accounts = export["Customer Name"].nunique()
    headline = f"{len(export):,} order lines summed into {accounts:,} accounts from orders.csv: revenue is the sum "
    headline += "of 'Sales'."  # the column summed, named
    assert picker.summary_text == headline and html.escape(headline) in picker.summary.value
    assert "orders" in picker.value.columns and "growth_12m" in picker.value.columns
    assert "2016-12-31 to 2017-12-30" in picker.note_html.value  # the growth period, on the page
    # after a reload (the next lesson), the same words
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kw.KamDataWarning)
        again = kw.DataPicker(kw.open_store(tmp_path / "work.sqlite", workbook="test/orders"))
    assert again.summary_text == headline and "2016-12-31 to 2017-12-30" in again.note_html.value
    assert kw.my_portfolio(store).attrs["growth_period"] == picker.value.attrs["growth_period"]
    # without an order number: lines, named as such
    picker.controls["map_order"].value = ""
    picker.controls["load"].click()
    assert "order_lines" in picker.value.columns and "orders" not in picker.value.columns
    assert "no order id" in picker.note_html.value


def test_a_lesson_axis_left_with_one_of_the_samples_criteria_gets_one_of_the_files_own_beside_it():
    """A weight slider on an axis of one criterion moves nothing: the file's own figure joins the one left."""
    from kamwidgets.model.criteria import fitting_criteria

    rng = np.random.default_rng(3)
    own = pd.DataFrame(
        {
            "account": [f"C{i}" for i in range(40)],
            "revenue": rng.gamma(2, 5000, 40),
            "growth_12m": rng.normal(0.05, 0.2, 40),
            "order_lines": rng.integers(1, 30, 40),
        }
    )
    found = fitting_criteria(own, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    assert [c.column for c in found.attractiveness][0] == "revenue" and len(found.attractiveness) == 2
    added = found.attractiveness[1]
    assert added.column in {"growth_12m", "order_lines"} and added.weight == found.attractiveness[0].weight
    bench = kw.ClassificationWidget(own, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    before = bench.value["attractiveness"].copy()
    bench.controls["revenue"].value = bench.controls["revenue"].value + 30
    assert not bench.value["attractiveness"].equals(before)  # the slider now moves the scores

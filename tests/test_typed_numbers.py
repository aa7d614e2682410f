"""Numbers people type -- in a hand-filled table, a rule's value, a widget's setting -- read by one rule.

The rule is the file loader's for one cell (``kamwidgets.model.load._numbers.read_number``): what only a
column could decide ("1,200": 1200 or 1.2?) is refused with both readings, never guessed, and a value read
is the value the loader reads from the same cell of a file.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kamwidgets as kw
from kamwidgets.model import buyers, checks, plans
from kamwidgets.model.load._numbers import number_text, parse_numbers, read_number
from kamwidgets.model.rules import place_by_rules, rules_table

from .conftest import load_sample

FIXED = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0,3", 0.3),
        ("7.5", 7.5),
        ("150 000", 150000),
        ("150\u202f000", 150000),
        ("1'200", 1200),
        ("150,000.50", 150000.5),
        ("1.200,50", 1200.5),
        ("1.200,50 €", 1200.5),
        ("$1,200.00", 1200),
        ("1,234,567", 1234567),
        ("1.234.567", 1234567),
        ("1 234,567", 1234.567),  # spaces separate the thousands, so the comma is the decimal mark
        ("1234,567", 1234.567),  # four digits before it: the comma cannot separate thousands
        ("0,300", 0.3),  # a group of thousands never starts with 0
        ("-5", -5),
        ("(300)", -300),
        ("usd 950", 950),
        ("1e5", 100000),
        (".5", 0.5),
        ("50%", 0.5),
        ("12,5 %", 0.125),
    ],
)
def test_a_typed_number_is_read_as_the_loader_reads_a_cell(text, number):
    assert read_number(text) == pytest.approx(number)


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("1,200", ("1200", "1,2")),
        ("1.200", ("1200", "1.2")),
        ("-2,125 €", ("-2125 €", "-2,1250 €")),
        ("1,000", ("1000", "1")),
    ],
)
def test_one_mark_before_three_digits_is_refused_with_both_readings(text, meant):
    with pytest.raises(kw.KamDataError, match="can be read two ways") as refused:
        read_number(text)
    assert f"Write {meant[0]} or {meant[1]}, whichever is meant." in str(refused.value)
    assert [read_number(m) for m in meant] == [pytest.approx(float(m.replace(",", ".").rstrip(" €"))) for m in meant]


@pytest.mark.parametrize("text", ["1,23.5", "1 2", "1.2.3", "1,,5", "1 234.567,5", "0 300", "1,000.5.5"])
def test_marks_that_make_no_clear_number_are_refused(text):
    with pytest.raises(kw.KamDataError, match="do not make one clear number"):
        read_number(text)


@pytest.mark.parametrize("text", ["lots", "5.", "(-5)", "--5", "5$5", "inf", "", "1 000 apples"])
def test_text_that_is_no_number_is_none_for_the_caller_to_refuse(text):
    assert read_number(text) is None


def test_a_percentage_is_read_as_the_place_expects_it():
    assert read_number("30%", percent="fraction") == pytest.approx(0.3)
    assert read_number("30%", percent="points") == 30
    with pytest.raises(kw.KamDataError, match="is a percentage, where a plain number is expected"):
        read_number("30%", percent="refuse")


# -- hand-filled tables ----------------------------------------------------------------------------------------
def test_1200_in_a_grid_is_refused_not_read_as_1_2():
    rows = [{"buyer": "Ann", "interest": 4, "involvement": 2}, {"buyer": "Tom", "interest": "1,200", "involvement": 2}]
    with pytest.raises(kw.KamDataError) as refused:
        buyers.place_buyers(rows)
    assert refused.value.column == "interest" and refused.value.rows == [2]
    assert "'1,200' can be read two ways: 1200" in str(refused.value) and "Write 1200 or 1,2" in str(refused.value)


def test_a_grid_reads_decimal_commas_and_its_percent_field():
    placed = buyers.place_buyers([{"buyer": "Ann", "interest": "7,5", "involvement": " 2.5 "}])
    assert placed[["interest", "involvement"]].iloc[0].tolist() == [7.5, 2.5]
    products = plans.check_products([{"product": "A", "market_share": "12,5%"}, {"product": "B", "market_share": "40"}])
    assert products["market_share"].tolist() == [12.5, 40.0]  # a field held in %: 12,5% is 12.5, not 0.125
    with pytest.raises(kw.KamDataError, match="'50%' is a percentage") as refused:
        buyers.place_buyers([{"buyer": "Ann", "interest": "50%", "involvement": 2}])
    assert refused.value.column == "interest" and refused.value.rows == [1]


def test_a_form_shows_a_typed_number_it_reads():
    w = kw.MarketingPlan(products=[{"product": "A", "market_share": "12,5"}, {"product": "B", "market_share": "140"}])
    assert w.controls["product0.market_share"].value == "12.5"  # read as the model reads it (this raised before)
    assert w.controls["product1.market_share"].value == "140" and "outside 0-100" in w.error


# -- rules -----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def portfolio():
    return load_sample()


@pytest.mark.parametrize("typed", ["0,3", "30%", "30 %", "0.3"])
def test_a_share_in_a_rule_is_read_as_a_fraction(portfolio, typed):
    rules = [{"bucket": "key", "column": "share_of_wallet", "operator": ">=", "value": typed}]
    placed = place_by_rules(portfolio, rules)
    assert placed["segment"].notna().tolist() == (portfolio["share_of_wallet"] >= 0.3).tolist()
    assert rules_table(rules, portfolio)["criteria"].iloc[0] == "share of wallet at least 30 %"


def test_a_typed_amount_in_a_rule(portfolio):
    rules = [{"bucket": "key", "column": "revenue", "operator": ">=", "value": "150 000"}]
    assert place_by_rules(portfolio, rules)["segment"].notna().tolist() == (portfolio["revenue"] >= 150000).tolist()
    assert rules_table(rules, portfolio)["criteria"].iloc[0] == "revenue at least 150,000"


@pytest.mark.parametrize(
    ("value", "column", "words"),
    [
        ("150,000", "revenue", "'150,000' can be read two ways: 150000 (the comma separating thousands) or 150 "),
        ("30%", "revenue", "'30%' is a percentage, and 'revenue' holds no shares"),
        ("1,23.5", "revenue", "do not make one clear number"),
    ],
)
def test_a_rule_value_that_cannot_be_read_surely_names_its_row(portfolio, value, column, words):
    good = {"bucket": "opportunistic", "column": "revenue", "operator": "<", "value": 10}
    with pytest.raises(kw.KamDataError, match=re.escape(words)) as refused:
        place_by_rules(portfolio, [good, {"bucket": "key", "column": column, "operator": ">=", "value": value}])
    assert refused.value.rows == [2] and refused.value.column == "value" and refused.value.fix


def test_a_rule_given_a_number_keeps_it_and_its_form_writes_it_so_it_reads_back(portfolio):
    rules = [{"bucket": "key", "column": "revenue", "operator": ">=", "value": 100123.456}]
    placed = place_by_rules(portfolio, rules)  # a number, never read again as text ("123.456" is ambiguous)
    assert placed["segment"].notna().tolist() == (portfolio["revenue"] >= 100123.456).tolist()
    small = [{"bucket": "key", "column": "years_as_customer", "operator": ">=", "value": 12.345}]
    w = kw.RuleClassifier(portfolio, small)
    assert w.controls["rule0.value"].value == "12.3450" and not w.error
    assert w.value["segment"].equals(place_by_rules(portfolio, small)["segment"])


# -- settings --------------------------------------------------------------------------------------------------
def test_a_setting_typed_as_text_is_read_by_the_same_rule():
    assert checks.score("5,5", "min_influence") == 5.5
    assert checks.number("150 000", "capacity") == 150000
    with pytest.raises(kw.KamDataError, match="^capacity: '1,200' can be read two ways"):
        checks.number("1,200", "capacity", low=0)
    with pytest.raises(kw.KamDataError, match="^min_influence: '50%' is a percentage"):
        checks.score("50%", "min_influence")
    with pytest.raises(kw.KamDataError, match="^capacity must be a number of 0 or more, not 'lots'"):
        checks.number("lots", "capacity", low=0)
    stakeholders = kw.StakeholderMap()
    stakeholders.min_influence = "6,5"
    assert stakeholders.min_influence == 6.5


# -- one rule: the typed reader and the file loader agree --------------------------------------------------------
@st.composite
def written_numbers(draw) -> tuple[str, Decimal]:
    """A number as people write it -- any thousands mark, either decimal mark, sign, currency, % -- and its value."""
    whole = draw(st.integers(min_value=0, max_value=10**10))
    decimals = draw(st.text(alphabet="0123456789", max_size=4))
    decimal, thousands = draw(st.sampled_from([(".", ""), (",", ""), (".", ","), (",", "."), (",", " "), (".", "'")]))
    digits = f"{whole:,}".replace(",", thousands) if thousands and draw(st.booleans()) else str(whole)
    body = digits + (decimal + decimals if decimals else "")
    value = Decimal(f"{whole}.{decimals or 0}")
    if draw(st.booleans()):
        body, value = f"-{body}", -value
    currency = draw(st.sampled_from(["", "$", "€ ", " EUR"]))
    body = currency + body if currency.strip() in ("$", "€") else body + currency
    if draw(st.booleans()):
        body, value = f"{body}%", value / 100
    return body, value


TYPED = st.one_of(written_numbers().map(lambda pair: pair[0]), st.text(alphabet="0123456789.,-+ ()%$€e'", max_size=12))


def _read(text: str) -> float | None:
    try:
        return read_number(text)
    except kw.KamDataError:
        return None  # refused: what it says is checked above


@FIXED
@given(text=TYPED)
def test_the_typed_reader_and_the_file_loader_agree_on_every_value_both_read(text):
    mine = _read(text)
    for decimal in (".", ","):  # a file's own convention: a value read for sure does not depend on it
        values, bad = parse_numbers(pd.Series([text], dtype="str"), decimal)
        theirs = values.iloc[0]
        if mine is not None and not bad.iloc[0] and not math.isnan(theirs):
            # the same digits, each turned into a float by its own parser: at most a rounding step apart
            assert theirs == pytest.approx(mine, rel=1e-15, abs=0), (text, decimal)


@FIXED
@given(written=written_numbers())
def test_a_number_written_any_usual_way_is_read_as_meant_or_refused_as_ambiguous(written):
    text, value = written
    try:
        assert read_number(text) == pytest.approx(float(value), rel=1e-12), text
    except kw.KamDataError as refused:
        assert "can be read two ways" in refused.problem, text


@FIXED
@given(number=st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_written_by_the_workbook_reads_back_the_same(number):
    assert read_number(number_text(number)) == number

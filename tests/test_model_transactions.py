"""accounts_from_transactions: orders and opportunities to one row per account."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets import KamDataError, KamDataWarning, accounts_from_transactions


def orders(rows):
    return pd.DataFrame(rows, columns=["date", "customer", "amount", "product", "rep", "stage"])


def test_sums_counts_and_owner():
    tx = orders(
        [
            ("2025-01-05", "Acme", 100.0, "X", "Ann", "Won"),
            ("2025-02-05", "Acme", 50.0, "Y", "Bob", "won"),
            ("2025-03-05", "Acme", 999.0, "Z", "Bob", "Lost"),
            ("2025-03-06", "Acme", 10.0, "X", "Bob", "Engaging"),
            ("2025-04-05", "Globex", 70.0, "X", "Cy", "Lost"),
        ]
    )
    out = accounts_from_transactions(
        tx, account="customer", value="amount", product="product", owner="rep", stage="stage"
    )
    acme = out.set_index("account").loc["Acme"]
    assert acme["revenue"] == 150.0 and acme["order_lines"] == 2 and acme["products"] == 2  # no order id: lines
    assert acme["win_rate"] == pytest.approx(2 / 3)
    assert acme["account_manager"] == "Bob"  # 3 of Acme's 4 rows
    globex = out.set_index("account").loc["Globex"]
    assert globex["revenue"] == 0 and globex["order_lines"] == 0 and globex["win_rate"] == 0
    assert list(out["account"]) == ["Acme", "Globex"]  # kept even with no win


def test_owner_tie_is_alphabetical():
    tx = orders([("2025-01-01", "A", 1, "X", "Zed", "Won"), ("2025-01-02", "A", 1, "X", "Amy", "Won")])
    out = accounts_from_transactions(tx, account="customer", value="amount", owner="rep")
    assert out["account_manager"].tolist() == ["Amy"]


def test_rows_without_account_are_counted_in_a_warning():
    tx = orders(
        [
            ("2025-01-01", "A", 1, "X", "Ann", "Won"),
            ("2025-01-01", None, 5, "X", "Ann", "Won"),
            ("2025-01-01", " ", 5, "X", "Ann", "Won"),
        ]
    )
    with pytest.warns(KamDataWarning, match="2 rows with no 'customer' were left out"):
        out = accounts_from_transactions(tx, account="customer", value="amount")
    assert out["revenue"].tolist() == [1.0]


def test_growth_last_12_months_against_the_12_before():
    tx = pd.DataFrame(
        {
            "d": ["2024-01-10", "2024-06-10", "2025-03-01", "2025-12-31", "2024-02-01", "2025-06-01"],
            "acc": ["A", "A", "A", "A", "B", "C"],
            "v": [100.0, 100.0, 150.0, 150.0, 40.0, 10.0],
        }
    )
    out = accounts_from_transactions(tx, account="acc", value="v", date="d").set_index("account")
    # data ends 2025-12-31: last 12 months = 2025, the 12 before = 2024
    assert out.loc["A", "growth_12m"] == pytest.approx(300 / 200 - 1)
    assert out.loc["B", "growth_12m"] == pytest.approx(-1.0)
    assert np.isnan(out.loc["C", "growth_12m"])  # nothing the year before: no rate
    assert out.loc["A", "first_date"] == pd.Timestamp("2024-01-10")
    assert out.loc["A", "last_date"] == pd.Timestamp("2025-12-31")


def test_short_history_leaves_growth_out_with_a_warning():
    tx = pd.DataFrame({"d": ["2025-01-01", "2025-06-01"], "acc": ["A", "A"], "v": [1, 2]})
    with pytest.warns(KamDataWarning, match="less than the 23 months needed"):
        out = accounts_from_transactions(tx, account="acc", value="v", date="d")
    assert "growth_12m" not in out.columns and "first_date" in out.columns


@pytest.mark.parametrize(
    "dates, expected",
    [
        (["03/15/2025", "12/01/2025"], ["2025-03-15", "2025-12-01"]),  # US: a month > 12 would fail
        (["15.03.2025", "01.12.2025"], ["2025-03-15", "2025-12-01"]),  # day-first with dots
        (["15/03/2025", "01/12/2025"], ["2025-03-15", "2025-12-01"]),  # day-first: 15 cannot be a month
        (["01/02/2025", "03/04/2025"], ["2025-01-02", "2025-03-04"]),  # ambiguous slashes: US month-first
        (["2025-03-15 10:30:00", "2025-12-01"], ["2025-03-15", "2025-12-01"]),
        (["3/5/25", "12/31/25"], ["2025-03-05", "2025-12-31"]),
    ],
)
def test_date_forms(dates, expected):
    tx = pd.DataFrame({"d": dates, "acc": ["A", "B"], "v": [1, 1]})
    with pytest.warns(KamDataWarning):
        out = accounts_from_transactions(tx, account="acc", value="v", date="d")
    assert [f"{d:%Y-%m-%d}" for d in out["first_date"]] == expected


def test_bad_date_on_a_counted_row_is_named(write):
    path = write("o.csv", "acc,v,d\nA,1,2025-01-01\nB,2,someday\n")
    with pytest.raises(KamDataError) as err:
        accounts_from_transactions(path, account="acc", value="v", date="d")
    assert err.value.rows == [3] and err.value.column == "d"


def test_text_amount_on_a_won_row_is_named(write):
    path = write("o.csv", "acc,v,stage\nA,1,Won\nB,n/a,Lost\nC,lots,Won\n")
    with pytest.raises(KamDataError) as err:
        accounts_from_transactions(path, account="acc", value="v", stage="stage")
    assert err.value.rows == [4]  # the lost row's missing amount does not matter


def test_margin_and_margin_pct_from_a_csv_with_currency(write):
    path = write("o.csv", 'acc;amount;margin\nA;"1.000,00 €";"250,00 €"\nA;"500,00 €";"50,00 €"\n')
    out = accounts_from_transactions(path, account="acc", value="amount", margin="margin")
    assert out["revenue"].tolist() == [1500.0]
    assert out["margin"].tolist() == [300.0]
    assert out["margin_pct"].tolist() == pytest.approx([0.2])


def test_custom_stage_names_and_yes_no_column():
    tx = pd.DataFrame(
        {"acc": ["A", "A", "A"], "v": [1, 2, 4], "s": ["Closed Won", "Closed Lost", "Open"], "ok": ["yes", "no", "no"]}
    )
    out = accounts_from_transactions(tx, account="acc", value="v", stage="s", won="Closed Won", lost=["closed lost"])
    assert out["revenue"].tolist() == [1.0] and out["win_rate"].tolist() == [0.5]
    out = accounts_from_transactions(tx, account="acc", value="v", won="ok")
    assert out["revenue"].tolist() == [1.0] and out["win_rate"].tolist() == pytest.approx([1 / 3])


def test_no_won_stage_says_which_stages_exist():
    tx = pd.DataFrame({"acc": ["A"], "v": [1], "s": ["Closed"]})
    with pytest.raises(KamDataError, match="no row has a stage meaning won.*'closed'"):
        accounts_from_transactions(tx, account="acc", value="v", stage="s")


def test_unknown_column_is_named():
    with pytest.raises(KamDataError, match="no column 'amount' \\(given for 'value'\\)"):
        accounts_from_transactions(pd.DataFrame({"acc": ["A"], "v": [1]}), account="acc", value="amount")


# -- dates as people and programs write them -----------------------------------------------------------------
def _first_dates(frame: pd.DataFrame) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kw.KamDataWarning)  # too few months for growth: expected here
        out = kw.accounts_from_transactions(frame, account="account", value="value", date="date")
    return [d.strftime("%Y-%m-%d") for d in out.sort_values("account")["first_date"]]


def test_dates_with_single_digits_zones_and_number_forms_are_read(write):
    text = write("d.csv", "account,value,date\nA,1,2024-1-5 10:00\nB,2,2024-02-03\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", kw.KamDataWarning)
        sums = kw.accounts_from_transactions(text, account="account", value="value", date="date")
    assert [d.strftime("%Y-%m-%d") for d in sums["first_date"]] == ["2024-01-05", "2024-02-03"]
    base = {"account": ["A", "B"], "value": [1, 2]}
    zoned = pd.to_datetime(["2024-01-05 23:30", "2024-02-01"], format="ISO8601").tz_localize("America/New_York")
    assert _first_dates(pd.DataFrame(dict(base, date=zoned))) == ["2024-01-06", "2024-02-01"]  # in UTC
    mixed = [pd.Timestamp("2024-01-05", tz="UTC"), pd.Timestamp("2024-02-01 12:00", tz="Asia/Tokyo")]
    assert _first_dates(pd.DataFrame(dict(base, date=mixed))) == ["2024-01-05", "2024-02-01"]
    assert _first_dates(pd.DataFrame(dict(base, date=[20240105, 20240201]))) == ["2024-01-05", "2024-02-01"]
    assert _first_dates(pd.DataFrame(dict(base, date=[45296.0, 45323.0]))) == ["2024-01-05", "2024-02-01"]  # Excel
    with pytest.raises(kw.KamDataError, match="not a date"):
        _first_dates(pd.DataFrame(dict(base, date=[1e300, 45323.0])))

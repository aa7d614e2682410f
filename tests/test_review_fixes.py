"""Edge cases found in review: each was a silent change or a bare exception before."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets import Criterion, KamDataError
from kamwidgets.model import buyers
from kamwidgets.store import Store


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


def test_balance_and_compare_check_their_inputs():
    c = kw.classify(kw.load_portfolio(kw.sample_path()), kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    with pytest.raises(KamDataError, match="max_mix_gap"):
        kw.balance(c, max_mix_gap="x")
    with pytest.raises(KamDataError, match="no 'attractiveness' column"):
        kw.compare(c.drop(columns="attractiveness"), c)


def test_hand_tables_from_files_name_the_file_and_its_row(tmp_path):
    path = tmp_path / "buy.csv"
    path.write_text("buyer,interest,involvement\nA,1,2\n\nB,14,2\n")
    with pytest.raises(KamDataError) as err:
        buyers.check_buyers(path)
    assert err.value.source == str(path) and err.value.rows == [4] and err.value.column == "interest"  # line 4
    with pytest.raises(KamDataError, match="appears more than once"):
        buyers.check_buyers(pd.DataFrame([[1, 2, 3]], columns=["buyer", "interest", "interest"]))


def test_loading_a_version_of_another_kind_is_refused(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    v = store.save("swot", {"items": []}, account="A")
    with pytest.raises(KamDataError, match="nothing is saved as 'classification'"):
        store.load("classification", version=v.id)
    assert store.load("swot", account="A", version=v.id) == {"items": []}


def test_csv_export_protects_the_index_too(tmp_path):
    frame = pd.DataFrame({"n": [1, 2]}, index=pd.Index(['=HYPERLINK("http://x","y")', "@SUM(1)"], name="=who"))
    path = kw.export_csv(tmp_path / "b.csv", frame)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "'=who" and rows[1][0] == '\'=HYPERLINK("http://x","y")' and rows[2][0] == "'@SUM(1)"


def test_markdown_table_rows_stay_on_one_line(tmp_path):
    report = kw.export.Report("T").table(pd.DataFrame({"text": ["line one\nline two"]}))
    lines = kw.write_markdown(report, tmp_path / "t.md").read_text().splitlines()
    assert "| line one line two |" in lines


def test_workbench_refuses_instead_of_clamping():
    p = kw.load_portfolio(kw.sample_path())
    w = kw.ClassificationWidget(p, {"revenue": 300, "growth_potential": 100}, {"share_of_wallet": 1})
    expected = kw.classify(p, {"revenue": 300, "growth_potential": 100}, {"share_of_wallet": 1})
    np.testing.assert_allclose(w.value["attractiveness"], expected["attractiveness"])
    with pytest.raises(KamDataError, match="from 0 to 10"):
        w.apply_settings({"thresholds": [50, 5]})
    assert "from 0 to 10" in w.error and w.thresholds == (5.0, 5.0)
    with pytest.raises(KamDataError, match="'vip' is not a bucket"):
        w.apply_settings({"hours": {"vip": 3}})
    assert "'vip' is not a bucket" in w.error
    with pytest.raises(KamDataError, match="no column 'sales'"):
        kw.ClassificationWidget(p, {"revenue": 1}, {"share_of_wallet": 1}, size="sales")
    wholesale = kw.load_portfolio(kw.sample_path("wholesale"), make_ids=True)
    assert kw.portfolio_matrix(kw.classify(wholesale, {"Milk": 1}, {"Grocery": 1}))  # no revenue: equal bubbles

"""Numbers for people: shares in %, decimals cut to one, thousands separated, flags in words."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

import kamwidgets as kw
from kamwidgets.widgets._html import html_table


def test_a_frame_reads_as_people_expect():
    frame = pd.DataFrame(
        {
            "account": ["A & Co", "B"],
            "kept_share": [0.573333, 0.05],
            "attractiveness": [6.270115, np.nan],
            "revenue": [345600.0, 1200.0],
            "margin_pct": [0.037, 0.239],
            "relationship": [7, 8],
            "fragile": [True, False],
        },
        index=[22, 6],
    )
    out = kw.readable(frame)
    assert list(out.columns) == [
        "account",
        "kept share",
        "attractiveness",
        "revenue",
        "margin pct",
        "relationship",
        "fragile",
    ]
    assert out["kept share"].tolist() == ["57.3%", "5.0%"]  # one decimal as one share is small
    assert out["attractiveness"].tolist() == ["6.3", ""]
    assert out["revenue"].tolist() == ["345,600", "1,200"]  # whole numbers without decimals
    assert out["margin pct"].tolist() == ["3.7%", "23.9%"]
    assert out["fragile"].tolist() == ["yes", ""] and out["account"].tolist() == ["A & Co", "B"]
    assert list(out.index) == [0, 1]  # the row numbers of the source are not shown


def test_a_share_named_column_outside_0_1_stays_a_number():
    out = kw.readable(pd.DataFrame({"market_share": [12.5, 40.0]}))
    assert out["market share"].tolist() == ["12.5", "40.0"]
    named = kw.readable(pd.DataFrame({"n": [1, 2]}, index=pd.Index(["x", "y"], name="bucket")))
    assert named["bucket"].tolist() == ["x", "y"]  # a named index is kept as a column


def test_amounts_in_the_thousands_lose_their_cents():
    out = kw.readable(pd.DataFrame({"revenue": [1819499.02, 102300.5], "score": [7.54, 6.25]}))
    assert out["revenue"].tolist() == ["1,819,499", "102,300"] and out["score"].tolist() == ["7.5", "6.2"]


def test_the_workbench_bucket_table_reads_as_people_expect(sample_portfolio):
    bench = kw.ClassificationWidget(sample_portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    html = bench._bucket_tables[0].value
    assert "<th>account manager</th>" in html  # headers in words
    assert not re.search(r">[\d,]+\.\d{2,}<", html)  # no number with two or more decimals


def test_a_table_of_whole_numbers_held_as_floats_shows_no_decimals():
    table = html_table(pd.DataFrame({"person": ["Ann", "Bob"], "hours": [9.0, np.nan], "share": [0.25, 1.5]}))
    cells = re.findall(r"<td>(.*?)</td>", table)
    assert cells == ["Ann", "9", "0.25", "Bob", "", "1.50"]  # whole hours plain; a column with fractions keeps them
    # a format the caller chose is kept, whole or not (readiness: 100% and 0%, not 1 and 0)
    shares = html_table(pd.DataFrame({"area": ["a", "b"], "readiness": [1.0, 0.0]}), float_format="{:.0%}")
    assert re.findall(r"<td>(.*?)</td>", shares) == ["a", "100%", "b", "0%"]


def test_a_table_of_text_is_written_as_pandas_writes_it():
    """html_table writes a table of text itself (a slider move redraws one): the same HTML as pandas'
    to_html, for every kind of text a file can hold."""
    tricky = ["A<b>&c", "  lead", "trail  ", "two  spaces", "tab\there", "line\nend", "cr\r", "'q'", '"dq"']
    tricky += ["\u00e9 \u6f22\u5b57", "x" * 90, "", None, np.nan, "&amp;", "  ", "<script>alert(1)</script>"]
    frame = pd.DataFrame({"name <x> & y": tricky, "n": [f"{i:,}" for i in range(len(tricky))], "it's": tricky[::-1]})
    by_pandas = frame.to_html(escape=True, index=False, border=0, classes="kam-table", na_rep="")
    by_pandas = by_pandas.replace(' style="text-align: right;"', "")
    assert html_table(frame, max_rows=100) == (
        f'<div class="kam-scroll" tabindex="0" style="max-height:360px;overflow:auto">{by_pandas}</div>'
    )
    assert "<script>" not in html_table(frame)
    mixed = frame.assign(n=range(len(tricky)))  # numbers in it: pandas writes it, as before
    assert ">1,000<" not in html_table(mixed) and ">3<" in html_table(mixed)

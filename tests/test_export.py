"""Exports read back: Excel with openpyxl, HTML with a parser; hostile text stays intact and inert."""

from __future__ import annotations

import csv
import html
from html.parser import HTMLParser

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl import load_workbook

import kamwidgets as kw
from kamwidgets import KamDataError
from kamwidgets.export import Report, export_csv, export_workbook, write_html, write_markdown

HOSTILE = [
    '=HYPERLINK("http://evil","click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rCarriage",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "A" * 5000,
    "\u0417\u0430\u043f\u0430\u0434 \u4e2d\u6587 \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \U0001f600",
    "[link](javascript:alert(3))",
]


@pytest.fixture
def hostile_frame():
    return pd.DataFrame(
        {
            "account": HOSTILE,
            "revenue": np.arange(len(HOSTILE), dtype=float) * 1000.5,
            "share": np.linspace(0, 1, len(HOSTILE)),
            "orders": np.arange(len(HOSTILE)),
            "since": pd.date_range("2024-01-01", periods=len(HOSTILE)),
        }
    )


def test_workbook_sheets_formats_and_inert_text(tmp_path, hostile_frame):
    path = export_workbook(tmp_path / "out.xlsx", {"Portfolio": hostile_frame, "a/b:c*?[x]" * 5: hostile_frame.head(2)})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Portfolio" and len(book.sheetnames[1]) <= 31
    sheet = book["Portfolio"]
    assert [c.value for c in sheet[1]] == ["account", "revenue", "share", "orders", "since"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    for i, text in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row=i, column=1)
        # intact (XML stores a carriage return as a line feed), and text rather than a formula
        assert cell.value == text.replace("\r", "\n") and cell.data_type == "s"
    assert sheet["B3"].number_format == "#,##0.00" and sheet["C3"].number_format == "0.0%"
    assert sheet["D3"].number_format == "#,##0" and sheet["E3"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["A"].width == 60
    raw = (tmp_path / "out.xlsx").read_bytes()
    import zipfile

    with zipfile.ZipFile(tmp_path / "out.xlsx") as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no formula element anywhere
    assert raw


def test_workbook_errors(tmp_path):
    with pytest.raises(KamDataError, match="nothing to export"):
        export_workbook(tmp_path / "x.xlsx", {})
    with pytest.raises(KamDataError, match="folder does not exist"):
        export_workbook(tmp_path / "no" / "x.xlsx", {"a": pd.DataFrame({"x": [1]})})


def test_csv_neutralises_formulas_and_keeps_everything_else(tmp_path, hostile_frame):
    path = export_csv(tmp_path / "out.csv", hostile_frame)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    cells = [r[0] for r in rows[1:]]
    for text, cell in zip(HOSTILE, cells):
        if text.startswith(("=", "+", "-", "@", "\t", "\r")):
            assert cell == "'" + text
        else:
            assert cell == text
    assert rows[2][1] == "1000.5"  # numbers untouched


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.scripts = [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def test_html_report_escapes_text_and_runs_offline(tmp_path):
    report = Report("Plan for <script>alert(1)</script>", subtitle=HOSTILE[1])
    report.heading(HOSTILE[7]).text(HOSTILE[8]).table(pd.DataFrame({"who": HOSTILE[6:8]}))
    report.figure(
        kw.portfolio_matrix(
            kw.classify(pd.DataFrame({"account": HOSTILE[6:9], "v": [1, 2, 3], "s": [3, 2, 1]}), {"v": 1}, {"s": 1}),
            size=None,
        )
    )
    path = write_html(report, tmp_path / "r.html")
    page = path.read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(page)
    assert not [t for t, a in parser.tags if t == "img"]
    assert not any("onerror" in a for _, a in parser.tags)
    visible = "".join(parser.text)
    assert "Plan for <script>alert(1)</script>" in visible and HOSTILE[8] in visible and HOSTILE[7] in visible
    # the only scripts are plotly's own (embedded: no network needed) and the figure
    srcs = [a.get("src") for t, a in parser.tags if t == "script" and a.get("src")]
    assert srcs == [] and len(page) > 3_000_000
    assert "alert(1)</script>" not in "".join(parser.scripts)


def test_markdown_report_is_inert(tmp_path):
    report = Report("Plan <b>x</b>").text(HOSTILE[10]).text(HOSTILE[7]).table(pd.DataFrame({"a|b": ["x|y"]}))
    text = write_markdown(report, tmp_path / "r.md").read_text(encoding="utf-8")
    assert "<b>" not in text and "<img" not in text and "[link](javascript" not in text
    assert "\\[link\\]" in text and "&lt;img" in text and "a\\|b" in text


def test_report_of_a_swot_widget_with_timeline(tmp_path):
    grid = kw.SwotGrid(
        [{"quadrant": "strength", "text": "=cmd|' /C calc'!A0", "importance": 5}],
        [{"cross": "SO", "strategy": "Pilot", "start": "2026-01-01", "end": "2026-02-01"}],
        subject="Istmar",
    )
    html = write_html(grid.report(), tmp_path / "swot.html").read_text(encoding="utf-8")
    assert "<td>=cmd|' /C calc'!A0</td>" in html and "Strategies" in html  # text in a cell, nothing to run
    md = write_markdown(grid.report(), tmp_path / "swot.md").read_text(encoding="utf-8")
    assert "=cmd\\|' /C calc'!A0" in md


def test_the_printable_summary_starts_with_the_course_and_checks_readiness_before_the_plan(tmp_path, sample_classified):
    classified = sample_classified
    plan = kw.AccountPlan("Istmar S.A.", classified=classified).value
    ready = kw.MakingItHappen(classified).value
    report = kw.export.summary_report("Istmar S.A.", classified=classified, plan=plan, readiness=ready)
    headings = [content for kind, content in report.blocks if kind == "heading"]
    assert headings[0] == "The course in a few lines"
    ready_at = headings.index("Are we ready? (the workbook's scores)")  # the scores are the workbook's, and say so
    assert ready_at < headings.index("The account plan")  # assess first, as lesson 8 says
    page = write_html(report, tmp_path / "summary.html").read_text(encoding="utf-8")
    assert len(kw.export.COURSE_IN_A_FEW_LINES) >= 6
    for line in kw.export.COURSE_IN_A_FEW_LINES:  # every takeaway printed, in the course's order
        assert html.escape(line) in page
    positions = [page.index(html.escape(line)) for line in kw.export.COURSE_IN_A_FEW_LINES]
    assert positions == sorted(positions) and positions[-1] < page.index("The portfolio in four buckets")
    takeaways = " ".join(kw.export.COURSE_IN_A_FEW_LINES).lower()
    for idea in (
        "customer",
        "opportunity",
        "own business",
        "four levels",
        "two or three",
        "piece of the puzzle",
        "task force",
        "where you are",
        "classify",
        "value proposition",
        "tick in the box",
    ):
        assert idea in takeaways, idea
    text = write_markdown(report, tmp_path / "summary.md").read_text(encoding="utf-8")
    assert (
        text.index("## The course in a few lines") < text.index("## Are we ready?") < text.index("## The account plan")
    )
    bare = kw.export.summary_report("Istmar S.A.", course=False)
    assert not [c for k, c in bare.blocks if k == "heading"]  # nothing given, nothing printed


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


# -- control characters and over-long text in a spreadsheet ------------------------------------------
def test_control_characters_export_as_visible_marks_and_nothing_is_dropped(tmp_path):
    names = ["Acme\x00Corp", "Beta\x01", "tab\x0bhere", "unit\x1fsep", "ok\tline\nbreak"]
    frame = pd.DataFrame({"account": names, "revenue": [1, 2, 3, 4, 5], "note\x02": ["a"] * 5})
    path = kw.export_workbook(tmp_path / "x.xlsx", {"Portfolio": frame})
    sheet = load_workbook(path)["Portfolio"]
    got = [sheet.cell(row=r, column=1).value for r in range(2, 7)]
    assert got == ["Acme\u2400Corp", "Beta\u2401", "tab\u240bhere", "unit\u241fsep", "ok\tline\nbreak"]
    assert sheet.cell(row=1, column=3).value == "note\u2402"
    assert [sheet.cell(row=r, column=2).value for r in range(2, 7)] == [1, 2, 3, 4, 5]


def test_text_longer_than_a_cell_is_refused_not_cut(tmp_path):
    frame = pd.DataFrame({"account": ["A", "B", "C"], "notes": ["short", "x" * 40_000, "also short"]})
    with pytest.raises(kw.KamDataError) as err:
        kw.export_workbook(tmp_path / "x.xlsx", {"Plans": frame})
    text = str(err.value)
    assert "'notes'" in text and "row 3" in text and "40,000" in text and "export_csv" in text
    assert not (tmp_path / "x.xlsx").exists() and not list(tmp_path.glob("*.part"))
    csv = kw.export_csv(tmp_path / "x.csv", frame)  # the way out the message gives keeps every character
    assert pd.read_csv(csv, encoding="utf-8-sig")["notes"].iloc[1] == "x" * 40_000


def test_writing_over_a_folder_is_a_clear_error(tmp_path):
    (tmp_path / "out.xlsx").mkdir()
    with pytest.raises(kw.KamDataError, match="cannot write the file"):
        kw.export_workbook(tmp_path / "out.xlsx", {"P": pd.DataFrame({"a": [1]})})
    assert not list(tmp_path.glob("*.part"))


# -- user text that would become Markdown structure ---------------------------------------------------
def test_markdown_keeps_user_text_as_text(tmp_path):
    report = Report("Plan")
    report.text("para\n===")
    report.text("---")
    report.text("1. not a list\n- nor this\n+ nor this")
    report.table(pd.DataFrame({"name\nwith break": ["x"], "a|b": ["c|d\ne"]}))
    md = write_markdown(report, tmp_path / "r.md").read_text().splitlines()
    assert "para  " in md and "\\===" in md  # the === line cannot underline the paragraph into a heading
    assert "\\---" in md
    assert "1\\. not a list  " in md and "\\- nor this  " in md and "\\+ nor this" in md
    table = [line for line in md if line.startswith("|")]
    assert table[0] == "| name with break | a\\|b |"
    assert table[1] == "|---|---|" and table[2] == "| x | c\\|d e |"  # one row, two cells

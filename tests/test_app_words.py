"""What a participant reads in the app: page words, not code, and numbers as people write them.

In the app (Voila) there are no code cells: a lesson's text can only ask for
what can be done on the page.  Its tables show words for headers, no row
numbers and no machine decimals, and a table that shows a tool's state says
when it is from (it does not follow the tool).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import kamwidgets as kw

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

#: Code wording a participant cannot act on in the app (Voila hides every code cell, and the workbook's page
#: template hides no markdown cell: there is no place for a code aside).
_I = re.IGNORECASE
CODE_WORDING = {
    "code in backticks": re.compile(r"`"),
    "running a cell": re.compile(
        r"\brun (the|this|that|each|every) cell|\bcode cells?\b|\b(this|the next|the) cell (below|above)", _I
    ),
    "a keyboard shortcut": re.compile(r"shift\s*\+\s*enter|ctrl\s*\+\s*enter", _I),
    "Python": re.compile(r"\bpython\b", _I),
    "the README": re.compile(r"\breadme\b", _I),
    "a notebook's file name": re.compile(r"\.ipynb\b|\b\d\d[a-z]?_[a-z_]+\b", _I),
    "the package's names": re.compile(r"\bkw\.|\bkamwidgets\.|\bbench\.|\bstore\.|\.value\b|\.keep\("),
    "a function call": re.compile(r"\b[A-Za-z_][\w.]*\((\)|[\w\"'])"),
    "a column name": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "Python's words": re.compile(r"\b(True|False|NaN|DataFrame)\b"),  # as Python writes them
}


#: The address part of a Markdown link, ``](03_what_is_kam.ipynb)``.
_LINK_ADDRESS = re.compile(r"\]\([^)\s]*\)")


def _cells(kind: str):
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == kind:
                yield path.name, i, cell, nb


def test_the_lessons_speak_of_the_page_not_of_code():
    found = []
    for name, i, cell, _ in _cells("markdown"):
        text = re.sub(r"<[^>]+>", " ", cell.source)  # a table's tags are layout, not words
        text = _LINK_ADDRESS.sub("]", text)  # nor is where a link leads: its words are what the reader sees
        for what, pattern in CODE_WORDING.items():
            for hit in pattern.finditer(text):
                found.append(f"{name} cell {i}: {what}: ...{text[max(0, hit.start() - 30) : hit.end() + 30]!r}")
    assert not found, "\n".join(found)


def test_the_word_patterns_catch_what_they_are_for():
    samples = {
        "code in backticks": "Set `revenue` to 200",
        "running a cell": "Change the number and run the cell again.",
        "a keyboard shortcut": "press Shift + Enter",
        "Python": "In Python, call it yourself.",
        "the README": "see the README",
        "a notebook's file name": "go back to 00_start_here",
        "the package's names": "read bench.value",
        "a function call": "call kw.open_store() first",
        "a column name": "the hours_per_week column",
        "Python's words": "a flag shows True",
    }
    for what, text in samples.items():
        assert CODE_WORDING[what].search(text), what
    plain = "Press **Place by hand** (lesson 14), reload the page, then correct that cell in your file; none left."
    assert not any(p.search(plain) for p in CODE_WORDING.values())
    linked = _LINK_ADDRESS.sub("]", "* [**Lesson 13**: the account plan](13_account_plan.ipynb)")
    assert not any(p.search(linked) for p in CODE_WORDING.values())
    assert CODE_WORDING["a notebook's file name"].search(_LINK_ADDRESS.sub("]", "[13_account_plan](13.ipynb)"))


# ------------------------------------------------------------------ the checked tables, as stored
def _checked_outputs():
    for name, i, cell, _ in _cells("code"):
        if "nbval-check-output" in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                yield name, i, output.get("data", {})


def test_the_lessons_tables_show_words_and_numbers_as_people_write_them():
    tables = 0
    for name, i, data in _checked_outputs():
        page = data.get("text/html", "")
        plain = data.get("text/plain", "")
        where = f"{name} cell {i}"
        assert not re.search(r"\d\.\d{3,}", page + plain), f"{where}: a number with more than two decimals"
        headers = [html.unescape(h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", page, flags=re.DOTALL)]
        assert not [h for h in headers if "_" in h], f"{where}: a header as a column name: {headers}"
        assert not re.search(r"\b(True|False|NaN)\b", page + plain), f"{where}: a value as Python prints it"
        if "<table" in page:
            tables += 1
            body = page[page.index("<tbody>") :]
            assert "<th" not in body, f"{where}: the table shows pandas' row numbers"
    assert tables >= 15  # the lessons' checked tables were all looked at


#: How a checked table that shows a tool's state says it does not follow the tool.
_WHEN = re.compile(
    r"as the sample starts|as it starts|as written|as the page opened|as the sample is written|"
    r"before any change|before you (change|move)|starting weights|as given|stay as they are",
    re.IGNORECASE,
)
#: A checked cell that reads a tool's state (its result, balance, pilots, warnings...).
_STATE = re.compile(
    r"\b(?!kw\b)[a-z_]+\.(value|balance|pilots|prompts|warnings|suggestions|products|strategies|wide)\b"
)


def test_a_table_of_a_tools_state_says_it_is_the_start_not_the_tool_now():
    read_once = 0
    for name, i, cell, nb in _cells("code"):
        if "nbval-check-output" not in cell.metadata.get("tags", []) or not _STATE.search(cell.source):
            continue
        read_once += 1
        above = next(nb.cells[j] for j in range(i - 1, -1, -1) if nb.cells[j].cell_type == "markdown")
        assert _WHEN.search(above.source), f"{name} cell {i} shows a tool's state: say it does not follow the tool"
    assert read_once >= 10


# ------------------------------------------------------------------ the same numbers everywhere
def test_readable_gives_one_decimal_words_for_headers_and_no_row_numbers():
    shown = kw.readable(
        pd.DataFrame(
            {"attractiveness": [4.844828, 7.25], "too_many_key_accounts": [True, False], "segment": ["a", "b"]},
            index=[7, 3],
        )
    )
    assert shown["attractiveness"].tolist() == ["4.8", "7.2"]
    assert list(shown.columns) == ["attractiveness", "too many key accounts", "bucket"]
    assert shown["too many key accounts"].tolist() == ["yes", ""]
    page, plain = shown._repr_html_(), repr(shown)
    assert "<tbody>" in page and "<th" not in page[page.index("<tbody>") :]  # no row number on the page
    assert plain.splitlines()[1].split() == ["4.8", "yes", "a"]  # nor in the plain text
    assert type(shown.head(1)) is pd.DataFrame  # what is computed from it is an ordinary frame


def test_readable_shows_growth_in_percent_and_dates_without_midnight():
    shown = kw.readable(
        pd.DataFrame({"growth_potential": [0.04, -0.1], "first_date": pd.to_datetime(["2017-03-01", "2017-12-30"])})
    )
    assert shown["growth potential"].tolist() == ["4.0%", "-10.0%"]
    assert shown["first date"].tolist() == ["2017-03-01", "2017-12-30"]
    rating = kw.readable(pd.DataFrame({"growth_potential": [4, 8]}))  # a rating, not a fraction
    assert rating["growth potential"].tolist() == ["4", "8"]


def test_the_one_page_summary_shows_shares_in_percent_as_the_page_does(tmp_path):
    from kamwidgets.export import summary_report, write_html, write_markdown
    from kamwidgets.model.readiness import QUESTIONS, readiness

    answers = {qid: 3 for qid, _, _ in QUESTIONS}  # half-way on every question: 50 % ready
    report = summary_report("Istmar S.A.", readiness=readiness(answers), course=False)
    page = write_html(report, tmp_path / "summary.html").read_text(encoding="utf-8")
    text = write_markdown(report, tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "<td>50%</td>" in page and "| 50% |" in text  # as the readiness form shows it
    assert not re.search(r"\b0\.5\b", page + text)
    assert "<th>readiness</th>" in page and "<th>area</th>" in page


def test_on_ones_own_file_the_missing_sample_criteria_are_named_in_words():
    from kamwidgets.model.criteria import fitting_criteria

    own = pd.DataFrame({"account": list("ABCDEF"), "total_spend": [5, 9, 1, 4, 7, 3], "breadth": [1, 6, 2, 5, 3, 4]})
    note = fitting_criteria(own, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH).note
    assert note.startswith("Your file has no figures for revenue, growth potential")
    assert not re.search(r"'\w+'|\w_\w", note)  # no column name, quoted or not
    assert "suggests criteria from your file's own figures" in note


def test_lesson_14s_annual_review_says_it_is_the_sample_companys():
    nb = nbformat.read(next(p for p in NOTEBOOKS if p.name.startswith("14_")), as_version=4)
    review = next(i for i, c in enumerate(nb.cells) if "kw.compare(last_year, this_year)" in c.source)
    above = next(nb.cells[j].source for j in range(review - 1, -1, -1) if nb.cells[j].cell_type == "markdown")
    assert "This review is the sample's, whatever file you loaded" in above


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_table_a_lesson_shows_goes_through_readable(path):
    """A code cell whose last line shows a frame shows it through ``kw.readable``."""
    nb = nbformat.read(path, as_version=4)
    frames = re.compile(r"(\.head\(\d*\)|\.to_frame\(|\.value_counts\(|\.iloc\[|\[\[[^\]]+\]\])\s*$")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        last = cell.source.strip().splitlines()[-1]
        if frames.search(last) and not last.startswith(("kw.readable(", "    ")):
            pytest.fail(f"{path.name} cell {i} shows a frame as pandas prints it: {last}")


def test_the_downloads_row_is_a_grid_with_each_files_note_under_its_button(sample_portfolio):
    import ipywidgets as W

    from kamwidgets.widgets._transfer import DownloadButton

    downloads = kw.Downloads(tables={"Accounts": sample_portfolio}, name="a very long account name")
    row = downloads.children[1]
    assert isinstance(row, W.GridBox)  # equal columns, as many as fit: never past the page's edge
    assert row.layout.grid_template_columns.startswith("repeat(auto-fill, minmax(") and row.layout.width == "100%"
    assert "kam-download-item" in DownloadButton._esm  # the button and its file's note in one column
    button = downloads.buttons["excel"]
    button._message(None, {"event": "request"}, [])  # what a press does
    assert button.status.startswith("a-very-long-account-name-summary.xlsx (")

"""What is the course's and what the workbook adds: every addition sits in a marked callout with its source."""

from __future__ import annotations

import re

import nbformat
import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _markdown(path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_addition_is_a_callout_that_names_its_source(path):
    for text in _markdown(path):
        for i, line in enumerate(text.splitlines()):
            if "Beyond the course" not in line or line.lstrip().startswith(("#", "*Course")):
                continue
            if not line.startswith("> **Beyond the course"):
                continue  # a mention in the prose, not a callout
            block = "\n".join(text.splitlines()[i : i + 4])
            assert re.search(r"^> \*Source: .{10,}", block, re.M), f"{path.name}: callout without a source:\n{block}"


def test_the_classification_lesson_teaches_the_course_method_first():
    cells = nbformat.read(ROOT / "notebooks" / "12_customer_classification.ipynb", as_version=4).cells
    code = [c.source for c in cells if c.cell_type == "code"]
    rules_at = next(i for i, c in enumerate(code) if "RuleClassifier" in c)
    matrix_at = next(i for i, c in enumerate(code) if "ClassificationWidget" in c)
    assert rules_at < matrix_at  # the course's way, then the analyst's
    text = "\n".join(_markdown(ROOT / "notebooks" / "12_customer_classification.ipynb"))
    assert "> **Beyond the course: two weighted scores" in text and "McDonald" in text
    assert "order of\n  magnitude" in text or "order of magnitude" in text


@pytest.mark.parametrize(
    ("notebook", "callout"),
    [
        ("02_sales_approach_and_spectrum.ipynb", "which role each bucket needs"),
        ("03_the_journey.ipynb", "names and numbers on the spectrum"),
        ("04_decision_making_unit.ipynb", "the roles in a buying centre"),
        ("07_contact_matrix.ipynb", "reading the matrix for risks"),
        ("10_swot.ipynb", "the four crosses (TOWS)"),
        ("11_account_plan.ipynb", "traffic lights"),
    ],
)
def test_known_additions_are_marked(notebook, callout):
    text = "\n".join(_markdown(ROOT / "notebooks" / notebook))
    assert f"> **Beyond the course: {callout}" in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_text_cell_renders_in_voila_without_raw_markdown(path):
    """Voila renders text cells with nbconvert's markdown; a table inside a callout (a quote) came out as pipes."""
    from nbconvert.filters.markdown import markdown2html_mistune

    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        html = markdown2html_mistune(cell.source)
        raw = [line for line in html.splitlines() if re.search(r"\|\s*-{3,}\s*\|", line) or line.startswith("<p>|")]
        assert not raw, f"{path.name}: {raw[:2]}"


def _cells(name: str) -> list:
    return nbformat.read(ROOT / "notebooks" / name, as_version=4).cells


def _text_of(cell) -> str:
    """A cell's source and, for a code cell, the text of its stored outputs."""
    parts = [cell.source]
    for out in cell.get("outputs", []):
        parts.append(str(out.get("text", "")))
        parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(parts)


def test_the_journey_says_the_third_level_filters_not_the_second():
    """Issue #27: filtering is early key account management's feature (level 3); level 2 is tricky and transitional."""
    cells = _cells("03_the_journey.ipynb")
    second = re.compile(r"second level|level 2|level two|direct access", re.I)
    for cell in cells:
        for sentence in re.split(r"(?<=[.!?])\s+|\n\s*\n", _text_of(cell)):
            assert not (second.search(sentence) and "filter" in sentence.lower()), (
                f"03_the_journey: a cell says the second level filters: {sentence!r}"
            )
    tagged = {pid: cell for cell in cells for pid in cell.get("metadata", {}).get("kamwidgets", {}).get("teaches", [])}
    assert "filter" not in tagged["L05.level2"].source.lower()
    level3 = " ".join(tagged["L05.level3"].source.lower().split())
    assert "filter" in level3 and "early key account management" in level3


def _outside_callouts(text: str) -> str:
    """The lines of a text cell that are not inside a "Beyond the course" callout (a quote block headed so)."""
    kept, in_callout, in_quote = [], False, False
    for line in text.splitlines():
        quoted = line.lstrip().startswith(">")
        if quoted and not in_quote:
            in_callout = line.lstrip().startswith("> **Beyond the course")
        in_quote = quoted
        if not (quoted and in_callout):
            kept.append(line)
    return "\n".join(kept)


@pytest.mark.parametrize("name", ["01_what_is_kam.ipynb", "03_the_journey.ipynb"])
def test_bow_tie_is_named_only_in_a_callout(name):
    """The course says "diamond"; "bow-tie" is the literature's word, so it appears only beyond the course."""
    for cell in _cells(name):
        text = _outside_callouts(cell.source) if cell.cell_type == "markdown" else _text_of(cell)
        assert not re.search(r"bow[- ]?tie", text, re.I), f"{name}: 'bow-tie' outside a callout in {cell.get('id')}"


_CLASSIFIERS = ("RuleClassifier", "ClassificationWidget", "kw.classify(")


def test_the_case_study_classifies_the_course_way_first():
    """Issues #27/#31: 12b places customers with criteria per bucket first; the two-score matrix is the addition."""
    cells = nbformat.read(ROOT / "notebooks" / "12b_classification_on_real_data.ipynb", as_version=4).cells
    tools = [(i, t) for i, c in enumerate(cells) if c.cell_type == "code" for t in _CLASSIFIERS if t in c.source]
    assert tools and min(tools)[1] == "RuleClassifier", f"12b's first classification tool is {min(tools)[1]!r}"
    introduced = [
        i
        for i, c in enumerate(cells)
        if c.cell_type == "markdown"
        and (c.source.lstrip().startswith("> **Beyond the course") or "the workbook's addition" in c.source)
    ]
    for i, tool in tools:
        if tool != "RuleClassifier":
            assert any(j < i for j in introduced), f"12b cell {i} shows the matrix before a callout introduces it"
    exercise = next(c.source for c in cells if c.cell_type == "markdown" and "## Exercise" in c.source)
    assert not re.search(r"columns=|helper column|`", exercise), "the exercise asks for code"


def test_the_classification_lesson_speaks_to_participants_not_developers():
    """Issue #31: no code in the text, no developer tables, work kept on reload, no table left stale by a slider."""
    cells = nbformat.read(ROOT / "notebooks" / "12_customer_classification.ipynb", as_version=4).cells
    for c in cells:
        if c.cell_type == "markdown":
            assert not re.search(r"`[^`]*(kw\.|bench|store|\(\))[^`]*`", c.source), f"code in the text: {c.id}"
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert "store.contents()" not in code and ".autosave(" not in code
    assert re.search(r"ClassificationWidget\([^\n]*\)\.keep\(store\)", code), "the workbench is not kept"
    assert re.search(r"RuleClassifier\([^\n]*\)\.keep\(store\)", code), "the bucket criteria are not kept"
    for c in cells:
        if "nbval-check-output" in c.metadata.get("tags", []):
            assert "bench." not in c.source and "by_rules." not in c.source, f"a checked table goes stale: {c.id}"


def test_lesson_7_quotes_traditional_selling_as_quick_and_dirty():
    """Issue #27: the course says "quick and dirty" (linked to the milk runner), never "quick and clean"."""
    text = "\n".join(_markdown(ROOT / "notebooks" / "05_kam_vs_traditional_sales.ipynb")).lower()
    assert "quick and dirty" in text
    assert "quick and clean" not in text


@pytest.mark.parametrize("notebook", ["02_sales_approach_and_spectrum.ipynb", "05_kam_vs_traditional_sales.ipynb"])
def test_lessons_4_and_7_classify_the_course_way_on_the_learners_own_portfolio(notebook):
    """The exercise is the course's classification (criteria per bucket), kept and downloadable; no matrix as "the" one."""
    cells = nbformat.read(ROOT / "notebooks" / notebook, as_version=4).cells
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert "kw.my_portfolio(store)" in code and "RuleClassifier(portfolio" in code and ".keep(store)" in code
    assert "kw.Downloads(rules=by_rules" in code
    assert "ClassificationWidget" not in code or "> **Beyond the course" in "\n".join(_markdown(ROOT / "notebooks" / notebook))
    for c in cells:
        if "nbval-check-output" in c.metadata.get("tags", []):
            assert "by_rules." not in c.source, f"{notebook}: a checked table goes stale: {c.id}"
        text = _outside_callouts(c.source) if c.cell_type == "markdown" else _text_of(c)
        assert not re.search(r"bow[- ]?tie", text, re.I), f"{notebook}: 'bow-tie' outside a callout in {c.get('id')}"


# ------------------------------------------------- the start page and the wrap-up: the course's classification first
_MATRIX = re.compile(r"ClassificationWidget|kw\.classify\(|portfolio_matrix")


@pytest.mark.parametrize("name", ["00_start_here.ipynb", "13_wrap_up.ipynb"])
def test_the_start_page_and_the_wrap_up_classify_the_course_way_first(name):
    """The first classification tool is the course's (criteria per bucket); the matrix only after a callout."""
    cells = nbformat.read(ROOT / "notebooks" / name, as_version=4).cells
    tools = [
        (i, c.source)
        for i, c in enumerate(cells)
        if c.cell_type == "code" and ("RuleClassifier" in c.source or _MATRIX.search(c.source))
    ]
    assert tools, name
    first_at, first = tools[0]
    assert "RuleClassifier" in first and not _MATRIX.search(first), f"{name}: the first classification is the matrix"
    callouts = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and "> **Beyond the course" in c.source]
    for at, source in tools:
        if _MATRIX.search(source):
            assert any(first_at < i < at for i in callouts), f"{name}: the matrix (cell {at}) comes without a callout"


def test_the_wrap_up_checks_readiness_before_the_account_plan():
    """The course: pre-assess before starting, then the work on the account."""
    cells = nbformat.read(ROOT / "notebooks" / "13_wrap_up.ipynb", as_version=4).cells
    code = [c.source for c in cells if c.cell_type == "code"]
    ready_at = next(i for i, c in enumerate(code) if "MakingItHappen" in c)
    plan_at = next(i for i, c in enumerate(code) if "AccountPlan" in c)
    assert ready_at < plan_at


def test_the_start_page_speaks_to_a_participant_not_a_developer():
    """No running of code cells (there are none in the app) and no README (participants do not have it)."""
    text = "\n".join(_markdown(ROOT / "notebooks" / "00_start_here.ipynb")).lower()
    for words in ("shift + enter", "run the cells again", "readme", "in python"):
        assert words not in text, words


# ------------------------------------------------------------------ lessons 11-13 (issue #27)
def test_the_marketing_plan_lesson_never_asks_to_turn_every_light_green():
    """The course: a template filled for its own sake is useless; the lights are the workbook's, never a goal."""
    cells = _cells("09_marketing_plan.ipynb")
    for cell in cells:
        text = " ".join(_text_of(cell).lower().split())
        assert not re.search(r"every light is green|until every light|all (?:the )?lights (?:are )?green", text), (
            f"09_marketing_plan: {cell.get('id')} asks to turn the lights green"
        )
    rule = [c for c in cells if "L11.adapt" in c.metadata.get("kamwidgets", {}).get("teaches", [])]
    assert rule and "> **Beyond the course" not in rule[0].source


def test_the_swot_lesson_keeps_the_tows_crosses_inside_their_callout():
    """The course names offensive and protective strategies; SO, ST, WO, WT (Weihrich) and their mapping are added."""
    cells = _cells("10_swot.ipynb")
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        text = _outside_callouts(cell.source)
        assert not re.search(r"\b(?:SO|ST|WO|WT)\b", text), f"10_swot: a cross named outside the callout in {cell.id}"
        assert "tows" not in text.lower(), f"10_swot: TOWS outside the callout in {cell.id}"
        for sentence in re.split(r"(?<=[.!?;:])\s+|\n\s*[*-]\s", " ".join(text.split())):
            low = sentence.lower()
            assert not ("offensive" in low and re.search(r"strength|strong", low)), f"offensive: {sentence!r}"
            assert not ("protective" in low and "weak" in low), f"10_swot: protective by weaknesses: {sentence!r}"
    callouts = "\n".join(
        c.source for c in cells if c.cell_type == "markdown" and "> **Beyond the course: the four crosses" in c.source
    )
    assert "Weihrich" in callouts and "SO" in callouts and "WT" in callouts


@pytest.mark.parametrize("name", ["09_marketing_plan.ipynb", "10_swot.ipynb", "11_account_plan.ipynb"])
def test_the_plan_lessons_exercises_are_done_kept_and_downloaded_with_widgets(name):
    """No exercise needs code: the work is kept in the workbook and taken away with buttons."""
    cells = _cells(name)
    text = "\n".join(c.source for c in cells)
    for code_step in ("write_html(", "write_markdown(", ".save(", "python -m kamwidgets"):
        assert code_step not in text, f"{name}: the exercise still asks for {code_step!r}"
    exercise = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Exercise"))
    after = "\n".join(c.source for c in cells[exercise:] if c.cell_type == "code")
    assert "kw.Downloads(" in after and ".keep(store" in after
    if name != "09_marketing_plan.ipynb":  # lessons 12 and 13 work on the learner's chosen account
        assert "kw.AccountChoice(portfolio).keep(store)" in after and "kw.ForAccount(choice" in after
        assert "Istmar" not in after

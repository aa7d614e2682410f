"""What is the course's and what the workbook adds: every addition sits in a marked callout with its source."""

from __future__ import annotations

import html as html_lib
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
    cells = nbformat.read(ROOT / "notebooks" / "14_customer_classification.ipynb", as_version=4).cells
    code = [c.source for c in cells if c.cell_type == "code"]
    rules_at = next(i for i, c in enumerate(code) if "RuleClassifier" in c)
    matrix_at = next(i for i, c in enumerate(code) if "ClassificationWidget" in c)
    assert rules_at < matrix_at  # the course's way, then the analyst's
    text = "\n".join(_markdown(ROOT / "notebooks" / "14_customer_classification.ipynb"))
    assert "> **Beyond the course: two weighted scores" in text and "McDonald" in text
    assert "order of\n  magnitude" in text or "order of magnitude" in text


@pytest.mark.parametrize(
    ("notebook", "callout"),
    [
        ("04_sales_approach_and_spectrum.ipynb", "which role each bucket needs"),
        ("05_the_journey.ipynb", "names and numbers on the spectrum"),
        ("06_decision_making_unit.ipynb", "the roles in a buying centre"),
        ("09_contact_matrix.ipynb", "reading the matrix for risks"),
        ("12_swot.ipynb", "the four crosses (TOWS)"),
        ("13_account_plan.ipynb", "traffic lights"),
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


def _notebook_links(path) -> list[str]:
    """The targets of the links to notebooks in a notebook's text cells, as Voila renders them (its address part)."""
    from nbconvert.filters.markdown import markdown2html_mistune

    html = "\n".join(markdown2html_mistune(text) for text in _markdown(path))
    targets = [html_lib.unescape(t) for t in re.findall(r'href="([^"]*)"', html)]
    return [t.split("#")[0].split("?")[0] for t in targets if ".ipynb" in t]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_link_to_a_notebook_opens_one_of_the_course(path):
    """A relative link such as ``03_what_is_kam.ipynb`` opens in JupyterLab and in Voila (which adds the name)."""
    for target in _notebook_links(path):
        assert "/" not in target and (path.parent / target).is_file(), f"{path.name}: {target} leads nowhere"


def test_the_start_page_links_every_lesson():
    start = ROOT / "notebooks" / "00_start_here.ipynb"
    linked = _notebook_links(start)
    assert sorted(linked) == sorted(p.name for p in NOTEBOOKS if p != start)
    assert "[**Lesson 13**: the account plan](13_account_plan.ipynb)" in "\n".join(_markdown(start))


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
    cells = _cells("05_the_journey.ipynb")
    second = re.compile(r"second level|level 2|level two|direct access", re.I)
    for cell in cells:
        for sentence in re.split(r"(?<=[.!?])\s+|\n\s*\n", _text_of(cell)):
            assert not (second.search(sentence) and "filter" in sentence.lower()), (
                f"05_the_journey: a cell says the second level filters: {sentence!r}"
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


@pytest.mark.parametrize("name", ["03_what_is_kam.ipynb", "05_the_journey.ipynb"])
def test_bow_tie_is_named_only_in_a_callout(name):
    """The course says "diamond"; "bow-tie" is the literature's word, so it appears only beyond the course."""
    for cell in _cells(name):
        text = _outside_callouts(cell.source) if cell.cell_type == "markdown" else _text_of(cell)
        assert not re.search(r"bow[- ]?tie", text, re.I), f"{name}: 'bow-tie' outside a callout in {cell.get('id')}"


_CLASSIFIERS = ("RuleClassifier", "ClassificationWidget", "kw.classify(")


def test_the_case_study_classifies_the_course_way_first():
    """Issues #27/#31: 12b places customers with criteria per bucket first; the two-score matrix is the addition."""
    cells = nbformat.read(ROOT / "notebooks" / "14b_classification_on_real_data.ipynb", as_version=4).cells
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
    cells = nbformat.read(ROOT / "notebooks" / "14_customer_classification.ipynb", as_version=4).cells
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
    text = "\n".join(_markdown(ROOT / "notebooks" / "07_kam_vs_traditional_sales.ipynb")).lower()
    assert "quick and dirty" in text
    assert "quick and clean" not in text


@pytest.mark.parametrize("notebook", ["04_sales_approach_and_spectrum.ipynb", "07_kam_vs_traditional_sales.ipynb"])
def test_lessons_4_and_7_classify_the_course_way_on_the_learners_own_portfolio(notebook):
    """The exercise is the course's classification (criteria per bucket), kept and downloadable."""
    cells = nbformat.read(ROOT / "notebooks" / notebook, as_version=4).cells
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert "kw.my_portfolio(store)" in code and "RuleClassifier(portfolio" in code and ".keep(store)" in code
    assert "kw.Downloads(rules=by_rules" in code
    assert "ClassificationWidget" not in code or "> **Beyond the course" in "\n".join(
        _markdown(ROOT / "notebooks" / notebook)
    )
    for c in cells:
        if "nbval-check-output" in c.metadata.get("tags", []):
            assert "by_rules." not in c.source, f"{notebook}: a checked table goes stale: {c.id}"
        text = _outside_callouts(c.source) if c.cell_type == "markdown" else _text_of(c)
        assert not re.search(r"bow[- ]?tie", text, re.I), f"{notebook}: 'bow-tie' outside a callout in {c.get('id')}"


# ------------------------------------------------- the start page and the wrap-up: the course's classification first
_MATRIX = re.compile(r"ClassificationWidget|kw\.classify\(|portfolio_matrix")


@pytest.mark.parametrize("name", ["00_start_here.ipynb", "15_wrap_up.ipynb"])
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
    cells = nbformat.read(ROOT / "notebooks" / "15_wrap_up.ipynb", as_version=4).cells
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
    cells = _cells("11_marketing_plan.ipynb")
    for cell in cells:
        text = " ".join(_text_of(cell).lower().split())
        assert not re.search(r"every light is green|until every light|all (?:the )?lights (?:are )?green", text), (
            f"11_marketing_plan: {cell.get('id')} asks to turn the lights green"
        )
    rule = [c for c in cells if "L11.adapt" in c.metadata.get("kamwidgets", {}).get("teaches", [])]
    assert rule and "> **Beyond the course" not in rule[0].source


def test_the_swot_lesson_keeps_the_tows_crosses_inside_their_callout():
    """The course names offensive and protective strategies; SO, ST, WO, WT (Weihrich) and their mapping are added."""
    cells = _cells("12_swot.ipynb")
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        text = _outside_callouts(cell.source)
        assert not re.search(r"\b(?:SO|ST|WO|WT)\b", text), f"12_swot: a cross named outside the callout in {cell.id}"
        assert "tows" not in text.lower(), f"12_swot: TOWS outside the callout in {cell.id}"
        for sentence in re.split(r"(?<=[.!?;:])\s+|\n\s*[*-]\s", " ".join(text.split())):
            low = sentence.lower()
            assert not ("offensive" in low and re.search(r"strength|strong", low)), f"offensive: {sentence!r}"
            assert not ("protective" in low and "weak" in low), f"12_swot: protective by weaknesses: {sentence!r}"
    callouts = "\n".join(
        c.source for c in cells if c.cell_type == "markdown" and "> **Beyond the course: the four crosses" in c.source
    )
    assert "Weihrich" in callouts and "SO" in callouts and "WT" in callouts


@pytest.mark.parametrize("name", ["11_marketing_plan.ipynb", "12_swot.ipynb", "13_account_plan.ipynb"])
def test_the_plan_lessons_exercises_are_done_kept_and_downloaded_with_widgets(name):
    """No exercise needs code: the work is kept in the workbook and taken away with buttons."""
    cells = _cells(name)
    text = "\n".join(c.source for c in cells)
    for code_step in ("write_html(", "write_markdown(", ".save(", "python -m kamwidgets"):
        assert code_step not in text, f"{name}: the exercise still asks for {code_step!r}"
    exercise = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## Exercise"))
    after = "\n".join(c.source for c in cells[exercise:] if c.cell_type == "code")
    assert "kw.Downloads(" in after and ".keep(store" in after
    if name != "11_marketing_plan.ipynb":  # lessons 12 and 13 work on the learner's chosen account
        assert "kw.AccountChoice(portfolio).keep(store)" in after and "kw.ForAccount(choice" in after
        assert "Istmar" not in after


# ------------------------------------------------------------------ lessons 7-11 (review against the transcript)
def _prose(name: str) -> str:
    """A lesson's text cells outside the "Beyond the course" callouts, in one line per cell."""
    return "\n".join(" ".join(_outside_callouts(c.source).split()) for c in _cells(name) if c.cell_type == "markdown")


def test_lesson_7_claims_only_what_lesson_7_says():
    """Short-term, not "the next order"; the advice sits in a callout (who takes part: see the end of this file)."""
    text = _prose("07_kam_vs_traditional_sales.ipynb")
    assert "the next order" not in text and "| horizon | quick, short-term |" in text
    assert "decision to take openly" not in text
    callouts = "\n".join(c.source for c in _cells("07_kam_vs_traditional_sales.ipynb") if c.cell_type == "markdown")
    assert "decision to take openly" in " ".join(callouts.split())


def test_lesson_8_names_the_workbooks_questions_and_forms_and_offers_a_download():
    cells = _cells("08_making_it_happen.ipynb")
    code = [c.source for c in cells if c.cell_type == "code"]
    assert code[0].strip() == "import kamwidgets as kw" and "kw.WorkbookName()" in code[1]  # the name box first
    assert "open_store" in code[2]
    prose = _prose("08_making_it_happen.ipynb")
    assert "widget" not in prose.lower() and "nine questions" not in prose  # the form below, to participants
    assert "for example, who decides" in prose
    for element in ("value chain", "shared future", "activity cycle", "joint planning", "real pains"):
        assert element in prose, element  # the course's elements, next to the workbook's form
    callouts = " ".join("\n".join(c.source for c in cells if "> **Beyond the course" in c.source).split())
    assert "the workbook's own" in callouts and "systems" in callouts and "what they gain" in callouts
    downloads = next(c for c in code if "kw.Downloads(" in c)
    for table in ('"Readiness": check', '"Customer analysis": analysis', '"Value proposition": proposition'):
        assert table in downloads


def test_the_readiness_check_asks_about_systems_and_whether_it_is_worth_it():
    from kamwidgets.model import readiness

    areas = {area for _, area, _ in readiness.QUESTIONS}
    assert {"systems", "return", "departments", "teams", "training", "resources", "customer"} == areas
    worth = next(text for _, area, text in readiness.QUESTIONS if area == "return")
    assert "worth" in worth and "return" in worth and "missing" in worth
    ids = [q for q, *_ in readiness.QUESTIONS]
    assert ids[0] == "c1" and {"r1", "g2", "d2"} <= set(ids)  # saved answers load by id: old ids stay


def test_lessons_9_to_11_keep_to_the_course():
    matrix = _prose("09_contact_matrix.ipynb")
    assert "a step up the levels" not in matrix and "without anyone in the middle filtering" in matrix
    assert "Try the workbook's check" in matrix
    people = _prose("10_supporters_and_opponents.ipynb")
    assert "close to the course's picture" not in people
    nobody = next(line for line in people.splitlines() if "(nobody yet)" in line)
    assert "Who could move whom" in nobody and "cautious supporter" in nobody
    cells = _cells("11_marketing_plan.ipynb")
    sections = next(c for c in cells if "L11.sections" in c.metadata.get("kamwidgets", {}).get("teaches", []))
    assert "support the strategy" in sections.source and "region" in sections.source


def test_the_quizzes_of_lessons_8_and_12_quote_their_own_lessons():
    import json

    quizzes = json.loads((ROOT / "data" / "quizzes.json").read_text(encoding="utf-8"))
    value_prop = next(q for q in quizzes["lesson_08"] if q["id"] == "value-prop")
    feedback = " ".join(c["feedback"] for c in value_prop["choices"])
    assert "value drivers" not in feedback and "real pains" in feedback
    heavy = next(q for q in quizzes["lesson_12"] if q["id"] == "heavy")
    right = next(c for c in heavy["choices"] if c["correct"])
    assert right["text"] == "Complete, without being too heavy" and "unread" not in json.dumps(heavy)


# ------------------------------------------------------------------ the start page and lessons 3 to 6 (review)
def _flat(text: str) -> str:
    """Lower case on one line, without the quote marks of a callout's lines."""
    return " ".join(re.sub(r"^\s*>\s?", "", text, flags=re.M).lower().split())


def _code_of(name: str) -> str:
    return "\n".join(c.source for c in _cells(name) if c.cell_type == "code")


def _course_prose(name: str) -> str:
    """The text cells of a lesson outside its "Beyond the course" callouts, on one line."""
    return _flat("\n".join(_outside_callouts(c.source) for c in _cells(name) if c.cell_type == "markdown"))


def test_the_start_page_says_what_opportunistic_accounts_give_and_offers_a_download():
    text = _course_prose("00_start_here.ipynb")
    assert "when it suits both sides" not in text
    assert "when you need to sell it" in text and "margin when the market is tight" in text
    assert "placed by hand, with a reason" in text and "one by one" in text
    code = _code_of("00_start_here.ipynb")
    assert 'kw.Downloads(rules=by_rules, name="classification")' in code
    assert code.index("kw.Downloads(rules=by_rules") < code.index("ClassificationWidget")


def test_lessons_1_to_3_keep_the_exercise_in_the_workbook():
    cells = _cells("03_what_is_kam.ipynb")
    assert cells[0].source.startswith("# Lessons 1 to 3:")
    text = _course_prose("03_what_is_kam.ipynb")
    assert "00_start_here" not in text and "the start page" in text
    assert "the tools of this workbook" not in text and "such as the spectrum and the account plan" not in text
    assert "on paper" not in text and "choose each of the three in turn" in text
    code = _code_of("03_what_is_kam.ipynb")
    assert "kw.AccountChoice(kw.my_portfolio(store)).keep(store)" in code
    notes = r'kw\.ForAccount\(choice, lambda a: kw\.Notes\("lesson_03", QUESTIONS, title=a\)\.keep\(store'
    assert re.search(notes, code)
    assert 'kw.Downloads(tables={"Your notes": notes}, name="lesson-3-notes")' in code


@pytest.mark.parametrize("name", ["04_sales_approach_and_spectrum.ipynb", "05_the_journey.ipynb"])
def test_the_second_level_can_be_a_transition_and_the_sources_agree(name):
    everything = _flat("\n".join(c.source for c in _cells(name)))
    assert "often a transition" not in everything and "often a **transition**" not in everything
    assert re.search(r"can be a (\*\*)?transition", everything)
    callouts = [c.source for c in _cells(name) if c.cell_type == "markdown" and "> **Beyond the course" in c.source]
    bow = _flat(next(s for s in callouts if "bow-tie" in s.lower()))
    assert "mcdonald, millman and rogers; cheverton" in bow
    assert "millman and wilson" in bow and "six stages" in bow and "uncoupling" in bow
    assert "five stages" not in everything


def test_lesson_4_tells_the_roles_and_levels_in_its_own_words():
    text = _course_prose("04_sales_approach_and_spectrum.ipynb")
    assert "win the first order, move on" not in text
    for close in (
        "no more potential to explore and nothing complicated",
        "a lot of trust, a lot of openness",
        "the best is to avoid any intermediation",
    ):
        assert close not in text, close


def test_lesson_5_teaches_side_by_side_and_keeps_the_lower_intent_rule_in_the_callout():
    cells = _cells("05_the_journey.ipynb")
    assert "acknowledgement" in _flat(cells[0].source)
    prose = _course_prose("05_the_journey.ipynb")
    assert "less willing side" not in prose and "lower of the two" not in prose
    callout = _flat(next(c.source for c in cells if "> **Beyond the course: names and numbers" in c.source))
    assert "lower of the two intentions" in callout and "growing diamond" in callout and "hours" in callout
    code = _code_of("05_the_journey.ipynb")
    assert re.search(r"my_levels = kw\.ForAccount\(choice, lambda account: kw\.SpectrumWidget\(", code)
    assert re.search(r'my_notes = kw\.ForAccount\(choice, lambda account: kw\.Notes\("lesson_05"', code)
    assert '"Levels": my_levels' in code and '"Your notes": my_notes' in code


def test_the_spectrum_table_does_not_contradict_the_course():
    from kamwidgets.model.spectrum import LEVEL_INFO

    second, third, top = LEVEL_INFO["direct_access"], LEVEL_INFO["early_kam"], LEVEL_INFO["diamond"]
    assert "filter" not in " ".join(map(str, second.values())).lower()
    assert "tricky" in second["who"] and "transition" in second["who"] and "focal point" in second["who"]
    assert "filter" in third["who"]
    assert "commercial terms" in top["who"] and "contracts" in top["who"]
    assert "joint planning" not in " ".join(str(v) for info in LEVEL_INFO.values() for v in info.values())


def test_the_ratifier_buys_something_important_but_not_strategic():
    from kamwidgets.model.buyers import ADVICE

    ratifier = " ".join(ADVICE["ratifier"].values()).lower()
    assert "routine" not in ratifier
    assert "important to them" in ratifier and "not strategic" in ratifier


def test_lesson_6_marks_its_additions_and_keeps_the_next_meeting():
    cells = _cells("06_decision_making_unit.ipynb")
    roles = _flat(next(c.source for c in cells if "> **Beyond the course: the roles in a buying centre" in c.source))
    assert "five roles (user, influencer, buyer, decider, gatekeeper)" in roles and "bonoma" in roles
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert "> **Beyond the course: other people on the chart.**" in markdown
    assert markdown.index("other people on the chart") < markdown.index("## Who really decides")
    exercise = _flat(next(c.source for c in cells if c.cell_type == "markdown" and "## Exercise" in c.source))
    assert "role in the buying centre" in exercise and "beyond the course" in exercise
    code = _code_of("06_decision_making_unit.ipynb")
    assert re.search(r'kw\.ForAccount\(choice, lambda account: kw\.Notes\("lesson_06"', code)
    assert "Who should you meet next?" in code and '"Your notes": my_notes' in code


def test_the_account_choice_speaks_to_a_participant():
    import pandas as pd

    import kamwidgets as kw
    from kamwidgets.errors import KamDataError

    with pytest.raises(KamDataError) as err:
        kw.AccountChoice(pd.DataFrame({"customer": ["Acme"]}))
    assert "start page" in str(err.value) and "kw." not in str(err.value)


# ------------------------------------------------------------------ lessons 12-15 and the case study (review)
def test_lesson_12_lets_a_strategy_be_offensive_or_protective_without_a_cross():
    """The course's kinds are picked directly; the four TOWS crosses are named, each with its kind, in the callout."""
    cells = _cells("12_swot.ipynb")
    tows = _flat(next(c.source for c in cells if "> **Beyond the course: the four crosses (TOWS)" in c.source))
    for cross, kind in (("so", "offensive"), ("st", "protective"), ("wo", "offensive"), ("wt", "protective")):
        assert re.search(rf"\b{cross}, <em>{kind}</em>", tows), f"the callout does not give {cross.upper()} its kind"
    assert "optional" in tows and "blank" in tows
    prose = _course_prose("12_swot.ipynb")
    assert "point of view" not in prose and "towards this customer or market" in prose
    assert "pick the kind" in prose and "cross" in prose and "leave it blank" in prose
    code = _code_of("12_swot.ipynb")
    assert '"kind": "offensive"' in code and '"kind": "protective"' in code and '"cross"' not in code


def test_lesson_13_says_how_long_the_workbooks_extended_plan_is_and_only_what_the_course_says_of_its_own():
    cells = _cells("13_account_plan.ipynb")
    sections = _flat(next(c.source for c in cells if "> **Beyond the course: the workbook's sections" in c.source))
    assert "fifteen" in sections and "only as a bit longer, not heavy" in sections and "with what resources" in sections
    lights = _flat(next(c.source for c in cells if "> **Beyond the course: traffic lights" in c.source))
    assert "with what resources" in lights and "counted apart" in lights
    exercise = _flat(next(c.source for c in cells if c.cell_type == "markdown" and "## Exercise" in c.source))
    assert "what they gain and what we gain" in exercise and "strengths of your swot" in exercise


def test_lesson_14_loads_the_file_before_the_criteria_and_reads_the_samples_balance(sample_portfolio):
    import kamwidgets as kw

    cells = _cells("14_customer_classification.ipynb")
    code = [(i, c.source) for i, c in enumerate(cells) if c.cell_type == "code"]
    pickers = [i for i, s in code if "DataPicker(" in s]
    rules_at = next(i for i, s in code if "RuleClassifier(" in s)
    assert len(pickers) == 1 and pickers[0] < rules_at, "the picker is not just before the criteria table"
    # the reference mix is the workbench's (its Balance tab), so it is told with the workbench, not the criteria
    mix = [i for i, c in enumerate(cells) if "> **Beyond the course: the reference mix" in c.source]
    bench_at = next(i for i, s in code if "ClassificationWidget(" in s)
    assert (
        mix
        and rules_at < mix[0] < bench_at
        and "4 key, 4 key development, 10 maintenance and 20" in _flat(cells[mix[0]].source)
    )
    exercise = _flat(next(c.source for c in cells if c.cell_type == "markdown" and "## Exercise" in c.source))
    assert "picker above the criteria table" in exercise and "picker below" not in exercise
    # what the text says of the sample is what the sample's own criteria give
    placed = kw.RuleClassifier(sample_portfolio, kw.SAMPLE_RULES)
    maria = placed.balance.loc["Maria Santos"]
    assert (maria["Key account"], maria["hours_per_week"], maria["too_many_key_accounts"]) == (6, 62, True)
    reading = _flat(next(c.source for c in cells if c.source.startswith("### The sample's balance")))
    assert "six of maria santos's 30 accounts" in reading and "62 hours a week" in reading
    assert "tighten a criterion" in reading and "accept the balance knowingly" in reading
    tighter = [dict(rule, value=200000) if i == 0 else rule for i, rule in enumerate(kw.SAMPLE_RULES)]
    assert kw.SAMPLE_RULES[0]["column"] == "revenue" and kw.SAMPLE_RULES[0]["value"] == 150000
    tight = kw.RuleClassifier(sample_portfolio, tighter)
    assert tight.balance.loc["Maria Santos", ["Key account", "hours_per_week"]].tolist() == [4, 58]
    assert "200,000 instead of 150,000" in reading and "58 hours" in reading


def test_the_case_study_tells_the_data_as_it_is_and_keeps_the_placements():
    import ast
    import warnings

    import pandas as pd

    import kamwidgets as kw

    cells = _cells("14b_classification_on_real_data.ipynb")
    prose = _flat("\n".join(c.source for c in cells if c.cell_type == "markdown"))
    assert "only two or three families" not in prose and "data/readme" not in prose
    for source in ("uci machine learning repository", "cc by 4.0", "maven analytics"):
        assert source in prose, source
    assert "each channel has its own sales team" not in prose.replace("here we take it that each channel", "")
    assert "says how attractive" not in prose and "here we take the company's own size" in prose
    # every customer buys in all six families; the unplaced are above the median in one to three of them
    wholesale = kw.load_portfolio(kw.sample_path("wholesale"), make_ids="Customer ")
    families = ["Fresh goods", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen"]
    assert bool((wholesale[families] > 0).all(axis=None))
    wholesale = wholesale.join(kw.model.criteria.spend_profile(wholesale, families))
    wholesale["channel"] = wholesale["Channel"].map({1: "Horeca", 2: "Retail"})
    code = _code_of("14b_classification_on_real_data.ipynb")
    rules = ast.literal_eval(re.search(r"rules = (\[.*?\n\])", code, re.S).group(1))  # the notebook's first criteria
    placed = kw.RuleClassifier(wholesale, rules, by="channel", max_key_accounts=10)
    unplaced = placed.value[placed.value["segment"].isna()]
    assert len(unplaced) == 54 and set(unplaced["breadth"]) <= {1, 2, 3}
    assert "all six families" in prose and "one to three of them" in prose
    assert placed.balance.loc["Horeca", "hours_per_week"] == 364 and "364 hours a week" in prose
    # kept apart from lesson 14's own portfolio, downloadable; one cap for both tools
    assert '.keep(\n    store, account="case study: wholesaler"\n)' in code and "kw.Downloads(rules=by_rules" in code
    assert set(re.findall(r"max_key_accounts=(\d+)", code)) == {"10"}
    assert "read each line as a channel's whole team" in prose
    assert "> **Beyond the course: the mix flag on a whole team" in "\n".join(c.source for c in cells)
    # the CRM file's notes, in words, as the data has them
    raw = pd.read_csv(kw.sample_path("crm_pipeline"))
    assert f"{int(raw['account'].isna().sum()):,} open deals without an account" in prose
    won = pd.to_datetime(raw.loc[raw["deal_stage"] == "Won", "close_date"])
    assert (won.min().strftime("%B"), won.max().strftime("%B %Y")) == ("March", "December 2017")
    assert "march to december 2017" in prose
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kw.accounts_from_transactions(
            kw.sample_path("crm_pipeline"),
            account="account",
            value="close_value",
            date="close_date",
            product="product",
            owner="sales_agent",
            stage="deal_stage",
        )
    assert len([w for w in caught if issubclass(w.category, kw.KamDataWarning)]) == 2  # the two notes in the text
    assert 'warnings.filterwarnings("ignore", category=kw.KamDataWarning)' in code  # no developer output shown


def test_the_wrap_up_marks_the_tools_around_the_account_and_prints_the_course():
    cells = _cells("15_wrap_up.ipynb")
    at = next(
        i for i, c in enumerate(cells) if "> **Beyond the course: the workbook's tools around the account" in c.source
    )
    first_tool = next(i for i, c in enumerate(cells) if c.cell_type == "code" and "kw.DecisionUnit(" in c.source)
    section_3 = next(i for i, c in enumerate(cells) if c.source.startswith("## 3. The account to work on"))
    assert section_3 < at < first_tool
    callout = _flat(cells[at].source)
    for idea in (
        "0 to 10",
        "lower of the two",
        "bow-tie",
        "hours",
        "buying centre",
        "neutral",
        "influence scores",
        "who could move whom",
        "single points of failure",
        "tows",
        "traffic lights",
    ):
        assert idea in callout, idea
    assert re.search(r"^> \*source: .*webster and wind.*weihrich", cells[at].source.lower(), re.M)
    code = _code_of("15_wrap_up.ipynb")
    call = code[code.index("summary_report(") :]
    assert call.index("readiness=") < call.index("plan=plan.value")
    takeaway = _flat(next(c.source for c in cells if c.source.startswith("## 5. Take it with you")))
    assert "the course in a few lines" in takeaway and takeaway.index("your readiness") < takeaway.index("the plan)")


# ------------------------------------------------------------ the reviewers' remaining findings (lessons 7, 13, 14)
def test_lesson_7_compares_the_two_jobs_without_naming_who_takes_part():
    """Seller and purchaser alone are the course's early account management (lesson 5), not traditional selling."""
    cells = _cells("07_kam_vs_traditional_sales.ipynb")
    table = cells[0].source
    assert "| nature | transactional | strategic |" in table and "work across departments" in table
    assert "who takes part" not in table.lower() and "the salesperson and the purchaser" not in table
    # the balance under the criteria shows the course's limit only; the reference mix is the workbench's
    balance = _flat(next(c.source for c in cells if "> **Beyond the course: reading the balance" in c.source))
    assert (
        "flags only the course's own limit" in balance and "*balance* tab has an **unbalanced mix** column" in balance
    )


def test_lesson_13_calls_lesson_8s_contents_the_courses_and_only_their_split_the_workbooks():
    import json

    cells = _cells("13_account_plan.ipynb")
    questions = _flat(cells[0].source)
    for gloss in ("for them and for us", "in a few years", "today?"):
        assert gloss not in questions, gloss
    assert "**where** are we going?" in questions and "what is the **potential benefit**?" in questions
    short = _flat(next(c.source for c in cells if "L13.short" in c.metadata.get("kamwidgets", {}).get("teaches", [])))
    assert "on a page" not in short and "the four questions above, which you pick up once in a while" in short
    sections = _flat(next(c.source for c in cells if "> **Beyond the course: the workbook's sections" in c.source))
    assert "sections of its own" not in sections
    assert "what goes into them is the course's own, from lesson 8" in sections
    assert "only their split into separate sections of one plan, the prompt under each and the lights" in sections
    for content in ("resources", "targets", "risks", "timing", "value chain", "shared future", "activity cycle"):
        assert content in sections, content
    lights = _flat(next(c.source for c in cells if "> **Beyond the course: traffic lights" in c.source))
    assert "counted apart from the four sections lesson 13 names" in lights
    assert "the sections the workbook adds" not in lights and "contents come from lesson 8" in lights
    quiz = json.loads((ROOT / "data" / "quizzes.json").read_text(encoding="utf-8"))["lesson_13"]
    assert "internal working tool" not in json.dumps(quiz)  # the lesson never says so


def test_the_case_study_says_most_open_deals_have_no_account_as_the_data_has_it():
    import pandas as pd

    import kamwidgets as kw

    raw = pd.read_csv(kw.sample_path("crm_pipeline"))
    still_open = raw[raw["deal_stage"].isin(["Engaging", "Prospecting"])]
    assert still_open["close_date"].isna().all() and still_open["close_value"].isna().all()
    assert 0.5 < still_open["account"].isna().mean() < 1  # most of them, not all (664 of 2,089 have one)
    prose = _flat(
        "\n".join(c.source for c in _cells("14b_classification_on_real_data.ipynb") if c.cell_type == "markdown")
    )
    assert "open deals have no date or value yet, and most have no account" in prose
    assert "no account, date or value" not in prose
    code = _code_of("14b_classification_on_real_data.ipynb")
    assert "keeps every digit" not in code and "# the notes are in the text above" not in code
    # the mix flag sits with the workbench whose Balance tab shows it, not with the criteria table
    cells = _cells("14b_classification_on_real_data.ipynb")
    flag = next(i for i, c in enumerate(cells) if "> **Beyond the course: the mix flag on a whole team" in c.source)
    bench = next(i for i, c in enumerate(cells) if c.cell_type == "code" and "ClassificationWidget(" in c.source)
    assert bench < flag and "workbench's *balance* tab" in _flat(cells[flag].source)


def test_lesson_14_shows_each_criterion_in_words_not_in_code(tmp_path, sample_portfolio):
    import kamwidgets as kw
    from kamwidgets.model.rules import rules_table

    portfolio = sample_portfolio
    criteria = rules_table(kw.SAMPLE_RULES, portfolio).set_index("bucket")["criteria"]
    assert criteria["Key account"] == (
        "revenue at least 150,000 and share of wallet at least 30 % and relationship at least 6"
    )
    assert criteria["Key development account"] == "revenue at least 150,000 and growth potential at least 8 %"
    assert criteria["Opportunistic account"] == "revenue less than 150,000"
    others = [
        {"bucket": "maintenance", "column": "sector", "operator": "!=", "value": "Food"},
        {"bucket": "maintenance", "column": "revenue", "operator": "<=", "value": 1250.5},
        {"bucket": "maintenance", "column": "years_as_customer", "operator": ">", "value": 3},
        {"bucket": "maintenance", "column": "region", "operator": "=", "value": "North"},
    ]
    words = rules_table(others, portfolio).set_index("bucket").loc["Maintenance account", "criteria"]
    assert (
        words == "sector is not Food and revenue at most 1,250.5 and years as customer more than 3 and region is North"
    )
    placed = kw.RuleClassifier(portfolio, kw.SAMPLE_RULES)
    reasons = " ".join(placed.value["reason"])
    assert "revenue at least 150,000" in reasons and not re.search(r"[<>!]|>=|_", reasons)
    assert "at least 30 %" in placed.criteria.value and "&gt;=" not in placed.criteria.value
    # the buckets' plain words are the workbook's, and the picker points to the name box, not the address
    intro = _flat(_cells("14_customer_classification.ipynb")[0].source)
    assert "(in plain words; the course does not define them)" in intro
    picker = kw.DataPicker(kw.open_store(tmp_path / "w.db", workbook="default"))
    assert "<i>Your name</i> box" in picker.summary.value and "?workbook=" not in picker.summary.value


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")))
def test_every_lesson_asks_for_the_name_before_it_builds_any_tool(name):
    """The name box is the page's first widget: work done before it would be kept under another name, and
    the page sends only its first tool with it (kamwidgets.widgets._later)."""
    cells = _cells(name)
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# "), name  # the title
    # right under the title, before the first section and any worked example (a reader met it a third of
    # the way down lesson 5 when it came just before the first tool)
    assert [c.cell_type for c in cells[1:3]] == ["code", "code"], name
    assert cells[1].source.strip() == "import kamwidgets as kw", name
    assert cells[2].source.startswith("kw.WorkbookName()"), name


@pytest.mark.parametrize("name", ["11_marketing_plan.ipynb", "13_account_plan.ipynb"])
def test_the_plans_lessons_ask_for_the_name_at_the_top_not_inside_the_worked_example(name):
    """The name box sat between the sample plan and its tables: at the top, before the lesson's first section."""
    cells = _cells(name)
    code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    assert cells[code[0]].source.strip() == "import kamwidgets as kw" and "kw.WorkbookName()" in cells[code[1]].source
    sections = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert code[1] < sections[0], name  # above the first section, the worked example included
    assert code[1] == code[0] + 1 and all(c.cell_type == "markdown" for c in cells[: code[0]])

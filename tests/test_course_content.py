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

"""The exercises of lessons 12 (SWOT) and 13 (account plan), driven as a learner does them on the page.

The account is chosen in the box, the tools are filled through their controls,
the page is reloaded (new widgets on the same workbook), and the work comes
back for that account only; the download buttons give it as files.  The code
follows the lessons' exercise cells (``notebooks/12_swot.ipynb``,
``notebooks/13_account_plan.ipynb``).
"""

from __future__ import annotations

import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets.model.plans import NO_CRITERIA_YET

ACCOUNT = "Istmar S.A."
OTHER = "Halflow SpA"


@pytest.fixture
def portfolio():
    return kw.samples.sample_portfolio()  # what kw.my_portfolio gives before a file is loaded


def _open(tmp_path, workbook="ann"):
    return kw.open_store(tmp_path / "w.db", workbook=workbook)


# -- lesson 12 -------------------------------------------------------------------------------------------
def _swot_page(store, portfolio):
    """The exercise cells of lesson 12: the account box, the SWOT for the chosen account, the buttons."""
    choice = kw.AccountChoice(portfolio).keep(store)
    my_swot = kw.ForAccount(choice, lambda account: kw.SwotGrid(subject=account).keep(store, account=account))
    return choice, my_swot, kw.Downloads(swot=my_swot, name="my")


def _type_row(tool, prefix, i, values):
    tool.controls[f"{prefix}add"].click()  # + Add a row
    for column, value in values.items():
        tool.controls[f"{prefix}{i}.{column}"].value = value


def test_lesson_12_the_swot_is_kept_for_the_chosen_account_and_downloaded(tmp_path, portfolio):
    store = _open(tmp_path)
    choice, my_swot, _ = _swot_page(store, portfolio)
    assert choice.value == OTHER  # the biggest account is offered first
    choice.controls["account"].value = ACCOUNT
    swot = my_swot.tool
    assert my_swot.account == ACCOUNT and swot.subject == ACCOUNT and swot.value.empty
    _type_row(swot, "item", 0, {"quadrant": "strength", "text": "Fast technical service", "importance": 5.0})
    _type_row(swot, "item", 1, {"quadrant": "threat", "text": "Cheap imports < 10% cheaper", "importance": 4.0})
    _type_row(
        swot,
        "strategy",
        0,
        {"cross": "SO", "strategy": "Service contract for the new plant", "owner": "Ann", "start": "2026-02-01"},
    )
    swot.controls["strategy0.end"].value = "2026-09-30"
    _type_row(swot, "strategy", 1, {"cross": "WT", "strategy": "Total-cost study", "owner": "Bo"})
    swot.controls["strategy1.start"].value = "2026-03-01"
    swot.controls["strategy1.end"].value = "2026-06-30"
    assert swot.value["text"].tolist() == ["Fast technical service", "Cheap imports < 10% cheaper"]
    assert swot.strategies["kind"].tolist() == ["offensive", "protective"]
    swot.flush()  # the autosave's second has passed
    choice.flush()

    # a reload: new widgets on the same workbook
    choice, my_swot, downloads = _swot_page(_open(tmp_path), portfolio)
    assert choice.value == ACCOUNT and my_swot.account == ACCOUNT
    assert sorted(my_swot.value["text"]) == ["Cheap imports < 10% cheaper", "Fast technical service"]
    restored = my_swot.tool.strategies
    assert restored["strategy"].tolist() == ["Service contract for the new plant", "Total-cost study"]
    assert restored["owner"].tolist() == ["Ann", "Bo"] and restored["kind"].tolist() == ["offensive", "protective"]
    assert str(restored["end_date"].iloc[0].date()) == "2026-09-30"

    name, page = downloads.buttons["swot_html"].file()
    assert name == "my-swot.html"
    text = page.decode("utf-8")
    assert ACCOUNT in text and "Fast technical service" in text and "Service contract for the new plant" in text
    assert "Cheap imports &lt; 10% cheaper" in text  # the learner's text is escaped

    # another account has a SWOT of its own, empty so far; the button follows the choice
    choice.controls["account"].value = OTHER
    assert my_swot.account == OTHER and my_swot.tool.subject == OTHER and my_swot.value.empty
    _, page = downloads.buttons["swot_html"].file()
    assert b"Fast technical service" not in page and OTHER.encode() in page

    # another participant's workbook on the same file sees none of it
    _, theirs, _ = _swot_page(_open(tmp_path, workbook="bob"), portfolio)
    assert theirs.account == OTHER and theirs.value.empty


# -- lesson 13 -------------------------------------------------------------------------------------------
def _plan_page(store, portfolio):
    """The exercise cells of lesson 13: the account box, the plan for the chosen account, the buttons."""
    choice = kw.AccountChoice(portfolio).keep(store)
    criteria = kw.SAMPLE_RULES if kw.samples.is_sample(portfolio) else None
    placed = kw.RuleClassifier(portfolio, criteria).keep(store).value
    my_plan = kw.ForAccount(
        choice,
        lambda account: kw.AccountPlan(
            account,
            classified=placed if account in choice.accounts else None,
            analysis=kw.CustomerAnalysis(account).keep(store, account=account),
            proposition=kw.ValueProposition(account).keep(store, account=account),
            swot=kw.SwotGrid(subject=account).keep(store, account=account),
        ).keep(store, account=account),
    )
    return choice, my_plan, kw.Downloads(plan=my_plan, name="my")


def test_lesson_13_the_plan_is_kept_for_the_chosen_account_and_downloaded(tmp_path, portfolio):
    store = _open(tmp_path)
    # earlier lessons, on the same account: lesson 8's customer analysis and lesson 12's SWOT
    analysis = kw.CustomerAnalysis(ACCOUNT).keep(store, account=ACCOUNT)
    analysis.controls["purchasing"].value = "Central tender every two years, quality signs off the shortlist."
    analysis.flush()
    swot = kw.SwotGrid(subject=ACCOUNT).keep(store, account=ACCOUNT)
    swot.set_rows([{"quadrant": "strength", "text": "Fast technical service", "importance": 5}])
    swot.flush()
    in_lesson_12 = kw.AccountChoice(portfolio).keep(store)
    in_lesson_12.controls["account"].value = ACCOUNT
    in_lesson_12.flush()

    choice, my_plan, _ = _plan_page(_open(tmp_path), portfolio)
    assert choice.value == ACCOUNT and my_plan.account == ACCOUNT  # the choice is shared by the two lessons
    plan = my_plan.tool
    assert plan.texts["position"].startswith("Key account (by the criteria of its bucket)")  # the course's placing
    assert plan.texts["purchasing"].startswith("Central tender every two years")  # from lesson 8's form
    assert "Fast technical service" in plan.texts["position"]  # the SWOT's strengths: where we stand
    assert plan.texts["benefit"] == ""  # the benefit comes from the value proposition, never from strengths
    plan.controls["direction"].value = "By 2028 their supplier for the new plant too, with > 30% of its spend."
    plan.controls["how_when"].value = "Service offer to their technical head by March 2027, contract signed in Q3."
    status = plan.value.set_index("section")["status"]
    assert status["direction"] == "green" and status["how_when"] == "green" and status["resources"] == "red"
    plan.flush()
    choice.flush()

    # a reload: new widgets on the same workbook
    choice, my_plan, downloads = _plan_page(_open(tmp_path), portfolio)
    assert choice.value == ACCOUNT and my_plan.account == ACCOUNT
    texts = my_plan.tool.texts
    assert texts["direction"].startswith("By 2028 their supplier for the new plant")
    assert "March 2027" in texts["how_when"] and texts["purchasing"].startswith("Central tender")
    assert my_plan.value.set_index("section").loc["how_when", "status"] == "green"

    name, page = downloads.buttons["plan_html"].file()
    assert name == "my-account-plan.html"
    html = page.decode("utf-8")
    assert ACCOUNT in html and "with &gt; 30% of its spend" in html and "March 2027" in html
    assert "Fast technical service" in html  # the account's SWOT from lesson 12 travels with the plan
    name, page = downloads.buttons["plan_markdown"].file()
    markdown = page.decode("utf-8")
    assert name == "my-account-plan.md" and markdown.startswith(f"# Account plan: {ACCOUNT}")
    assert "## Where we are going" in markdown and "Service offer to their technical head" in markdown
    assert "Fast technical service" in markdown

    # another account: its own plan, empty, and the buttons follow the choice
    choice.controls["account"].value = OTHER
    assert my_plan.account == OTHER and my_plan.tool.texts["direction"] == ""
    _, page = downloads.buttons["plan_markdown"].file()
    assert f"# Account plan: {OTHER}".encode() in page and b"By 2028" not in page

    # a name typed that is not in the portfolio works the same, with no error shown
    choice.controls["account"].value = "Newco Ltd"
    typed = my_plan.tool
    assert my_plan.account == "Newco Ltd" and not typed.message.value and typed.texts["position"] == ""
    typed.controls["position"].value = "A prospect: one trial order in 2026, no contract yet, two contacts."
    typed.flush()
    choice.flush()
    choice, again, _ = _plan_page(_open(tmp_path), portfolio)
    assert again.account == "Newco Ltd" and again.tool.texts["position"].startswith("A prospect")


def test_lesson_13_on_the_learners_own_file_the_bucket_comes_from_their_lesson_14_criteria(tmp_path):
    own = kw.load_portfolio(pd.DataFrame({"account": ["Big Co", "Small Co"], "revenue": [900_000.0, 20_000.0]}))
    store = _open(tmp_path)
    _, my_plan, _ = _plan_page(store, own)
    assert my_plan.account == "Big Co" and my_plan.tool.texts["position"].startswith(NO_CRITERIA_YET)  # none yet

    criteria = kw.RuleClassifier(own, None).keep(store)  # lesson 14: the learner writes a criterion
    criteria.set_rows([{"bucket": "key", "column": "revenue", "operator": ">=", "value": 500_000}])
    criteria.flush()
    choice, my_plan, _ = _plan_page(_open(tmp_path), own)
    assert my_plan.tool.texts["position"].startswith("Key account (by the criteria of its bucket). Revenue 900,000")
    choice.controls["account"].value = "Small Co"
    assert my_plan.tool.texts["position"].startswith("Not placed yet: it meets no bucket's criteria")

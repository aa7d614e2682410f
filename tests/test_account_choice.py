"""The account an exercise is about: chosen once, kept, and followed by the tools made for it."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets.errors import KamDataError


@pytest.fixture
def store(tmp_path):
    return kw.open_store(tmp_path / "w.db", workbook="ann")


def test_the_accounts_are_offered_biggest_first_and_any_name_is_taken():
    frame = pd.DataFrame({"account": ["Small", "Big", "Mid", "Big"], "revenue": [1.0, 30.0, 20.0, 30.0]})
    choice = kw.AccountChoice(frame)
    assert choice.accounts == ["Big", "Mid", "Small"] and choice.value == "Big"
    choice.controls["account"].value = "  Not in the file  "
    assert choice.value == "Not in the file" and "not in your portfolio" in choice.note.value
    with pytest.raises(KamDataError):
        kw.AccountChoice(pd.DataFrame({"name": ["x"]}))


def test_the_choice_is_kept_and_the_tools_follow_it_with_each_accounts_own_work(store, sample_portfolio):
    portfolio = sample_portfolio
    choice = kw.AccountChoice(portfolio).keep(store, delay=0)
    first = choice.value
    swot = kw.ForAccount(choice, lambda a: kw.SwotGrid(subject=a).keep(store, account=a, delay=0))
    assert swot.account == first and swot.tool.subject == first
    swot.tool.set_rows([{"quadrant": "strength", "text": "Fast <service>", "importance": 4}])
    other = choice.accounts[3]
    choice.controls["account"].value = other
    assert swot.account == other and swot.tool.subject == other and swot.value.empty  # nothing written for it yet

    # a reload: new widgets on the same store
    again = kw.AccountChoice(portfolio).keep(store, delay=0)
    assert again.value == other
    again.controls["account"].value = first
    back = kw.ForAccount(again, lambda a: kw.SwotGrid(subject=a).keep(store, account=a, delay=0))
    assert back.value["text"].tolist() == ["Fast <service>"]
    _, page = kw.Downloads(swot=back, name=back.account).buttons["swot_html"].file()
    assert b"Fast &lt;service&gt;" in page and first.split()[0].encode() in page


def test_without_a_choice_the_box_asks_for_one():
    choice = kw.AccountChoice([])
    tools = kw.ForAccount(choice, lambda a: kw.SwotGrid(subject=a))
    assert tools.tool is None and "Choose an account" in tools.children[0].value
    with pytest.raises(KamDataError):
        tools.report()
    choice.controls["account"].value = "Acme"
    assert tools.tool.subject == "Acme"


def test_notes_keep_each_exercises_answers_per_account_and_download_them(store):
    questions = {"special": "What is special about this customer?", "kam": "Would you propose KAM, and why?"}
    notes = kw.Notes("lesson_03", questions, title="Acme").keep(store, account="Acme", delay=0)
    notes.controls["kam"].value = "Yes: <a joint plant> by 2028"
    assert notes.value["answer"].tolist() == ["", "Yes: <a joint plant> by 2028"]
    again = kw.Notes("lesson_03", questions).keep(store, account="Acme")  # a reload
    assert again.texts == {"special": "", "kam": "Yes: <a joint plant> by 2028"}
    assert kw.Notes("lesson_03", questions).keep(store, account="Globex").texts["kam"] == ""
    assert kw.Notes("lesson_05", questions).keep(store, account="Acme").texts["kam"] == ""  # its own exercise
    _, data = kw.Downloads(tables={"Notes": again}, name="notes").buttons["excel"].file()
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="Notes", engine="calamine")
    assert sheet["answer"].tolist()[1] == "Yes: <a joint plant> by 2028"
    with pytest.raises(KamDataError, match="not one of these questions"):
        again.texts = {"other": "x"}
    with pytest.raises(KamDataError):
        kw.Notes("x", {})


def test_work_typed_just_before_switching_account_is_saved_before_the_tool_goes(store):
    choice = kw.AccountChoice(["Acme", "Globex"]).keep(store, delay=0)
    notes = kw.ForAccount(choice, lambda a: kw.Notes("x", {"why": "Why?"}).keep(store, account=a, delay=30))
    notes.tool.controls["why"].value = "typed a moment ago"  # its autosave would come 30 s later
    choice.controls["account"].value = "Globex"
    choice.controls["account"].value = "Acme"
    assert notes.tool.texts["why"] == "typed a moment ago"


def test_a_tool_replaced_on_the_page_hands_its_charts_place_to_the_new_tools(sample_portfolio):
    """The page waits until every chart the kernel displayed is drawn: a replaced tool's charts leave that list,
    the new tool's join it (else a chart swapped out before it was drawn was waited for for ever)."""
    from kamwidgets.widgets._chart import charts_in, plotly_library

    choice = kw.AccountChoice(sample_portfolio)
    people = kw.ForAccount(choice, lambda a: kw.StakeholderMap())
    hidden = kw.ForAccount(choice, lambda a: kw.StakeholderMap())  # made, never displayed
    people._repr_mimebundle_()
    before = [c._uid for c in charts_in(people.tool)]
    assert before and set(before) <= set(plotly_library().on_page)
    choice.controls["account"].value = choice.accounts[2]
    after = [c._uid for c in charts_in(people.tool)]
    assert after and set(after) <= set(plotly_library().on_page) and not set(before) & set(plotly_library().on_page)
    assert not {c._uid for c in charts_in(hidden.tool)} & set(plotly_library().on_page)  # not shown: not waited for


def test_a_box_shown_before_an_account_is_chosen_puts_the_chosen_tool_s_charts_on_the_page(sample_portfolio):
    from kamwidgets.widgets._chart import charts_in, plotly_library

    choice = kw.AccountChoice(sample_portfolio, account="")
    people = kw.ForAccount(choice, lambda a: kw.StakeholderMap())
    people._repr_mimebundle_()  # shown, asking for an account
    choice.controls["account"].value = choice.accounts[0]
    uids = {c._uid for c in charts_in(people.tool)}
    assert uids and uids <= set(plotly_library().on_page)
    choice.controls["account"].value = ""  # cleared: the page no longer waits for them
    assert not uids & set(plotly_library().on_page)


def test_an_account_whose_tool_cannot_be_made_says_so_and_never_passes_for_the_last_ones(store):
    choice = kw.AccountChoice(["Istmar S.A.", "Bodega Sur", "Acme"])

    def build(account):
        if account == "Bodega Sur":
            raise kw.KamDataError(f"the saved SWOT of {account} cannot be read")
        if account == "Acme":
            return kw.SwotGrid(subject=account).kep()  # a typo in a participant's build
        return kw.SwotGrid(subject=account).keep(store, account=account, delay=0)

    swot = kw.ForAccount(choice, build)
    after = kw.ForAccount(choice, lambda a: kw.Notes("x", {"why": "Why?"}, title=a))  # follows the same choice
    swot.tool.set_rows([{"quadrant": "strength", "text": "Fast service", "importance": 4}])
    choice.controls["account"].value = "Bodega Sur"
    assert "could not be made" in swot.children[0].value and "Bodega Sur cannot be read" in swot.children[0].value
    for read in (lambda: swot.tool, lambda: swot.value, swot.report):
        with pytest.raises(KamDataError, match="Bodega Sur cannot be read"):
            read()  # never Istmar's SWOT under Bodega Sur's name
    assert after.tool.title == "Bodega Sur"  # the other tools still followed the choice
    choice.controls["account"].value = "Acme"
    with pytest.raises(KamDataError, match=r"'Acme' could not be made \(AttributeError: .*'kep'"):
        _ = swot.value
    choice.controls["account"].value = "Istmar S.A."  # back: its work is there
    assert swot.value["text"].tolist() == ["Fast service"] and swot.account == "Istmar S.A."


def test_with_no_account_chosen_the_box_has_no_tool_and_the_last_ones_work_is_kept(store):
    choice = kw.AccountChoice(["Istmar S.A."])
    swot = kw.ForAccount(choice, lambda a: kw.SwotGrid(subject=a).keep(store, account=a, delay=30))
    swot.tool.set_rows([{"quadrant": "threat", "text": "Cheap imports", "importance": 3}])
    choice.controls["account"].value = ""
    assert swot.tool is None and swot.account == "" and "Choose an account" in swot.children[0].value
    with pytest.raises(KamDataError, match="no account is chosen"):
        swot.report()
    again = kw.ForAccount(kw.AccountChoice(["Istmar S.A."]), lambda a: kw.SwotGrid(subject=a).keep(store, account=a))
    assert again.value["text"].tolist() == ["Cheap imports"]  # saved when the account was left, not 30 s later

"""Saved tables come back whole: rows a later check refuses are held back on their line, never lost or saved over.

The scenario: a participant's work was saved, then a release checks more (or
the saved version was edited by hand), so some saved rows no longer pass.  The
tool shows every row as typed, says on each refused line what to change,
makes its result from the other rows, and saves nothing until the participant
changes something; what it saves then still holds the refused rows.
"""

from __future__ import annotations

import html

import pytest

import kamwidgets as kw
from kamwidgets.store import Store

from .conftest import load_sample

#: Per tool: how to make it, the settings key of its table, a good row, a row the check refuses (and why), the
#: control of the refused row's bad cell with a value that mends it (typed, as in the box the line shows), a
#: control of the good row with a new value, and the column that names a row in .value.
TOOLS = {
    "SwotGrid": (
        lambda: kw.SwotGrid(subject="Istmar S.A."),
        "items",
        {"quadrant": "strength", "text": "Fast technical service", "importance": 4},
        {"quadrant": "threat", "text": "Imports from Asia", "importance": 7},
        "outside 1-5",
        ("item1.importance", "5"),
        ("item0.importance", 3.0),
        "text",
    ),
    "StakeholderMap": (
        lambda: kw.StakeholderMap(),
        "people",
        {"person": "Ana Ruiz", "function": "Purchasing", "stance": "supporter", "influence": 6},
        {"person": "Luis Vidal", "function": "Technical", "stance": "opponent", "influence": 12},
        "outside 0-10",
        ("row1.influence", "9"),
        ("row0.function", "Finance"),
        "person",
    ),
    "ContactMatrix": (
        lambda: kw.ContactMatrix(),
        "contacts",
        {"our_side": "Sales", "their_side": "Purchasing", "frequency": "monthly", "owner": "Tiago"},
        {"our_side": "Quality", "their_side": "Quality", "frequency": "fortnightly", "owner": "Rita"},
        "'fortnightly' is not one of",
        ("row1.frequency", "quarterly"),
        ("row0.owner", "Rita"),
        "our_side",
    ),
    "BuyerChart": (
        lambda: kw.BuyerChart(),
        "buyers",
        {"buyer": "Purchasing manager", "interest": 6.0, "involvement": 7.0},
        {"buyer": "Plant engineer", "interest": 15.0, "involvement": 4.0},
        "outside 0-10",
        ("row1.interest", "8"),
        ("row0.involvement", 3.0),
        "buyer",
    ),
    "DecisionUnit": (
        lambda: kw.DecisionUnit(),
        "people",
        {"person": "Ana Ruiz", "function": "Purchasing", "role": "buyer", "influence": 6, "coverage": "strong"},
        {"person": "Luis Vidal", "function": "Technical", "role": "chief", "influence": 8, "coverage": "none"},
        "'chief' is not one of",
        ("row1.role", "decider"),
        ("row0.influence", 7.0),
        "person",
    ),
}


def _saved(store: Store, kind: str) -> dict:
    return store.load(kind)["settings"]


def _note(widget, line: int) -> str:
    """The text under an editor line, as a reader sees it."""
    return html.unescape(widget.editor._lines[line][1].value)


@pytest.mark.parametrize("name", list(TOOLS))
def test_saved_rows_the_check_now_refuses_come_back_whole_and_are_not_saved_over(tmp_path, name):
    make, key, good, bad, why, (control, mended), (elsewhere, new), named = TOOLS[name]
    store = Store(tmp_path / "s.sqlite")
    kind = make().kind
    store.save(kind, {"settings": {key: [good, bad]}})
    saved = _saved(store, kind)
    w = make().keep(store, delay=0)
    # every row is on the page, the refused one as it was typed, its line saying what to change
    field = control.split(".")[1]
    assert len(w.editor.rows()) == 2
    given = bad[field]
    assert w.controls[control].value == (f"{given:g}" if isinstance(given, (int, float)) else given)  # 7, not 7.0
    note = _note(w, 1)
    assert why in note and "row 2" in note and "\u25b2" in note
    assert _note(w, 0) == "" and why in w.error and "starts afresh" not in w.error
    assert w.message.value == ""  # said on its line, not in a banner as well
    # the result is made of the other rows; the refused one is left out until it is changed
    assert w.value[named].tolist() == [good[named]]
    # nothing is saved until the participant changes something, and what the tool would save keeps both rows
    assert len(store.history(kind)) == 1 and _saved(store, kind) == saved
    assert [r[named] for r in w.settings[key]] == [good[named], bad[named]]
    # a change elsewhere saves: the refused row is still there, as typed, and still held back
    w.controls[elsewhere].value = new
    assert len(store.history(kind)) == 2
    assert [r[named] for r in _saved(store, kind)[key]] == [good[named], bad[named]]
    assert _saved(store, kind)[key][1][field] == given  # as it was given: a refused number is not saved as text
    assert why in _note(w, 1) and w.value[named].tolist() == [good[named]]
    again = make().keep(store)  # and it comes back again the same way
    assert len(again.editor.rows()) == 2 and why in _note(again, 1)
    # mended: the line counts, the message goes, and what is saved is the checked table
    w.controls[control].value = mended
    assert w.error == "" and _note(w, 1) == ""
    assert sorted(w.value[named]) == sorted([good[named], bad[named]]) and not w.editor.held()
    assert sorted(r[named] for r in _saved(store, kind)[key]) == sorted([good[named], bad[named]])


@pytest.mark.parametrize("name", list(TOOLS))
def test_rows_of_another_shape_still_start_afresh_and_stay_in_the_store(tmp_path, name):
    make, key, good, bad, *_ = TOOLS[name]
    store = Store(tmp_path / "s.sqlite")
    kind = make().kind
    store.save(kind, {"settings": {key: [good, dict(bad, colour="blue")]}})  # a column none of the tool's
    saved = _saved(store, kind)
    w = make().keep(store, delay=0)
    assert "starts afresh" in w.error and w.editor.rows() == [] and len(w.value) == 0
    assert _saved(store, kind) == saved and len(store.history(kind)) == 1


def test_a_line_held_back_and_removed_takes_its_message_with_it(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    rows = [
        {"quadrant": "weakness", "text": "Slow quotes", "importance": 9},
        {"quadrant": "strength", "text": "Service", "importance": 4},
        {"quadrant": "threat", "text": "Imports", "importance": 0},
    ]
    store.save("swot", {"settings": {"items": rows}})
    w = kw.SwotGrid().keep(store, delay=0)
    assert sorted(w.editor.held()) == [0, 2] and w.value["text"].tolist() == ["Service"]
    assert "row 1" in w.editor.held()[0] and "row 3" in w.editor.held()[2]
    w.editor.remove_row(0)  # the lines below move up, each keeping what it had to change
    assert list(w.editor.held()) == [1] and "outside 1-5" in _note(w, 1)
    assert _note(w, 0) == "" and w.value["text"].tolist() == ["Service"]
    assert [r["text"] for r in _saved(store, "swot")["items"]] == ["Service", "Imports"]


def test_code_that_sets_refused_rows_is_still_refused_with_the_message():
    w = kw.StakeholderMap([{"person": "Ana", "stance": "supporter", "influence": 6}])
    w.set_rows([{"person": "Luis", "stance": "opponent", "influence": 12}])
    assert "outside 0-10" in w.error and w.value["person"].tolist() == ["Ana"] and not w.editor.held()


def test_saved_rules_the_check_refuses_come_back_through_the_shared_path(tmp_path):
    portfolio = load_sample()
    store = Store(tmp_path / "s.sqlite")
    first = portfolio["account"].iloc[0]
    saved = {
        "rules": [
            {"bucket": "key", "column": "share_of_wallet", "operator": ">=", "value": "30"},
            {"bucket": "key", "column": "revenue", "operator": ">=", "value": "150000"},
            {"bucket": "maintenance", "column": "sector", "operator": ">=", "value": "Retail"},
        ],
        "overrides": {first: {"bucket": "opportunistic", "reason": "sells our surplus"}},
    }
    store.save("rule_classification", {"settings": saved})
    w = kw.RuleClassifier(portfolio).keep(store, delay=0)
    assert [r["value"] for r in w.editor.rows()] == ["30", "150000", "Retail"]
    assert sorted(w.editor.held()) == [0, 2] and w.overrides == saved["overrides"]
    assert "3,000 %" in _note(w, 0) and "'sector' holds text" in _note(w, 2)
    key = w.value.loc[w.value["segment"] == "Key account", "account"]
    assert set(key) == set(portfolio.loc[portfolio["revenue"] >= 150000, "account"]) - {first}
    assert w.value.set_index("account").loc[first, "placed_by"] == "by hand"
    assert "revenue at least 150,000" in w.criteria.value  # the rules in words: those in use
    assert store.load("rule_classification")["settings"] == saved and w.settings == saved
    w.controls["rule2.operator"].value = "="  # mended: it counts; the other line still waits to be changed
    assert list(w.editor.held()) == [0] and "Maintenance account" in set(w.value["segment"].dropna())
    assert [r["operator"] for r in store.load("rule_classification")["settings"]["rules"]] == [">=", ">=", "="]


def test_a_marketing_plan_s_products_come_back_whole_and_its_texts_save_them(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    settings = kw.MarketingPlan().settings
    products = [
        {"product": "Olive oil", "market_share": 12.5, "competition": "Acme"},
        {"product": "Vinegar", "market_share": 140, "competition": "Beta"},  # % written as a count of points
    ]
    store.save("marketing_plan", {"settings": {**settings, "products": products}})
    w = kw.MarketingPlan().keep(store, delay=0)
    assert w.controls["product1.market_share"].value == "140" and "outside 0-100" in _note(w, 1)
    assert w.products["product"].tolist() == ["Olive oil"] and "outside 0-100" in w.error
    assert len(store.history("marketing_plan")) == 1
    w.texts = {**w.texts, next(iter(w.texts)): "We grow in Porto."}  # a section's text changes: saved, rows kept
    saved = store.load("marketing_plan")["settings"]["products"]
    assert len(store.history("marketing_plan")) == 2
    assert [(r["product"], r["market_share"], r["competition"]) for r in saved] == [
        ("Olive oil", 12.5, "Acme"),
        ("Vinegar", 140, "Beta"),
    ]
    w.controls["product1.market_share"].value = "14"
    assert w.error == "" and w.products["market_share"].tolist() == [12.5, 14.0]
    assert [r["market_share"] for r in store.load("marketing_plan")["settings"]["products"]] == [12.5, 14.0]


def test_saved_strategies_the_check_now_refuses_come_back_whole_and_are_not_saved_over(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    items = [{"quadrant": "strength", "text": "Fast technical service", "importance": 4}]
    strategies = [
        {
            "kind": "offensive",
            "strategy": "Service contracts",
            "owner": "Ana",
            "start": "2026-01-15",
            "end": "2026-06-30",
        },
        {"kind": "protective", "strategy": "Second source", "owner": "Rui", "start": "2026-09-01", "end": "2026-03-01"},
        {"kind": "attack", "strategy": "Win the tender", "owner": "Eva", "start": "", "end": ""},
    ]
    store.save("swot", {"settings": {"subject": "Istmar S.A.", "items": items, "strategies": strategies}})
    filled = [{**s, "cross": ""} for s in strategies]  # the optional column, saved empty
    w = kw.SwotGrid().keep(store, delay=0)
    lines = w.strategy_editor._lines
    # every strategy is on the page, each refused one as typed, its line saying what to change
    assert [r["strategy"] for r in w.strategy_editor.rows()] == ["Service contracts", "Second source", "Win the tender"]
    assert w.controls["strategy2.kind"].value == "attack" and w.controls["strategy1.start"].value == "2026-09-01"
    notes = [html.unescape(note.value) for _, note in lines]
    assert notes[0] == "" and "start is after the end" in notes[1] and "row 2" in notes[1]
    assert "'attack' is not one of" in notes[2] and "row 3" in notes[2]
    assert "start is after the end" in w.error and "'attack'" in w.error and w.message.value == ""
    # the items and the other strategy make the result; nothing is saved over the version
    assert w.value["text"].tolist() == ["Fast technical service"]
    assert w.strategies["strategy"].tolist() == ["Service contracts"]
    assert len(store.history("swot")) == 1 and w.settings["strategies"] == filled
    # a change elsewhere saves, the refused strategies still there as they were saved and still held back
    w.subject = "Istmar"
    assert len(store.history("swot")) == 2 and store.load("swot")["settings"]["strategies"] == filled
    again = kw.SwotGrid().keep(store)
    assert sorted(again.strategy_editor.held()) == [1, 2] and again.strategies["strategy"].tolist() == [
        "Service contracts"
    ]
    # removed: the line below moves up with its message; mended: it counts and the message goes
    w.strategy_editor.remove_row(1)
    assert list(w.strategy_editor.held()) == [1] and "'attack'" in html.unescape(lines[1][1].value)
    w.controls["strategy1.kind"].value = "offensive"
    assert w.error == "" and not w.strategy_editor.held() and lines[1][1].value == ""
    assert w.strategies["strategy"].tolist() == ["Service contracts", "Win the tender"]
    assert [s["kind"] for s in store.load("swot")["settings"]["strategies"]] == ["offensive", "offensive"]


def test_strategies_of_another_shape_are_refused_whole_and_the_grid_keeps_what_it_had():
    w = kw.SwotGrid(strategies=[{"kind": "offensive", "strategy": "Service contracts"}])
    with pytest.raises(kw.KamDataError, match="'attack' is not one of"):
        w.apply_settings({"strategies": [{"strategy": "Win the tender", "kind": "attack", "budget": 5}]})
    assert [r["strategy"] for r in w.strategy_editor.rows()] == ["Service contracts"] and not w.strategy_editor.held()


def test_a_name_saved_twice_keeps_the_row_written_first_and_holds_back_the_second(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    rows = [
        {"person": "Ana Ruiz", "function": "Purchasing", "stance": "supporter", "influence": 6},
        {"person": "Luis Vidal", "function": "Technical", "stance": "opponent", "influence": 4},
        {"person": "Ana Ruiz", "function": "Finance", "stance": "neutral", "influence": 2},
    ]
    store.save("stakeholders", {"settings": {"people": rows}})
    w = kw.StakeholderMap().keep(store, delay=0)
    assert list(w.editor.held()) == [2] and "more than once" in _note(w, 2) and _note(w, 0) == ""
    assert w.value.set_index("person").loc["Ana Ruiz", "function"] == "Purchasing"  # the first one counts
    assert [r["function"] for r in w.settings["people"]] == ["Purchasing", "Technical", "Finance"]
    w.controls["row2.person"].value = "Ana Ortega"  # renamed: both count
    assert not w.editor.held() and sorted(w.value["person"]) == ["Ana Ortega", "Ana Ruiz", "Luis Vidal"]


def test_a_name_typed_again_is_the_problem_of_the_row_it_is_typed_in():
    w = kw.StakeholderMap(
        [
            {"person": "Ana Ruiz", "stance": "supporter", "influence": 6},
            {"person": "Luis Vidal", "stance": "opponent", "influence": 4},
        ]
    )
    w.controls["row1.person"].value = "Ana Ruiz"
    assert "more than once" in _note(w, 1) and _note(w, 0) == ""


def test_an_optional_number_not_given_stays_empty_and_is_saved_empty(tmp_path):
    """A product saved without its market share came back as 0 % (a number box cannot be empty) and was saved so."""
    store = Store(tmp_path / "s.sqlite")
    products = [{"product": "Olive oil", "competition": "Acme"}, {"product": "Vinegar", "market_share": 12.5}]
    store.save("marketing_plan", {"settings": {**kw.MarketingPlan().settings, "products": products}})
    w = kw.MarketingPlan().keep(store, delay=0)
    box = w.controls["product0.market_share"]
    assert box.value == "" and w.controls["product1.market_share"].value == "12.5"
    assert w.products["market_share"].isna().tolist() == [True, False] and w.error == ""
    w.controls["product0.competition"].value = "Acme and Beta"  # a change elsewhere saves the row still without it
    saved = store.load("marketing_plan")["settings"]["products"]
    assert saved[0]["competition"] == "Acme and Beta" and saved[0]["market_share"] != saved[0]["market_share"]  # NaN
    assert saved[1]["market_share"] == 12.5
    assert kw.MarketingPlan().keep(store).controls["product0.market_share"].value == ""
    box.value = "8,5"  # typed as the files write it
    assert w.products["market_share"].tolist() == [8.5, 12.5]
    assert store.load("marketing_plan")["settings"]["products"][0]["market_share"] == 8.5
    again = kw.MarketingPlan().keep(store)  # after a reload the share typed can still be emptied
    again.controls["product0.market_share"].value = ""
    assert again.products["market_share"].isna().tolist() == [True, False]
    again.controls["product1.market_share"].value = 30  # code may set a number: it shows as typed
    assert again.controls["product1.market_share"].value == "30" and again.products["market_share"].iloc[1] == 30
    w.editor.add_row()  # a new row starts without a share, not at 0
    assert w.controls["product2.market_share"].value == ""


def test_two_names_each_saved_twice_hold_back_each_repeat_with_its_own_name(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    rows = [
        {"person": "Ana", "stance": "supporter", "influence": 6},
        {"person": "Luis", "stance": "opponent", "influence": 4},
        {"person": "Ana", "stance": "neutral", "influence": 2},
        {"person": "Luis", "stance": "neutral", "influence": 3},
    ]
    store.save("stakeholders", {"settings": {"people": rows}})
    w = kw.StakeholderMap().keep(store, delay=0)
    held = w.editor.held()
    assert sorted(held) == [2, 3] and "'Ana'" in held[2] and "'Luis'" in held[3]
    assert "rows 1, 3:" in held[2] and "rows 2, 4:" in held[3]  # each name's own rows, not every repeat's
    assert w.value["person"].tolist() == ["Ana", "Luis"]


def test_a_pair_saved_twice_in_the_contact_matrix_is_held_back_with_its_own_pair(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    rows = [
        {"our_side": "Sales", "their_side": "Purchasing", "frequency": "monthly"},
        {"our_side": "Quality", "their_side": "Quality", "frequency": "monthly"},
        {"our_side": "Sales", "their_side": "Purchasing", "frequency": "weekly"},
        {"our_side": "Quality", "their_side": "Quality", "frequency": "weekly"},
    ]
    store.save("contact_matrix", {"settings": {"contacts": rows}})
    w = kw.ContactMatrix().keep(store, delay=0)
    held = w.editor.held()
    assert sorted(held) == [2, 3] and "'Sales'" in held[2] and "'Quality'" in held[3]


def test_a_name_typed_again_in_an_upper_row_is_that_row_s_problem():
    w = kw.StakeholderMap(
        [
            {"person": "Ana", "stance": "supporter", "influence": 6},
            {"person": "Luis", "stance": "opponent", "influence": 4},
            {"person": "Marta", "stance": "neutral", "influence": 2},
        ]
    )
    w.controls["row0.person"].value = "Marta"  # typed above the Marta already there
    assert "more than once" in _note(w, 0) and _note(w, 2) == ""


def test_a_refused_optional_number_is_a_box_that_can_be_emptied_and_set_from_code():
    w = kw.MarketingPlan(products=[{"product": "A", "market_share": 12}, {"product": "B", "market_share": "140"}])
    box = w.controls["product1.market_share"]
    assert box.value == "140" and box.placeholder == "optional" and "outside 0-100" in w.error
    box.value = 30  # code may set a number
    assert box.value == "30" and w.products["market_share"].tolist() == [12.0, 30.0] and w.error == ""
    box.value = float("nan")
    assert box.value == "" and w.products["market_share"].isna().tolist() == [False, True]


def test_a_problem_of_two_rows_stays_on_its_line_while_other_rows_change():
    w = kw.StakeholderMap(
        [
            {"person": "Ana", "stance": "supporter", "influence": 6},
            {"person": "Luis", "stance": "opponent", "influence": 4},
            {"person": "Marta", "stance": "neutral", "influence": 2},
            {"person": "Rui", "stance": "neutral", "influence": 2},
        ]
    )
    w.controls["row1.person"].value = "Marta"  # typed above the Marta already there: said there
    assert "more than once" in _note(w, 1) and _note(w, 2) == ""
    w.controls["row3.influence"].value = 5  # another row changes: the message stays where it is
    assert "more than once" in _note(w, 1) and _note(w, 2) == ""
    w.editor.remove_row(0)  # the lines move up, the message with its line
    assert "more than once" in _note(w, 0) and _note(w, 1) == ""


def test_a_choice_given_in_another_case_or_spelling_is_kept_on_a_line_shown_as_typed():
    """A row refused for another cell is shown as typed: its choice given as "Opponent" stays opponent."""
    w = kw.StakeholderMap(
        [{"person": "Ana", "stance": "Opponent", "influence": 50}, {"person": "Luis", "stance": "supporter"}]
    )
    assert w.controls["row0.stance"].value == "opponent" and "outside 0-10" in w.error
    w.controls["row0.influence"].value = "5"
    assert w.value.set_index("person").loc["Ana", "stance"] == "opponent"


def test_a_pair_repeated_in_a_contacts_file_is_named_by_the_file_s_lines(tmp_path):
    from kamwidgets.model.contacts import check_contacts

    path = tmp_path / "contacts.csv"
    path.write_text("our_side,their_side,frequency\nSales,Purchasing,monthly\nQ,Q,monthly\nSales,Purchasing,weekly\n")
    with pytest.raises(kw.KamDataError) as err:
        check_contacts(path)
    assert err.value.rows == [2, 4] and "contacts.csv" in str(err.value)


def test_the_questionnaire_moves_the_sliders_of_the_buyer_chosen_with_a_line_held_back_above(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    rows = [
        {"buyer": "Old", "interest": 2.0, "involvement": 15.0},  # refused now: held back
        {"buyer": "Eva", "interest": 3.0, "involvement": 3.0},
    ]
    store.save(kw.BuyerChart().kind, {"settings": {"buyers": rows}})
    w = kw.BuyerChart().keep(store, delay=0)
    assert list(w.editor.held()) == [0]
    w.controls["questionnaire_buyer"].value = "Eva"
    for control in [k for k in w.controls if k.startswith("q_")]:
        w.controls[control].value = 5
    w.apply_questionnaire()
    assert w.controls["row0.interest"].value == 2.0 and list(w.editor.held()) == [0]  # the held line untouched
    eva = w.value.set_index("buyer").loc["Eva"]
    assert eva["interest"] != 3.0 and eva["involvement"] != 3.0

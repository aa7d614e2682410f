"""Widget inputs are traits: one source of truth for the controls, ``.value``, ``.settings`` and the charts.

For every widget, each input trait is set once from Python and once by
moving its controls (as a participant would); both widgets must end in the
same state.  Inputs without a control must recompute when set.
"""

from __future__ import annotations

import ast
import dataclasses
import pathlib
import tempfile

import numpy as np
import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets.charts import buyer_chart, portfolio_matrix, stability_chart

from .conftest import classify_sample, load_sample

ATTRACTIVENESS = [c.column for c in kw.SAMPLE_ATTRACTIVENESS]


def _classification():
    return kw.ClassificationWidget(load_sample(), kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)


def _readiness():
    classified = classify_sample()
    return kw.MakingItHappen(classified)


def _picker():
    """A picker holding a two-sheet workbook (choices are only possible once a file is there)."""
    import io

    book = io.BytesIO()
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        pd.DataFrame({"Customer": ["Acme", "Globex"], "Revenue": [100, 250], "Rep": ["Ann", "Bo"]}).to_excel(
            xl, sheet_name="Accounts", index=False
        )
        pd.DataFrame({"Customer": ["Acme", "Acme"], "Amount": [1, 2], "Date": ["2026-01-05", "2026-02-01"]}).to_excel(
            xl, sheet_name="Orders", index=False
        )
    picker = kw.DataPicker()
    picker.load_file("book.xlsx", book.getvalue())
    return picker


def _first_accounts(n: int) -> tuple:
    return tuple(load_sample()["account"][:n])


# widget -> (factory, {trait: (value to set, {control: what the participant puts in it})})
CASES = {
    "ClassificationWidget": (
        _classification,
        {
            "weights": ({"revenue": 80, "relationship": 5}, {"revenue": 80, "relationship": 5}),
            "thresholds": ((6.5, 4), {"attractiveness_threshold": 6.5, "strength_threshold": 4}),
            "labels": (
                {"key": "Partner", "opportunistic": "Transactional"},
                {
                    "label_key": "Partner",
                    "label_opportunistic": "Transactional",
                },
            ),
            "hours": ({"key": 8, "maintenance": 1.5}, {"hours_key": 8, "hours_maintenance": 1.5}),
            "max_key_accounts": (2, {"max_key_accounts": 2}),
        },
    ),
    "BuyerChart": (
        lambda: kw.BuyerChart(kw.sample_path("account_buyers")),
        {"thresholds": ((8, 2), None), "labels": ({"strategic": "Partner"}, {"label_strategic": "Partner"})},
    ),
    "DecisionUnit": (lambda: kw.DecisionUnit(kw.sample_path("account_dmu")), {}),
    "ContactMatrix": (
        lambda: kw.ContactMatrix(kw.sample_path("account_contacts")),
        {"their": (["Finance", "Legal"], None)},
    ),
    "StakeholderMap": (
        lambda: kw.StakeholderMap(kw.sample_path("account_stakeholders")),
        {"min_influence": (7.0, None)},
    ),
    "SpectrumWidget": (
        lambda: kw.SpectrumWidget(our_intent=8, customer_intent=6, contacts=kw.sample_path("account_contacts")),
        {
            "our_intent": (3.5, {"our_intent": 3.5}),
            "customer_intent": (9, {"customer_intent": 9}),
            "seller": ("Key account manager", {"seller": "Key account manager"}),
            "buyer": ("Buyer", {"buyer": "Buyer"}),
        },
    ),
    "SwotGrid": (
        lambda: kw.SwotGrid([{"quadrant": "strength", "text": "Service", "importance": 4}]),
        {"subject": ("Istmar <S.A.>", {"subject": "Istmar <S.A.>"})},
    ),
    "AccountPlan": (
        lambda: kw.AccountPlan("Istmar S.A."),
        {
            "texts": (
                {"position": "We supply a third of their needs."},
                {"position": "We supply a third of their needs."},
            ),
            "extended": (True, {"extended": True}),
        },
    ),
    "CustomerAnalysis": (
        lambda: kw.CustomerAnalysis("Istmar S.A."),
        {"texts": ({"growth": "A second plant in 2028."}, {"growth": "A second plant in 2028."})},
    ),
    "ValueProposition": (
        lambda: kw.ValueProposition("Istmar S.A."),
        {"texts": ({"their_gain": "Less downtime."}, {"their_gain": "Less downtime."})},
    ),
    "MarketingPlan": (
        lambda: kw.MarketingPlan("North", 2026),
        {
            "region": ("South", {"region": "South"}),
            "year": (2027, {"year": 2027}),
            "texts": ({"vision": "Grow with the top ten."}, {"vision": "Grow with the top ten."}),
        },
    ),
    "MakingItHappen": (
        _readiness,
        {
            "answers": ({"r1": 1, "g2": 5}, {"q_r1": 1, "q_g2": 5}),
            "pilot_accounts": (_first_accounts(2), {"pilots": _first_accounts(2)}),
            "lessons": (("Start small", "", ""), {"lesson_1": "Start small"}),
        },
    ),
    "DataPicker": (
        _picker,
        {
            "row_kind": ("transactions", {"row_kind": "transactions"}),
            "sheet": ("Orders", {"sheet": "Orders"}),
            "columns": ({"account_manager": ""}, {"map_account_manager": ""}),
            "make_ids": (True, {"make_ids": True}),
        },
    ),
    "RuleClassifier": (
        lambda: kw.RuleClassifier(load_sample(), kw.SAMPLE_RULES),
        {"overrides": ({"Estmar AG": {"bucket": "development", "reason": "a new plant"}}, None)},
    ),
    "AccountChoice": (
        lambda: kw.AccountChoice(load_sample()),
        {"account": ("Istmar S.A.", {"account": "Istmar S.A."})},
    ),
    "Notes": (
        lambda: kw.Notes("test", {"why": "Why this customer?", "next": "What next?"}),
        {"texts": ({"why": "A new plant."}, {"why": "A new plant."})},
    ),
    "Quiz": (
        lambda: kw.Quiz("lesson_04"),
        {"answers": ({"hunter": "b"}, {"hunter": "b"})},
    ),
    "RoomView": (
        lambda: kw.RoomView(kw.open_store(f"sqlite:///{tempfile.mkdtemp()}/room.sqlite", workbook="host")),
        {"anonymous": (True, {"anonymous": True})},
    ),
}


def test_every_widget_is_covered():
    widgets = {
        n
        for n in kw.widgets.__all__
        if isinstance(getattr(kw.widgets, n), type)
        and issubclass(getattr(kw.widgets, n), kw.widgets.KamWidget)
        and n != "KamWidget"
    }
    assert widgets == set(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_the_inputs_are_the_traits_listed(name):
    factory, cases = CASES[name]
    widget = factory()
    assert widget.inputs == tuple(cases)  # in the order the docs and settings give them
    for trait in widget.inputs:
        assert widget.has_trait(trait), trait


def _same(a, b) -> bool:
    if isinstance(a, pd.DataFrame):
        return isinstance(b, pd.DataFrame) and a.equals(b)
    return a == b


CASE_IDS = [(name, trait) for name, (_, cases) in CASES.items() for trait in cases]


@pytest.mark.parametrize(("name", "trait"), CASE_IDS, ids=[f"{n}.{t}" for n, t in CASE_IDS])
def test_setting_a_trait_or_moving_its_control_gives_the_same_state(name, trait):
    factory, cases = CASES[name]
    new, moves = cases[trait]
    by_trait, by_control, untouched = factory(), factory(), factory()
    setattr(by_trait, trait, new)
    if moves is None:  # a setting without a control: setting it must recompute
        assert not _same(by_trait.value, untouched.value) or by_trait.figure.to_json() != untouched.figure.to_json()
        return
    for control, value in moves.items():
        by_control.controls[control].value = value
    assert _same(by_trait.value, by_control.value)
    assert by_trait.settings == by_control.settings
    assert by_trait.settings != untouched.settings
    assert getattr(by_control, trait) == getattr(by_trait, trait)
    for control, value in moves.items():  # the trait moved the controls too
        assert by_trait.controls[control].value == value
    assert not by_trait.error and not by_control.error


def test_a_new_setting_without_control_follows_a_fresh_widget():
    """BuyerChart.thresholds, StakeholderMap.min_influence, ContactMatrix.their: set later = given at the start."""
    rows = kw.sample_path("account_buyers")
    later = kw.BuyerChart(rows)
    later.thresholds = (8, 2)
    assert later.value.equals(kw.BuyerChart(rows, thresholds=(8, 2)).value)
    assert [s.x0 for s in later.figure.layout.shapes if s.x0 == s.x1] == [2]
    people = kw.sample_path("account_stakeholders")
    moved = kw.StakeholderMap(people)
    moved.min_influence = 7
    assert moved.suggestions.equals(kw.StakeholderMap(people, min_influence=7).suggestions)
    assert len(moved.suggestions) < len(kw.StakeholderMap(people).suggestions)
    contacts = kw.sample_path("account_contacts")
    gaps = kw.ContactMatrix(contacts)
    gaps.their = ["Legal"]
    assert "Legal" in gaps.coverage.index.tolist() or "Legal" in gaps.wide.columns
    assert gaps.coverage.equals(kw.ContactMatrix(contacts, their=["Legal"]).coverage)


def test_the_scorer_follows_a_weight_at_once():
    """The slider, the trait, the result and its record agree right after a move (no stale weights)."""
    w = _classification()
    w.controls["revenue"].value = 80
    assert w.weights["revenue"] == 80
    recorded = {c["column"]: c["weight"] for c in w.value.attrs["classification"]["attractiveness"]}
    assert recorded["revenue"] == 80
    expected = kw.classify(
        w.portfolio,
        [dataclasses.replace(c, weight=80) if c.column == "revenue" else c for c in kw.SAMPLE_ATTRACTIVENESS],
        kw.SAMPLE_STRENGTH,
        thresholds=w.thresholds,
    )
    np.testing.assert_allclose(w.value["attractiveness"], expected["attractiveness"])


@pytest.mark.parametrize(
    ("trait", "bad", "words"),
    [
        ("thresholds", (11, 5), "from 0 to 10"),
        ("hours", {"key": 200}, "from 0 to 168"),
        ("max_key_accounts", -1, "whole number"),
        ("labels", {"key": "Maintenance account"}, "same label"),
        ("weights", {"not_a_column": 3}, "not a criterion"),
        ("weights", dict.fromkeys(ATTRACTIVENESS, 0), "needs at least one criterion with a weight above 0"),
    ],
)
def test_a_refused_trait_changes_nothing(trait, bad, words):
    w = _classification()
    before, value = w.settings, w.value
    with pytest.raises(kw.KamDataError, match=words):
        setattr(w, trait, bad)
    assert w.settings == before and w.value is value


def test_a_refused_control_goes_back_and_says_why():
    w = _classification()
    before = w.settings
    w.controls["label_key"].value = "Maintenance account"  # the name of another bucket
    assert "same label" in w.error
    assert w.controls["label_key"].value == "Key account" and w.labels["key"] == "Key account"
    for column in ATTRACTIVENESS:  # the last weight above 0 cannot go to 0
        w.controls[column].value = 0
    assert "needs at least one criterion with a weight above 0" in w.error
    assert sum(w.weights[c] for c in ATTRACTIVENESS) > 0
    assert [w.controls[c].value for c in ATTRACTIVENESS] == [w.weights[c] for c in ATTRACTIVENESS]
    w.controls["label_key"].value = "Partner"  # a good move clears the message
    assert not w.error and w.settings != before


def test_model_and_widget_refuse_the_same_hours(sample_classified):
    """One rule: 0-168 hours a week in balance(), effort() and the widget alike."""
    classified = sample_classified
    for call in (
        lambda: kw.balance(classified, hours={"key": 200}),
        lambda: kw.model.effort(classified, hours={"key": 200}),
        lambda: setattr(_classification(), "hours", {"key": 200}),
    ):
        with pytest.raises(kw.KamDataError, match="from 0 to 168"):
            call()
    assert kw.balance(classified, hours={"key": 168})["hours_per_week"].max() > 0


def _attrs_reads(path: pathlib.Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "attrs"]


def test_no_chart_reads_dataframe_attrs():
    charts = pathlib.Path(kw.__file__).parent / "charts"
    assert {p.name: _attrs_reads(p) for p in charts.glob("*.py") if _attrs_reads(p)} == {}


def test_charts_draw_from_their_arguments_whatever_the_frame_carries(sample_portfolio):
    classified = kw.classify(sample_portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH, thresholds=(7, 3))
    stripped = classified.copy()
    stripped.attrs = {}
    lying = classified.copy()
    lying.attrs["classification"] = {"thresholds": [1, 9]}
    figures = [portfolio_matrix(f, thresholds=(7, 3)).to_json() for f in (classified, stripped, lying)]
    assert figures[0] == figures[1] == figures[2]
    shapes = portfolio_matrix(stripped, thresholds=(7, 3)).layout.shapes
    assert (shapes[0].x0, shapes[1].y0) == (3, 7)
    fragile = kw.stability(classified, draws=20, seed=1)
    fragile.attrs = {}
    fig = stability_chart(fragile, thresholds=(7, 3), spread=0.2, draws=20)
    assert (fig.layout.shapes[0].x0, fig.layout.shapes[1].y0) == (3, 7)
    assert "20 draws" in fig.layout.title.text
    placed = kw.model.buyers.place_buyers(kw.sample_path("account_buyers"), thresholds=(6, 4))
    fig = buyer_chart(placed, thresholds=(6, 4), labels={"strategic": "Partner"})
    assert (fig.layout.shapes[0].x0, fig.layout.shapes[1].y0) == (4, 6)
    assert "Partner" in {a.text for a in fig.layout.annotations}


#: One refusal per kind of input, with the words the widgets have always given (kamwidgets/widgets/_traits.py).
REFUSED = [
    ("AccountChoice", "account", 3, "the account must be text, not 3."),
    ("BuyerChart", "thresholds", "55", "thresholds must be two numbers (interest, involvement), not '55'."),
    ("BuyerChart", "labels", {"nope": "x"}, "'nope' is not a buyer position."),
    ("ClassificationWidget", "thresholds", (1,), "thresholds must be two numbers (attractiveness, strength), not"),
    ("ClassificationWidget", "max_key_accounts", 2.5, "max_key_accounts must be a whole number of 0 or more, not 2.5."),
    ("ContactMatrix", "their", [""], "their functions: '' is not a name."),
    ("DataPicker", "row_kind", "rows", "what a row is: 'rows' is not an option."),
    ("DataPicker", "make_ids", 1, "make_ids must be True or False, not 1."),
    ("AccountPlan", "extended", "yes", "extended must be True or False, not 'yes'."),
    ("MarketingPlan", "region", None, "region must be text, not None."),
    ("MarketingPlan", "year", 2200, "the year 2200 is too far ahead."),
    ("MarketingPlan", "year", 1980, "year must be a whole number of 1990 or more, not 1980."),
    ("MakingItHappen", "lessons", (1,), "lesson 1 must be text, not 1."),
    ("RoomView", "anonymous", 0, "anonymous must be True or False, not 0."),
    ("SpectrumWidget", "our_intent", 11, "our intent must be a number from 0 to 10, not 11."),
    ("SpectrumWidget", "buyer", None, "buyer must be text, not None."),
    ("StakeholderMap", "min_influence", 12, "min_influence must be a number from 0 to 10, not 12."),
    ("SwotGrid", "subject", 1, "subject must be text, not 1."),
]


@pytest.mark.parametrize(("name", "trait", "bad", "words"), REFUSED, ids=[f"{n}.{t}" for n, t, *_ in REFUSED])
def test_each_kind_of_input_refuses_with_the_models_words(name, trait, bad, words):
    widget = CASES[name][0]()
    before = getattr(widget, trait)
    with pytest.raises(kw.KamDataError) as refused:
        setattr(widget, trait, bad)
    assert str(refused.value).startswith(words)
    assert getattr(widget, trait) == before


def test_an_input_is_kept_as_its_check_returns_it():
    choice = kw.AccountChoice(account="  Halflow SpA ")
    assert choice.account == "Halflow SpA"  # trimmed
    plan = kw.MakingItHappen()
    plan.lessons = ["one"]
    assert plan.lessons == ("one", "", "")
    contacts = kw.ContactMatrix(their=[" Legal ", "Legal", "Quality"])
    assert contacts.their == ["Legal", "Quality"]

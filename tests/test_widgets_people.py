"""The people widgets driven from Python: tables in, frames, figures and suggestions out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets.model import buyers, contacts, dmu, stakeholders
from kamwidgets.store import Store

THEIR = ["Purchasing", "Technical", "Quality", "Production", "Finance", "Maintenance"]


def test_buyer_chart_sliders_labels_and_questionnaire():
    w = kw.BuyerChart(kw.sample_path("account_buyers"))
    assert w.value["quadrant"].tolist() == ["Ratifier", "Strategic"]
    w.controls["row0.interest"].value = 9
    assert w.value["quadrant"].tolist()[0] == "Strategic"
    np.testing.assert_allclose(w.figure.data[0].y, w.value["interest"])
    np.testing.assert_allclose(w.figure.data[0].x, w.value["involvement"])
    w.controls["label_strategic"].value = "Partner"
    assert w.value["quadrant"].tolist() == ["Partner", "Partner"]
    assert "Partner" in {a.text for a in w.figure.layout.annotations}
    # the questionnaire places the chosen buyer
    w.controls["questionnaire_buyer"].value = w.value["buyer"].iloc[1]
    for q in buyers.QUESTIONS:
        w.controls[f"q_{q['id']}"].value = 1 if q["axis"] == "interest" else 5
    w.controls["apply_questionnaire"].click()
    assert (w.value["interest"].iloc[1], w.value["involvement"].iloc[1]) == (0.0, 10.0)
    assert w.value["key"].iloc[1] == "ratifier"
    w.controls["rowadd"].click()
    w.controls["row2.buyer"].value = "New buyer"
    assert len(w.value) == 3
    w.controls["rowremove0"].click()
    assert w.value["buyer"].tolist() == ["Rui Barros (Technical)", "New buyer"]


def test_decision_unit_messages_next_to_the_field():
    w = kw.DecisionUnit(kw.sample_path("account_dmu"))
    expected, warnings = dmu.dmu_summary(pd.read_csv(kw.sample_path("account_dmu")))
    pd.testing.assert_frame_equal(w.value, expected)
    assert w.warnings == warnings
    bars = {y: x for trace in w.figure.data if trace.type == "bar" for y, x in zip(trace.y, trace.x)}
    assert bars == dict(zip(expected["person"], expected["influence"]))
    assert list(w.figure.layout.yaxis.categoryarray) == expected["person"].tolist()  # most influential first
    good = w.value
    w.controls["row0.influence"].value = 14
    assert "outside 0-10" in w.error and "row 1" in w.error
    assert "outside 0-10" in w.editor._lines[0][1].value  # on the line concerned
    assert w.value is good  # the last good table stays
    w.controls["row0.influence"].value = 8
    assert w.error == "" and w.editor._lines[0][1].value == ""
    w.set_rows([{"person": "A", "role": "chief"}])
    assert "'chief' is not one of" in w.error and w.value is not None


def test_decision_unit_warns_when_only_the_purchaser_is_reached():
    w = kw.DecisionUnit(
        [
            {"person": "Buyer", "role": "buyer", "coverage": "strong"},
            {"person": "Engineer", "role": "decider", "influence": 9, "coverage": "none"},
        ]
    )
    assert any("only contact is the purchaser" in x for x in w.warnings)
    assert "only contact is the purchaser" in w.notes.value
    w.controls["row1.coverage"].value = "good"
    assert not any("only contact" in x for x in w.warnings)


def test_contact_matrix_wide_long_and_gaps():
    w = kw.ContactMatrix(kw.sample_path("account_contacts"), their=THEIR)
    assert list(w.wide.columns) == THEIR
    assert w.coverage.set_index("their_side").loc["Quality", "gap"]
    heat = w.figure.data[0]
    assert list(heat.y) == list(w.wide.index) and list(heat.x) == THEIR
    w.controls["rowadd"].click()
    n = len(w.value)
    w.controls[f"row{n}.our_side"].value = "Quality"
    w.controls[f"row{n}.their_side"].value = "Quality"
    assert len(w.value) == n + 1 and not w.coverage.set_index("their_side").loc["Quality", "gap"]
    wide = kw.ContactMatrix(w.wide, wide=True)
    pd.testing.assert_frame_equal(wide.wide, contacts.to_wide(w.value))


def test_stakeholders_follow_the_contact_matrix():
    c = kw.ContactMatrix(kw.sample_path("account_contacts"), their=THEIR)
    w = kw.StakeholderMap(kw.sample_path("account_stakeholders"), contacts=c)
    pd.testing.assert_frame_equal(w.suggestions, stakeholders.suggest_moves(w.value, c.value))
    assert set(w.suggestions.loc[w.suggestions["supporter"] == "Jorge Alves", "ask"]) == {"(nobody yet)"}
    n = len(c.value)
    c.controls["rowadd"].click()
    c.controls[f"row{n}.our_side"].value = "Quality lab"
    c.controls[f"row{n}.their_side"].value = "Quality"
    c.controls[f"row{n}.owner"].value = "Ines"
    assert set(w.suggestions.loc[w.suggestions["supporter"] == "Jorge Alves", "ask"]) == {"Ines"}
    arrows = [a for a in w.figure.layout.annotations if a.showarrow]
    assert len(arrows) == w.suggestions["reluctant"].nunique()
    w.controls["row1.stance"].value = "opponent"  # Rui turns: fewer supporters
    assert "Rui Barros" not in set(w.suggestions["supporter"])


def test_spectrum_follows_intents_and_contacts():
    c = kw.ContactMatrix([{"our_side": "Sales", "their_side": "Purchasing", "frequency": "weekly"}])
    w = kw.SpectrumWidget(8, 8, contacts=c)
    assert w.value.loc["recommended", "number"] == 4 and w.value.loc["today", "number"] == 1
    assert "Next step" in w.summary.value
    w.controls["customer_intent"].value = 2
    assert w.value.loc["recommended", "number"] == 1
    assert "half-open door" in w.value.loc["recommended", "warning"]
    c.controls["rowadd"].click()
    c.controls["row1.our_side"].value = "Sales"
    c.controls["row1.their_side"].value = "Quality"
    assert w.value.loc["today", "number"] == 2
    names = {t.text for t in w.figure.data[-1:]} | set(w.figure.data[-1].text)
    assert "Quality" in names


def test_people_widgets_escape_user_text():
    evil = '<img src=x onerror="alert(1)">'
    widgets = [
        kw.BuyerChart([{"buyer": evil, "interest": 3, "involvement": 4}]),
        kw.DecisionUnit(
            [
                {"person": evil, "function": "<b>x</b>", "role": "buyer", "coverage": "strong"},
                {"person": "T", "role": "decider", "influence": 9},
            ]
        ),
        kw.ContactMatrix([{"our_side": evil, "their_side": "<script>x()</script>", "frequency": "weekly"}]),
        kw.StakeholderMap(
            [
                {"person": evil, "stance": "opponent", "influence": 9},
                {"person": "<script>y()</script>", "stance": "supporter", "influence": 9},
            ]
        ),
    ]
    for w in widgets:
        html = "".join(getattr(w, name).value for name in ("advice", "notes", "message") if hasattr(w, name))
        blob = html + w.figure.to_json()
        assert "<img" not in blob and "<script" not in blob and "<b>x" not in blob
    # the warnings are a list in Python and a bulleted list in a notebook, user text escaped in both ways
    unit, matrix = widgets[1], widgets[2]
    for notes in (unit.warnings, matrix.warnings):
        assert isinstance(notes, list) and notes and all(isinstance(n, str) for n in notes)
        shown = notes._repr_html_()
        assert shown.count("<li>") == len(notes) and "<script" not in shown and "<img" not in shown
    assert any(evil in n for n in matrix.warnings)  # the words themselves are kept as typed
    assert kw.DecisionUnit().warnings._repr_html_() == "<p><i>Nothing to point out.</i></p>"


@pytest.mark.parametrize(
    "make",
    [
        lambda: kw.BuyerChart(kw.sample_path("account_buyers")),
        lambda: kw.DecisionUnit(kw.sample_path("account_dmu")),
        lambda: kw.ContactMatrix(kw.sample_path("account_contacts"), their=THEIR),
        lambda: kw.StakeholderMap(kw.sample_path("account_stakeholders")),
        lambda: kw.SpectrumWidget(7, 4, contacts=pd.read_csv(kw.sample_path("account_contacts"))),
    ],
)
def test_people_widgets_save_and_restore(tmp_path, make):
    store = Store(tmp_path / "s.sqlite")
    w = make().autosave(store, account="Istmar S.A.", delay=0)
    first = next(k for k in w.controls if k.endswith((".influence", ".interest", ".frequency")) or k == "our_intent")
    w.controls[first].value = "yearly" if first.endswith(".frequency") else 3
    assert len(store.history(w.kind, account="Istmar S.A.")) == 1
    fresh = make()
    fresh.restore(store, account="Istmar S.A.")
    assert fresh.settings == w.settings
    pd.testing.assert_frame_equal(fresh.value, w.value)

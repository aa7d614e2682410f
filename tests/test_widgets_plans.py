"""SWOT, plans and readiness widgets from Python; the batch of key-account reports."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys

import ipywidgets as W
import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets._files import file_stem
from kamwidgets.model import swot
from kamwidgets.model.plans import plan_year
from kamwidgets.store import Store
from kamwidgets.widgets._form import lines_needed

from .conftest import DATA, classify_sample

ITEMS = [
    {"quadrant": "strength", "text": "Fast service", "importance": 5},
    {"quadrant": "weakness", "text": "High price", "importance": 4},
    {"quadrant": "opportunity", "text": "New plant", "importance": 4},
    {"quadrant": "threat", "text": "Cheap imports", "importance": 5},
]
STRATEGIES = [
    {
        "cross": "SO",
        "strategy": "Service contract for the new plant",
        "owner": "Maria",
        "start": "2026-01-15",
        "end": "2026-06-30",
    },
    {"cross": "WT", "strategy": "Cost-down project", "owner": "Tiago", "start": "2026-03-01", "end": "2026-12-31"},
]


@pytest.fixture
def classified():
    return classify_sample()


def test_swot_grid_items_strategies_and_timeline():
    w = kw.SwotGrid(ITEMS, STRATEGIES, subject="Istmar S.A.")
    pd.testing.assert_frame_equal(w.value, swot.check_items(ITEMS))
    assert w.strategies["kind"].tolist() == ["offensive", "protective"]
    assert [t.name for t in w.figure.data] == ["offensive (SO)", "protective (WT)"]
    assert "Fast service" in w.grid.value and len(w.prompts) == 4
    w.controls["itemadd"].click()
    w.controls["item4.text"].value = "Reliable deliveries"
    assert w.value["text"].tolist()[-1] == "Reliable deliveries"
    assert "Reliable deliveries" in w.grid.value
    w.controls["strategy1.end"].value = "2025-01-01"  # before its start
    assert "start is after the end" in w.error
    assert "start is after the end" in w.strategy_editor._lines[1][1].value
    w.controls["strategy1.end"].value = "2026-12-31"
    assert w.error == ""
    w.controls["item0.importance"].value = 9
    assert "importance" in w.error and "row 1" in w.error


def test_a_strategy_with_a_kind_and_no_cross_is_shown_and_exported(tmp_path):
    from kamwidgets.export import write_html, write_markdown

    protect = {"kind": "protective", "strategy": "Total-cost study", "owner": "Tiago", "start": "2026-03-01"}
    w = kw.SwotGrid(ITEMS, [dict(protect, end="2026-06-30")], subject="Istmar S.A.")
    assert w.error == "" and w.strategies["kind"].tolist() == ["protective"]
    assert w.controls["strategy0.kind"].value == "protective" and w.controls["strategy0.cross"].value == ""
    assert [t.name for t in w.figure.data] == ["protective"]  # no cross to name
    heading = " ".join(c.value for c in w.children if isinstance(c, W.HTML) and "Strategies" in c.value)
    assert "offensive" in heading and "protective" in heading and "confront" not in heading
    # typed on the page: a new row has no kind until the learner picks one
    w.controls["strategyadd"].click()
    assert w.controls["strategy1.kind"].value == "" and w.controls["strategy1.cross"].value == ""
    w.controls["strategy1.strategy"].value = "Service contract for the new plant"
    assert "has no kind" in w.error and "has no kind" in w.strategy_editor._lines[1][1].value
    w.controls["strategy1.kind"].value = "offensive"
    assert w.error == "" and w.strategies["kind"].tolist() == ["protective", "offensive"]
    assert w.settings["strategies"][1]["kind"] == "offensive" and w.settings["strategies"][1]["cross"] == ""
    page = write_html(w.report(), tmp_path / "swot.html").read_text(encoding="utf-8")
    assert "<th>kind</th>" in page and "<td>offensive</td>" in page and "<td>protective</td>" in page
    assert "Service contract for the new plant" in page and "<th>cross</th>" not in page  # no cross, no column
    md = write_markdown(w.report(), tmp_path / "swot.md").read_text(encoding="utf-8")
    assert "| kind | strategy |" in md and "| offensive | Service contract for the new plant |" in md
    w.controls["strategy1.cross"].value = "WO"  # the workbook's addition, when the learner uses it
    page = write_html(w.report(), tmp_path / "swot.html").read_text(encoding="utf-8")
    assert "<th>cross</th>" in page and "<td>WO</td>" in page


def test_a_swot_saved_with_crosses_and_no_kinds_restores(tmp_path):
    """SWOTs saved before strategies had a kind (a cross each) come back with the kind of their cross."""
    store = Store(tmp_path / "s.sqlite")
    old = [dict(strategy) for strategy in STRATEGIES] + [{"cross": "ST", "strategy": "Lock in prices"}]
    saved = {"subject": "Istmar S.A.", "items": ITEMS, "strategies": old}
    assert all("kind" not in s for s in saved["strategies"])
    store.save("swot", {"settings": saved, "value": swot.check_items(ITEMS)}, account="Istmar S.A.")
    w = kw.SwotGrid(subject="Istmar S.A.").keep(store, account="Istmar S.A.", delay=0)
    assert w.error == "" and w.value["text"].tolist() == [i["text"] for i in ITEMS]
    assert w.strategies["cross"].tolist() == ["SO", "WT", "ST"]
    assert w.strategies["kind"].tolist() == ["offensive", "protective", "protective"]
    assert w.controls["strategy0.kind"].value == "offensive" and w.controls["strategy2.cross"].value == "ST"
    assert [t.name for t in w.figure.data] == ["offensive (SO)", "protective (WT)"]  # the undated one is not drawn


def test_account_plan_prefill_lights_and_extended(classified):
    grid = kw.SwotGrid(ITEMS, STRATEGIES)
    plan = kw.AccountPlan("Istmar S.A.", classified=classified, swot=grid)
    assert plan.value["section"].tolist() == ["position", "direction", "benefit", "how_when", "resources"]
    assert plan.controls["position"].value.startswith("Key account")
    assert dict(zip(plan.value["section"], plan.value["status"]))["position"] == "amber"
    plan.controls["direction"].value = "Their single supplier"
    assert dict(zip(plan.value["section"], plan.value["status"]))["direction"] == "amber"  # a few words
    plan.controls["direction"].value += " of lubricants and service for both plants by 2028."
    assert dict(zip(plan.value["section"], plan.value["status"]))["direction"] == "green"
    assert "1 of the 4 sections lesson 13 names are written" in plan.lights.value  # lesson 13 names four
    assert "0 of the 1 section from lesson 8's tools" in plan.lights.value  # with what resources
    assert "Fast service" in plan.controls["position"].value and plan.controls["benefit"].value == ""
    assert "Where we are going</b>: written" in plan.lights.value  # in words, not colour alone
    plan.controls["extended"].value = True
    assert len(plan.value) == 15 and "Cheap imports" in plan.controls["risks"].value
    report = plan.report()
    assert report.title == "Account plan: Istmar S.A."


def test_the_worksheets_claim_the_course_only_for_the_headings_it_names():
    proposition = kw.ValueProposition("Istmar S.A.")  # the course asks for one, but names no headings
    assert "0 of the 5 sections written" in proposition.lights.value
    assert "course" not in proposition.lights.value
    analysis = kw.CustomerAnalysis("Istmar S.A.")  # purchasing strategy, value drivers, growth: the course's
    assert "0 of the 3 sections the course names are written" in analysis.lights.value


def test_marketing_plan_sections_and_products():
    m = kw.MarketingPlan("North", 2026, products=[{"product": "Lubricants", "market_share": 12}])
    assert m.value["status"].tolist() == ["red"] * 4
    m.controls["vision"].value = " ".join(["grow"] * 20)
    assert m.value.set_index("section").loc["vision", "status"] == "amber"  # length alone is not a vision
    m.controls["vision"].value = "The first supplier of industrial lubricants in the North's paper mills."
    assert m.value.set_index("section").loc["vision", "status"] == "green"
    m.controls["product0.market_share"].value = 140
    assert "outside 0-100" in m.error
    m.controls["product0.market_share"].value = 14
    assert m.products["market_share"].tolist() == [14.0]


def test_the_product_analysis_shows_every_word_of_every_box():
    """The product table's one-line boxes, 150 px wide, cut "Food plants switching to food-grade oils" to
    "Food plants switchin": its text boxes wrap and have a line for each line their text takes."""
    long = "Food plants switching to food-grade oils, and two mills that closed in the spring"
    m = kw.MarketingPlan("North", 2026, products=[{"product": "Industrial lubricants", "growth_opportunities": long}])
    box = m.controls["product0.growth_opportunities"]
    assert isinstance(box, W.Textarea) and "kam-wrap-text" in box._dom_classes
    width = box.layout.width
    assert box.rows == lines_needed(long, width) >= 5 and box.layout.height == "auto"
    assert m.controls["product0.product"].rows == 2  # "Industrial lubricants" takes two lines of 150 px
    box.value = "Price"
    assert box.rows == 1  # shrinks back to one line
    box.value = "one\ntwo\nthree"
    assert box.rows == 3  # the participant's own line breaks count
    assert m.products["growth_opportunities"].tolist() == ["one\ntwo\nthree"]  # the text is the value, as typed
    assert not isinstance(m.controls["product0.market_share"], W.Textarea)  # a number is not a wrapping text box
    assert lines_needed("", width) == 1 and lines_needed("x" * 40, width) == 3  # a long word is split, not lost


def test_the_analysis_and_the_proposition_feed_the_plan(classified, tmp_path):
    store = kw.open_store(tmp_path / "w.sqlite", workbook="Ann")
    analysis = kw.CustomerAnalysis("Istmar S.A.").keep(store, account="Istmar S.A.", delay=0)
    proposition = kw.ValueProposition("Istmar S.A.").keep(store, account="Istmar S.A.", delay=0)
    plan = kw.AccountPlan("Istmar S.A.", classified=classified, analysis=analysis, proposition=proposition)
    plan.extended = True
    analysis.controls["purchasing"].value = "A yearly tender in October; the plant manager has the last word."
    assert plan.texts["purchasing"] == analysis.texts["purchasing"]
    row = plan.value.set_index("section").loc["purchasing"]
    assert row["status"] == "green"  # the learner's own analysis counts as written, unlike the workbook's facts
    plan.controls["growth"].value = "My own words on their growth, kept."
    analysis.controls["growth"].value = "A second plant in Poland by 2028."
    assert plan.texts["growth"] == "My own words on their growth, kept."  # an edited section is never overwritten
    proposition.controls["their_gain"].value = "Three days less downtime a year"
    assert "Three days less downtime a year" in plan.texts["benefit"]
    assert plan.texts["position"].startswith("Key account")  # the workbook's facts stay first
    status = proposition.value.set_index("section")["status"]
    proposition.controls["built_with"].value = "Their plant manager and buyer, in a workshop"
    assert proposition.value.set_index("section").loc["built_with", "status"] == "amber"  # when?
    proposition.controls["built_with"].value += " on 12 March 2026"
    assert proposition.value.set_index("section").loc["built_with", "status"] == "green" and len(status) == 5
    again = kw.CustomerAnalysis("Istmar S.A.").keep(store, account="Istmar S.A.")  # a page reload
    assert again.texts["purchasing"].startswith("A yearly tender") and again.kind == "customer_analysis"
    assert kw.ValueProposition("Istmar S.A.").keep(store, account="Istmar S.A.").texts["their_gain"].startswith("Three")


def test_making_it_happen(classified):
    w = kw.MakingItHappen(classified)
    assert len(w.pilots) == 3 and set(w.pilots["segment"]) == {"Key account"}
    w.controls["q_g1"].value = 1
    w.controls["q_g2"].value = 1
    assert w.value.loc["training", "status"] == "not yet" and "Weakest area: <b>training" in w.result.value
    w.controls["pilots"].value = ()  # none yet: said as a step to take, not as a mistake
    assert w.error == "" and "No pilot account chosen yet" in w.result.value
    w.controls["pilots"].value = tuple(w.controls["pilots"].options[:4])
    assert "4 pilot accounts" in w.error
    w.controls["pilots"].value = ("Istmar S.A.",)
    assert w.pilots["account"].tolist() == ["Istmar S.A."] and w.error == ""
    assert w.first_pilot == "Istmar S.A."


def test_making_it_happen_loads_answers_saved_before_the_systems_and_return_questions(tmp_path, classified):
    """Answers are kept by question id: a workbook saved with the nine first questions still loads."""
    store = Store(tmp_path / "s.sqlite")
    old = {f"q_{q}": 4 for q in ("c1", "r1", "r2", "t1", "t2", "d1", "d2", "g1", "g2")}
    w = kw.MakingItHappen(classified)
    store.save(w.kind, {"settings": {**old, "pilots": ["Istmar S.A."], "lessons": ["a", "", ""]}})
    again = kw.MakingItHappen(classified).keep(store)
    assert again.error == "" and again.answers["c1"] == 4 and again.answers["g2"] == 4
    assert again.answers["s1"] == again.answers["w1"] == 3  # the new questions start in the middle
    assert list(again.pilot_accounts) == ["Istmar S.A."]
    assert {"systems", "return"} <= set(again.value.index)


@pytest.mark.parametrize(
    "make",
    [
        lambda c: kw.SwotGrid(ITEMS, STRATEGIES, subject="Istmar S.A."),
        lambda c: kw.AccountPlan("Istmar S.A.", classified=c),
        lambda c: kw.MarketingPlan("North", 2026, products=[{"product": "Lubricants", "market_share": 12}]),
        lambda c: kw.MakingItHappen(c),
    ],
)
def test_plan_widgets_save_and_restore(tmp_path, classified, make):
    store = Store(tmp_path / "s.sqlite")
    w = make(classified)
    key = next(k for k in ("item0.text", "direction", "vision", "q_r1") if k in w.controls)
    w.autosave(store, account="Istmar S.A.", delay=0)
    w.controls[key].value = 2 if key == "q_r1" else "Written after a long talk with the customer's team"
    fresh = make(classified)
    fresh.restore(store, account="Istmar S.A.")
    assert fresh.settings == json.loads(json.dumps(w.settings))
    pd.testing.assert_frame_equal(fresh.value, w.value)


def test_batch_reports_for_every_key_and_key_development_account(tmp_path, classified):
    store = Store(tmp_path / "s.sqlite")
    istmar = kw.AccountPlan("Istmar S.A.", classified=classified)
    istmar.controls["direction"].value = "Saved in the store before the batch ran."
    istmar.save(store, account="Istmar S.A.")
    kw.SwotGrid(ITEMS, STRATEGIES).save(store, account="Istmar S.A.")
    out = tmp_path / "reports"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kamwidgets",
            "reports",
            str(DATA / "sample_portfolio.csv"),
            "--out",
            str(out),
            "--store",
            str(tmp_path / "s.sqlite"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    keys = classified.loc[classified["segment"].isin(["Key account", "Key development account"]), "account"]
    assert f"{len(keys)} account plans written" in result.stdout  # key and key development accounts
    assert "Account plans" in result.stderr and "100%" in result.stderr  # the progress bar
    for account in keys:
        stem = file_stem(account, "account")  # the one rule for file names made from user text
        assert (out / f"{stem}.html").exists() and (out / f"{stem}.md").exists()
    page = (out / "Istmar-S-A.html").read_text(encoding="utf-8")
    assert "Saved in the store before the batch ran." in page and "Cost-down project" in page
    assert '<script src="plotly.min.js"></script>' in page and (out / "plotly.min.js").exists()
    bad = subprocess.run(
        [sys.executable, "-m", "kamwidgets", "reports", str(tmp_path / "none.csv")], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "file not found" in bad.stderr


def test_the_readiness_download_holds_every_answer_the_pilots_and_the_lessons(sample_portfolio):
    check = kw.MakingItHappen(kw.place_by_rules(sample_portfolio, kw.SAMPLE_RULES))
    check.answers = {"c1": 5, "s1": 1}
    check.lessons = ("Start with one plant", "", "Ask finance early")
    _, data = kw.Downloads(tables={"Readiness": check}, name="x").buttons["excel"].file()
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="Readiness", engine="calamine")
    answers = sheet[~sheet["part"].isin(["pilot account", "lesson to learn"])]
    assert len(answers) == len(kw.model.readiness.QUESTIONS) and set(answers["answer"]) == {1, 3, 5}
    assert sheet.loc[sheet["part"] == "pilot account", "item"].tolist() == list(check.pilot_accounts)
    assert sheet.loc[sheet["part"] == "lesson to learn", "item"].tolist() == [
        "Start with one plant",
        "Ask finance early",
    ]


def test_when_every_area_scores_the_same_no_area_is_called_the_weakest():
    check = kw.MakingItHappen()
    assert "none stands out" in check.result.value and "Weakest area" not in check.result.value
    check.answers = {"c1": 1}
    assert "Weakest area: <b>customer</b>" in check.result.value


def test_a_new_marketing_plan_is_for_the_year_ahead():
    assert plan_year(dt.date(2027, 9, 30)) == 2027
    assert plan_year(dt.date(2027, 10, 1)) == 2028
    assert kw.MarketingPlan().year == plan_year()  # today's year ahead, by the rule above
    assert kw.MarketingPlan(year=2031).year == 2031

"""SWOT, plans and readiness: frames in and out, completeness rules."""

from __future__ import annotations

import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets import KamDataError
from kamwidgets.model import plans, readiness, swot

ITEMS = [
    {"quadrant": "strength", "text": "Fast service", "importance": 5},
    {"quadrant": "strength", "text": "Good engineers", "importance": 3},
    {"quadrant": "weakness", "text": "High price", "importance": 4},
    {"quadrant": "opportunity", "text": "New plant", "importance": 4},
    {"quadrant": "threat", "text": "Cheap imports", "importance": 5},
]


def test_swot_grid_orders_by_importance_and_prompts_cross_the_quadrants():
    grid = swot.swot_grid(ITEMS)
    assert grid["strength"] == ["Fast service", "Good engineers"] and grid["threat"] == ["Cheap imports"]
    prompts = swot.tows_prompts(ITEMS, top=1)
    assert prompts["cross"].tolist() == ["SO", "ST", "WO", "WT"]
    assert prompts["kind"].tolist() == ["offensive", "protective", "offensive", "protective"]  # opportunity / threat
    assert "Fast service" in prompts.loc[0, "question"] and "New plant" in prompts.loc[0, "question"]


def test_strategies_are_checked_and_typed():
    st = swot.check_strategies(
        [
            {"cross": "so", "strategy": "Service contract", "start": "2026-01-15", "end": "2026-06-30"},
            {"cross": "WT", "strategy": "Cost-down", "owner": "Tiago"},
        ]
    )
    assert st["cross"].tolist() == ["SO", "WT"] and st["kind"].tolist() == ["offensive", "protective"]
    assert st.loc[0, "start_date"] == pd.Timestamp("2026-01-15") and pd.isna(st.loc[1, "end_date"])
    with pytest.raises(KamDataError, match="start is after the end") as err:
        swot.check_strategies([{"cross": "SO", "strategy": "x", "start": "2026-05-01", "end": "2026-01-01"}])
    assert err.value.rows == [1]
    with pytest.raises(KamDataError, match="'soon' is not a date"):
        swot.check_strategies([{"cross": "SO", "strategy": "x", "start": "soon"}])
    with pytest.raises(KamDataError, match="'XY' is not one of"):
        swot.check_strategies([{"cross": "XY", "strategy": "x"}])
    with pytest.raises(KamDataError, match="importance") as err:
        swot.check_items([{"quadrant": "strength", "text": "x", "importance": 9}])
    assert err.value.column == "importance"


def test_a_strategy_is_offensive_or_protective_and_its_cross_is_optional():
    """The course's kinds are picked directly; the TOWS cross (the workbook's addition) may stay blank."""
    st = swot.check_strategies(
        [
            {"kind": "protective", "strategy": "Total-cost study against imports", "owner": "Tiago"},
            {"kind": "Defensive", "strategy": "Keep the quality team close"},  # another word for it
            {"kind": "offensive", "strategy": "Service contract", "cross": "so"},
        ]
    )
    assert st["kind"].tolist() == ["protective", "protective", "offensive"]
    assert st["cross"].tolist() == ["", "", "SO"]
    # saved before strategies had a kind: the cross gives it (towards an opportunity offensive, a threat protective)
    old = swot.check_strategies([{"cross": c, "strategy": f"Strategy {c}"} for c in ("SO", "ST", "WO", "WT")])
    assert old["kind"].tolist() == ["offensive", "protective", "offensive", "protective"]
    # the learner's kind wins over what the cross would say
    assert swot.check_strategies([{"kind": "protective", "cross": "SO", "strategy": "x"}])["kind"].tolist() == [
        "protective"
    ]
    with pytest.raises(KamDataError, match="has no kind") as err:
        swot.check_strategies([{"strategy": "Grow", "owner": "Ana"}, {"strategy": "Something"}])
    assert err.value.column == "kind" and err.value.rows == [1]
    with pytest.raises(KamDataError, match="'attack' is not one of: offensive, protective") as err:
        swot.check_strategies([{"kind": "attack", "strategy": "x"}])
    assert err.value.column == "kind"


def test_account_plan_prefill_and_traffic_lights(sample_classified):
    classified = sample_classified
    row = classified.set_index("account").loc["Istmar S.A."]
    pre = plans.prefill_account_plan("Istmar S.A.", classified=classified, swot=swot.check_items(ITEMS))
    assert row["segment"] in pre["position"] and str(round(row["attractiveness"], 1)) in pre["position"]
    assert "345,600" in pre["position"]  # Istmar's revenue in data/sample_portfolio.csv
    assert "Fast service" in pre["position"] and "Cheap imports" in pre["risks"]
    assert pre["benefit"] == ""  # strengths are where we stand, not a benefit
    frame = plans.plan_frame(pre, prefilled=pre, extended=False)
    assert frame["section"].tolist() == ["position", "direction", "benefit", "how_when", "resources"]
    status = dict(zip(frame["section"], frame["status"]))
    assert status["position"] == "amber" and status["direction"] == "red"  # facts alone are not a plan
    own = "Their only supplier of lubricants for both plants, with a joint yearly review."
    share = "We hold a third of their volume and meet the buyer monthly."
    written = plans.plan_frame(dict(pre, direction=own, position=pre["position"] + " " + share), prefilled=pre)
    status = dict(zip(written["section"], written["status"]))
    assert status["direction"] == "green" and status["position"] == "green" and len(written) == 15
    assert plans.completeness("a few words") == "amber" and plans.completeness("") == "red"
    with pytest.raises(KamDataError, match="not in the classified portfolio"):
        plans.prefill_account_plan("Nobody", classified=classified)
    with pytest.raises(KamDataError, match="not a section"):
        plans.plan_frame({"wishes": "x"})


def test_completeness_rewards_substance_not_length():
    def status(**texts):
        frame = plans.plan_frame(texts, extended=True)
        return dict(zip(frame["section"], zip(frame["status"], frame["why"])))

    padded = " ".join(["growth"] * 300)  # 300 words, one of them
    assert status(direction=padded)["direction"][0] == "amber"
    long_vague = "We will work closely with all of their teams to build a better and deeper relationship " * 10
    how = status(how_when=long_vague)["how_when"]
    assert how[0] == "amber" and "date" in how[1]  # how and when is about when, whatever the length
    assert status(how_when="Trial at the Sines plant in March, contract review by Q3.")["how_when"][0] == "green"
    assert (
        status(how_when="We may agree a trial with the plant team soon")["how_when"][0] == "amber"
    )  # "may" is no month
    assert status(targets="Grow our share of their lubricant purchases a lot")["targets"][0] == "amber"
    assert status(targets="Grow our share of their lubricant purchases to 45 %")["targets"][0] == "green"
    prompt = dict((k, p) for k, _t, _part, p in plans.ACCOUNT_SECTIONS)["benefit"]
    assert status(benefit=prompt)["benefit"][0] == "amber"
    same = "Lower downtime for them and a larger, steadier volume for our Sines plant."
    both = status(benefit=same, direction=same)
    assert both["benefit"][0] == both["direction"][0] == "amber" and "same text" in both["benefit"][1]
    assert plans.section_status("Short, but says who does what for whom.")[0] == "green"


def test_course_sections_and_what_the_forms_feed():
    frame = plans.plan_frame({}, extended=True)
    course = set(frame.loc[frame["course"], "section"])
    assert course == {"position", "direction", "benefit", "how_when"}  # the four lesson 13 names
    # the rest holds what lesson 8 puts in a key account plan (analysis, resources, targets ...), set apart
    assert {"resources", "purchasing", "targets"} <= set(frame.loc[~frame["course"], "section"])
    short = plans.plan_frame({}, extended=False)
    assert short.loc[short["course"], "section"].tolist() == ["position", "direction", "benefit", "how_when"]
    # the course names the customer analysis' and the marketing plan's headings, not the value proposition's
    assert plans.plan_frame({}, sections=plans.ANALYSIS_SECTIONS)["course"].all()
    assert plans.plan_frame({}, sections=plans.MARKETING_SECTIONS)["course"].all()
    assert not plans.plan_frame({}, sections=plans.PROPOSITION_SECTIONS)["course"].any()
    fed = plans.plan_from_work(
        analysis={"purchasing": "Yearly tender in October.", "growth": "A second plant."},
        proposition={"their_gain": "Less downtime.", "our_gain": "A reference.", "built_with": "Ana, May 2026."},
    )
    assert fed["purchasing"] == "Yearly tender in October." and fed["growth"] == "A second plant."
    assert "Less downtime." in fed["benefit"] and "A reference." in fed["benefit"]
    assert "Ana, May 2026." in fed["how_when"] and fed["direction"] == ""
    assert [k for k, *_ in plans.ANALYSIS_SECTIONS] == ["purchasing", "value_drivers", "growth"]


def test_marketing_products_checked():
    frame = plans.check_products([{"product": "Lubricants", "market_share": "12,5"}])
    assert frame["market_share"].tolist() == [12.5]
    with pytest.raises(KamDataError, match="outside 0-100"):
        plans.check_products([{"product": "A", "market_share": 140}])


def test_readiness_and_pilots(sample_classified):
    answers = {q[0]: 5 for q in readiness.QUESTIONS}
    answers.update(g1=1, g2=2)
    table = readiness.readiness(answers)
    assert table.loc["training", "readiness"] == pytest.approx((0 + 0.25) / 2)
    assert table.index.tolist() == list(readiness.AREAS) and table.index[0] == "customer"  # the partner first
    assert table["status"].tolist() == ["ready"] * 6 + ["not yet"]
    # the course's checklist (lesson 8): worth it (the pre-assessment), and systems beside the other areas
    assert {"return", "systems", "departments", "teams", "training", "resources"} <= set(table.index)
    assert len(readiness.QUESTIONS) == 11 and len({q[0] for q in readiness.QUESTIONS}) == 11
    with pytest.raises(KamDataError, match="'g2' is not answered"):
        readiness.readiness({k: v for k, v in answers.items() if k != "g2"})
    classified = sample_classified
    pilots = readiness.suggest_pilots(classified, n=2)
    keys = classified[classified["segment"] == "Key account"].nlargest(2, "attractiveness")["account"].tolist()
    assert pilots["account"].tolist() == keys
    firm = readiness.suggest_pilots(classified, stability=kw.stability(classified, draws=50))
    assert set(firm["segment"]) == {"Key account"} and "keeps its bucket" in firm.loc[0, "why"]
    with pytest.raises(KamDataError, match="1 to 3"):
        readiness.suggest_pilots(classified, n=5)

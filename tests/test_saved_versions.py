"""Saved work carries a version: work saved by an earlier release comes back, a newer release's is refused."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from typing import Any

import pytest
import traitlets

import kamwidgets as kw
from kamwidgets.model import upgrades
from kamwidgets.store import Store, saved_portfolio
from kamwidgets.widgets._base import KamWidget

from .conftest import load_sample

DATA = Path(__file__).parent / "data"
ACCOUNT = "Istmar S.A."


def _maker() -> Any:
    spec = importlib.util.spec_from_file_location("make_workbook_v1", DATA / "make_workbook_v1.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- a test-only widget whose settings key was renamed: "heading" (version 1) became "title" (version 2) ------
class Titled(KamWidget):
    kind = "test_titled"
    inputs = ("title",)
    title = traitlets.Unicode("")

    def __init__(self) -> None:
        super().__init__()
        self._start()

    def recompute(self) -> None:
        self.value = self.title

    @property
    def settings(self) -> dict:
        return {"title": self.title}

    def apply_settings(self, settings: dict) -> None:
        self.title = settings["title"]


def _heading_becomes_title(settings: dict) -> dict:
    settings["title"] = settings.pop("heading")
    return settings


@pytest.fixture()
def renamed(monkeypatch):
    monkeypatch.setitem(upgrades.UPGRADES, "test_titled", {1: _heading_becomes_title})


def test_a_renamed_settings_key_restores_through_its_step_instead_of_starting_afresh(tmp_path, renamed):
    store = Store(tmp_path / "s.sqlite")
    saved = {"settings": {"heading": "Grow the northern plants"}, "value": "Grow the northern plants"}
    store.save("test_titled", saved)  # as the release before the rename saved it: no version
    widget = Titled().keep(store, delay=0)
    assert widget.error == "" and widget.title == "Grow the northern plants"
    other = Titled()
    assert other.restore(store) == saved  # what was saved, as it was
    assert other.title == "Grow the northern plants"
    widget.title = "Grow the northern plants, then the south"  # autosaved at today's version
    assert store.load("test_titled") == {
        "settings": {"title": "Grow the northern plants, then the south"},
        "value": "Grow the northern plants, then the south",
        "version": 2,
    }
    assert Titled().keep(store).title == "Grow the northern plants, then the south"


def test_work_saved_by_a_newer_release_is_refused_with_a_clear_message_and_not_saved_over(tmp_path, renamed):
    store = Store(tmp_path / "s.sqlite")
    store.save("test_titled", {"settings": {"title": "x", "subtitle": "y"}, "value": "x", "version": 3})
    widget = Titled().keep(store, delay=0)
    assert "newer kamwidgets" in widget.error and "version 3" in widget.error and "up to version 2" in widget.error
    assert "starts afresh" not in widget.error and "nothing you change here is saved" in widget.error
    assert "newer kamwidgets" in widget.message.value  # shown in the widget too
    widget.title = "typed here"
    assert "nothing you change here is saved" in widget.error  # still said after a change
    assert store.load("test_titled")["version"] == 3  # the newer work stays the latest
    assert len(store.history("test_titled")) == 1
    with pytest.raises(kw.KamDataError, match="newer kamwidgets"):
        Titled().restore(store)


def test_a_step_that_cannot_read_the_saved_work_is_a_clear_error_naming_the_step(tmp_path, renamed):
    store = Store(tmp_path / "s.sqlite")
    store.save("test_titled", {"settings": {"title": "no heading here"}, "value": ""})
    widget = Titled().keep(store, delay=0)
    assert "step 1 to 2" in widget.error and "KeyError" in widget.error and "starts afresh" in widget.error
    with pytest.raises(kw.KamDataError, match="could not be brought up to version 2"):
        Titled().restore(store)
    store.save("test_titled", {"settings": {"title": "x"}, "version": "two"})
    with pytest.raises(kw.KamDataError, match="not a version number"):
        Titled().restore(store)


def test_what_a_widget_saves_carries_the_version_of_its_kind():
    assert kw.SwotGrid([]).artefact()["version"] == upgrades.current_version("swot") == 2
    assert kw.SpectrumWidget().artefact()["version"] == 1
    assert kw.Quiz("lesson_08").artefact()["version"] == 1
    for kind, steps in upgrades.UPGRADES.items():  # steps numbered from 1, without gaps
        assert sorted(steps) == list(range(1, len(steps) + 1)), kind


def test_a_family_of_kinds_shares_its_steps_and_the_saved_work_is_not_changed(monkeypatch):
    monkeypatch.setitem(upgrades.UPGRADES, "quiz:", {1: lambda s: {**s, "lesson": s["lesson"].upper()}})
    saved = {"settings": {"lesson": "lesson_04", "answers": {}}, "value": None}
    assert upgrades.settings_from("quiz:lesson_04", saved) == {"lesson": "LESSON_04", "answers": {}}
    assert saved["settings"]["lesson"] == "lesson_04"
    assert upgrades.current_version("quiz:lesson_04") == 2 and upgrades.current_version("quizzes") == 1


# -- workbooks saved by the previous release (tests/data/workbook_v1.sqlite, made at commit 6ea83cd) ---------
def _tools() -> dict[str, tuple[Any, str]]:
    portfolio = load_sample()
    return {
        "classification": (kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH), ""),
        "rules": (kw.RuleClassifier(portfolio, kw.SAMPLE_RULES), ""),
        "swot": (kw.SwotGrid([]), ACCOUNT),
        "plan": (kw.AccountPlan(ACCOUNT), ACCOUNT),
        "quiz": (kw.Quiz("lesson_08"), ""),
        "ready": (kw.MakingItHappen(kw.classify(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)), ""),
        "contacts": (kw.ContactMatrix(kw.sample_path("account_contacts")), ACCOUNT),
        "stakeholders": (kw.StakeholderMap(kw.sample_path("account_stakeholders")), ACCOUNT),
        "buyers": (kw.BuyerChart(kw.sample_path("account_buyers")), ACCOUNT),
        "dmu": (kw.DecisionUnit(kw.sample_path("account_dmu")), ACCOUNT),
        "spectrum": (kw.SpectrumWidget(), ACCOUNT),
        "marketing": (kw.MarketingPlan(), ""),
        "analysis": (kw.CustomerAnalysis(ACCOUNT), ACCOUNT),
        "proposition": (kw.ValueProposition(ACCOUNT), ACCOUNT),
    }


@pytest.fixture(params=["previous release", "this release"])
def workbook(request, tmp_path):
    """The previous release's workbook (a copy: opening may bring the file up to date), or one saved now."""
    path = tmp_path / "workbook.sqlite"
    if request.param == "previous release":
        shutil.copy(DATA / "workbook_v1.sqlite", path)
    else:
        _maker().make(path)
    with Store(path, workbook="Workshop 2026") as store:
        yield store


def test_the_committed_workbook_was_saved_before_versions(tmp_path):
    shutil.copy(DATA / "workbook_v1.sqlite", tmp_path / "v1.sqlite")  # the committed file is never opened
    with Store(tmp_path / "v1.sqlite", workbook="Workshop 2026") as store:
        contents = store.contents()
        assert len(contents) == 15
        assert all("version" not in store.load(k, account=a) for k, a in zip(contents["kind"], contents["account"]))


def test_every_tool_brings_back_the_work_a_workbook_holds(workbook):
    tools = _tools()
    for name, (tool, account) in tools.items():
        tool.keep(workbook, account=account, delay=0)
        assert tool.error == "", (name, tool.error)

    matrix = tools["classification"][0]
    assert next(c["weight"] for c in matrix.settings["attractiveness"] if c["column"] == "revenue") == 60
    assert matrix.settings["thresholds"][0] == 6

    rules = tools["rules"][0]
    assert rules.overrides[ACCOUNT] == {
        "bucket": "development",
        "reason": "Their new plant opens only next year; until then we develop them",
    }
    row = rules.value.set_index("account").loc[ACCOUNT]
    assert row["placed_by"] == "by hand" and row["segment"] == "Key development account"

    swot = tools["swot"][0]
    assert swot.subject == ACCOUNT
    assert swot.value["text"].tolist() == ["Service team on site", "A cheaper rival is courting their buyer"]
    strategy = swot.strategies.iloc[0]
    assert strategy["strategy"] == "Show the buyer what our on-site service saves them each year"
    assert (strategy["kind"], strategy["cross"], strategy["owner"]) == ("protective", "ST", "Maria Santos")
    assert (strategy["start"], strategy["end"]) == ("2026-02-01", "2026-05-31")

    plan = tools["plan"][0]
    assert plan.texts["direction"] == "Become their single supplier of coatings by 2028"
    assert plan.texts["resources"] == "Two engineers for the first pilot, a quarter each"

    answers = tools["quiz"][0].answers  # a question added since is unanswered
    assert {q: answers[q] for q in ("start", "sequence", "value-prop", "ready")} == {
        "start": "b",
        "sequence": None,
        "value-prop": None,
        "ready": "a",
    }

    ready = tools["ready"][0]
    assert (ready.answers["c1"], ready.answers["g2"]) == (5, 1)
    assert ready.answers["w1"] == ready.answers["s1"] == 3  # the questions added since start where they start
    assert ready.pilot_accounts == (ACCOUNT,)
    assert ready.lessons == ("Start with one plant", "", "Ask finance early")

    assert tools["contacts"][0].settings["contacts"][0]["owner"] == "Joana Pires"
    people = tools["stakeholders"][0].settings
    assert people["people"][0]["influence"] == 9 and people["min_influence"] == 3
    buyers = tools["buyers"][0].settings
    assert buyers["buyers"][0]["interest"] == 7.5 and buyers["labels"]["gatekeeper"] == "Door keeper"
    dmu = {row["person"]: row["coverage"] for row in tools["dmu"][0].settings["people"]}
    assert dmu["Rui Barros"] == "strong"
    spectrum = tools["spectrum"][0].settings
    assert (spectrum["our_intent"], spectrum["customer_intent"], spectrum["seller"]) == (8, 6, "Key account manager")

    marketing = tools["marketing"][0].settings
    assert (marketing["region"], marketing["year"]) == ("North", 2027)
    assert marketing["texts"]["vision"] == "Lead the coatings market of the north within three years"
    assert marketing["products"][0]["product"] == "Marine coatings" and marketing["products"][0]["market_share"] == 12
    assert tools["analysis"][0].texts["purchasing"] == "A central buying team decides once a year, in October"
    assert tools["proposition"][0].texts["their_need"] == "Fewer stops of the line for repainting"

    assert saved_portfolio(workbook)["account"].tolist() == ["Acme", "Globex"]

    # carried on: the next change is saved at today's version of its kind
    swot.subject = "Istmar S.A. (2027)"
    assert workbook.load("swot", account=ACCOUNT)["version"] == 2
    tools["spectrum"][0].controls["buyer"].value = "Head of purchasing"
    assert workbook.load("spectrum", account=ACCOUNT)["version"] == 1

"""Make ``workbook_v1.sqlite``: one saved artefact of every kind, as the previous release saved them.

The file is test data for ``tests/test_saved_versions.py``: today's code must
bring every one of these back.  It was made with the package as it was at
commit 6ea83cd (before saved work carried a version), without touching the
working tree::

    mkdir -p /tmp/prev
    git archive 6ea83cd kamwidgets | tar -x -C /tmp/prev
    PYTHONPATH=/tmp/prev .venv/bin/python tests/data/make_workbook_v1.py tests/data/workbook_v1.sqlite

Run with today's package instead, it makes a workbook as today's code saves
it (which the same test must also restore).  The values set here are the ones
the test looks for; change both together.
"""

from __future__ import annotations

import sys
from pathlib import Path

import kamwidgets as kw
from kamwidgets.store import Store

#: Whose work is saved per account.
ACCOUNT = "Istmar S.A."
#: The workbook the artefacts are filed under.
WORKBOOK = "Workshop 2026"
#: A small portfolio file, as a user uploads it.
PORTFOLIO_CSV = b"Customer,Revenue\nAcme,100\nGlobex,250\n"


def make(path: Path) -> None:
    """The workbook at ``path`` (made anew), in the order the artefacts were first saved."""
    if path.exists():
        path.unlink()
    store = Store(path, workbook=WORKBOOK, keep_last=None)
    portfolio = kw.load_portfolio(kw.sample_path())
    _save_classifications(store, portfolio)
    _save_swot_and_plan(store)
    _save_quiz_and_readiness(store, portfolio)
    _save_people(store)
    _save_the_other_tools(store)
    store.close()


def _save_classifications(store, portfolio) -> None:
    """The workbench with a moved weight and split, and the course's placement with one account by hand."""
    matrix = kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    matrix.controls["revenue"].value = 60  # a moved weight
    matrix.controls["attractiveness_threshold"].value = 6
    matrix.save(store)

    rules = kw.RuleClassifier(portfolio, kw.SAMPLE_RULES)
    rules.place_by_hand(ACCOUNT, "development", "Their new plant opens only next year; until then we develop them")
    rules.save(store)


def _save_swot_and_plan(store) -> None:
    swot = kw.SwotGrid(
        [
            {"quadrant": "strength", "text": "Service team on site", "importance": 5},
            {"quadrant": "threat", "text": "A cheaper rival is courting their buyer", "importance": 4},
        ],
        [
            {
                "cross": "ST",
                "strategy": "Show the buyer what our on-site service saves them each year",
                "owner": "Maria Santos",
                "start": "2026-02-01",
                "end": "2026-05-31",
            }
        ],
        subject=ACCOUNT,
    )
    swot.save(store, account=ACCOUNT)

    plan = kw.AccountPlan(ACCOUNT)
    plan.controls["direction"].value = "Become their single supplier of coatings by 2028"
    plan.controls["resources"].value = "Two engineers for the first pilot, a quarter each"
    plan.save(store, account=ACCOUNT)


def _save_quiz_and_readiness(store, portfolio) -> None:
    quiz = kw.Quiz("lesson_08")  # a quiz whose questions and choices are the same in both releases
    quiz.answers = {"start": "b", "ready": "a"}
    quiz.save(store)

    ready = kw.MakingItHappen(kw.classify(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH))
    ready.controls["q_c1"].value = 5
    ready.controls["q_g2"].value = 1
    ready.pilot_accounts = (ACCOUNT,)
    ready.lessons = ("Start with one plant", "", "Ask finance early")
    ready.save(store)


def _save_people(store) -> None:
    """The contact matrix, stakeholder map, buyer chart and decision unit of the account."""
    contacts = kw.ContactMatrix(kw.sample_path("account_contacts"))
    contacts.controls["row0.owner"].value = "Joana Pires"
    contacts.save(store, account=ACCOUNT)

    people = kw.StakeholderMap(kw.sample_path("account_stakeholders"))
    people.controls["row0.influence"].value = 9
    people.min_influence = 3
    people.save(store, account=ACCOUNT)

    buyers = kw.BuyerChart(kw.sample_path("account_buyers"))
    buyers.controls["row0.interest"].value = 7.5
    buyers.controls["label_gatekeeper"].value = "Door keeper"
    buyers.save(store, account=ACCOUNT)

    dmu = kw.DecisionUnit(kw.sample_path("account_dmu"))
    rui = next(k for k, c in dmu.controls.items() if k.endswith(".person") and c.value == "Rui Barros")
    dmu.controls[rui.replace(".person", ".coverage")].value = "strong"  # the table's rows are in the file's order
    dmu.save(store, account=ACCOUNT)


def _save_the_other_tools(store) -> None:
    """The spectrum, marketing plan, customer analysis, value proposition, and a loaded file."""
    spectrum = kw.SpectrumWidget(our_intent=8, customer_intent=6)
    spectrum.controls["seller"].value = "Key account manager"
    spectrum.save(store, account=ACCOUNT)

    marketing = kw.MarketingPlan("North", 2027)
    marketing.controls["vision"].value = "Lead the coatings market of the north within three years"
    marketing.set_rows([{"product": "Marine coatings", "market_share": 12, "competition": "Two local makers"}])
    marketing.save(store)

    analysis = kw.CustomerAnalysis(ACCOUNT)
    analysis.controls["purchasing"].value = "A central buying team decides once a year, in October"
    analysis.save(store, account=ACCOUNT)

    offer = kw.ValueProposition(ACCOUNT)
    offer.controls["their_need"].value = "Fewer stops of the line for repainting"
    offer.save(store, account=ACCOUNT)

    picker = kw.DataPicker(store)
    picker.load_file("crm.csv", PORTFOLIO_CSV)  # a sure guess loads, and saves, at once


if __name__ == "__main__":
    make(Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("workbook_v1.sqlite")))

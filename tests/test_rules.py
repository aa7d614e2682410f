"""The course's classification method: criteria per bucket, customers placed by them, or by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets.model.criteria import looks_like_a_code
from kamwidgets.model.plans import NO_CRITERIA_YET, placement_line, prefill_account_plan
from kamwidgets.model.rules import compare_placements, new_rule, place_by_rules, rules_table

from .conftest import SHARED_REAL, load_sample


@pytest.fixture
def portfolio():
    return load_sample()


def test_sample_rules_place_like_plain_pandas(portfolio):
    p = portfolio
    big, known = p["revenue"] >= 150000, (p["share_of_wallet"] >= 0.3) & (p["relationship"] >= 6)
    conditions = [big & known, big & (p["growth_potential"] >= 0.08), known, p["revenue"] < 150000]
    first = np.select([c.to_numpy() for c in conditions], [0, 1, 2, 3], default=-1)
    out = place_by_rules(p, kw.SAMPLE_RULES)
    np.testing.assert_array_equal(out["segment"].cat.codes.to_numpy(), first)
    several = sum(c.astype(int) for c in conditions) > 1
    assert (out["matched"].str.count(",") > 0).tolist() == several.tolist()
    assert out.loc[first < 0, "placed_by"].eq("").all() and out.loc[first >= 0, "placed_by"].eq("rule").all()
    assert (first < 0).sum() >= 1  # the sample leaves one account for the learner to place


def test_an_account_in_several_buckets_goes_to_the_first_and_says_so():
    p = pd.DataFrame({"account": ["A"], "revenue": [900.0]})
    rules = [
        {"bucket": "maintenance", "column": "revenue", "operator": ">", "value": 100},
        {"bucket": "Key account", "column": "revenue", "operator": ">", "value": 500},  # a label works too
    ]
    out = place_by_rules(p, rules)
    assert out["segment"].iloc[0] == "Key account"
    assert out["matched"].iloc[0] == "Key account, Maintenance account"
    assert out["reason"].iloc[0] == "revenue more than 500"


def test_by_hand_wins_and_needs_a_reason(portfolio):
    account = portfolio["account"].iloc[0]
    out = place_by_rules(portfolio, kw.SAMPLE_RULES, overrides={account: {"bucket": "opportunistic", "reason": "x"}})
    assert out["segment"].iloc[0] == "Opportunistic account" and out["placed_by"].iloc[0] == "by hand"
    with pytest.raises(kw.KamDataError, match="needs a reason"):
        place_by_rules(portfolio, kw.SAMPLE_RULES, overrides={account: {"bucket": "key", "reason": " "}})
    with pytest.raises(kw.KamDataError, match="not an account"):
        place_by_rules(portfolio, kw.SAMPLE_RULES, overrides={"Nobody": {"bucket": "key", "reason": "x"}})


@pytest.mark.parametrize(
    ("rule", "words", "column"),
    [
        ({"bucket": "key", "column": "turnover", "operator": ">=", "value": 1}, "no column 'turnover'", "column"),
        ({"bucket": "key", "column": "revenue", "operator": ">=", "value": "lots"}, "not a number", "value"),
        ({"bucket": "key", "column": "sector", "operator": ">", "value": "Food"}, "only be compared", "operator"),
        ({"bucket": "vip", "column": "revenue", "operator": ">=", "value": 1}, "not one of", "bucket"),
        # a share held as a fraction, given as a whole percentage: 30 would be 3,000 %
        ({"bucket": "key", "column": "share_of_wallet", "operator": ">=", "value": "30"}, "3,000 %", "value"),
        ({"bucket": "key", "column": "margin_pct", "operator": ">=", "value": 25}, "2,500 %", "value"),
    ],
)
def test_a_bad_rule_names_its_row_and_field(portfolio, rule, words, column):
    good = {"bucket": "opportunistic", "column": "revenue", "operator": "<", "value": 10}
    with pytest.raises(kw.KamDataError, match=words) as err:
        place_by_rules(portfolio, [good, rule])
    assert err.value.rows == [2] and err.value.column == column


def test_text_columns_compare_without_case(portfolio):
    sector = portfolio["sector"].iloc[0]
    out = place_by_rules(portfolio, [{"bucket": "key", "column": "sector", "operator": "=", "value": sector.upper()}])
    assert out["segment"].notna().tolist() == (portfolio["sector"] == sector).tolist()


def test_the_two_placements_compared(portfolio):
    by_rules = place_by_rules(portfolio, kw.SAMPLE_RULES)
    by_scores = kw.classify(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    counts, differ = compare_placements(by_rules, by_scores)
    assert counts.to_numpy().sum() == len(portfolio)
    same = (by_rules["segment"].cat.codes == by_scores["segment"].cat.codes).sum()
    assert len(differ) == len(portfolio) - same
    assert kw.balance(by_rules)["accounts"].sum() == len(portfolio)  # the rest of the workbook takes it
    assert rules_table(kw.SAMPLE_RULES, portfolio)["criteria"].str.contains("revenue at least 150,000").sum() == 2


def test_the_widget_places_by_rules_and_by_hand(portfolio, tmp_path):
    w = kw.RuleClassifier(portfolio, kw.SAMPLE_RULES)
    unplaced = w.value.loc[w.value["segment"].isna(), "account"].tolist()
    assert unplaced and unplaced[0] in w.details.value
    w.controls["move_account"].value = unplaced[0]
    w.controls["move_bucket"].value = "development"
    w.controls["move_reason"].value = "a new plant next year"
    w.controls["move"].click()
    row = w.value.set_index("account").loc[unplaced[0]]
    assert (row["segment"], row["placed_by"], row["reason"]) == (
        "Key development account",
        "by hand",
        "a new plant next year",
    )
    by_trait = kw.RuleClassifier(portfolio, kw.SAMPLE_RULES)
    by_trait.overrides = {unplaced[0]: {"bucket": "development", "reason": "a new plant next year"}}
    assert by_trait.value.equals(w.value) and by_trait.settings == w.settings
    w.controls["move_reason"].value = ""
    w.controls["move"].click()  # no reason: refused, said, nothing changed
    assert "needs a reason" in w.error and w.value.equals(by_trait.value)
    store = kw.open_store(tmp_path / "w.db", workbook="ana")
    w.save(store)
    again = kw.RuleClassifier(portfolio)
    again.restore(store)
    assert again.value.equals(w.value) and again.overrides == w.overrides
    w.controls["rule0.value"].value = "lots"  # a bad rule: the line says so, every rule stays
    assert "not a number" in w.error and len(w.editor.rows()) == len(kw.SAMPLE_RULES)


def test_a_new_rule_starts_on_an_unused_number_column_and_waits_for_its_value(portfolio):
    w = kw.RuleClassifier(portfolio)
    w.controls["ruleadd"].click()  # + Add a row, on an empty table
    assert w.editor.rows() == [{"bucket": "key", "column": "revenue", "operator": ">=", "value": ""}]
    assert w.error == "" and w.message.value == ""  # not filled yet is not an error
    note = w.editor._lines[0][1].value
    assert "Fill the value, then press Enter, to use this row" in note
    assert "#b2182b" not in note and "\u25b2" not in note
    assert w.value["segment"].isna().all() and w.settings["rules"] == []  # an empty rule is not applied
    w.controls["rule0.value"].value = "150000"
    assert w.editor._lines[0][1].value == "" and w.error == ""
    key = w.value.loc[w.value["segment"] == "Key account", "account"]
    assert sorted(key) == sorted(portfolio.loc[portfolio["revenue"] >= 150000, "account"])
    assert w.settings["rules"] == [{"bucket": "key", "column": "revenue", "operator": ">=", "value": "150000"}]
    w.controls["ruleadd"].click()  # the next starts on a number column no rule uses yet, in the same bucket
    second = w.editor.rows()[1]
    assert (second["bucket"], second["operator"], second["value"]) == ("key", ">=", "")
    assert second["column"] != "revenue" and pd.api.types.is_numeric_dtype(portfolio[second["column"]])
    assert w.error == "" and sorted(w.value.loc[w.value["segment"] == "Key account", "account"]) == sorted(key)


def test_a_new_rule_on_the_sample_takes_a_column_no_rule_uses(portfolio):
    w = kw.RuleClassifier(portfolio, kw.SAMPLE_RULES)
    placed = w.value
    w.controls["ruleadd"].click()
    new = w.editor.rows()[-1]
    assert new["column"] not in {r["column"] for r in kw.SAMPLE_RULES} and new["operator"] == ">="
    assert w.error == "" and w.value.equals(placed)


def test_a_text_column_keeps_an_operator_that_fits(portfolio):
    w = kw.RuleClassifier(portfolio)
    w.controls["ruleadd"].click()
    w.controls["rule0.column"].value = "sector"  # text: >= does not fit, = does
    assert w.controls["rule0.operator"].value == "="
    sector = portfolio["sector"].iloc[0]
    w.controls["rule0.value"].value = sector.upper()
    assert w.error == ""
    key = w.value.loc[w.value["segment"] == "Key account", "account"]
    assert sorted(key) == sorted(portfolio.loc[portfolio["sector"] == sector, "account"])
    w.controls["rule0.operator"].value = "!="
    w.controls["rule0.column"].value = "region"
    assert w.controls["rule0.operator"].value == "!="  # it fits text: kept
    w.controls["rule0.column"].value = "revenue"
    assert w.controls["rule0.operator"].value == "!="  # it fits numbers too: kept
    w.controls["rule0.operator"].value = ">"
    w.controls["rule0.column"].value = "sector"
    assert w.controls["rule0.operator"].value == "="


def test_a_problem_after_a_row_not_filled_yet_names_its_own_row(portfolio):
    w = kw.RuleClassifier(portfolio)
    for _ in range(2):
        w.controls["ruleadd"].click()
    w.controls["rule1.value"].value = "lots"
    assert "row 2" in w.error and "not a number" in w.error
    assert "Fill the value" in w.editor._lines[0][1].value and "lots" in w.editor._lines[1][1].value


def test_new_rule_without_numbers_or_with_every_number_used():
    text_only = pd.DataFrame({"account": ["A"], "sector": ["Retail"]})
    assert new_rule(text_only) == {"bucket": "key", "column": "sector", "operator": "=", "value": ""}
    p = pd.DataFrame({"account": ["A"], "share": [0.2], "sales": [5.0]})
    used = [{"bucket": "key", "column": c, "operator": ">=", "value": 1} for c in ("sales", "share")]
    used.append({"bucket": "development", "column": "sales", "operator": ">=", "value": 1})
    assert new_rule(p, used)["column"] == "share"  # every one used somewhere: one the bucket does not use
    assert new_rule(p, pd.DataFrame(used[:1]))["column"] == "share"


def test_plans_are_written_for_key_and_key_development_accounts(tmp_path, portfolio):
    from kamwidgets.cli import main
    from kamwidgets.model.classification import segment_keys
    from kamwidgets.reports import key_account_reports

    classified = kw.classify(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    keys = segment_keys(classified)
    both = int(keys.isin(["key", "development"]).sum())
    assert both > int((keys == "key").sum())  # the sample has key development accounts
    written = key_account_reports(classified, tmp_path / "both", progress=False)
    assert len(written) == 2 * both
    only_key = key_account_reports(classified, tmp_path / "key", progress=False, buckets=["key"])
    assert len(only_key) == 2 * int((keys == "key").sum())
    with pytest.raises(kw.KamDataError, match="not an option"):
        key_account_reports(classified, tmp_path / "x", progress=False, buckets=["vip"])
    assert main(["reports", str(kw.sample_path()), "--out", str(tmp_path / "cli"), "--buckets", "development"]) == 0
    assert len(list((tmp_path / "cli").glob("*.md"))) == int((keys == "development").sum())


# ------------------------------------------------------------------ the balance of the course's placement
def test_the_widget_shows_each_salespersons_balance_and_follows_the_hand(portfolio):
    company = kw.load_portfolio(kw.sample_path("company_2026"))
    rules = kw.RuleClassifier(company, kw.SAMPLE_RULES)
    placed = place_by_rules(company, kw.SAMPLE_RULES)
    # counted apart with plain pandas: key accounts per salesperson
    expected = placed[placed["segment"] == "Key account"].groupby("account_manager").size()
    got = rules.balance["Key account"]
    assert got[expected.index].tolist() == expected.tolist()
    assert set(rules.balance.index) == set(company["account_manager"].dropna())
    over = rules.balance[rules.balance["too_many_key_accounts"]]
    assert len(over) and (over["Key account"] > 5).all()
    name = over.index[0]
    assert name in rules.balance_view.value and "more than 5" in rules.balance_view.value

    one = kw.RuleClassifier(portfolio, kw.SAMPLE_RULES)
    person = portfolio["account_manager"].iloc[0]
    before = int(one.balance.loc[person, "Key account"])
    account = one.value.loc[one.value["segment"] != "Key account", "account"].iloc[0]
    one.place_by_hand(account, "key", "their new plant needs a joint plan")
    assert int(one.balance.loc[person, "Key account"]) == before + 1
    assert one.balance.loc[person, "hours_per_week"] > 0


def test_the_balance_of_a_portfolio_without_salespeople_is_one_persons():
    frame = pd.DataFrame({"account": ["A", "B", "C"], "revenue": [10.0, 200.0, 300.0]})
    rules = kw.RuleClassifier(frame, [{"bucket": "key", "column": "revenue", "operator": ">=", "value": 100}])
    assert len(rules.balance) == 1 and int(rules.balance["Key account"].iloc[0]) == 2
    assert "not placed yet" in rules.balance_view.value  # A meets no bucket


def test_the_plan_the_pilots_and_the_summary_speak_of_the_courses_placement(portfolio):
    from kamwidgets.model.plans import prefill_account_plan
    from kamwidgets.model.readiness import suggest_pilots

    rules = kw.RuleClassifier(portfolio, kw.SAMPLE_RULES)
    unplaced = rules.value.loc[rules.value["segment"].isna(), "account"].iloc[0]
    assert "Not placed yet" in prefill_account_plan(unplaced, classified=rules.value)["position"]
    summary = kw.export.summary_report(unplaced, classified=rules.value)
    said = [b[1] for b in summary.blocks if b[0] == "text"]
    assert any("Not placed yet" in t for t in said) and not any("nan" in t for t in said)

    rules.place_by_hand(unplaced, "key", "their new plant needs us")
    position = prefill_account_plan(unplaced, classified=rules.value)["position"]
    assert position.startswith("Key account (placed by hand: their new plant needs us)")
    pilots = suggest_pilots(rules.value)  # no scores: key accounts, biggest revenue first
    keys = rules.value[rules.value["segment"] == "Key account"].sort_values("revenue", ascending=False)
    assert pilots["account"].tolist() == keys["account"].head(3).tolist()
    assert all("Key account" in w and "revenue" in w for w in pilots["why"])
    check = kw.MakingItHappen(rules.value)
    assert check.first_pilot == keys["account"].iloc[0]


def test_the_plan_says_no_criteria_are_set_before_any_are_written(portfolio):
    none_yet = place_by_rules(portfolio, None)  # lesson 13 on the participant's own file, before lesson 14
    assert none_yet.attrs["rules"] == 0
    account = none_yet["account"].iloc[0]
    position = prefill_account_plan(account, classified=none_yet)["position"]
    assert position.startswith(NO_CRITERIA_YET) and "meets no bucket" not in position
    assert "no criteria are set" in NO_CRITERIA_YET and "lesson 14" in NO_CRITERIA_YET
    by_hand = place_by_rules(portfolio, [], overrides={account: {"bucket": "key", "reason": "our biggest plant"}})
    other = by_hand[by_hand["account"] != account].iloc[0]
    assert placement_line(other) == NO_CRITERIA_YET  # a placement by hand sets no criteria
    assert placement_line(by_hand[by_hand["account"] == account].iloc[0]).startswith("Key account (placed by hand")

    written = place_by_rules(portfolio, kw.SAMPLE_RULES)  # criteria written: an account none fits is unplaced
    assert written.attrs["rules"] == len(kw.SAMPLE_RULES)
    unplaced = written.loc[written["segment"].isna(), "account"].iloc[0]
    position = prefill_account_plan(unplaced, classified=written)["position"]
    assert position.startswith("Not placed yet: it meets no bucket's criteria") and NO_CRITERIA_YET not in position
    widget = kw.RuleClassifier(portfolio)  # the widget's value says the same, on the page of lesson 13
    assert "no criteria yet" in widget.details.value and "meet no bucket" not in widget.details.value
    assert kw.AccountPlan(account, classified=widget.value).prefilled["position"].startswith(NO_CRITERIA_YET)


def test_without_a_chosen_pilot_the_first_is_the_biggest_account_of_the_courses_placement(portfolio):
    check = kw.MakingItHappen(kw.place_by_rules(portfolio, kw.SAMPLE_RULES))
    check.pilot_accounts = ()
    assert check.first_pilot == portfolio.sort_values("revenue", ascending=False)["account"].iloc[0]


def test_a_share_is_written_as_a_percentage_or_a_fraction_and_the_fix_says_how(portfolio):
    rule = {"bucket": "key", "column": "share_of_wallet", "operator": ">=", "value": "30"}
    with pytest.raises(kw.KamDataError) as err:
        place_by_rules(portfolio, [rule])
    assert "30%" in err.value.fix and "0.3" in err.value.fix
    for value in ("30%", "0.3", 0.3, "0,3"):
        placed = place_by_rules(portfolio, [dict(rule, value=value)])
        key = placed.loc[placed["segment"] == "Key account", "account"]
        assert sorted(key) == sorted(portfolio.loc[portfolio["share_of_wallet"] >= 0.3, "account"]), value
    placed = place_by_rules(portfolio, [dict(rule, column="revenue", value="150000")])  # amounts: any size
    assert (placed["segment"] == "Key account").sum() == (portfolio["revenue"] >= 150000).sum()


def test_a_rule_moved_to_another_column_keeps_only_a_value_that_fits_it(portfolio):
    w = kw.RuleClassifier(portfolio)
    w.controls["ruleadd"].click()
    w.controls["rule0.column"].value = "margin_pct"
    w.controls["rule0.value"].value = "0.3"
    assert w.error == "" and w.settings["rules"][0]["value"] == "0.3"
    w.controls["rule0.column"].value = "account_manager"  # 0.3 means nothing for a salesperson
    assert w.controls["rule0.operator"].value == "=" and w.controls["rule0.value"].value == ""
    assert "Fill the value" in w.editor._lines[0][1].value and w.error == "" and w.settings["rules"] == []
    manager = portfolio["account_manager"].iloc[0]
    w.controls["rule0.value"].value = manager.lower()
    w.controls["rule0.column"].value = "account_manager"  # the same column again: nothing changes
    assert w.controls["rule0.value"].value == manager.lower()
    w.controls["rule0.column"].value = "revenue"  # a name is not a number: emptied, to fill again
    assert w.controls["rule0.value"].value == "" and w.error == ""
    w.controls["rule0.value"].value = "30%"
    w.controls["rule0.column"].value = "share_of_wallet"  # a number fits another number column: kept
    assert w.controls["rule0.value"].value == "30%"


def test_rules_saved_before_a_share_check_come_back_whole_with_the_line_to_change(portfolio, tmp_path):
    """A '30' against a share was once taken as 3,000 %: work saved so comes back, rules and placements by hand."""
    store = kw.open_store(tmp_path / "w.db", workbook="ana")
    first = portfolio["account"].iloc[0]
    saved = [
        {"bucket": "key", "column": "revenue", "operator": ">=", "value": "150000"},
        {"bucket": "key", "column": "share_of_wallet", "operator": ">=", "value": "30"},
    ]
    store.save(
        "rule_classification",
        {"settings": {"rules": saved, "overrides": {first: {"bucket": "key", "reason": "our biggest plant"}}}},
    )
    w = kw.RuleClassifier(portfolio).keep(store)
    assert [r["value"] for r in w.editor.rows()] == ["150000", "30"]  # every rule as it was saved
    assert w.overrides == {first: {"bucket": "key", "reason": "our biggest plant"}}
    assert "3,000 %" in w.error and "row 2" in w.error and "30%" in w.editor._lines[1][1].value
    key = w.value.loc[w.value["segment"] == "Key account", "account"]
    expected = set(portfolio.loc[portfolio["revenue"] >= 150000, "account"]) | {first}  # the good rule and the hand
    assert set(key) == expected
    w.controls["rule1.value"].value = "30%"  # mended: both rules place, and that is what is kept
    assert w.error == "" and [r["value"] for r in w.settings["rules"]] == ["150000", "30%"]
    other = kw.RuleClassifier(portfolio)  # rules of another file (a column this one lacks) still start afresh
    store.save("rule_classification", {"settings": {"rules": [dict(saved[0], column="turnover")], "overrides": {}}})
    other.keep(store)
    assert "starts afresh" in other.error and other.settings["rules"] == []


def test_a_value_moved_between_an_amount_and_a_share_is_kept_only_if_the_rule_can_read_it(portfolio):
    w = kw.RuleClassifier(portfolio)
    w.controls["ruleadd"].click()
    w.controls["rule0.column"].value = "revenue"
    w.controls["rule0.value"].value = "150000"
    w.controls["rule0.column"].value = "share_of_wallet"  # 150000 would be 15,000,000 %
    assert w.controls["rule0.value"].value == "" and w.error == ""
    w.controls["rule0.value"].value = "30%"
    w.controls["rule0.column"].value = "revenue"  # a percentage against amounts is refused by the rule
    assert w.controls["rule0.value"].value == "" and w.error == ""
    w.controls["rule0.value"].value = "0.5"
    w.controls["rule0.column"].value = "margin_pct"  # 0.5 reads on both
    assert w.controls["rule0.value"].value == "0.5" and w.error == ""


def test_a_rule_with_no_value_given_by_code_waits_as_on_the_page(portfolio, tmp_path):
    """An empty value is 'not filled yet' on the page: set_rows and a restore treat it so, not as an error."""
    empty = {"bucket": "key", "column": "share_of_wallet", "operator": ">=", "value": ""}
    good = {"bucket": "key", "column": "revenue", "operator": ">=", "value": "150000"}
    w = kw.RuleClassifier(portfolio)
    w.set_rows([empty, good])
    assert w.error == "" and [r["value"] for r in w.editor.rows()] == ["", "150000"]
    assert "Fill the value" in w.editor._lines[0][1].value and "\u25b2" not in w.editor._lines[0][1].value
    placed = w.value["segment"] == "Key account"
    assert placed.tolist() == (portfolio["revenue"] >= 150000).tolist() and w.settings["rules"] == [good]
    w.set_rows([empty, {**good, "value": "lots"}])  # the other row is still checked, named as on the page
    assert "row 2" in w.error and "not a number" in w.error and w.editor.rows()[1]["value"] == "150000"
    fresh = kw.RuleClassifier(portfolio)
    fresh.apply_settings({"rules": [good, {**empty, "value": None}], "overrides": {}})
    assert fresh.error == "" and len(fresh.editor.rows()) == 2 and fresh.value.equals(w.value)
    assert "Fill the value" in fresh.editor._lines[1][1].value


def test_rule_messages_name_columns_as_the_page_shows_them(portfolio):
    shown = dict(kw.RuleClassifier(portfolio).fields[1].labels)
    assert shown["share_of_wallet"] == "share of wallet"  # the dropdown's words
    cases = [
        ({"column": "share_of_wallet", "operator": ">=", "value": "30"}, "against 'share of wallet' (share_of_wallet)"),
        ({"column": "margin_pct", "operator": ">=", "value": "lots"}, "and 'margin pct' (margin_pct) holds numbers"),
        ({"column": "account_manager", "operator": ">", "value": "Ann"}, "'account manager' (account_manager) holds"),
        ({"column": "revenue", "operator": ">=", "value": "30%"}, "and 'revenue' holds no shares"),
    ]
    for rule, words in cases:
        with pytest.raises(kw.KamDataError) as refused:
            place_by_rules(portfolio, [{"bucket": "key", **rule}])
        assert words in str(refused.value) and refused.value.rows == [1]
    with pytest.raises(kw.KamDataError, match=r"Use one of its columns: 'account manager' \(account_manager\)"):
        place_by_rules(portfolio, [{"bucket": "key", "column": "turnover", "operator": ">=", "value": 1}])
    w = kw.RuleClassifier(portfolio)
    w.set_rows([{"bucket": "key", "column": "turnover", "operator": ">=", "value": 1}])  # the dropdown's choices
    assert "share of wallet (share_of_wallet), relationship" in w.error


def test_a_new_rule_does_not_start_on_a_code_held_as_a_number():
    codes = pd.DataFrame(
        {
            "account": [f"C{i}" for i in range(12)],
            "Channel": [1, 2] * 6,  # 1 = Horeca, 2 = Retail
            "segment_code": [3, 1, 2] * 4,  # the header says code
            "tier": [1, 2, 3] * 4,  # few small whole numbers
            "CustomerID": range(100, 112),
            "Milk": [float(900 + 37 * i) for i in range(12)],
        }
    )
    assert new_rule(codes)["column"] == "Milk"
    used = [{"bucket": "key", "column": "Milk", "operator": ">=", "value": 1000}]
    assert new_rule(codes, used)["column"] == "Channel"  # codes stay choosable once the amounts are used


@pytest.mark.skipif(not (SHARED_REAL / "wholesale_customers.csv").exists(), reason="the shared real data is absent")
def test_a_new_rule_on_the_wholesale_file_starts_on_a_spend_not_on_its_channel():
    wholesale = kw.load_portfolio(SHARED_REAL / "wholesale_customers.csv", make_ids="Customer ")
    assert {"Channel", "Region"} <= set(wholesale.columns)
    first = new_rule(wholesale)
    assert first["column"] not in {"Channel", "Region"} and first["column"] == "Fresh goods"
    w = kw.RuleClassifier(wholesale)
    w.controls["ruleadd"].click()
    w.controls["ruleadd"].click()
    assert [r["column"] for r in w.editor.rows()] == ["Fresh goods", "Milk"]


def test_a_code_is_told_by_the_header_s_last_word_and_a_scale_or_amount_is_not_taken_for_one():
    """Only a header ending in id/code/channel/region... names a code: 'region_revenue' is an amount; a score on
    a few values is a measure, a 0/1 flag or a channel 1-2 a label."""
    ten = 10
    columns = {
        "region_revenue": ([120_000.0, 95_000.0] * ten, False),
        "channel sales": ([1500.0, 2300.0, 900.0] * ten, False),
        "Regional revenue": ([5.0, 6.0] * ten, False),
        "satisfaction": ([3, 4, 5, 4] * ten, False),  # a score 1-5 of happy customers
        "NPS score": ([1, 2, 3, 4] * ten, False),
        "Region": ([10, 20, 30] * ten, True),
        "sales_channel": ([101, 202] * ten, True),
        "Customer ID": (list(range(20)), True),
        "strategic": ([0, 1] * ten, True),  # a flag: a label, offered after the amounts
        "tier": ([1, 2, 3] * ten, True),
        "visits": ([2, 5, 3, 4] * ten, False),  # small whole numbers, not in a row from 0 or 1
    }
    for name, (values, code) in columns.items():
        assert looks_like_a_code(name, pd.Series(values)) is code, name
    frame = pd.DataFrame({"account": [f"C{i}" for i in range(8)], "Region": [1, 2] * 4, "satisfaction": [3, 4] * 4})
    assert new_rule(frame)["column"] == "satisfaction"

"""The people side of an account: buyer chart, decision-making unit, contacts, stakeholders, spectrum."""

from __future__ import annotations

import pandas as pd
import pytest

from kamwidgets import KamDataError, sample_path
from kamwidgets.model import buyers, contacts, dmu, spectrum, stakeholders


def test_buyer_quadrants_and_advice():
    placed = buyers.place_buyers(
        [
            {"buyer": "A", "interest": 8, "involvement": 8},
            {"buyer": "B", "interest": 8, "involvement": 2},
            {"buyer": "C", "interest": 2, "involvement": 8},
            {"buyer": "D", "interest": 2, "involvement": 2},
            {"buyer": "E", "interest": 5, "involvement": 5},  # on the lines: counts as high
        ]
    )
    assert placed["key"].tolist() == ["strategic", "specifier", "ratifier", "gatekeeper", "strategic"]
    assert placed["quadrant"].tolist() == ["Strategic", "Specifier", "Ratifier", "Gatekeeper", "Strategic"]
    assert placed["dependency"].tolist() == ["high", "medium", "medium", "low", "high"]
    renamed = buyers.place_buyers(
        [{"buyer": "D", "interest": 1, "involvement": 1}], labels={"gatekeeper": "Doorman"}, thresholds=(0.5, 0.5)
    )
    assert renamed["quadrant"].tolist() == ["Strategic"] and "Doorman" in renamed["quadrant"].cat.categories


def test_buyer_questionnaire_scores():
    high_interest = {"i1": 5, "i2": 5, "i3": 5, "v1": 1, "v2": 1, "v3": 1}
    assert buyers.score_answers(high_interest) == (10.0, 0.0)
    middle = {q["id"]: 3 for q in buyers.QUESTIONS}
    assert buyers.score_answers(middle) == (5.0, 5.0)
    with pytest.raises(KamDataError, match="'v3' is not answered"):
        buyers.score_answers({k: v for k, v in middle.items() if k != "v3"})
    with pytest.raises(KamDataError, match="not 1 to 5"):
        buyers.score_answers(dict(middle, i1=7))


@pytest.mark.parametrize(
    "rows, column, row, message",
    [
        ([{"buyer": "A", "interest": 14, "involvement": 2}], "interest", 1, "outside 0-10"),
        ([{"buyer": "A", "interest": "lots", "involvement": 2}], "interest", 1, "not a number"),
        (
            [{"buyer": "A", "interest": 1, "involvement": 2}, {"buyer": " ", "interest": 1, "involvement": 2}],
            "buyer",
            2,
            "empty",
        ),
        (
            [{"buyer": "A", "interest": 1, "involvement": 2}, {"buyer": "A", "interest": 1, "involvement": 2}],
            "buyer",
            1,
            "more than once",
        ),
    ],
)
def test_buyer_table_errors_name_column_and_row(rows, column, row, message):
    with pytest.raises(KamDataError, match=message) as err:
        buyers.place_buyers(rows)
    assert err.value.column == column and err.value.rows[0] == row


def test_dmu_warnings():
    only_buyer = [
        {"person": "Ann", "role": "buyer", "influence": 6, "coverage": "strong"},
        {"person": "Tom", "role": "decider", "influence": 9, "coverage": "none"},
        {"person": "Sue", "role": "user", "influence": 4},
    ]
    frame, warnings = dmu.dmu_summary(only_buyer)
    assert frame["person"].tolist() == ["Tom", "Ann", "Sue"]  # by influence
    assert frame["gap"].tolist() == [True, False, False]
    assert any("only contact is the purchaser: 2 other people" in w for w in warnings)
    assert any(w.startswith("Tom (decider, influence 9) is hardly reached") for w in warnings)
    covered = [
        {"person": "Ann", "role": "buyer", "influence": 6, "coverage": "strong"},
        {"person": "Tom", "role": "decider", "influence": 9, "coverage": "good"},
    ]
    assert dmu.dmu_summary(covered)[1] == []
    no_decider = dmu.dmu_summary(
        [{"person": "Ann", "role": "Buyer", "coverage": "good"}, {"person": "Bo", "role": "user", "coverage": "weak"}]
    )[1]
    assert no_decider == ["No decider is known: who signs off the choice of supplier?"]
    with pytest.raises(KamDataError, match="'boss' is not one of") as err:
        dmu.check_dmu([{"person": "X", "role": "boss"}])
    assert err.value.column == "role"


def test_contact_matrix_forms_and_coverage():
    long = pd.read_csv(sample_path("account_contacts"))
    wide = contacts.to_wide(long, their=["Purchasing", "Technical", "Production", "Maintenance", "Finance"])
    assert wide.loc["Sales", "Purchasing"] == "weekly" and wide.loc["Technical service", "Purchasing"] == ""
    assert list(wide.columns)[-1] == "Finance"
    back = contacts.from_wide(wide)
    pd.testing.assert_frame_equal(
        back[["our_side", "their_side", "frequency"]].sort_values(["our_side", "their_side"], ignore_index=True),
        long[["our_side", "their_side", "frequency"]].sort_values(["our_side", "their_side"], ignore_index=True),
    )
    table, warnings = contacts.coverage(long, their=["Finance"])
    table = table.set_index("their_side")
    assert table.loc["Finance", "gap"] and table.loc["Purchasing", "contacts_per_year"] == 52
    assert table.loc["Maintenance", "single_point"] and table.loc["Maintenance", "our_people"] == "Tiago Rocha"
    assert "Nobody in our team talks with Finance." in warnings
    assert any("Maria Santos holds 75% of all contacts" in w for w in warnings)


def test_contact_errors():
    with pytest.raises(KamDataError, match="'daily' is not one of") as err:
        contacts.check_contacts([{"our_side": "Sales", "their_side": "Purchasing", "frequency": "daily"}])
    assert err.value.rows == [1]
    with pytest.raises(KamDataError, match="paired twice") as err:
        contacts.check_contacts(
            [
                {"our_side": "Sales", "their_side": "P", "frequency": "weekly"},
                {"our_side": "Sales", "their_side": "P", "frequency": "monthly"},
            ]
        )
    assert err.value.rows == [1, 2]


def test_supporters_move_reluctant_people_through_our_contacts():
    people = pd.read_csv(sample_path("account_stakeholders"))
    links = pd.read_csv(sample_path("account_contacts"))
    moves = stakeholders.suggest_moves(people, links)
    # every reluctant person with influence >= 5 gets only supporters at least as influential
    merged = moves.merge(people, left_on="reluctant", right_on="person").merge(
        people, left_on="supporter", right_on="person", suffixes=("_r", "_s")
    )
    assert (merged["influence_s"] >= merged["influence_r"]).all()
    assert set(merged["stance_s"]) <= {"supporter", "cautious supporter"}
    assert set(moves["reluctant"]) == {"Sofia Lima", "Carla Mendes", "Helena Costa"}
    # Rui (Technical) is reached by Maria through the Sales-Technical contact
    assert set(moves.loc[moves["supporter"] == "Rui Barros", "ask"]) == {"Maria Santos"}
    assert set(moves.loc[moves["supporter"] == "Jorge Alves", "ask"]) == {"(nobody yet)"}  # Quality: a gap
    assert moves.loc[moves["reluctant"] == "Sofia Lima", "supporter"].iloc[0] == "Rui Barros"
    weak = stakeholders.suggest_moves(people, links, min_influence=8)
    assert weak.empty


def test_spectrum_level_and_shape():
    assert spectrum.recommend_level(9, 9)["number"] == 4
    low = spectrum.recommend_level(9, 2)
    assert low["number"] == 1 and "half-open door" in low["warning"]
    assert spectrum.recommend_level(4, 8)["warning"].startswith("The customer wants more")
    assert spectrum.recommend_level(6, 6)["warning"] == ""
    with pytest.raises(KamDataError, match="0 to 10"):
        spectrum.recommend_level(11, 5)
    bow_tie = [{"our_side": "Sales", "their_side": "Purchasing", "frequency": "weekly"}]
    assert spectrum.team_shape(bow_tie)["key"] == "early"
    side_doors = bow_tie + [{"our_side": "Sales", "their_side": "Quality", "frequency": "monthly"}]
    assert spectrum.team_shape(side_doors)["key"] == "direct_access"
    first_link = side_doors + [{"our_side": "Technical", "their_side": "Technical", "frequency": "monthly"}]
    assert spectrum.team_shape(first_link)["key"] == "direct_access"  # one direct link is not yet a team
    growing = first_link + [
        {"our_side": "Technical", "their_side": "Production", "frequency": "monthly"},
        {"our_side": "Sales", "their_side": "Finance", "frequency": "monthly"},
        {"our_side": "Sales", "their_side": "Logistics", "frequency": "monthly"},
        {"our_side": "Sales", "their_side": "Marketing", "frequency": "monthly"},
    ]
    assert spectrum.team_shape(growing)["key"] == "early_kam"
    diamond = growing + [
        {"our_side": "Quality", "their_side": "Quality", "frequency": "monthly"},
        {"our_side": "Finance", "their_side": "Finance", "frequency": "quarterly"},
    ]
    assert spectrum.team_shape(diamond)["key"] == "diamond"
    assert len(spectrum.spectrum_table()) == 4


def test_hand_tables_from_files_name_the_file_and_its_row(tmp_path):
    path = tmp_path / "buy.csv"
    path.write_text("buyer,interest,involvement\nA,1,2\n\nB,14,2\n")
    with pytest.raises(KamDataError) as err:
        buyers.check_buyers(path)
    assert err.value.source == str(path) and err.value.rows == [4] and err.value.column == "interest"  # line 4
    with pytest.raises(KamDataError, match="appears more than once"):
        buyers.check_buyers(pd.DataFrame([[1, 2, 3]], columns=["buyer", "interest", "interest"]))

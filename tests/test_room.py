"""The workshop room: three simulated participants' quizzes and classifications, on SQLite and PostgreSQL."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import kamwidgets as kw
from kamwidgets.model import room
from kamwidgets.model.quiz import load_quiz
from kamwidgets.store import Store

from .conftest import load_sample


def _right_and_wrong(quiz: str):
    """Per question: (the right choice id, a wrong choice id), read from the quiz file."""
    return {q.id: (q.choice_ids[q.correct], q.choice_ids[(q.correct + 1) % len(q.choices)]) for q in load_quiz(quiz)}


@pytest.fixture
def the_room(store_url):
    """Ann answers lesson 4 all right, Bo half, Cy opens lesson 4 and answers nothing; two classify the sample."""
    keys = _right_and_wrong("lesson_04")
    ids = list(keys)
    portfolio = load_sample()
    outsider = Store(store_url, workbook="Other room/Dee")
    kw.Quiz("lesson_04").save(outsider)  # another room: never shown in this one
    for name, answers in {
        "Ann": {q: keys[q][0] for q in ids},
        "Bo": {q: keys[q][0] if i % 2 == 0 else keys[q][1] for i, q in enumerate(ids)},
        "Cy": {},
    }.items():
        store = Store(store_url, workbook=f"Room 1/{name}")
        quiz = kw.Quiz("lesson_04")
        quiz.answers = answers
        quiz.save(store)
    ann = kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    ann.save(Store(store_url, workbook="Room 1/Ann"))
    bo = kw.ClassificationWidget(portfolio, kw.SAMPLE_ATTRACTIVENESS, kw.SAMPLE_STRENGTH)
    bo.thresholds = (7.0, 5.0)  # a stricter attractiveness split: fewer key accounts
    bo.save(Store(store_url, workbook="Room 1/Bo"))
    return Store(store_url, workbook="facilitator"), ids, ann, bo


def test_the_room_scores_questions_and_agreement(the_room):
    store, ids, ann, bo = the_room
    view = kw.RoomView(store, room="Room 1")
    scores = view.value.set_index("workbook")
    assert list(scores.index) == ["Room 1/Ann", "Room 1/Bo", "Room 1/Cy"]  # not the other room
    n = len(ids)
    assert scores.loc["Room 1/Ann", "lesson_04"] == 1.0
    assert scores.loc["Room 1/Bo", "lesson_04"] == pytest.approx(math.ceil(n / 2) / n)
    assert scores.loc["Room 1/Cy", "lesson_04"] == 0.0  # taken, nothing answered: not right
    assert math.isnan(scores.loc["Room 1/Ann", "lesson_14"])  # not taken
    # per question: Bo's wrong answers are the room's most chosen wrong answers
    questions = view.questions.set_index("question")
    wrong_q = ids[1]
    assert questions.loc[wrong_q, "right"] == pytest.approx(1 / 3) and questions.loc[wrong_q, "chosen_by"] == 1
    q = next(q for q in load_quiz("lesson_04") if q.id == wrong_q)
    assert questions.loc[wrong_q, "most_chosen_wrong"] == q.choices[(q.correct + 1) % len(q.choices)]
    assert questions.loc[ids[0], "right"] == pytest.approx(2 / 3) and questions.loc[ids[0], "most_chosen_wrong"] == ""
    # settings side by side and agreement on the same portfolio
    table = view.settings_table
    assert (
        table.loc["attractiveness split", "Room 1/Bo"] == 7.0 and table.loc["attractiveness split", "Room 1/Ann"] == 5.0
    )
    differ = set(ann.value.loc[ann.value["segment"].astype(str) != bo.value["segment"].astype(str), "account"])
    assert differ  # the stricter split moves some accounts
    agree = view.agreement
    assert set(agree.loc[agree["agreement"] < 1, "account"]) == differ
    assert list(agree["account"][: len(differ)]) == sorted(differ)  # the disagreements first
    assert (agree["workbooks"] == 2).all()


def test_names_hidden_escaped_and_exported(the_room, tmp_path, store_url):
    store, *_ = the_room
    Store(store_url, workbook="Room 1/<b>Eve</b>").save("quiz:lesson_04", {"settings": {"answers": {}}})
    view = kw.RoomView(store, room="Room 1")
    assert "&lt;b&gt;Eve&lt;/b&gt;" in view._panes[0].value and "<b>Eve</b>" not in view._panes[0].value
    view.controls["anonymous"].value = True
    assert "Ann" not in view._panes[0].value and "Participant 1" in view._panes[0].value
    path = view.export(tmp_path / "room.xlsx")
    sheet = pd.read_excel(path, sheet_name="Quiz scores", engine="calamine")
    assert sheet["workbook"].tolist() == [f"Participant {i}" for i in range(1, 5)]


def test_every_workbook_without_a_room_and_a_refresh_sees_new_work(store_url):
    store = Store(store_url, workbook="facilitator")
    view = kw.RoomView(store)
    assert view.value.empty and "No workbook yet" in view._panes[0].value
    kw.Quiz("lesson_05").save(Store(store_url, workbook="solo"))
    view.refresh()
    assert view.value["workbook"].tolist() == ["solo"] and view.value.loc[0, "lesson_05"] == 0.0


def test_room_functions_on_frames(sample_portfolio):
    quizzes = {"lesson_04": load_quiz("lesson_04")}
    first = quizzes["lesson_04"][0]
    answers = pd.DataFrame(
        [{"workbook": "a", "quiz": "lesson_04", "question": first.id, "choice": first.choice_ids[first.correct]}]
    )
    scores = room.quiz_scores(answers, quizzes, ["b"])
    assert scores["lesson_04"].tolist()[0] == pytest.approx(1 / len(quizzes["lesson_04"]))
    assert math.isnan(scores["lesson_04"].tolist()[1])
    same = sample_portfolio
    assert room.fingerprint(same) == room.fingerprint(same.sample(frac=1, random_state=1))  # order does not matter
    changed = same.assign(revenue=same["revenue"] + 1)
    assert room.fingerprint(same) != room.fingerprint(changed)


def test_a_reset_keeps_everything_in_files_and_empties_the_room(the_room, tmp_path, store_url):
    store, *_ = the_room
    view = kw.RoomView(store, room="Room 1")
    files = view.reset(tmp_path / "session 1")
    assert view.value.empty and [w for w in store.workbooks() if w.startswith("Room 1/")] == []
    assert "Other room/Dee" in store.workbooks()  # another room is not touched
    scores = pd.read_excel(files[0], sheet_name="Quiz scores", engine="calamine")
    assert scores["workbook"].tolist() == ["Ann", "Bo", "Cy"]
    back = Store(store_url, workbook="Room 1/Ann")
    assert sum(back.import_(f) for f in files[1:] if "Ann" in f.read_text()) > 0  # brought back whole
    assert kw.RoomView(store, room="Room 1").value["workbook"].tolist() == ["Room 1/Ann"]
    with pytest.raises(kw.KamDataError, match="named room"):
        kw.RoomView(store).reset(tmp_path / "all")


def test_the_hub_user_works_in_the_room(monkeypatch, tmp_path):
    from kamwidgets.cli import main
    from kamwidgets.store import workbook_name

    for name in ("QUERY_STRING", "KAMWIDGETS_WORKBOOK"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JUPYTERHUB_USER", "ann")
    assert workbook_name() == "ann"
    monkeypatch.setenv("KAMWIDGETS_ROOM", "Workshop")
    assert workbook_name() == "Workshop/ann" and workbook_name("facilitator") == "facilitator"
    monkeypatch.setenv("QUERY_STRING", "workbook=Workshop/Group+2")
    assert workbook_name() == "Workshop/Group 2"  # the address still wins
    assert main(["room", str(tmp_path), "--room", "Workshop"]) == 0
    assert "room='Workshop'" in (tmp_path / "room.ipynb").read_text()


def test_check_my_answers_saves_at_once(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'w.sqlite'}", workbook="Room 1/Ann")
    quiz = kw.Quiz("lesson_05").keep(store, delay=600)  # an autosave far away
    first = quiz.questions[0]
    quiz.answers = {first.id: first.choice_ids[first.correct]}
    assert store.load("quiz:lesson_05", default=None) is None
    quiz.controls["check"].click()
    assert store.load("quiz:lesson_05")["settings"]["answers"][first.id] == first.choice_ids[first.correct]
    assert kw.RoomView(store, room="Room 1").value.loc[0, "lesson_05"] == pytest.approx(1 / len(quiz.questions))


def test_hiding_names_reads_nothing_again(the_room, monkeypatch):
    store, *_ = the_room
    view = kw.RoomView(store, room="Room 1")
    reads = []
    monkeypatch.setattr(store, "latest_everywhere", lambda *a, **k: reads.append(a) or [])
    view.controls["anonymous"].value = True
    assert reads == [] and "Participant 3" in view._panes[0].value  # shown again from what was read
    view.refresh()
    assert reads  # the button reads the store

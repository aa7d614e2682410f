"""A PostgreSQL store shared by role: each login keeps its own workbook, the room's login reads and resets the room.

The database enforces it (row-level security), whatever the login's code
asks for through the store or with SQL of its own.
"""

from __future__ import annotations

import uuid

import psycopg
import pytest

import kamwidgets as kw
from kamwidgets.errors import KamDataError
from kamwidgets.store import grant_workbooks, share_by_role


@pytest.fixture
def shared(postgres_server):
    """A fresh database shared by role, with logins for ann, bob and the facilitator of room R."""
    name = f"kam_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"postgresql://kam@/postgres?host={postgres_server}", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    owner = f"postgresql+psycopg://kam@/{name}?host={postgres_server}"
    share_by_role(owner)
    share_by_role(owner)  # again: nothing changes
    tag = uuid.uuid4().hex[:6]  # roles belong to the whole server, which other tests share
    urls = {
        who: grant_workbooks(owner, f"kam_{who}_{tag}", password=f"pw-{who}", own=[f"R/{who}"])
        for who in ("ann", "bob")
    }
    urls["facilitator"] = grant_workbooks(
        owner, f"kam_fac_{tag}", password="pw-f", own=["facilitator", "R/facilitator"], room="R"
    )
    return owner, urls


def test_each_login_keeps_its_own_workbook_and_the_room_login_sees_all(shared, tmp_path):
    owner, urls = shared
    ann, bob = kw.Store(urls["ann"], workbook="R/ann"), kw.Store(urls["bob"], workbook="R/bob")
    ann.save("notes", {"text": "ann's"})
    for _ in range(3):
        bob.save("notes", {"text": "bob's"})
    assert ann.load("notes") == {"text": "ann's"}
    # ann can neither read bob's work nor add to it, nor remove it
    assert ann.load("notes", workbook="R/bob", default=None) is None
    assert ann.history(workbook="R/bob").empty and ann.workbooks() == ["R/ann"]
    assert [r["workbook"] for r in ann.latest_everywhere("notes", room="R")] == ["R/ann"]
    with pytest.raises(KamDataError, match="refused: this login may not do that") as err:
        ann.save("notes", {"text": "ann was here"}, workbook="R/bob")
    assert "own workbook" in err.value.fix
    assert ann.remove_workbook("R/bob", kept_in=tmp_path / "bob.json") == 0
    # nor with SQL of her own
    with psycopg.connect(urls["ann"].replace("+psycopg", "")) as raw:
        assert raw.execute("SELECT DISTINCT workbook FROM kamwidgets_artefacts").fetchall() == [("R/ann",)]
        assert raw.execute("DELETE FROM kamwidgets_artefacts WHERE workbook = 'R/bob'").rowcount == 0
        assert raw.execute("SELECT workbook FROM kamwidgets_access").fetchall() == [("R/ann",)]
        assert raw.execute("SELECT current_setting('is_superuser')").fetchone() == ("off",)
    for statement in (
        "UPDATE kamwidgets_artefacts SET workbook = 'R/ann'",
        "INSERT INTO kamwidgets_access VALUES (current_user, 'R/', 'room')",
        "ALTER TABLE kamwidgets_artefacts DISABLE ROW LEVEL SECURITY",
        "CREATE TABLE mine (x int)",
        "CREATE ROLE other",
    ):
        with psycopg.connect(urls["ann"].replace("+psycopg", "")) as raw, pytest.raises(psycopg.Error):
            raw.execute(statement)
    # the facilitator's login reads the room (the room view shows both) and resets it
    room = kw.Store(urls["facilitator"], workbook="facilitator")
    assert [r["workbook"] for r in room.latest_everywhere("notes", room="R")] == ["R/ann", "R/bob"]
    with pytest.raises(KamDataError, match="refused"):
        room.save("notes", {"text": "not mine"}, workbook="R/bob")  # reads and removes, never writes there
    assert room.remove_workbook("R/bob", kept_in=tmp_path / "kept.json") == 3
    assert kw.Store(owner).workbooks() == ["R/ann"]  # the owner sees every workbook


def test_a_new_password_replaces_the_old_and_a_foreign_role_is_left_alone(shared, postgres_server):
    owner, urls = shared
    role = urls["ann"].split("://", 1)[1].split(":", 1)[0]
    grant_workbooks(owner, role, password="new-pw", own=["R/ann2"])
    ann = kw.Store(urls["ann"].replace("pw-ann", "new-pw"), workbook="R/ann2")
    ann.save("notes", {"text": 1})
    assert ann.workbooks() == ["R/ann2"]
    with pytest.raises(KamDataError, match="refused"):
        ann.save("notes", {"text": 1}, workbook="R/ann")  # the old workbook is no longer hers
    foreign = f"someone_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(f"postgresql://kam@/postgres?host={postgres_server}", autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {foreign} SUPERUSER")
    with pytest.raises(KamDataError, match="not a workbook login"):
        grant_workbooks(owner, foreign, password="x", own=["R/x"])
    with psycopg.connect(f"postgresql://kam@/postgres?host={postgres_server}") as conn:
        assert conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [foreign]).fetchone() == (True,)


def test_a_participant_login_cannot_share_the_store_nor_give_itself_more(shared):
    owner, urls = shared
    with pytest.raises(KamDataError, match="may not share the store by role") as err:
        share_by_role(urls["ann"])
    assert "owns the store's tables" in err.value.fix
    with pytest.raises(KamDataError, match="may not share the store by role"):
        grant_workbooks(urls["ann"], "kam_ann_more", password="x", own=["R/bob"], room="R")


def test_a_sqlite_store_has_no_logins(tmp_path):
    with pytest.raises(KamDataError, match="SQLite"):
        share_by_role(tmp_path / "w.sqlite")

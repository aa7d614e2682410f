"""One rule for whose work it is: explicit name, else ?workbook=, else the hub user, else default."""

from __future__ import annotations

import pytest

import kamwidgets as kw
from kamwidgets import identity, preheat
from kamwidgets.store import open_store, workbook_name


def test_the_name_given_wins(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "workbook=Room/Bob")
    monkeypatch.setenv("JUPYTERHUB_USER", "carol")
    assert workbook_name("  Team A ") == "Team A"


def test_the_page_address_then_the_hub_user_then_default(monkeypatch):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert workbook_name() == "default"
    monkeypatch.setenv("JUPYTERHUB_USER", "carol")
    assert workbook_name() == "carol"
    monkeypatch.setenv("QUERY_STRING", "theme=dark&workbook=Workshop%2FAnn+M%C3%BCller")
    assert workbook_name() == "Workshop/Ann Müller"
    monkeypatch.setenv("QUERY_STRING", "workbook=")
    assert workbook_name() == "carol"


@pytest.mark.parametrize("bad", ["", "   ", "x" * 201, "a\x00b", "tab\there"])
def test_names_that_cannot_be_a_workbook_are_refused_clearly(bad):
    with pytest.raises(kw.KamDataError, match="cannot name a workbook"):
        workbook_name(bad)


def test_open_store_uses_the_rule(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("QUERY_STRING", "workbook=Room%2FDan")
    store = open_store(tmp_path / "s.sqlite")
    assert store.workbook == "Room/Dan"
    assert "Room/Dan" in capsys.readouterr().out
    store.save("note", {"text": "mine"})
    other = open_store(tmp_path / "s.sqlite", workbook="Room/Eve")
    assert other.history().empty  # another participant does not see Dan's work
    assert sorted(store.workbooks()) == ["Room/Dan"]


def test_a_name_typed_in_the_kernel_is_used_by_stores_opened_after(monkeypatch, tmp_path, capsys):
    import os

    import kamwidgets as kw
    from kamwidgets.store import TYPED, workbook_name

    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv(TYPED, raising=False)
    monkeypatch.setattr(identity, "_typed", None)  # what the box sets is undone after the test
    box = kw.WorkbookName()
    assert box.workbook == "default" and "shares" in box.note
    box._message(None, {"event": "name", "name": "  Room 1/Ann "}, [])
    assert box.workbook == "Room 1/Ann" and workbook_name() == "Room 1/Ann"
    assert open_store(tmp_path / "s.sqlite").workbook == "Room 1/Ann"  # a store opened after uses it
    assert TYPED not in os.environ  # kept in the kernel, not written into the environment
    box._message(None, {"event": "name", "name": "x" * 300}, [])
    assert "cannot name a workbook" in box.note and workbook_name() == "Room 1/Ann"
    monkeypatch.setenv("QUERY_STRING", "workbook=Bo")  # the page's address still comes first
    assert workbook_name() == "Bo"
    monkeypatch.delenv("QUERY_STRING")
    identity.forget_workbook()
    assert workbook_name() == "default"


def test_the_typed_name_comes_before_the_environments_and_the_hub_users(monkeypatch):

    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.setattr(identity, "_typed", None)
    monkeypatch.setenv("JUPYTERHUB_USER", "carol")
    monkeypatch.setenv("KAMWIDGETS_WORKBOOK", "Team B")  # a name for every kernel of this server
    assert workbook_name() == "Team B"
    assert identity.use_workbook(" Ann ") == "Ann" and workbook_name() == "Ann"
    with pytest.raises(kw.KamDataError, match="cannot name a workbook"):
        identity.use_workbook("a\x00b")
    assert workbook_name() == "Ann"  # a refused name changes nothing


def test_open_store_names_only_the_workbook_in_the_app_view(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("QUERY_STRING", raising=False)
    store = open_store(tmp_path / "s.sqlite", workbook="Ann")
    assert capsys.readouterr().out == f"Your work is saved in {store.location} (workbook 'Ann').\n"
    monkeypatch.setenv("QUERY_STRING", "")  # a Voila page, even one without ?workbook=
    open_store(tmp_path / "s.sqlite", workbook="Ann")
    assert capsys.readouterr().out == "Your work is kept in the workbook 'Ann'.\n"


def test_a_kernel_voila_preheated_waits_for_the_page_before_reading_its_address(monkeypatch):
    """A preheated kernel runs the lesson before anyone asks for it; the page's ?workbook= comes with the request."""
    import voila.utils

    calls: list[str] = []

    def request_arrives():  # what Voila's wait_for_request does when the participant's page is asked for
        calls.append("waited")
        monkeypatch.setenv("QUERY_STRING", "workbook=Room/Eve")

    monkeypatch.setattr(voila.utils, "wait_for_request", request_arrives)
    monkeypatch.setattr(preheat, "_warm_up", lambda: calls.append("warmed"))
    monkeypatch.setattr(preheat, "_waited", False)
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    assert workbook_name() == "default" and calls == []  # not preheated: nothing waits
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    assert workbook_name() == "Room/Eve"
    assert calls == ["warmed", "waited"]  # first-use costs paid before the request, then the request
    assert workbook_name() == "Room/Eve" and calls == ["warmed", "waited"]  # one request per kernel


def test_the_warm_up_runs_on_the_sample_and_makes_no_widget():
    """A widget made before the request would be sent to the page for nothing."""
    from ipywidgets.widgets.widget import _instances

    before = set(_instances)
    preheat._warm_up()
    assert set(_instances) == before


def test_the_workshop_script_preheats_as_the_browser_test_does():
    from .browser_support import PREHEAT
    from .conftest import ROOT

    script = (ROOT / ".ci" / "workshop").read_text()
    assert f"options=({' '.join(PREHEAT)})" in script
    assert "kamwidgets.page_assets . --template=kamwidgets " in script  # Voila with the workshop's hooks


def test_a_failed_warm_up_still_waits_for_the_page(monkeypatch):
    import voila.utils

    def broken():
        raise OSError("the sample is missing")

    monkeypatch.setattr(voila.utils, "wait_for_request", lambda: monkeypatch.setenv("QUERY_STRING", "workbook=Bo"))
    monkeypatch.setattr(preheat, "_warm_up", broken)
    monkeypatch.setattr(preheat, "_waited", False)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.delenv("QUERY_STRING", raising=False)
    assert workbook_name() == "Bo"

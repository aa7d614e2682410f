"""A store's export and import: careless and hostile files get a clear answer and change nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import kamwidgets as kw
from kamwidgets.errors import KamDataError
from kamwidgets.store import Store, export_checksum

from .test_store_open import digest


# -- exporting the store to a folder, or into a missing folder ------------------------------------------
def test_store_export_to_a_folder_or_a_missing_folder_says_so_and_leaves_nothing(tmp_path):
    store = Store(tmp_path / "s.sqlite", workbook="Room/Ann")
    store.save("note", {"text": "kept"})
    with pytest.raises(kw.KamDataError, match="is a folder, not a file name"):
        store.export(tmp_path)
    with pytest.raises(kw.KamDataError, match="the folder does not exist"):
        store.export(tmp_path / "missing" / "out.json")
    assert not list(tmp_path.rglob("*.part"))
    assert store.load("note") == {"text": "kept"}
    assert json.loads(store.export(tmp_path / "ok.json").read_text())["workbook"] == "Room/Ann"


# -- hostile import files ----------------------------------------------------------------------------------
def _export_doc(artefacts, **extra):
    return {"format": "kamwidgets-workbook", "schema": 2, "workbook": "W", "artefacts": artefacts, **extra}


def _with_checksum(doc):
    """A hand-made export with the checksum store.export() writes, so what is tested is not the checksum."""
    doc = {**doc, "checksum_covers": "document"}
    return {**doc, "checksum": export_checksum(doc)}


HOSTILE_IMPORTS = {
    "artefact is a string": _export_doc(["hello"]),
    "no data": _export_doc([{"kind": "x"}]),
    "no kind": _export_doc([{"data": {}}]),
    "schema is text": _export_doc([], schema="two"),
    "schema is null": _export_doc([], schema=None),
    "frame without columns": _export_doc([{"kind": "x", "data": {"__frame__": {"rows": 1}}}]),
    "empty kind": _export_doc([{"kind": "", "data": {}}]),
    "kind too long": _export_doc([{"kind": "k" * 101, "data": {}}]),
    "NUL in account": _export_doc([{"kind": "x", "account": "a\x00b", "data": {}}]),
}


@pytest.mark.parametrize("name", list(HOSTILE_IMPORTS))
def test_hostile_import_files_get_a_clear_error_and_change_nothing(tmp_path, name):
    store = Store(tmp_path / "s.sqlite", workbook="W")
    store.save("keep", {"a": 1})
    path = tmp_path / "in.json"
    path.write_text(json.dumps(_with_checksum(HOSTILE_IMPORTS[name])))
    before = digest(path)
    with pytest.raises(KamDataError):
        store.import_(path)
    assert digest(path) == before
    assert store.history()["kind"].tolist() == ["keep"]


@pytest.mark.parametrize(
    "text",
    ['{"format": "kamwidgets-workbook", "artefacts": [{"kind": "x", "data": NaN}]}', "[" * 200_000 + "]" * 200_000],
)
def test_non_json_numbers_and_deep_nesting_are_refused(tmp_path, text):
    store = Store(tmp_path / "s.sqlite")
    path = tmp_path / "in.json"
    path.write_text(text)
    with pytest.raises(KamDataError, match="not a workbook exported by kamwidgets"):
        store.import_(path)
    assert store.history().empty


def test_null_account_and_note_import_as_empty_not_as_none(tmp_path):
    store = Store(tmp_path / "s.sqlite", workbook="W")
    path = tmp_path / "in.json"
    path.write_text(
        json.dumps(_with_checksum(_export_doc([{"kind": "x", "account": None, "note": None, "data": {"a": 1}}])))
    )
    assert store.import_(path) == 1
    hist = store.history()
    assert hist["account"].tolist() == [""] and hist["note"].tolist() == [""]
    assert store.load("x") == {"a": 1}


def test_an_export_carries_a_checksum_and_a_changed_file_is_refused(tmp_path):
    store = Store(tmp_path / "s.sqlite", workbook="W")
    store.save("x", {"amount": 100})
    path = store.export(tmp_path / "w.json")
    doc = json.loads(path.read_text())
    assert len(doc["checksum"]) == 64
    doc["artefacts"][0]["data"]["amount"] = 1_000_000
    path.write_text(json.dumps(doc))
    other = Store(tmp_path / "o.sqlite")
    with pytest.raises(KamDataError, match="checksum does not match"):
        other.import_(path)
    assert other.history(workbook="W").empty


# -- the same file imported twice at once adds each version once --------------------------------------------
IMPORT = """
import sys
from kamwidgets.store import Store
print(Store(sys.argv[1]).import_(sys.argv[2]))
"""


def test_two_processes_importing_the_same_file_add_each_version_once(store_url, tmp_path):
    source = Store(tmp_path / "source.sqlite", workbook="Room/Ann")
    for i in range(150):
        source.save("note", {"i": i}, account=f"a{i % 7}")
    source.save("note", {"i": 0}, account="a0")  # a real second save of the same data stays a version
    path = source.export(tmp_path / "room.json")
    Store(store_url).close()
    procs = [
        subprocess.Popen([sys.executable, "-c", IMPORT, store_url, str(path)], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    counts = [int(p.communicate(timeout=240)[0].split()[-1]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(counts) == 151
    assert len(Store(store_url).history(workbook="Room/Ann")) == 151

"""A workbook in one file: the export document, its checksum, and reading it back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._files import write_atomically
from ..errors import KamDataError
from .checks import _OLDEST, _canonical, _check_unicode, _checksum, _now, _saving_time, version_row
from .codec import _ENVELOPE, CODEC, decode
from .layout import SCHEMA_VERSION

EXPORT_FORMAT = "kamwidgets-workbook"
#: What an export's checksum covers: the whole document but the checksum itself.  Exports that do not say
#: (written by layout 2) covered only their versions, and are read with that check.
CHECKSUM_COVERS = "document"


def _unwrapped(payload: str) -> dict:
    """A saved payload as an export carries it: ``data`` as plain JSON, and the ``codec`` that wrote it (none for
    the first codec)."""
    value = json.loads(payload)
    if isinstance(value, dict) and set(value) == {_ENVELOPE, "value"} and type(value[_ENVELOPE]) is int:
        return {"codec": value[_ENVELOPE], "data": value["value"]}
    return {"data": value}


def _wrapped(entry: dict) -> Any:
    """The payload an exported version is saved as (the inverse of :func:`_unwrapped`)."""
    codec = entry.get("codec")
    if codec is None:
        return entry["data"]
    if type(codec) is not int or codec < CODEC:
        raise ValueError(f"codec {codec!r} is not one kamwidgets writes")
    if codec > CODEC:
        raise KamDataError(f"was saved by a newer kamwidgets (codec {codec})", fix="Update kamwidgets.")
    return {_ENVELOPE: codec, "value": entry["data"]}


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def read_export(source: Path) -> dict:
    """The export file's document, checked for its shape and checksum; the file is only read."""
    not_ours = KamDataError(
        "is not a workbook exported by kamwidgets; nothing was imported",
        source=str(source),
        fix="Choose a file written by store.export().",
    )
    try:
        doc = json.loads(source.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
    except FileNotFoundError:
        raise KamDataError("file not found", source=str(source), fix="Check the path.") from None
    except IsADirectoryError:
        raise KamDataError("is a folder, not an export file", source=str(source)) from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise not_ours from None
    if not (isinstance(doc, dict) and doc.get("format") == EXPORT_FORMAT and isinstance(doc.get("artefacts"), list)):
        raise not_ours
    schema = doc.get("schema", 1)
    if isinstance(schema, bool) or not isinstance(schema, int):
        raise KamDataError(
            f"has a layout version of {schema!r}, not a number; nothing was imported",
            source=str(source),
            fix="Import a file written by store.export(), unchanged.",
        )
    if schema > SCHEMA_VERSION:
        raise KamDataError(
            "was exported by a newer kamwidgets; nothing was imported", source=str(source), fix="Update kamwidgets."
        )
    checksum, covers = doc.get("checksum"), doc.get("checksum_covers")
    if not isinstance(checksum, str):
        raise KamDataError(
            'has no checksum (the "checksum" an export carries), so it cannot be checked; nothing was imported',
            source=str(source),
            fix="Import the file as store.export() wrote it; a file changed by hand is refused, "
            "so export the workbook again from its store.",
        )
    if covers == CHECKSUM_COVERS:
        expected = export_checksum(doc)
    elif covers is None and schema <= 2:  # written by layout 2, whose checksum covered the versions only
        expected = _checksum(_canonical(doc["artefacts"]))
    else:
        expected = None
    if checksum != expected:
        raise KamDataError(
            "was changed or damaged after it was exported (its checksum does not match); nothing was imported",
            source=str(source),
            fix="Export the workbook again from its store.",
        )
    workbook = doc.get("workbook")
    if workbook is not None and not isinstance(workbook, str):
        raise not_ours
    return doc


def export_checksum(doc: dict) -> str:
    """The checksum of an export's document: everything in it but the ``"checksum"`` itself.

    It finds a file damaged or changed after its export (any value, the
    workbook's name included); it is no signature: whoever changes a file
    on purpose can write a new checksum too.
    """
    return _checksum(_canonical({k: v for k, v in doc.items() if k != "checksum"}))


def write_export(target: Path, workbook: str, rows: list[tuple]) -> None:
    """Write the export of ``workbook`` to ``target`` (atomically): ``rows`` are its versions, oldest first, as
    ``(uid, kind, account, saved_at, note, payload)``; the document carries a checksum of all of it."""
    artefacts = [
        {
            "uid": uid,
            "kind": kind,
            "account": account,
            "saved_at": saved_at,
            "note": note or "",
            **_unwrapped(payload),
        }
        for uid, kind, account, saved_at, note, payload in rows
    ]
    head = {
        "format": EXPORT_FORMAT,
        "schema": SCHEMA_VERSION,
        "workbook": workbook,
        "exported_at": _now(),
        "checksum_covers": CHECKSUM_COVERS,
    }
    doc = {**head, "checksum": export_checksum({**head, "artefacts": artefacts}), "artefacts": artefacts}
    text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
    write_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def rows_to_import(source: Path, doc: dict, asked: str | None, default: str) -> tuple[str, list[dict]]:
    """``(workbook, rows)``: the workbook the export ``doc`` (read from ``source``) goes into, and its versions
    checked as rows to insert.

    The workbook is the one ``asked`` for, else the one it was exported from, else ``default``; into another
    workbook than its own, the file is a copy (its versions get uids of their own there).
    """
    exported_from = doc.get("workbook")
    workbook = asked or exported_from or default  # checked with each row
    copy_into = workbook if isinstance(exported_from, str) and workbook != exported_from else None
    exported_at = _saving_time(doc.get("exported_at"))
    rows = [
        import_row(source, i, entry, workbook, exported_at, copy_into) for i, entry in enumerate(doc["artefacts"], 1)
    ]
    return workbook, rows


def import_row(
    source: Path, number: int, entry: Any, workbook: str, exported_at: Any = None, copy_into: Any = None
) -> dict:
    """One exported version, checked: a clear error naming it, or the row to insert.

    ``copy_into``: the workbook a copy goes to, which gives the version a uid of its own there.
    """
    where = f"{source}, version {number}"
    if not isinstance(entry, dict) or "data" not in entry or not isinstance(entry.get("kind"), str):
        raise KamDataError(
            "is not a saved version (it needs a kind and data); nothing was imported",
            source=where,
            fix="Import a file written by store.export(), unchanged.",
        )
    try:
        saved = _wrapped(entry)
        decode(saved)  # it must load back later, not only import now
        payload = json.dumps(saved, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        _check_unicode(payload, "data", "nothing was imported")
    except (ValueError, RecursionError) as err:  # KamDataError included
        problem = err.problem if isinstance(err, KamDataError) else f"{type(err).__name__}: {err}"
        raise KamDataError(
            f"holds data that cannot be read back ({problem}); nothing was imported",
            source=where,
            fix="Import a file written by store.export(), unchanged.",
        ) from None
    # a version keeps when it was saved; one that does not say was saved before its export at the latest
    saved_at = _saving_time(entry.get("saved_at", exported_at or _OLDEST))
    if saved_at is None:
        raise KamDataError(
            f"has no time of saving one can read ({entry.get('saved_at')!r}); nothing was imported",
            source=where,
            fix="Import a file written by store.export(), unchanged: each version keeps when it was saved.",
        )
    account = entry.get("account")
    note = entry.get("note")
    uid = entry.get("uid")
    if not (isinstance(uid, str) and len(uid) == 32 and all(c in "0123456789abcdef" for c in uid)):
        # a file from before uids: the same content always gets the same uid
        uid = _checksum(_canonical([workbook, entry["kind"], account, saved_at, payload]))[:32]
    elif copy_into is not None:  # the same copy of the same version always gets the same uid
        uid = _checksum(_canonical(["copy", copy_into, uid]))[:32]
    try:
        return version_row(
            workbook,
            entry["kind"],
            "" if account is None else str(account),
            payload,
            saved_at,
            "" if note is None else str(note),
            uid,
        )
    except KamDataError as err:
        raise KamDataError(f"{err.problem}; nothing was imported", source=where, fix=err.fix) from None

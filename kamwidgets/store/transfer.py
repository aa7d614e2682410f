"""A workbook in one file: the export document, its checksum, and reading it back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import KamDataError
from .checks import _canonical, _checksum
from .codec import _ENVELOPE, CODEC
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


def _read_export(source: Path) -> dict:
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

"""What the store checks before it writes or looks up: text, names, version ids, times, checksums."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import uuid
from typing import Any

import numpy as np

from .. import config
from ..errors import KamDataError

#: Limits that PostgreSQL enforces; checked before writing on every database, so a workbook can move between them.
LIMITS = {"workbook": 200, "kind": 100}


def _check_key(value: str, what: str) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > LIMITS["kind"] or "\x00" in value:
        raise KamDataError(
            f"the {what} {_shown(value)} cannot be used",
            fix=f"Give the {what} a short name (up to {LIMITS['kind']} characters).",
        )
    _check_unicode(value, what, "nothing was saved")


def _lookup(value: object, what: str) -> str:
    """Text a version is looked up by, checked like text that is saved (a clear error, not a database's)."""
    if not isinstance(value, str):
        raise KamDataError(
            f"the {what} must be text, not {type(value).__name__} ({_shown(value)}); nothing was read",
            fix=f'Give the {what} as it was saved, e.g. store.load("classification").',
        )
    return _check_text(value, what, None, "nothing was read")


def _shown(value: object) -> str:
    """A short, printable spelling of what the user gave (for messages)."""
    text = ascii(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _given_path(value: object, what: str) -> str:
    """A path (or URL) the user gave, as text, or a clear error when it cannot be one."""
    try:
        text = os.fspath(value)  # type: ignore[call-overload]
    except TypeError:
        raise KamDataError(
            f"the {what} must be a path or a URL, not {type(value).__name__} ({_shown(value)})",
            fix="Give it as text, e.g. 'work.sqlite', or as a pathlib.Path.",
        ) from None
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if "\x00" in text:
        raise KamDataError(
            f"the {what} contains a NUL character, which no file name or URL can hold ({_shown(text)})",
            fix="Type the path again (the character is invisible; it often comes from copying out of another program).",
        )
    return text


def _check_unicode(text: str, what: str, outcome: str) -> None:
    """Refuse text that is not valid Unicode (a lone surrogate such as '\\ud800'), which no database can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise KamDataError(
            f"the {what} holds a character that is not valid Unicode ({ascii(text[err.start])}, a lone surrogate, "
            f"after {ascii(text[max(0, err.start - 30) : err.start])}); {outcome}",
            fix="Remove the character; it comes from text decoded the wrong way (read the file again with its "
            "right encoding).",
        ) from None


def _key(account: str) -> str:
    return hashlib.sha256(str(account).encode("utf-8")).hexdigest()


#: Environment variable for how many versions of each artefact a save keeps.
ENV_KEEP_LAST = config.KEEP_LAST


def _keep_last(value: int | None) -> int:
    """The number of versions to keep (0: all); -1 means the default (:func:`kamwidgets.config.keep_last`)."""
    if value == -1:
        value = config.keep_last()
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise KamDataError(
            f"keep_last must be a whole number of 0 or more (or None), not {value!r}",
            fix="For example keep_last=50; 0 or None keeps every version.",
        )
    return value


def _canonical(value: Any) -> str:
    """One spelling of a JSON value, for checksums."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(",", ":"))


def _new_uid() -> str:
    return uuid.uuid4().hex


def _check_text(value: object, what: str, limit: int | None = None, outcome: str = "nothing was saved") -> str:
    """Text the store can keep on SQLite and PostgreSQL alike (valid Unicode without NUL, within the column's
    length); ``outcome`` says what the refusal means (e.g. "nothing was saved")."""
    text = "" if value is None else str(value)
    if "\x00" in text:
        raise KamDataError(
            f"the {what} contains a NUL character, which a database cannot keep; {outcome}",
            fix="Remove the character (it is invisible; it often comes from copying out of another program).",
        )
    _check_unicode(text, what, outcome)
    if limit is not None and len(text) > limit:
        raise KamDataError(
            f"the {what} is {len(text):,} characters long; at most {limit} fit; {outcome}",
            fix=f"Use a shorter {what}.",
        )
    return text


def _version_id(version: object) -> int | None:
    """A version id as the database holds it; None for a whole number no version can have (it names none)."""
    number: int | None = None
    if isinstance(version, (int, np.integer)) and not isinstance(version, (bool, np.bool_)):
        number = int(version)
    elif isinstance(version, float) and version.is_integer():
        number = int(version)
    elif isinstance(version, str) and re.fullmatch(r"\s*[0-9]{1,40}\s*", version):
        number = int(version)
    if number is None:
        raise KamDataError(
            f"version {_shown(version)} is not a version id (a whole number); nothing was read",
            fix="Use an id from the 'id' column of store.history(kind).",
        )
    return number if 0 < number < 2**63 else None


def _checksum(payload: str) -> str:
    # surrogatepass: text that is not valid Unicode (refused when saved) still gets a checksum, not an exception
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


#: The time given to an imported version that says nothing of when it was saved, nor its export: the oldest.
_OLDEST = "0001-01-01T00:00:00+00:00"


def _saving_time(value: Any) -> str | None:
    """A version's time of saving as :func:`_now` writes it (UTC, to the microsecond), so text order is time order.

    A time without a zone is taken as UTC; anything that is not a time gives ``None``.
    """
    if not isinstance(value, str) or not 0 < len(value) <= 40:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="microseconds")


def version_row(workbook: str, kind: str, account: str, payload: str, saved_at: str, note: str, uid: str) -> dict:
    """The values of one version, checked against the limits every database shares."""
    _check_key(kind, "kind")
    account = _check_text(account, "account name")
    return dict(
        workbook=_check_text(workbook, "workbook name", LIMITS["workbook"]),
        kind=kind,
        account=account,
        account_key=_key(account),
        saved_at=saved_at,
        note=_check_text(note, "note"),
        payload=payload,
        checksum=_checksum(payload),
        uid=uid,
    )

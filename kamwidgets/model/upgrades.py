"""Saved work across releases: what a widget saves carries a version, and older versions are brought up to date.

Every artefact a widget saves is ``{"settings": ..., "value": ..., "version": N}``,
``N`` being the version of what that kind of widget saves
(:func:`current_version`).  Work saved before artefacts carried a version is
version 1.  When a release changes what a kind saves (a settings key renamed,
a column added), it adds a step to :data:`UPGRADES`, and the saved work of
every earlier release is brought up to date when it is restored, instead of
being refused.

Work saved by a *newer* release than this one is refused with
:class:`SavedByNewerRelease`: this release cannot know what it means, and
nothing is dropped from it without a word.

This version answers *what shape does this kind of saved work have?* (the
keys and columns of a SWOT, a plan ...).  It is one of three: the store's
layout version (:data:`kamwidgets.store.layout.SCHEMA_VERSION`) says which
tables a store has, and the codec version on each saved value
(:data:`kamwidgets.store.codec.CODEC`) says how that value was written as
JSON.  A kind's version changes when a widget's settings change; the other
two do not.

Examples
--------
>>> current_version("swot"), current_version("spectrum")
(2, 1)
>>> strategies = [{"cross": "WT", "strategy": "Two suppliers"}]
>>> saved = {"settings": {"subject": "Istmar", "items": [], "strategies": strategies}}  # saved without a version
>>> settings_from("swot", saved)["strategies"]
[{'cross': 'WT', 'strategy': 'Two suppliers', 'kind': 'protective'}]
>>> settings_from("spectrum", {"settings": {"our_intent": 8}, "version": 1})
{'our_intent': 8}
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ..errors import KamDataError
from .swot import CROSSES

__all__ = ["UPGRADES", "SavedByNewerRelease", "current_version", "saved_version", "settings_from"]

#: A step: the settings saved at one version of a kind, as the next version saves them.
Step = Callable[[dict], dict]


def _swot_strategies_get_their_kind(settings: dict) -> dict:
    """SWOT 1 -> 2: strategies have a ``kind`` (offensive or protective), and their TOWS cross is optional.

    Version 1 saved a cross for each strategy and no kind; the kind is the
    one its cross gives (:data:`kamwidgets.model.swot.CROSSES`: towards an
    opportunity offensive, against a threat protective).  A row that is not
    as version 1 saved it is left as it is, for the SWOT's own checks to name.
    """
    strategies = settings.get("strategies")
    if isinstance(strategies, list):
        settings["strategies"] = [
            {**row, "kind": CROSSES[row["cross"]]}
            if isinstance(row, dict) and not row.get("kind") and row.get("cross") in CROSSES
            else row
            for row in strategies
        ]
    return settings


#: ``UPGRADES[kind][v]`` turns the settings a ``kind`` saved at version ``v`` into those of version ``v + 1``.
#: A key ending in ``:`` or ``_`` holds the steps of every kind it starts (``"quiz:"`` for every lesson's
#: quiz, ``"notes_"`` for every exercise's notes).  Steps are numbered from 1 without gaps; a kind without
#: steps is at version 1.
UPGRADES: dict[str, dict[int, Step]] = {
    "swot": {1: _swot_strategies_get_their_kind},
}


class SavedByNewerRelease(KamDataError):
    """Work saved by a newer release of kamwidgets than this one: refused, and left as it is in the store."""

    def __init__(self, kind: str, version: int, known: int) -> None:
        self.kind, self.version, self.known = kind, version, known
        super().__init__(
            f"the {kind!r} saved here was made by a newer kamwidgets (version {version} of what it saves; "
            f"this one reads up to version {known})",
            fix="Open it with the newer kamwidgets (pip install -U kamwidgets); "
            "the saved versions stay in the workbook (store.history() lists them).",
        )


def _steps(kind: str) -> dict[int, Step]:
    """The steps of ``kind``: its own, or those of the longest family key (``"quiz:"``) it starts with."""
    if kind in UPGRADES:
        return UPGRADES[kind]
    families = [k for k in UPGRADES if k.endswith((":", "_")) and kind.startswith(k)]
    return UPGRADES[max(families, key=len)] if families else {}


def current_version(kind: str) -> int:
    """The version of what ``kind`` saves in this release (1 until a step is added)."""
    steps = _steps(kind)
    return max(steps) + 1 if steps else 1


def saved_version(kind: str, saved: Any) -> int:
    """The version a saved artefact was made at: its ``version``, or 1 when it has none (saved before versions).

    Raises :class:`KamDataError` when the version is not a whole number from 1.
    """
    version = saved.get("version", 1) if isinstance(saved, dict) else 1
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise KamDataError(
            f"the saved {kind!r} has {version!r} as its version, which is not a version number",
            fix="Restore another version (store.history() lists them).",
        )
    return version


def settings_from(kind: str, saved: Any) -> Any:
    """The settings of a saved artefact of ``kind``, brought up to this release's version.

    ``saved`` is what :meth:`kamwidgets.store.Store.load` returned.  Settings
    that are not a dict are given back as they are (the widget's
    ``apply_settings`` names the problem); ``saved`` itself is never changed.

    Raises
    ------
    SavedByNewerRelease
        When it was saved by a newer release (a version this one does not know).
    KamDataError
        When its version is not a version number, or a step cannot read it.
    """
    version, known = saved_version(kind, saved), current_version(kind)
    if version > known:
        raise SavedByNewerRelease(kind, version, known)
    settings = saved.get("settings") if isinstance(saved, dict) else saved
    if not isinstance(settings, dict) or version == known:
        return settings
    settings = copy.deepcopy(settings)
    steps = _steps(kind)
    for step in range(version, known):
        try:
            settings = steps[step](settings)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise KamDataError(
                f"the {kind!r} saved at version {version} could not be brought up to version {known} "
                f"(step {step} to {step + 1}: {type(exc).__name__}: {exc})",
                fix="Restore another version (store.history() lists them), or set the values again.",
            ) from None
        if not isinstance(settings, dict):  # pragma: no cover - a step always returns the settings
            raise KamDataError(f"upgrading the {kind!r} from version {step} gave no settings")
    return settings

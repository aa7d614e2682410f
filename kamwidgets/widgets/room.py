"""The facilitator's view of the workshop room: everyone's quiz results and classifications side by side."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import ipywidgets as W
import pandas as pd

from ..errors import KamDataError
from ..export import export_workbook
from ..model.quiz import load_quiz, quiz_names
from ..model.room import agreement, question_results, quiz_scores, settings_side_by_side
from ._base import KamWidget, escape, html_table
from ._traits import Flag

__all__ = ["RoomView"]


class RoomView(KamWidget):
    """Who answered what, what the room got wrong, how the groups classified the same portfolio.

    Parameters
    ----------
    store:
        The shared store (``kw.open_store()`` on the workshop's database).
    room:
        Show the workbooks named ``ROOM/NAME``; ``None`` shows every workbook.
    refresh_every:
        Seconds between automatic refreshes (``None``: only on demand, with
        the *Refresh* button or :meth:`refresh`).

    Attributes
    ----------
    value : DataFrame
        One row per workbook: ``workbook`` and one column per quiz (its id,
        e.g. ``lesson_14``) with the share of right answers, 0 to 1 (NaN when
        not taken; an open question counts as not right).
    questions : DataFrame
        Per question: the share right and the wrong answer chosen most
        (:func:`kamwidgets.model.room.question_results`).
    settings_table : DataFrame
        Each workbook's classification weights and splits, side by side.
    agreement : DataFrame
        Per account of a portfolio two or more workbooks classified: how far
        they agree on its bucket, the least agreed first.
    controls : dict
        ``refresh`` (button), ``auto`` (checkbox: refresh every few seconds),
        ``anonymous`` (checkbox: participants shown as numbers).
    """

    kind = "room"
    inputs = ("anonymous",)

    anonymous = Flag(False, help="show participants as numbers (for the projector)")

    def __init__(self, store: Any, room: str | None = None, *, refresh_every: float | None = None) -> None:
        super().__init__()
        self.store, self.room = store, room
        self.quizzes = {name: load_quiz(name) for name in quiz_names()}
        self.questions = pd.DataFrame()
        self.settings_table = pd.DataFrame()
        self.agreement = pd.DataFrame()
        self._timer: threading.Timer | None = None
        self.refresh_every = float(refresh_every or 10)
        self.controls["refresh"] = W.Button(description="Refresh", icon="refresh")
        self.controls["refresh"].on_click(lambda _: self.refresh())
        self.controls["auto"] = W.Checkbox(value=refresh_every is not None, description="Refresh every few seconds")
        self.controls["auto"].observe(lambda _: self._schedule(), names="value")
        self.controls["anonymous"] = W.Checkbox(description="Hide names (participants as numbers)")
        self._bind("anonymous", "anonymous")
        self.views = W.Tab()
        self._panes = [W.HTML() for _ in range(4)]
        self.views.children = self._panes
        for i, title in enumerate(("Quiz scores", "Questions", "Classification settings", "Agreement")):
            self.views.set_title(i, title)
        where = f"the room {room}" if room else "every workbook in the store"
        self.children = (
            W.HTML(f"<h3>The room: {escape(where)}</h3>"),
            W.HBox([self.controls["refresh"], self.controls["auto"], self.controls["anonymous"]]),
            self.message,
            self.views,
        )
        self._start()
        self._schedule()

    # -- reading the room ----------------------------------------------------
    def _read(self) -> tuple[pd.DataFrame, dict, pd.DataFrame, list[str]]:
        answers = []
        for item in self.store.latest_everywhere("quiz:", prefix=True, room=self.room):
            saved = item["data"].get("settings", {}) if isinstance(item["data"], dict) else {}
            quiz = item["kind"].split(":", 1)[1]
            if quiz not in self.quizzes or not isinstance(saved.get("answers"), dict):
                continue
            answers += [
                {"workbook": item["workbook"], "quiz": quiz, "question": q, "choice": c}
                for q, c in saved["answers"].items()
            ] or [{"workbook": item["workbook"], "quiz": quiz, "question": None, "choice": None}]
        settings, placements = {}, []
        for item in self.store.latest_everywhere("classification", room=self.room):
            data = item["data"] if isinstance(item["data"], dict) else {}
            if isinstance(data.get("settings"), dict):
                settings[item["workbook"]] = data["settings"]
            value = data.get("value")
            if isinstance(value, pd.DataFrame) and {"account", "segment"} <= set(value.columns):
                placements.append(
                    value[["account", "segment"]].assign(
                        workbook=item["workbook"], fingerprint=data.get("fingerprint", "unknown")
                    )
                )
        frame = pd.DataFrame(answers, columns=["workbook", "quiz", "question", "choice"])
        places = (
            pd.concat(placements, ignore_index=True)
            if placements
            else pd.DataFrame(columns=["account", "segment", "workbook", "fingerprint"])
        )
        prefix = f"{self.room}/" if self.room else ""
        everyone = [w for w in self.store.workbooks() if w.startswith(prefix)]
        return frame, settings, places, everyone

    def refresh(self) -> None:
        """Read the store again, and show what it holds now."""
        with self.reporting():
            answers, settings, places, everyone = self._read()
            self.value = quiz_scores(answers, self.quizzes, everyone)
            self.questions = question_results(answers, self.quizzes)
            self.settings_table = settings_side_by_side(settings)
            self.agreement = agreement(places)
            self.clear_error()
            self._show()

    def recompute(self) -> None:
        """An input changed (names hidden or shown): show again what was read, without reading the store."""
        if self.value is None:  # the first time: nothing read yet
            self.refresh()
        else:
            self._show()

    # -- showing it -------------------------------------------------------------
    def shown_names(self) -> dict[str, str]:
        """How each workbook is shown: its name (without the room's prefix), or a number when names are hidden."""
        names = list(self.value["workbook"]) if len(self.value) else []
        if self.anonymous:
            return {n: f"Participant {i}" for i, n in enumerate(names, start=1)}
        prefix = f"{self.room}/" if self.room else ""
        return {n: n[len(prefix) :] if prefix and n.startswith(prefix) else n for n in names}

    def _show(self) -> None:
        names = self.shown_names()
        scores = self.value.assign(workbook=self.value["workbook"].map(names))
        taken = [c for c in scores.columns[1:] if scores[c].notna().any()]
        shown = scores[["workbook", *taken]].copy()
        for c in taken:
            shown[c] = shown[c].map(lambda v: "" if pd.isna(v) else f"{v:.0%}")
        self._panes[0].value = html_table(shown, empty="No workbook yet.")
        questions = self.questions.assign(right=self.questions["right"].map("{:.0%}".format))
        self._panes[1].value = html_table(
            questions[["quiz", "text", "taken", "right", "most_chosen_wrong", "chosen_by"]], empty="No quiz taken yet."
        )
        table = self.settings_table.rename(columns=lambda c: names.get(c, c)).reset_index()
        self._panes[2].value = html_table(table, float_format="{:.0f}", empty="Nobody has classified yet.")
        agree = self.agreement.assign(agreement=self.agreement["agreement"].map("{:.0%}".format))
        self._panes[3].value = html_table(
            agree[["account", "workbooks", "agreement", "most_chosen", "buckets"]],
            empty="No portfolio was classified by two workbooks yet.",
        )

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.controls["auto"].value:
            self._timer = threading.Timer(self.refresh_every, self._tick)
            self._timer.daemon = True
            self._timer.start()

    def _tick(self) -> None:
        self.refresh()
        self._schedule()

    def export(self, path: Any) -> Any:
        """The room's results as an Excel file: scores, questions, settings, agreement (names as shown)."""
        names = self.shown_names()
        return export_workbook(
            path,
            {
                "Quiz scores": self.value.assign(workbook=self.value["workbook"].map(names)),
                "Questions": self.questions,
                "Settings": self.settings_table.rename(columns=lambda c: names.get(c, c)).reset_index(),
                "Agreement": self.agreement,
            },
        )

    def reset(self, folder: Any) -> list[Any]:
        """Empty the room for the next session, keeping everything: the room's results go to
        ``folder/room.xlsx`` and each workbook, whole, to ``folder/<n>.json`` (bring one back with
        ``store.import_``); then the room's workbooks are removed from the store.  Returns the files."""
        if not self.room:
            raise KamDataError(
                "only a named room can be reset, not the whole store", fix="Open RoomView(store, room=...)."
            )
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        self.refresh()
        files = [self.export(target / "room.xlsx")]
        prefix = f"{self.room}/"
        for i, workbook in enumerate(w for w in self.store.workbooks() if w.startswith(prefix)):
            kept = target / f"workbook-{i + 1}.json"
            self.store.remove_workbook(workbook, kept_in=kept)
            files.append(kept)
        self.refresh()
        return files

    @property
    def settings(self) -> dict:
        return {"room": self.room, "anonymous": self.anonymous}

    def apply_settings(self, settings: dict) -> None:
        self.anonymous = settings["anonymous"]

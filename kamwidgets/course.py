"""The lessons as files of the user's own: copied out of the package, never run in place.

    kamwidgets lessons my-kam-course          # or: python -m kamwidgets lessons my-kam-course
    kamwidgets lessons my-kam-course --force  # also replace lessons you changed (a backup is kept)

Running a lesson saves its outputs into the notebook, so the lessons are
used from a copy: the installed package (or the checkout) is never changed.
The lessons read their data through :func:`kamwidgets.sample_path`, from the
package, so the notebooks are all that is copied.

A small record in the folder (``.kamwidgets-lessons.json``) says what was
copied.  Copying again brings new or updated lessons in and leaves a lesson
the user changed as it is (it is listed); ``force=True`` replaces it too,
keeping the user's file as ``NAME.ipynb.bak`` (``.bak2``, ... when taken).

The lessons' files are numbered as the course's lessons (``14_customer_classification``
is the course's lesson 14).  Earlier releases numbered them in the order of
the files (``12_customer_classification``); a copy made by such a release is
brought up to date: an old file the user never changed is removed (its lesson
arrives under the new name), one they changed is left and listed.  What was
saved in the workbook is kept by kind, not by file name, so it comes back in
the renamed lessons as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KamDataError
from .samples import LESSONS_DIR

__all__ = ["copy_lessons", "LessonCopy", "RECORD"]

#: The file in the user's folder that remembers what was copied.
RECORD = ".kamwidgets-lessons.json"

#: Lesson files of earlier releases (numbered by file order) -> their names now (the course's numbers).
RENAMED = {
    "01_what_is_kam.ipynb": "03_what_is_kam.ipynb",
    "02_sales_approach_and_spectrum.ipynb": "04_sales_approach_and_spectrum.ipynb",
    "03_the_journey.ipynb": "05_the_journey.ipynb",
    "04_decision_making_unit.ipynb": "06_decision_making_unit.ipynb",
    "05_kam_vs_traditional_sales.ipynb": "07_kam_vs_traditional_sales.ipynb",
    "06_making_it_happen.ipynb": "08_making_it_happen.ipynb",
    "07_contact_matrix.ipynb": "09_contact_matrix.ipynb",
    "08_supporters_and_opponents.ipynb": "10_supporters_and_opponents.ipynb",
    "09_marketing_plan.ipynb": "11_marketing_plan.ipynb",
    "10_swot.ipynb": "12_swot.ipynb",
    "11_account_plan.ipynb": "13_account_plan.ipynb",
    "12_customer_classification.ipynb": "14_customer_classification.ipynb",
    "12b_classification_on_real_data.ipynb": "14b_classification_on_real_data.ipynb",
    "13_wrap_up.ipynb": "15_wrap_up.ipynb",
}


@dataclass
class LessonCopy:
    """What :func:`copy_lessons` did, by file name."""

    folder: Path
    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # changed by the user, left as they are
    backups: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)  # an earlier release's file name, unchanged: removed
    old_names: list[str] = field(default_factory=list)  # an earlier release's file name, changed: left

    def summary(self) -> str:
        parts = [f"Lessons in {self.folder}:"]
        for label, names in (
            ("copied", self.copied),
            ("updated", self.updated),
            ("already up to date", self.unchanged),
            ("backed up before replacing", self.backups),
        ):
            if names:
                parts.append(f"  {label}: {len(names)}")
        if self.retired:
            parts.append(f"  renamed to the course's lesson numbers: {len(self.retired)}")
        if self.old_names:
            parts.append(
                "  kept under their old names as you changed them (the lessons are now numbered as the course's: "
                + ", ".join(f"{old} is now {RENAMED[old]}" for old in self.old_names)
                + ")"
            )
        if self.kept:
            parts.append(
                "  kept as you changed them (not replaced; use --force to replace them, a backup is kept): "
                + ", ".join(self.kept)
            )
        return "\n".join(parts)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _backup_name(path: Path) -> Path:
    candidate = path.with_name(path.name + ".bak")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak{n}")
        n += 1
    return candidate


def copy_lessons(folder: str | os.PathLike, *, force: bool = False) -> LessonCopy:
    """Copy the lessons into ``folder`` (made if missing); see the module's text for the rules."""
    target = Path(folder).expanduser()
    shipped = sorted(LESSONS_DIR.glob("*.ipynb"))
    if not shipped:
        raise KamDataError("the package has no lessons", source=str(LESSONS_DIR), fix="Reinstall kamwidgets.")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise KamDataError(
            f"cannot make the folder ({err.strerror})", source=str(target), fix="Choose a folder you can write to."
        ) from None
    record_path = target / RECORD
    try:
        record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else {}
        if not isinstance(record, dict):
            record = {}
    except (OSError, ValueError):
        record = {}  # a damaged record: every existing lesson counts as the user's own
    report = LessonCopy(target)
    try:
        for source in shipped:
            dest = target / source.name
            new = _digest(source)
            if not dest.exists():
                shutil.copyfile(source, dest)
                report.copied.append(source.name)
            else:
                current = _digest(dest)
                if current == new:
                    report.unchanged.append(source.name)
                elif current == record.get(source.name) or force:
                    if current != record.get(source.name):  # the user's work: keep it beside
                        backup = _backup_name(dest)
                        shutil.copyfile(dest, backup)
                        report.backups.append(backup.name)
                    shutil.copyfile(source, dest)
                    report.updated.append(source.name)
                else:
                    report.kept.append(source.name)
                    continue
            record[source.name] = new
        _retire_old_names(target, record, report)
        record_path.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
    except OSError as err:
        raise KamDataError(
            f"cannot write the lessons ({err.strerror})",
            source=str(getattr(err, "filename", None) or target),
            fix="Check the folder is writable and has space; lessons you changed were not replaced.",
        ) from None
    return report


def _retire_old_names(target: Path, record: dict, report: LessonCopy) -> None:
    """Remove an earlier release's lesson files the user never changed; list the ones they did."""
    for old in RENAMED:
        path = target / old
        if not path.exists():
            continue
        if _digest(path) == record.get(old):
            path.unlink()
            record.pop(old, None)
            report.retired.append(old)
        else:
            report.old_names.append(old)


#: The facilitator's notebook (``room_notebook``): the room view of the workshop.
ROOM_NOTEBOOK = "room.ipynb"


def room_notebook(folder: str | os.PathLike, room: str | None = None) -> Path:
    """Write the facilitator's notebook into ``folder``: the room view of ``room`` (every workbook if None).

    The workshop server gives it to its facilitator; it also works on its
    own, next to the lessons, on a shared store (``KAMWIDGETS_DB_URL``).
    """
    import nbformat  # deferred: start-up time (nbformat, about a second; only to write a notebook)

    target = Path(folder) / ROOM_NOTEBOOK
    target.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# The room\n\nEveryone's quiz results, the questions the room got wrong, each group's "
            "classification settings and how far the groups agree on each account's bucket. Press "
            "*Refresh* (or tick the box) to see new work; *Hide names* before you project it."
        ),
        nbformat.v4.new_code_cell(
            "import kamwidgets as kw\n\n"
            f'room = kw.RoomView(kw.open_store(workbook="facilitator"), room={room!r}, refresh_every=10)\n'
            "room"
        ),
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:02d}"
    nbformat.write(nb, target)
    return target

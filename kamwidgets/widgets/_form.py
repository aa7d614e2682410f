"""A generated form for the small tables people fill in by hand (one line per row).

Built from the model's :class:`~kamwidgets.model._schema.Field` list, so the
form offers exactly what the model accepts: a dropdown for a choice, a text
box for text, a number box (or a slider) for a number, a text box that can be
left empty for an optional number (:class:`OptionalNumber`).  A bad entry gets a
message on its own line; the model's check decides what is bad.  A row the
tool calls "not filled yet" (a new rule with no value) is left out of the
check and gets a quiet note instead of an error.  A row of saved work that the
check refuses when it comes back (a later release checks more) is held back:
shown as it was typed, its line says what to change, and it is left out of
the result until it is changed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd
import traitlets

from .. import palette
from ..errors import KamDataError
from ..model._schema import Field, as_frame, check_table, raw_rows, typed_rows
from ..model.display import header
from ..model.load._numbers import number_text
from ._base import WARNING_STYLE, bar_style, control_name, escape
from ._looks import shared_layout

__all__ = ["TableEditor", "close_tree"]

#: How a row that is not filled yet is marked: a grey bar, not the red of an error.
WAITING_STYLE = bar_style(palette.BORDER)

#: The widest a character of a wrapping text box's font is, in px (the lesson's 14 px font, its padding aside):
#: what a line is counted in, so that a box has a line for every line its text takes where the browser cannot
#: size it to its text itself (js/a11y.css).
_CHAR_PX = 8
_BOX_PADDING_PX = 18


def lines_needed(text: str, width: str) -> int:
    """How many lines ``text`` takes in a wrapping text box ``width`` wide (``"150px"``), at least one:
    its words wrapped at the characters a line holds, its own line breaks kept.

    >>> lines_needed("Food plants switching to food-grade oils", "150px")
    3
    """
    chars = max(4, (int(width.removesuffix("px")) - _BOX_PADDING_PX) // _CHAR_PX)
    return max(1, sum(len(textwrap.wrap(line, chars)) or 1 for line in str(text).split("\n")))


def close_tree(widget: W.Widget) -> None:
    """Close a widget and everything inside it.

    A box left open around closed widgets breaks the page: the front end
    asks for every open widget's state, and a box whose children are closed
    has none to give, so no widget of the page is drawn.
    """
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()


def _finite(value: Any) -> bool:
    """Whether ``value`` is a real number (not text, not a yes/no, not NaN)."""
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool) and bool(np.isfinite(value))


class _NumberAsText(traitlets.Unicode):
    """Text, and a number given (from code) as the text it is typed as; None or NaN: empty."""

    def validate(self, obj: Any, value: Any) -> Any:
        if not isinstance(value, str) and (value is None or pd.api.types.is_scalar(value) and pd.isna(value)):
            value = ""  # None, NaN, pd.NA
        elif _finite(value):
            value = number_text(float(value))
        elif isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
            value = str(float(value))  # inf: shown, and refused by the check with its message
        return super().validate(obj, value)


class OptionalNumber(W.Text):
    """The box of an optional number: empty when none is given; a number set from code shows as typed text.

    >>> OptionalNumber(value=12.5).value, OptionalNumber(value=None).value
    ('12.5', '')
    """

    value = _NumberAsText("", help="the number as typed, or empty").tag(sync=True)


class TableEditor(W.VBox):
    """Rows of input widgets for a hand-filled table, with add and remove.

    Controls are registered in ``controls`` (the owning widget's dict) as
    ``"<prefix><row>.<column>"`` (rows from 0), ``"<prefix>remove<row>"``
    and ``"<prefix>add"``.  ``new_row(rows)`` gives the values a row added
    with the button starts from; ``fit(row, name)`` the values to change in a
    row when its field ``name`` is changed (an operator that fits the column).
    """

    def __init__(
        self,
        fields: Sequence[Field],
        controls: dict,
        on_change: Callable[[], None],
        *,
        prefix: str = "row",
        sliders: Sequence[str] = (),
        width: str | None = None,
        text_width: str = "240px",
        wrap_text: bool = False,
        new_row: Callable[[list[dict[str, Any]]], dict[str, Any]] | None = None,
        fit: Callable[[dict[str, Any], str], dict[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self._new_row = new_row
        self._fit = fit
        self._text_width = text_width
        self._wrap_text = wrap_text  # text in boxes that wrap it and grow to show all of it, not one cut line
        self.fields = list(fields)
        self._controls = controls
        self._on_change = on_change
        self._prefix = prefix
        self._sliders = set(sliders)
        self._width = width
        self._lines: list[tuple[dict[str, W.Widget], W.HTML]] = []
        self._held: dict[int, str] = {}  # lines held back, each with what to change: {line: message}
        self._given: dict[int, dict[str, Any]] = {}  # the rows of the lines held back, as they were given
        #: the line the participant changed last (from 0), where a problem of several rows is said; None: none yet
        self.last_changed: int | None = None
        #: the line a problem is shown on (from 0); None: none
        self.problem_line: int | None = None
        self._quiet = False
        add = W.Button(description="+ Add a row", layout=W.Layout(width="140px"))
        add.on_click(lambda _: self.add_row())
        controls[f"{prefix}add"] = add
        head = W.HBox(
            [
                W.HTML(
                    f"<b>{escape(header(f.name))}</b>",
                    layout=shared_layout(width=self._width_of(f), flex="0 0 auto"),
                )
                for f in self.fields
            ]
        )
        self._body = W.VBox()
        # a grid of inputs keeps its columns in a narrow window (or at 200 % zoom) and scrolls sideways
        grid = W.VBox([head, self._body], layout=W.Layout(overflow="auto hidden", max_width="100%"))
        grid.add_class("kam-scroll")
        self.children = (grid, add)

    # -- reading and writing ----------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        """The raw values as typed (not yet checked)."""
        return [{f.name: inputs[f.name].value for f in self.fields} for inputs, _ in self._lines]

    def set_rows(self, frame: pd.DataFrame, held: Mapping[int, str] | None = None) -> None:
        """Show the rows of a (checked) frame, replacing what is there; ``held``: the lines held back
        (``{line: what to change}``, from 0), which stay so until they are changed."""
        self._quiet = True
        try:
            while self._lines:
                self._drop_last()
            for record in frame.to_dict("records"):
                self.add_row(record, notify=False)
        finally:
            self._quiet = False
        self.last_changed = self.problem_line = None
        self._held = {i: text for i, text in (held or {}).items() if 0 <= i < len(self._lines)}
        records = frame.to_dict("records") if self._held else []
        self._given = {i: dict(records[i]) for i in self._held}

    def held(self) -> dict[int, str]:
        """The lines held back (``{line: what to change}``, from 0): rows of saved work the check refused, left
        out of the result until they are changed."""
        return dict(self._held)

    def kept_rows(self) -> list[dict[str, Any]]:
        """The rows as the check reads them (each value it refuses as typed), a line held back as it was given:
        a refused number (7 for a 1-5) stays the number it was, not the text its box shows."""
        return [dict(self._given[i]) if i in self._given else self._as_read(row) for i, row in enumerate(self.rows())]

    def _as_read(self, row: dict[str, Any]) -> dict[str, Any]:
        """A line's values as the check reads them (a share typed "12,5" is 12.5), each it refuses as typed."""
        read = {}
        for f in self.fields:
            clean, problem = f.check(row[f.name])
            read[f.name] = row[f.name] if problem else clean
        return read

    def add_row(self, values: dict[str, Any] | None = None, *, notify: bool = True) -> None:
        """A new line: ``values`` given, else what ``new_row`` proposes, else each field's default."""
        i = len(self._lines)
        if values is None and self._new_row is not None:
            values = self._new_row(self.rows())
        values = values or {}
        inputs: dict[str, W.Widget] = {}
        for f in self.fields:
            inputs[f.name] = self._input(f, values.get(f.name, f.default))
            inputs[f.name].tooltip = control_name(f"{self._prefix}{i}.{f.name}")  # its accessible name
            inputs[f.name].observe(self._changed, names="value")
            self._controls[f"{self._prefix}{i}.{f.name}"] = inputs[f.name]
        remove = W.Button(
            description="\u2715", tooltip=f"remove row {i + 1}", layout=shared_layout(width="34px", flex="0 0 auto")
        )
        remove.on_click(lambda _, w=inputs: self.remove_row(self._index_of(w)))
        self._controls[f"{self._prefix}remove{i}"] = remove
        note = W.HTML()
        self._lines.append((inputs, note))
        line = W.VBox([W.HBox([*inputs.values(), remove]), note])
        self._body.children = (*self._body.children, line)
        if notify:
            self._changed()

    def remove_row(self, i: int) -> None:
        rows = self.rows()
        del rows[i]
        held = {j - (j > i): text for j, text in self._held.items() if j != i}  # the lines below move up
        given = {j - (j > i): row for j, row in self._given.items() if j != i}
        self._quiet = True
        try:
            while self._lines:
                self._drop_last()
            for record in rows:
                self.add_row(record, notify=False)
        finally:
            self._quiet = False
        self._held, self._given = held, given
        # the lines below moved up
        self.last_changed = _moved_up(self.last_changed, i)
        self.problem_line = _moved_up(self.problem_line, i)
        self._changed()

    def show_problem(self, row: int | None, text: str, waiting: Mapping[int, str] | None = None) -> None:
        """A message on line ``row`` (from 0), or clear all messages with ``row=None``; the quiet notes of the
        lines not filled yet (``{line: note}``) and what to change on the lines held back are shown too."""
        waiting = waiting or {}
        self.problem_line = row
        for i, (_, note) in enumerate(self._lines):
            if i == row or i in self._held:
                note.value = f'<div style="{WARNING_STYLE}">\u25b2 {escape(text if i == row else self._held[i])}</div>'
            elif i in waiting:
                note.value = f'<div style="{WAITING_STYLE}">{escape(waiting[i])}</div>'
            else:
                note.value = ""

    # -- internals -----------------------------------------------------------
    def _width_of(self, f: Field) -> str:
        """Room for what a column holds: text is wide, choices medium, numbers narrow (sliders wider)."""
        if self._width:
            return self._width
        if f.kind == "number":
            return "210px" if f.name in self._sliders else "90px"
        return "170px" if f.kind == "choice" else self._text_width

    def _input(self, f: Field, value: Any) -> W.Widget:
        # a column's inputs share one layout (one model on the page for all its rows, see _looks)
        layout = shared_layout(width=self._width_of(f), flex="0 0 auto")
        clean, problem = f.check(value)
        if f.kind == "number" and not f.required and f.default is None:
            # an optional number: a box that can be empty (a number box would show, and save, a 0 nobody typed);
            # a value it refuses shows as typed, to be corrected
            return OptionalNumber(
                value=value if problem else clean, placeholder="optional", continuous_update=False, layout=layout
            )
        if problem and value is not None and f.kind != "text":
            # a value the field does not take is shown as typed, to be corrected: a slider would
            # clamp 15 to 10 and a dropdown would pick another choice, silently
            shown = number_text(value) if _finite(value) else str(value)  # 7.0 saved shows as 7
            return W.Text(value=shown, continuous_update=False, layout=layout)
        if f.kind == "choice":
            options = [(f.shown(c), c) for c in f.choices]  # shown in words, the choice itself kept
            # the choice as the check reads it ("Opponent", an alias): not the first choice instead
            return W.Dropdown(options=options, value=clean if clean in f.choices else f.choices[0], layout=layout)
        if f.kind == "number":
            number = float(clean) if clean is not None and clean == clean else float(f.default or 0)  # "12,5" read
            if f.name in self._sliders:
                return W.FloatSlider(
                    value=min(max(number, f.low), f.high),
                    min=f.low,
                    max=f.high,
                    step=0.5,
                    continuous_update=False,
                    layout=layout,
                )
            return W.FloatText(value=number, layout=layout)
        if f.kind == "value" and isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
            value = number_text(float(value))  # a rule's 12.345 shown as "12.3450", which reads back as 12.345
        text = "" if value is None else str(value)
        if f.kind == "text" and self._wrap_text:
            return self._wrapping_box(text, layout.width)
        return W.Text(value=text, continuous_update=False, layout=layout)

    @staticmethod
    def _wrapping_box(text: str, width: str) -> W.Textarea:
        """A text box that wraps its text and has a line for each line it takes (counted again when it changes)."""
        layout = shared_layout(width=width, flex="0 0 auto", height="auto")
        box = W.Textarea(value=text, rows=lines_needed(text, width), continuous_update=False, layout=layout)
        box.add_class("kam-wrap-text")

        def fit(change: Any) -> None:
            box.rows = lines_needed(change["new"], width)

        box.observe(fit, names="value")
        return box

    def _index_of(self, inputs: dict) -> int:
        return next(i for i, (w, _) in enumerate(self._lines) if w is inputs)

    def _drop_last(self) -> None:
        i = len(self._lines) - 1
        self._lines.pop()
        self._held.pop(i, None)
        self._given.pop(i, None)
        for f in self.fields:
            self._controls.pop(f"{self._prefix}{i}.{f.name}").unobserve(self._changed, names="value")
        self._controls.pop(f"{self._prefix}remove{i}")
        line = self._body.children[-1]
        self._body.children = self._body.children[:-1]
        close_tree(line)

    def _changed(self, change: Any = None) -> None:
        if self._quiet:
            return
        if change is not None:  # a line held back and changed is checked again
            for i, (inputs, _) in enumerate(self._lines):
                if any(w is change.owner for w in inputs.values()):
                    self.last_changed = i
                    self._held.pop(i, None)
                    self._given.pop(i, None)
        if change is not None and self._fit is not None:
            self._fit_line(change.owner)
        self._on_change()

    def _fit_line(self, changed: W.Widget) -> None:
        """Make the rest of the changed widget's line fit it (quietly: one recompute follows)."""
        for inputs, _ in self._lines:
            name = next((n for n, w in inputs.items() if w is changed), None)
            if name is None:
                continue
            updates = self._fit({n: w.value for n, w in inputs.items()}, name) if self._fit else {}
            self._quiet = True
            try:
                for n, value in updates.items():
                    inputs[n].value = value
            finally:
                self._quiet = False
            return


class TableTool:
    """Mixin for widgets built on one hand-filled table (people, contacts, SWOT items).

    The subclass sets ``fields`` and implements ``_check(rows) -> value`` (the
    model's check, raising :class:`KamDataError`) and ``_show(value)``.
    ``.value`` holds the last good result; a bad entry leaves it as it was
    and puts the model's message on the line concerned.

    Saved work comes back whole: rows of this tool's columns that the check
    refuses when ``apply_settings`` brings them back (a later release checks
    more) are shown as typed and held back, each line saying what to change;
    the result is made of the other rows, and what the tool saves
    (:meth:`saved_rows`) keeps the held rows as typed, so a save loses none.
    """

    fields: Sequence[Field] = ()
    editor: TableEditor

    def _prepare(self, rows: Any) -> Any:
        """The rows in the shape the model checks (a tool that takes other shapes converts them here)."""
        return rows

    def _new_row(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        """The values a row added with the button starts from (by default each field's own)."""
        return {}

    def _fit_row(self, row: dict[str, Any], changed: str) -> dict[str, Any]:
        """Values to change in a row when its field ``changed`` is changed (by default none)."""
        return {}

    def _waiting(self, row: dict[str, Any]) -> str | None:
        """A quiet note when the row is not filled yet (it is left out until it is); None: the row counts."""
        return None

    def _of_this_tool(self, rows: list[dict[str, Any]]) -> bool:
        """Whether saved rows (of this tool's columns) are this tool's to hold back when the check refuses some,
        rather than another's to refuse whole (by default they are)."""
        return True

    def _held_notes(self) -> list[str]:
        """What to change on each line held back (a tool with another editor adds that editor's)."""
        return list(self.editor.held().values())

    def used_rows(self) -> list[dict[str, Any]]:
        """The rows the result is made of, as typed: without those not filled yet and those held back."""
        held = self.editor.held()
        return [row for i, row in enumerate(self.editor.rows()) if not self._waiting(row) and i not in held]

    def rows_as_typed(self) -> list[dict[str, Any]]:
        """The rows as the check reads them, each value it refuses as typed (:meth:`TableEditor.kept_rows`),
        without those not filled yet; the lines held back are kept, as they were given."""
        return [row for row in self.editor.kept_rows() if not self._waiting(row)]

    def saved_rows(self, checked: pd.DataFrame) -> list[dict[str, Any]]:
        """The table as the tool saves it (:func:`rows_to_save`)."""
        return rows_to_save(self.editor, checked, waiting=self._waiting)

    def _build_editor(
        self,
        rows: Any,
        *,
        prefix: str = "row",
        sliders: Sequence[str] = (),
        text_width: str = "240px",
        wrap_text: bool = False,
    ) -> None:
        self.editor = TableEditor(
            self.fields,
            self.controls,  # type: ignore[attr-defined]
            self._changed,  # type: ignore[attr-defined]
            prefix=prefix,
            sliders=sliders,
            text_width=text_width,
            wrap_text=wrap_text,
            new_row=self._new_row,
            fit=self._fit_row,
        )
        rows = self._prepare(rows)
        try:
            start = check_table(rows, self.fields, what="table") if rows is not None else as_frame(None, [])
        except KamDataError:
            # keep every row as it was given; the first check (recompute) points at the bad one
            start = raw_rows(rows, self.fields)
        self.editor.set_rows(start)

    def set_rows(self, rows: Any) -> None:
        """Replace the table (a DataFrame, list of dicts or file path); a bad one is refused with a message.

        Rows not filled yet are kept and left out, as on the page.  While saved settings are applied
        (``apply_settings``), rows the check refuses are held back when the table is this tool's (its columns,
        no other): shown as typed, the line saying what to change.  A table of another shape is refused, and
        ``apply_settings`` goes back to what was there.
        """
        try:
            shown, held = self._rows_to_show(self._prepare(rows))
        except KamDataError as err:
            self.show_error(err)  # type: ignore[attr-defined]
            if getattr(self, "_applying", False):
                raise  # saved settings with a bad table: apply_settings goes back to what was there
            return
        self.editor.set_rows(shown, held)
        self.recompute()

    def _rows_to_show(self, rows: Any) -> tuple[pd.DataFrame, dict[int, str]]:
        """The rows for the editor, checked but for those not filled yet and those held back (``{line: what to
        change}``); raises :class:`KamDataError` for a table to refuse."""
        names = [f.name for f in self.fields]
        try:
            typed, others = typed_rows(rows, self.fields)
        except KamDataError:
            typed, others = [], ["(not a table)"]
        waiting = {i for i, row in enumerate(typed) if self._waiting(row)}
        holding = not others and getattr(self, "_applying", False) and self._of_this_tool(typed)
        if not waiting:
            try:
                return self._table_rows(rows)[names], {}  # as given: a file's errors name the file's rows
            except KamDataError:
                if not holding:
                    raise
        clean, held = hold_back(typed, self.fields, self._table_rows, skip=waiting, holding=holding)
        return with_rows_left_out(typed, clean, self.fields, {*waiting, *held}), held

    def _table_rows(self, rows: Any) -> Any:
        """The rows checked, as a frame with the editor's columns (by default what ``_check`` returns)."""
        return self._check(rows)

    def recompute(self) -> None:
        rows = self.editor.rows()
        waiting = {i: note for i, row in enumerate(rows) if (note := self._waiting(row))}
        held = self.editor.held()
        kept = [i for i in range(len(rows)) if i not in waiting and i not in held]
        used = [rows[i] for i in kept]
        try:
            value = self._check(used)
        except KamDataError as err:
            err = self._renumbered(err, kept) if len(kept) < len(rows) else err
            line = self._line_of(err)
            self.editor.show_problem(line, str(err), waiting)
            self.show_error(err, banner=line is None)  # type: ignore[attr-defined]
            if getattr(self, "value", None) is None:  # built with a bad row: the result holds the rows that pass
                self._show_good_rows(used)
            return
        self.editor.show_problem(None, "", waiting)
        if notes := self._held_notes():  # said on each line held back; .error says it too, for code
            self.show_error(KamDataError(" ".join(notes)), banner=False)  # type: ignore[attr-defined]
        else:
            self.clear_error()  # type: ignore[attr-defined]
        self.value = value
        self._show(value)

    def _show_good_rows(self, rows: list[dict]) -> None:
        good = []
        for row in rows:
            try:
                self._check([row])
            except KamDataError:
                continue
            good.append(row)
        try:
            value = self._check(good)
        except KamDataError:  # the rows clash with each other (a repeated name): nothing to show yet
            value = self._check([])
        self.value = value
        self._show(value)

    def _renumbered(self, err: KamDataError, kept: list[int]) -> KamDataError:
        """The problem of a row of the checked rows, numbered as the row is on the page (:func:`renumbered`)."""
        return renumbered(err, kept, self.fields)

    def _line_of(self, err: Any) -> int | None:
        """The editor line a problem is on, if it is one of ours (:func:`line_of`)."""
        editor = self.editor
        return line_of(err, self.fields, len(editor.rows()), editor.last_changed, editor.problem_line)

    def _check(self, rows: Any) -> Any:  # pragma: no cover - each tool defines it
        raise NotImplementedError

    def _show(self, value: Any) -> None:  # pragma: no cover - each tool defines it
        raise NotImplementedError


def rows_to_save(
    editor: TableEditor, checked: pd.DataFrame, *, waiting: Callable[[dict[str, Any]], Any] = lambda row: None
) -> list[dict[str, Any]]:
    """What a tool saves of ``editor``: the ``checked`` rows, or while a line is held back every row
    (:meth:`TableEditor.kept_rows`: the held ones as they were given; not those ``waiting`` to be filled), so that
    a save loses none of them."""
    if editor.held():
        return [row for row in editor.kept_rows() if not waiting(row)]
    return checked[[f.name for f in editor.fields]].to_dict("records")


def with_rows_left_out(
    typed: list[dict[str, Any]], clean: pd.DataFrame, fields: Sequence[Field], left_out: Collection[int]
) -> pd.DataFrame:
    """The rows for an editor: each line ``left_out`` of the check (held back, not filled yet) as ``typed``, the
    others as ``clean`` has them (in order)."""
    names = [f.name for f in fields]
    records = iter(clean[names].to_dict("records"))
    shown = [typed[i] if i in left_out else next(records) for i in range(len(typed))]
    return pd.DataFrame(shown, columns=names, dtype=object)


def renumbered(err: KamDataError, kept: list[int], fields: Sequence[Field]) -> KamDataError:
    """The problem of a row of the checked rows (``kept``: their lines, from 0), numbered as the row is on the
    page (rows left out of the check: not filled yet, held back)."""
    if err.column not in {f.name for f in fields} or not all(1 <= r <= len(kept) for r in err.rows):
        return err
    rows = [kept[r - 1] + 1 for r in err.rows]
    return KamDataError(
        err.problem, source=err.source, column=err.column, rows=rows, accounts=err.accounts, fix=err.fix
    )


def _moved_up(line: int | None, removed: int) -> int | None:
    """Where ``line`` is once line ``removed`` is gone (None: it was that line)."""
    if line is None or line == removed:
        return None
    return line - 1 if line > removed else line


def line_of(
    err: Any, fields: Sequence[Field], lines: int, changed: int | None = None, shown: int | None = None
) -> int | None:
    """The line (from 0, of ``lines``) a problem is on (rows are counted from 1), if it is in one of ``fields``.

    A problem of several rows (a name given twice) stays on the line it is ``shown`` on while that is one of
    them, else goes to the line just ``changed`` when it is one (the participant is typing there), else to the
    last: the row written first is the one that counts (and, restoring, the one kept).
    """
    if not err.rows or err.column not in {f.name for f in fields}:
        return None
    for line in (shown, changed):
        if line is not None and line + 1 in err.rows:
            return line
    return int(err.rows[-1]) - 1 if 1 <= err.rows[-1] <= lines else None


def hold_back(
    typed: list[dict[str, Any]],
    fields: Sequence[Field],
    check: Callable[[list[dict[str, Any]]], Any],
    *,
    skip: Collection[int] = (),
    holding: bool = True,
) -> tuple[Any, dict[int, str]]:
    """``check`` of the ``typed`` rows without those to ``skip`` and, when ``holding``, without each row it refuses:
    ``(what check returns, {line: what to change})``, lines from 0, each message numbering its row as on the
    page.  A problem no row carries (or any, when not ``holding``) is raised."""
    held: dict[int, str] = {}
    while True:
        kept = [i for i in range(len(typed)) if i not in skip and i not in held]
        try:
            return check([typed[i] for i in kept]), held
        except KamDataError as err:
            line = line_of(err, fields, len(kept))  # of the rows checked
            err = renumbered(err, kept, fields)
            if not holding or line is None:
                raise err from None
            held[kept[line]] = str(err)

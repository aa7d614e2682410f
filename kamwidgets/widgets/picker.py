"""The data picker: your own portfolio from a CSV or Excel file, without code."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as W
import pandas as pd
import traitlets

from ..errors import KamDataError, KamDataWarning
from ..model import checks
from ..model.io import FIELDS_BY_KIND, Preview, Upload, load_mapped, preview, reporting_to
from ..samples import SAMPLE_LABEL, sample_portfolio
from ..store import saved_portfolio
from ._base import Input, KamWidget, escape, html_table
from ._traits import Choice, Flag
from ._transfer import FileDrop, file_size

__all__ = ["DataPicker"]

_KINDS = [
    ("One account per row", "accounts"),
    ("One order or opportunity per row (summed per account)", "transactions"),
]
_WORDS = {
    "account": "Account name",
    "account_manager": "Salesperson",
    "value": "Amount",
    "date": "Date",
    "order": "Order number",
    "owner": "Salesperson",
    "stage": "Stage (Won/Lost)",
    "product": "Product",
    "margin": "Margin",
}
_ALL_FIELDS = list(dict.fromkeys(f for fields in FIELDS_BY_KIND.values() for f in fields))


def _count(n: int) -> str:
    return f"{n:,} account{'s' if n != 1 else ''}"


def _headline(frame: pd.DataFrame, source: str) -> str:
    """What a loaded file became: '9,994 order lines summed into 793 accounts from orders.csv.' for rows summed
    per account (the counts the model left in ``attrs``), '<N> accounts from <file>.' for a list of accounts."""
    rows, what = frame.attrs.get("rows"), frame.attrs.get("rows_are")
    if isinstance(rows, int) and isinstance(what, str):
        what = {"order lines": "order line", "opportunities": "opportunity"}.get(what, what) if rows == 1 else what
        return f"{rows:,} {what} summed into {_count(len(frame))} from {source}{_revenue_from(frame.attrs, rows)}."
    return f"{_count(len(frame))} from {source}."


def _revenue_from(attrs: dict, rows: int) -> str:
    """': revenue is the sum of 'Amount' (of the 4,238 won)', when the model said which column it summed."""
    column, counted = attrs.get("value_column"), attrs.get("rows_counted")
    if not isinstance(column, str):
        return ""
    won = f" over the {counted:,} won" if isinstance(counted, int) and counted != rows else ""
    return f": revenue is the sum of '{column}'{won}"


def _model_notes(frame: pd.DataFrame) -> list[str]:
    """The model's sentences on how the figures were made (``attrs["notes"]``), kept with the portfolio."""
    notes = frame.attrs.get("notes")
    return [str(n) for n in notes] if isinstance(notes, list) else []


def _quiet_preview(upload: Upload, **kwargs: Any) -> Any:
    """The first look at a file; what it warns of (an encoding guessed ...) is said once, by :meth:`DataPicker.load`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KamDataWarning)
        return preview(upload, **kwargs)


class DataPicker(KamWidget):
    """Upload a CSV or Excel file, say what a row is, check the columns, and use it as the portfolio.

    Parameters
    ----------
    store:
        A workbook store (:func:`kamwidgets.open_store`); the portfolio
        loaded is saved there under the workbook's name, so the next lesson
        and a page reload find it.  Without one, nothing is kept.
    sample:
        The portfolio used until a file is loaded (default: the bundled
        sample).

    Attributes
    ----------
    value : DataFrame
        The portfolio: the file's once loaded, else the sample.
        ``value.attrs["source"]`` names it.
    from_file : bool
        Whether ``value`` came from a file.
    preview : Preview or None
        What the file holds and what was guessed (:func:`kamwidgets.model.io.preview`).
    notes : list of str
        Warnings from loading (for example rows without an account) and,
        for orders or opportunities, how the figures were made (orders or
        order lines counted, the period of ``growth_12m``), shown in the
        widget too, and again after a reload.
    summary_text : str
        The headline: ``'<N> accounts from <file>.'``, or for rows summed
        per account ``'9,994 order lines summed into 793 accounts from
        <file>.'``.
    row_kind, sheet, columns, make_ids : traits
        What one row is (``"accounts"`` or ``"transactions"``), the Excel
        sheet, the header chosen for each field, and whether to number rows
        that have no account names; each linked to its control.
    controls : dict
        ``upload`` (the file chooser), ``sheet``, ``row_kind``,
        ``map_<field>`` (one dropdown per field; ``map_order`` is the order
        number, which makes ``orders`` count orders), ``make_ids``, ``load``,
        ``use_sample``.

    Examples
    --------
    >>> import kamwidgets as kw
    >>> picker = kw.DataPicker()
    >>> picker.load_file("crm.csv", b"Customer,Revenue\\nAcme,100\\nGlobex,250\\n")
    >>> picker.summary_text
    '2 accounts from crm.csv.'
    """

    kind = "portfolio"
    inputs = ("row_kind", "sheet", "columns", "make_ids")

    row_kind = Choice(
        "accounts",
        options=list(FIELDS_BY_KIND),
        what="what a row is",
        help="what one row of the file is: 'accounts' or 'transactions'",
    )
    sheet = Input("", help="the sheet of an Excel file ('' for the first)")
    columns = Input(help="{field: header} chosen for the file ('' when not in the file)")
    make_ids = Flag(False, help="number the rows when the file has no account names")
    summary_text = traitlets.Unicode("", help="what is loaded, in words")

    @traitlets.default("columns")
    def _no_columns(self) -> dict:
        return {f: "" for f in _ALL_FIELDS}

    @traitlets.validate("sheet")
    def _valid_sheet(self, proposal: Any) -> str:
        sheet = checks.text(proposal["value"], "sheet")
        sheets = self.preview.sheets if self.preview is not None else []
        return checks.choice(sheet, ["", *sheets], "sheet") if sheet else ""

    @traitlets.validate("columns")
    def _valid_columns(self, proposal: Any) -> dict[str, str]:
        value = proposal["value"]
        if not isinstance(value, dict):
            raise KamDataError(f"columns must be a dict {{field: header}}, not {value!r}")
        headers = self.preview.headers if self.preview is not None else []
        out = dict(self.columns)
        for field, header in value.items():
            checks.choice(field, _ALL_FIELDS, "field")
            header = checks.text(header or "", f"the column for {field!r}")
            out[field] = checks.choice(header, ["", *headers], f"the column for {field!r}") if header else ""
        return out

    def __init__(self, store: Any = None, *, sample: pd.DataFrame | None = None) -> None:
        self.preview: Preview | None = None
        super().__init__()
        self.store = store
        self.from_file = False
        self.notes: list[str] = []
        self._upload: Upload | None = None
        self._sample = sample
        self._make_controls()
        self.children = self._layout()
        self.value = self._sample_frame()
        restored = self._restore_saved()
        self._ready = True
        self._show_state()
        if not restored:
            self._say_loaded()

    # ----------------------------------------------------------------- building
    def _make_controls(self) -> None:
        """The upload, the sample button, the sheet, the row kind, a column choice per field and Load; bound."""
        self.controls["upload"] = FileDrop(description="Your portfolio file (CSV or Excel)")
        self.controls["upload"].on_file(self.load_file)
        self.controls["upload"].on_refused(self.show_error)
        self.controls["use_sample"] = W.Button(description="Use the sample portfolio", layout=W.Layout(width="230px"))
        self.controls["use_sample"].on_click(lambda _: self.use_sample())
        wide = {"description_width": "140px"}
        # the sheet, the columns and the check are shown or hidden (_show_state): each has a layout of its own
        self.controls["sheet"] = W.Dropdown(
            description="Sheet", options=[("(first)", "")], style=wide, layout=W.Layout()
        )
        self.controls["row_kind"] = W.RadioButtons(
            options=_KINDS, layout=W.Layout(width="auto", max_width="100%"), tooltip="what one row of the file is"
        )
        self.controls["row_kind"].add_class("kam-long-options")  # each choice wraps in a narrow window (js/files.css)
        for field in _ALL_FIELDS:
            self.controls[f"map_{field}"] = W.Dropdown(
                description=_WORDS[field], options=[("(not in the file)", "")], style=wide, layout=W.Layout()
            )
        self.controls["make_ids"] = W.Checkbox(
            description="The file has no account names: number the rows",
            indent=False,  # no empty label in front: the words get the room
            layout=W.Layout(width="auto", max_width="100%", height="auto"),
        )
        self.controls["make_ids"].add_class("kam-long-check")  # the words wrap in a narrow window (js/files.css)
        self.controls["load"] = W.Button(description="Load", button_style="primary", layout=W.Layout(width="120px"))
        self.controls["load"].on_click(lambda _: self.load())
        self._bind("row_kind", "row_kind")
        self._bind("sheet", "sheet")
        self._bind("make_ids", "make_ids")
        for field in _ALL_FIELDS:
            self._bind("columns", f"map_{field}", field)

    def _layout(self) -> tuple[W.Widget, ...]:
        """Upload and sample on top, then what was loaded and any message; how it was read folded away below."""
        self.summary = W.HTML()
        self.summary.add_class("kam-summary")
        self.head = W.HTML()
        self.note_html = W.HTML()
        self.mapping = W.VBox(
            [
                self.controls["sheet"],
                W.HTML("<b>One row of the file is</b>"),
                self.controls["row_kind"],
                W.HTML("<b>Which column is which</b>"),
                *[self.controls[f"map_{f}"] for f in _ALL_FIELDS],
                self.controls["make_ids"],
                self.controls["load"],
                self.head,
            ]
        )
        self.check = W.Accordion(children=[self.mapping], titles=("Check what was read and how",), layout=W.Layout())
        self.check.selected_index = None
        return (
            W.HBox(
                [self.controls["upload"], self.controls["use_sample"]],
                layout=W.Layout(align_items="flex-end", justify_content="space-between", flex_flow="row wrap"),
            ),
            self.summary,
            self.message,
            self.note_html,
            self.check,
        )

    # ----------------------------------------------------------------- loading
    def load_file(self, name: str, content: bytes) -> None:
        """What an upload does: read the file, guess, and load it at once if the guesses are sure."""
        self.clear_error()
        self.notes = []
        try:
            upload = Upload(str(name), bytes(content))
            with self._reading(upload):
                found = _quiet_preview(upload)
        except KamDataError as err:
            self._say_loaded()  # the portfolio in use stays as it was, and the headline says so again
            self.show_error(err)
            return
        self._upload, self.preview = upload, found
        with self.hold():
            self._set_options(found)
            self.row_kind = found.kind
            self.sheet = found.sheet or ""
            self.columns = {f: found.guesses.get(f) or "" for f in _ALL_FIELDS}
            self.make_ids = found.make_ids
            self._pending = False
        self._show_state()
        if found.confident:
            self.load()
        else:
            self.check.selected_index = 0  # open: the user has to choose
            self.summary.value = (
                f"<p>Check the columns for <b>{escape(found.label)}</b> below, then press <b>Load</b>.</p>"
            )

    @contextmanager
    def _reading(self, upload: Upload) -> Iterator[None]:
        """While ``upload`` is read (seconds for a large file), the headline says so, with how far it has got,
        in place of the portfolio still in use."""
        said = f"Reading <b>{escape(upload.name)}</b> ({file_size(len(upload.content))}) \u2026"
        self.summary.value = f"<p>{said}</p>"
        try:
            with reporting_to(lambda share: setattr(self.summary, "value", f"<p>{said} {share:.0%}</p>")):
                yield
        except BaseException:
            self._say_loaded()  # whatever went wrong, the headline says again what is in use
            raise

    def load(self) -> pd.DataFrame | None:
        """Load the file with the choices shown; the portfolio in use changes only if it works."""
        if self._upload is None:
            self.show_error(KamDataError("choose a file first", fix="Use the file chooser above."))
            return None
        fields = FIELDS_BY_KIND[self.row_kind]
        mapping = {f: self.columns[f] for f in fields}
        with warnings.catch_warnings(record=True) as caught, self._reading(self._upload):
            warnings.simplefilter("always", KamDataWarning)
            try:
                frame = load_mapped(
                    self._upload,
                    self.row_kind,
                    mapping,
                    sheet=self.sheet or None,
                    make_ids=self.make_ids,
                )
            except KamDataError as err:
                self._say_loaded()
                self.show_error(err)
                return None
        self.clear_error()
        warned = [str(w.message) for w in caught if issubclass(w.category, KamDataWarning)]
        self.notes = list(dict.fromkeys(warned + _model_notes(frame)))
        self.from_file = True
        self.value = frame
        self._say_loaded()
        self._save()
        return frame

    def use_sample(self) -> None:
        """Go back to the sample portfolio (what was loaded stays in the store's history)."""
        self._upload, self.preview, self.notes = None, None, []
        self.from_file = False
        self.sheet = ""  # the sample has no sheets: a sheet of the file left would be saved with it, and refused back
        self.clear_error()
        self.value = self._sample_frame()
        self._show_state()
        self._say_loaded()
        self._save()

    # ----------------------------------------------------------------- the store
    def what(self) -> str:
        return f"The DataPicker ({self.summary_text})" if self.summary_text else "The DataPicker"

    def artefact(self) -> dict:
        return {"settings": self.settings, "value": self.value if self.from_file else None}

    def _save(self) -> None:
        if self.store is None:
            return
        try:
            self.save(self.store, note=str(self.value.attrs.get("source", "")) if self.from_file else "sample")
        except Exception as err:  # the portfolio is loaded; only keeping it failed
            self.show_error(KamDataError(f"the portfolio is loaded but could not be kept for the next lesson ({err})"))

    def _restore_saved(self) -> bool:
        if self.store is None:
            return False
        try:
            frame = saved_portfolio(self.store)
        except KamDataError as err:
            self.show_error(err)
            return False
        if frame is None:
            return False
        self.from_file = True
        self.value = frame
        self.notes = _model_notes(frame)  # how the figures were made, shown again after a reload
        self._say_loaded(again=True)
        return True

    # ----------------------------------------------------------------- settings
    @property
    def settings(self) -> dict:
        return {
            "file": str(self.value.attrs.get("source", "")) if self.from_file else "",
            "row_kind": self.row_kind,
            "sheet": self.sheet,
            "columns": dict(self.columns),
            "make_ids": self.make_ids,
        }

    def apply_settings(self, settings: dict) -> None:
        """The choices (kind, sheet, columns); the file itself comes from an upload or the store."""
        with self.hold():
            self.row_kind = settings["row_kind"]
            self.sheet = settings["sheet"]
            self.columns = settings["columns"]
            self.make_ids = settings["make_ids"]

    # ----------------------------------------------------------------- the page
    def recompute(self) -> None:
        """A changed choice: new guesses for another kind of row or sheet, then wait for Load."""
        if self._upload is None:
            return
        if self.preview is not None and (
            self.preview.kind != self.row_kind or (self.preview.sheet or "") != self.sheet
        ):
            try:
                self.preview = _quiet_preview(self._upload, kind=self.row_kind, sheet=self.sheet or None)
            except KamDataError as err:
                self.show_error(err)
                return
            self._set_options(self.preview)
            self.columns = {f: self.preview.guesses.get(f) or "" for f in _ALL_FIELDS}
        self._show_state()

    def _set_options(self, found: Preview) -> None:
        """New choices in the dropdowns, without the dropdowns changing the traits as they reset."""
        self.preview = found
        self.__dict__["_pushing"] = True
        try:
            self.controls["sheet"].options = [("(first)", "")] + [(s, s) for s in found.sheets]
            self.controls["sheet"].value = self.sheet if self.sheet in found.sheets else ""
            for field in _ALL_FIELDS:
                control = self.controls[f"map_{field}"]
                control.options = [("(not in the file)", "")] + [(h, h) for h in found.headers]
                control.value = self.columns[field] if self.columns[field] in found.headers else ""
        finally:
            self.__dict__["_pushing"] = False

    def _show_state(self) -> None:
        has_file = self._upload is not None
        self.check.layout.display = None if has_file else "none"
        sheets = bool(self.preview and self.preview.sheets and len(self.preview.sheets) > 1)
        self.controls["sheet"].layout.display = None if sheets else "none"
        fields = FIELDS_BY_KIND[self.row_kind]
        for field in _ALL_FIELDS:
            self.controls[f"map_{field}"].layout.display = None if field in fields else "none"
        self.controls["make_ids"].layout.display = None if self.row_kind == "accounts" else "none"
        if has_file and self.preview is not None:
            self.head.value = f"<p><b>The first rows of {escape(self.preview.label)}</b></p>" + html_table(
                self.preview.head,
                max_rows=5,
                headers_as_typed=True,  # the names the column lists offer
            )
        notes = list(self.preview.notes if self.preview is not None and has_file else []) + self.notes
        notes = list(dict.fromkeys(notes))
        self.note_html.value = "".join(f'<p class="kam-note">{escape(n)}</p>' for n in notes)

    def _say_loaded(self, *, again: bool = False) -> None:
        if self.from_file:
            source = str(self.value.attrs.get("source", "your file"))
            self.summary_text = _headline(self.value, source)
            extra = " (kept from before; load another file or use the sample)" if again else ""
        else:
            self.summary_text = f"Using {SAMPLE_LABEL}: {_count(len(self.value))}."
            extra = ""
        where = ""
        workbook = getattr(self.store, "workbook", None)
        if workbook == "default":
            where = (
                " <br><small>Kept in the workbook <i>default</i>, which everyone who gives no name shares: "
                "write your name in the <i>Your name</i> box near the top of the page to keep yours apart.</small>"
            )
        elif workbook:
            where = f" <br><small>Kept in your workbook <i>{escape(workbook)}</i>.</small>"
        self.summary.value = f"<p><b>{escape(self.summary_text)}</b>{escape(extra)}{where}</p>"
        self.controls["upload"].status = self._in_use()
        self._show_state()

    def _in_use(self) -> str:
        """The line under the file chooser: which file the portfolio in use comes from (the browser's own line,
        "No file chosen", is hidden: it says so again after every upload)."""
        if self.from_file:
            return f"In use: {self.value.attrs.get('source', 'your file')}."
        return "In use: the sample portfolio (no file of yours)."

    def _sample_frame(self) -> pd.DataFrame:
        if self._sample is None:
            return sample_portfolio()
        frame = self._sample.copy()
        frame.attrs["source"] = SAMPLE_LABEL
        return frame

    def __repr__(self) -> str:
        return f"<DataPicker: {self.summary_text}>"

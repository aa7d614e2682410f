"""What every workbook widget shares.

The convention (the same for every tool):

``.value``
    The result, as a DataFrame or dataclass, kept current after every change.
``.controls``
    A dict of the input widgets, keyed by name, so tests and notebooks can
    drive the widget from Python: ``w.controls["revenue"].value = 60``.
``.settings`` / ``.apply_settings(dict)``
    The inputs as a plain dict (JSON-friendly) that can be saved and
    re-applied.
``.error``
    The last problem with the inputs in words ('' when none); it is also
    shown in the widget, in place of a traceback.
``.save(store)`` / ``.restore(store)`` / ``.autosave(store)``
    Keep the settings and the result in the workbook store
    (:mod:`kamwidgets.store`); autosave writes a new version shortly after
    the last change (debounced).  What is saved carries the version of its
    kind, so a later release brings it up to date
    (:mod:`kamwidgets.model.upgrades`).

Everything a user typed or loaded that reaches HTML goes through
:func:`escape` or :func:`html_table`.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as W
import traitlets

from ..errors import KamDataError
from ..model.display import header
from ..model.upgrades import SavedByNewerRelease, current_version, settings_from
from ._chart import Chart, charts_in, page_helper, saved_note
from ._html import WARNING_STYLE, bar_style, escape, html_table
from ._later import Later, drawn_when_reached, shown_later
from ._looks import shared_looks
from ._patches import DescriptionWidget, is_unsent, unsent
from ._traits import Input, Result

__all__ = ["KamWidget", "Chart", "Input", "WARNING_STYLE", "bar_style", "escape", "html_table", "show"]


def show(figure: Any) -> Chart:
    """A chart on the page, drawn the same in JupyterLab, Notebook 7 and Voila.

    Plain plotly figures go through a renderer that Voila's page handles
    poorly; a :class:`Chart` is drawn the same way as the workbook's own
    widgets.
    """
    return figure if isinstance(figure, Chart) else Chart(figure)


def control_name(key: str) -> str:
    """A control's key as words: ``"row2.market_share"`` -> ``"market share, row 3"``."""
    found = re.fullmatch(r"([a-z_]*?)(\d+)\.(\w+)", key)
    if found:
        return f"{header(found.group(3))}, {found.group(1) or 'row'} {int(found.group(2)) + 1}"
    return header(key).strip()


class Notes(list):
    """Messages (text) for a person: a plain list in Python, a bulleted warning on the page or in a notebook."""

    def html(self) -> str:
        """The messages as an HTML list (escaped), or nothing when there are none."""
        if not self:
            return ""
        items = "".join(f"<li>{escape(n)}</li>" for n in self)
        return f'<ul style="{WARNING_STYLE};padding-left:2em">{items}</ul>'

    def _repr_html_(self) -> str:
        return self.html() or "<p><i>Nothing to point out.</i></p>"


def _all_or_nothing(apply: Any) -> Any:
    """``apply_settings`` that takes all of the settings or none of them, and fails with a KamDataError.

    Saved settings can be old, hand-edited or from another widget.  Settings
    not given keep their current values; names the widget does not have are
    refused (another widget's settings would otherwise empty its tables).
    When the values do not fit, the widget goes back to what it had, shows
    the problem and raises :class:`KamDataError`: never a raw TraitError,
    KeyError or half-applied state.
    """

    @functools.wraps(apply)
    def apply_settings(self: KamWidget, settings: Any) -> Any:
        if getattr(self, "_applying", False):  # a nested call (a subclass, or going back)
            return apply(self, settings)
        with unsent(is_unsent(self)):  # rows made for a tool not on the page yet wait with it
            return _apply_all_or_nothing(self, settings)

    def _apply_all_or_nothing(self: KamWidget, settings: Any) -> Any:
        name = type(self).__name__
        if not isinstance(settings, dict):
            err = KamDataError(
                f"saved settings for a {name} must be a mapping of names to values, not a {type(settings).__name__}",
                fix="Restore a version saved by this widget (store.history() lists them).",
            )
            self.show_error(err)
            raise err
        before = self.settings
        unknown = sorted(map(str, set(settings) - set(before)))
        if unknown:
            err = KamDataError(
                f"{', '.join(map(repr, unknown))} {'is' if len(unknown) == 1 else 'are'} not among a {name}'s "
                f"settings ({', '.join(map(repr, before))}); nothing was changed",
                fix="Restore settings saved by this kind of widget.",
            )
            self.show_error(err)
            raise err
        self._applying = True
        try:
            return apply(self, {**before, **settings})  # what is not given stays as it is
        except (KamDataError, TypeError, ValueError, AttributeError, KeyError, IndexError, traitlets.TraitError) as exc:
            try:
                apply(self, before)
            except Exception:  # pragma: no cover - going back to its own settings does not fail
                pass
            err = (
                exc
                if isinstance(exc, KamDataError)
                else KamDataError(
                    f"these saved settings do not fit the {name} ({type(exc).__name__}: {exc}); "
                    "it keeps its previous settings",
                    fix="Restore another version (store.history() lists them), or set the values again.",
                )
            )
            self.show_error(err)
            raise err from None
        finally:
            self._applying = False

    return apply_settings


def held_while_built(init: Any) -> Any:
    """A tool's ``__init__`` that, in Voila, keeps what it makes off the page until the tool is drawn."""

    @functools.wraps(init)
    def __init__(self: KamWidget, *args: Any, **kwargs: Any) -> None:
        with unsent(drawn_when_reached()), shared_looks():
            init(self, *args, **kwargs)

    return __init__


class KamWidget(W.VBox):
    """Base class: ``.value``, ``.controls``, ``.settings``, ``.error``, a message line, saving."""

    value = Result(None, help="The widget's result, kept current.")
    error = traitlets.Unicode("", help="The last problem with the inputs, in words ('' when none).")
    #: The kind of artefact the widget saves as in the store.
    kind: str = "widget"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.controls: dict[str, W.Widget] = {}
        self.message = W.HTML(layout=W.Layout(min_height="0"))
        self._holding = 0
        self._pending = False
        self._autosave: tuple[Any, str, float] | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._bindings: dict[str, list[tuple[str, Any]]] = {name: [] for name in self.inputs}
        if self.inputs:
            self.observe(self._trait_changed, names=list(self.inputs))

    # -- inputs as traits, linked to their controls ---------------------------
    #: The widget's inputs: trait names in the order ``settings`` lists them.
    inputs: tuple[str, ...] = ()

    def _bind(self, trait: str, control: str, key: Any = None) -> None:
        """Keep ``controls[control]`` and the trait (or its item ``key``) in step, both ways.

        Moving the control sets the trait, which the trait's validator checks
        (with :mod:`kamwidgets.model.checks`); a value it refuses puts the
        control back and shows why.  Setting the trait moves the control.
        Either way the widget recomputes once.
        """
        self._bindings[trait].append((control, key))
        widget = self.controls[control]
        self._push(widget, self._item(getattr(self, trait), key))

        def moved(change: Any) -> None:
            if self.__dict__.get("_pushing"):
                return
            current = getattr(self, trait)
            if key is None:
                new = change["new"]
            elif isinstance(current, tuple):
                new = tuple(change["new"] if i == key else v for i, v in enumerate(current))
            else:
                new = {**current, key: change["new"]}
            try:
                setattr(self, trait, new)
            except (KamDataError, traitlets.TraitError) as err:
                self.show_error(err)
                self._push(widget, self._item(getattr(self, trait), key))  # the control goes back

        widget.observe(moved, names="value")
        widget.__dict__.setdefault("_kam_moved", []).append(moved)

    def _unbind(self, control: str) -> None:
        """Forget a control (before it is closed)."""
        widget = self.controls.get(control)
        for pairs in self._bindings.values():
            pairs[:] = [(c, k) for c, k in pairs if c != control]
        if widget is not None:
            for moved in widget.__dict__.pop("_kam_moved", []):
                widget.unobserve(moved, names="value")

    @staticmethod
    def _item(value: Any, key: Any) -> Any:
        return value if key is None else value[key]

    def _push(self, widget: W.Widget, value: Any) -> None:
        """Show a trait's value in its control without the control setting the trait again."""
        self.__dict__["_pushing"] = True
        try:
            high = getattr(widget, "max", None)
            if isinstance(high, (int, float)) and isinstance(value, (int, float)) and value > high:
                widget.max = value  # a saved value beyond the slider's usual range
            if widget.value != value:
                widget.value = value
        finally:
            self.__dict__["_pushing"] = False

    def _trait_changed(self, change: Any) -> None:
        for control, key in self._bindings.get(change["name"], ()):
            self._push(self.controls[control], self._item(change["new"], key))
        if self.__dict__.get("_ready"):
            self.clear_error()
            self._changed()

    def _start(self) -> None:
        """End of ``__init__``: from now on a changed input recomputes; compute the first result."""
        self._ready = True
        self._on_page()
        self.recompute()

    def _on_page(self) -> None:
        """Name the controls, and bring the page's accessibility step (a hidden helper) along."""
        self._name_controls()
        children: tuple = tuple(getattr(self, "children", ()))
        if page_helper() not in children:
            self.children = (*children, page_helper())

    def _name_controls(self) -> None:
        """Give every control without a visible description a name (its tooltip, read out by screen readers).

        The page's accessibility step (``a11y.js``) turns the tooltip into the
        control's ``aria-label``; a name set where the control is made wins.
        """
        for key, control in self.controls.items():
            if isinstance(control, DescriptionWidget) and not control.description and not control.tooltip:
                control.tooltip = control_name(key)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        if shown_later(self):  # built in Voila, below the first screen: drawn when the reader reaches it
            return saved_note(Later(self)._repr_mimebundle_(**kwargs), self.what())
        for chart in charts_in(self):
            chart.mark_on_page()
        return saved_note(super()._repr_mimebundle_(**kwargs), self.what())

    def what(self) -> str:
        """What this widget is, in a few words (the saved notebook's note where the widget was)."""
        return f"The {type(self).__name__}"

    # -- the store --------------------------------------------------------
    def artefact(self) -> dict:
        """What is saved: the settings, the result, and the version of what this kind saves.

        The version (:func:`kamwidgets.model.upgrades.current_version`) lets a
        later release bring this work up to date when it is restored.
        """
        return {"settings": self.settings, "value": self.value, "version": current_version(self.kind)}

    def _saved_settings(self, saved: Any) -> Any:
        """The settings of what was saved, brought up to this release's version (shown in the widget if not)."""
        try:
            return settings_from(self.kind, saved)
        except KamDataError as err:
            self.show_error(err)
            raise

    def save(self, store: Any, *, account: str = "", note: str = "") -> Any:
        """Save the settings and the result as a new version; returns the store's Version."""
        return store.save(self.kind, self.artefact(), account=account, note=note)

    def restore(self, store: Any, *, account: str = "", version: int | None = None) -> dict:
        """Re-apply saved settings (the latest, or ``version``); returns what was saved.

        Work saved by an earlier release is brought up to date first
        (:mod:`kamwidgets.model.upgrades`); work saved by a newer release is
        refused with a :class:`KamDataError` that says so.
        """
        data = store.load(self.kind, account=account, version=version)
        self.apply_settings(self._saved_settings(data))  # checked by apply_settings
        return data

    def autosave(self, store: Any, *, account: str = "", delay: float = 1.0) -> KamWidget:
        """Save a new version ``delay`` seconds after the last change (at once if 0).

        Returns the widget, so ``w = Widget(...).autosave(store)`` works.
        """
        self._autosave = (store, account, float(delay))
        self.observe(self._schedule_save, names="value")
        return self

    def keep(self, store: Any, *, account: str = "", delay: float = 1.0) -> KamWidget:
        """Carry this widget's work from lesson to lesson: bring back what was saved, then autosave.

        What the workbook saved last (for ``account``) is re-applied if there
        is any, brought up to date if an earlier release saved it; from then
        on every change is saved.  Returns the widget, so
        ``unit = kw.DecisionUnit().keep(store, account=name)`` works.

        Work saved by a newer release is not applied and not saved over: the
        widget says so, and changes made here are not saved (the newer work
        stays the latest, for the newer release to open).
        """
        try:
            data = store.load(self.kind, account=account, default=None)
            if data is not None:
                self.apply_settings(self._saved_settings(data))
        except SavedByNewerRelease as err:
            notice = KamDataError(
                f"{err.problem}; it is left as it is, and nothing you change here is saved over it", fix=err.fix
            )
            self.show_error(notice)

            def say_again(change: Any) -> None:  # a change clears the message line: nobody takes it for saved
                if not self.error:
                    self.show_error(notice)

            self.observe(say_again, names="value")
            return self
        except KamDataError as err:  # e.g. saved for another portfolio: start afresh, the old versions stay
            self.show_error(
                KamDataError(
                    f"what was saved before does not fit here ({err}), so this starts afresh",
                    fix="Earlier versions stay in the workbook: store.history() lists them.",
                )
            )
        return self.autosave(store, account=account, delay=delay)

    def _schedule_save(self, change: Any = None) -> None:
        if self._autosave is None:
            return
        delay = self._autosave[2]
        if delay <= 0:
            self._save_now()
            return
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(delay, self._save_now)
            self._timer.daemon = True
            self._timer.start()

    def flush(self) -> None:
        """Write a pending autosave now (for example before closing the notebook)."""
        with self._lock:
            timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
            self._save_now()

    def _save_now(self) -> None:
        with self._lock:
            self._timer = None
        if self._autosave is None:
            return
        store, account, _ = self._autosave
        try:
            self.save(store, account=account)
        except Exception as err:  # the store is unreachable: say so, keep working
            self.show_error(
                KamDataError(
                    f"could not save your work ({err})",
                    source=getattr(store, "location", None),
                    fix="Your inputs are still here; check the store and change a value to retry.",
                )
            )

    # -- settings -------------------------------------------------------
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = held_while_built(cls.__dict__["__init__"])  # type: ignore[method-assign]
        if "apply_settings" in cls.__dict__:
            cls.apply_settings = _all_or_nothing(cls.__dict__["apply_settings"])  # type: ignore[method-assign]

    @property
    def settings(self) -> dict:  # pragma: no cover - each widget defines it
        raise NotImplementedError

    def apply_settings(self, settings: dict) -> None:  # pragma: no cover - each widget defines it
        raise NotImplementedError

    # -- updates --------------------------------------------------------
    @contextmanager
    def hold(self) -> Iterator[None]:
        """Change several controls and recompute once at the end."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if not self._holding and self._pending:
                self._pending = False
                self.recompute()

    def _changed(self, change: Any = None) -> None:
        self._name_controls()  # controls added since (a table row, a criterion) get their names too
        if self._holding:
            self._pending = True
        else:
            self.recompute()

    def recompute(self) -> None:  # pragma: no cover - each widget defines it
        raise NotImplementedError

    # -- messages -------------------------------------------------------
    def show_error(self, err: Exception, *, banner: bool = True) -> None:
        """Record the problem in ``.error``; show it under the controls unless it is shown on its own line."""
        text = str(err)
        self.error = text
        self.message.value = f'<div style="{WARNING_STYLE}">{escape(text)}</div>' if banner else ""

    def clear_error(self) -> None:
        if self.error:
            self.error = ""
            self.message.value = ""

    @contextmanager
    def reporting(self) -> Iterator[None]:
        """Turn a :class:`KamDataError` inside the block into a message next to the controls."""
        try:
            yield
        except KamDataError as err:
            self.show_error(err)

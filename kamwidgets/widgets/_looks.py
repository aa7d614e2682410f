"""Layouts and styles shared by the widgets a workbook tool builds.

Every ipywidgets widget made without a ``layout`` (or a ``style``) gets one of
its own, and each is a model of its own on the page: of the 245 models a rules
classifier made, 155 were layouts and styles, most of them empty.  Each model
costs the kernel its state and the page its creation (about 0.5 ms each, with
``benchmarks/browser.py``), before the reader sees anything.

So, while a tool is built (:func:`shared_looks`, which
:func:`kamwidgets.widgets._base.held_while_built` opens), a widget made
without a layout or style gets the kernel's shared one of its kind, and
:func:`shared_layout` gives widgets that look alike (a table's cells of one
column) one layout.  A tool made in a lesson or by a participant keeps a
layout of its own for its box (it is not made by the widget layer: a
participant may size it, or place it in a ``GridspecLayout``).  A
shared layout or style refuses to be changed as an attribute (it would change
every widget using it; ``set_trait`` is not watched, and nothing in the
workbook uses it on a look): the refusal says how to give the widget its own
(:class:`SharedLookError`); code that changes how a widget looks later (shows
or hides it) gives that widget its own layout when it makes it.

Widgets made outside a tool's build (the lessons' own, a participant's), and
widgets other code makes during one (a progress bar while a tool loads a large
file, the function a participant gives ``ForAccount``), behave exactly as
ipywidgets' own.  A shared layout can still be closed, as any widget: nothing
in the workbook does, and the next widget then gets a new one.
"""

from __future__ import annotations

import contextvars
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as W
import traitlets
from ipywidgets.widgets.trait_types import InstanceDict

__all__ = ["SharedLookError", "is_shared", "share_defaults", "shared_layout", "shared_looks"]

_SHARING: contextvars.ContextVar[bool] = contextvars.ContextVar("kamwidgets_shared_looks", default=False)
_MARK = "_kam_shared"
_LOOKS = ("layout", "style")
#: Modules whose frames make a widget on someone's behalf (:func:`_made_by_the_workbook` looks past them).
_CONSTRUCTORS = ("ipywidgets.", "traitlets.", "anywidget.")
_HOOKS = (__name__, "kamwidgets.widgets._patches")
#: Set on a widget when it is closed (by :mod:`kamwidgets.widgets._patches`): a shared one closed is replaced.
CLOSED = "_kam_closed"

#: The shared instances: (class, its settings) -> instance; one closed is replaced when next asked for.
_shared: dict[tuple[type, tuple[tuple[str, Any], ...]], W.Widget] = {}
#: Per widget class, its look traits that default to a new instance: [(name, class)].
_defaults: dict[type, list[tuple[str, type]]] = {}
#: Per look class, its frozen subclass.
_frozen: dict[type, type] = {}


class SharedLookError(traitlets.TraitError):
    """A shared layout or style was to be changed."""


def _refuse(self: W.Widget, name: str, value: Any) -> None:
    if self.__dict__.get(_MARK) and not name.startswith("_") and name in self.keys:
        if getattr(self, name) == value:
            return  # nothing would change (a library setting what is already so)
        kind = "layout" if isinstance(self, W.Layout) else "style"
        asked = "border" if name.startswith("border_") else name  # ``layout.border`` sets the four sides
        now = {key: getattr(self, key) for key in self.keys if not key.startswith("_") and key != name}
        if asked == "border":  # the four sides are one setting
            now = {key: v for key, v in now.items() if not key.startswith("border_")}
        own = ", ".join(f"{key}={v!r}" for key, v in {**now, asked: value}.items() if v is not None)
        raise SharedLookError(
            f"this widget's {kind} is shared with other widgets of the workbook (it keeps the page light), "
            f"so setting its {asked!r} would change them all. Give the widget a {kind} of its own, e.g. "
            f"widget.{kind} = ipywidgets.{type(self).__mro__[1].__name__}({own})"
        )
    super(type(self), self).__setattr__(name, value)


def _frozen_class(klass: type) -> type:
    if klass not in _frozen:
        frozen = type(f"Shared{klass.__name__}", (klass,), {"__setattr__": _refuse, "__module__": __name__})
        _frozen[klass] = frozen
    return _frozen[klass]


def _get(klass: type, settings: dict[str, Any]) -> W.Widget:
    key = (klass, tuple(sorted(settings.items())))
    look = _shared.get(key)
    if look is None or look.__dict__.get(CLOSED):
        look = _frozen_class(klass)(**settings)
        look.__dict__[_MARK] = True
        _shared[key] = look
    return look


def shared_layout(**settings: Any) -> W.Layout:
    """The kernel's one layout with these settings (for widgets that look alike), which cannot be changed."""
    return _get(W.Layout, settings)


def is_shared(look: W.Widget) -> bool:
    """Whether ``look`` (a layout or style) is one of the kernel's shared ones."""
    return bool(look.__dict__.get(_MARK))


@contextmanager
def shared_looks() -> Iterator[None]:
    """Widgets the widget layer makes inside the block without a layout or style get the shared one."""
    token = _SHARING.set(True)
    try:
        yield
    finally:
        _SHARING.reset(token)


def _look_defaults(cls: type) -> list[tuple[str, type]]:
    if cls not in _defaults:
        found = []
        for name in _LOOKS:
            trait = getattr(cls, name, None)  # a subclass may hide it (a chart's ``layout`` is its figure's)
            if isinstance(trait, InstanceDict) and not trait.default_args and not trait.default_kwargs:
                found.append((name, trait.klass))
        _defaults[cls] = found
    return _defaults[cls]


def _made_by_the_workbook(widget: W.Widget) -> bool:
    """Whether ``widget``, being made, is made by the workbook's widget layer.

    The first frame outside the widget's own constructors (its classes' ``__init__``, the workbook's
    as ipywidgets') and outside this hook says who makes it: a module of :mod:`kamwidgets.widgets`, or
    someone else (a progress bar tqdm makes while a tool loads a large file, a participant's function
    given to ``ForAccount``, even one that makes a workbook widget such as a ``DownloadButton``), whose
    widgets keep looks of their own as they expect.
    """
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        constructing = frame.f_code.co_name == "__init__" and frame.f_locals.get("self") is widget
        if not constructing and not module.startswith(_CONSTRUCTORS) and module not in _HOOKS:
            return module.startswith("kamwidgets.widgets")
        frame = frame.f_back
    return False


def share_defaults(widget: W.Widget) -> None:
    """Inside :func:`shared_looks`, give a widget the workbook makes the shared layout and style it has none of."""
    if not _SHARING.get():
        return
    missing = [(name, klass) for name, klass in _look_defaults(type(widget)) if name not in widget._trait_values]
    if missing and _made_by_the_workbook(widget):
        for name, klass in missing:
            widget.set_trait(name, _get(klass, {}))

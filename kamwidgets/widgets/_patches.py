"""Every place the workbook reaches inside ipywidgets and Voila, and why (plotly's: :mod:`kamwidgets._plotly_inside`).

**Why.** Voila runs a whole lesson, then the page asks for the state of every widget the kernel made and
draws them all before the reader can use the first; the wrap-up's tools are about 1,700 widgets.  The
workbook therefore keeps the widgets of a tool off the page until the reader reaches the tool
(:mod:`kamwidgets.widgets._later`), and ipywidgets has no way to make a widget that is not sent at once.

**What it touches** (``tests/test_dependency_guard.py`` fails, saying what to check, when an upgrade changes
any of it; ``.ci/constraints.txt`` pins the versions tested; ``pyproject.toml`` bounds them):

* five methods of ``ipywidgets.Widget``, replaced for the whole kernel when :mod:`kamwidgets.widgets` is
  imported: ``open`` (not called while :func:`unsent` holds, for a widget that is drawn; and, while a tool
  is built, it gives a widget the workbook's widget layer makes with no layout or style the shared one, see
  :mod:`._looks`), ``model_id``,
  ``_repr_mimebundle_`` and ``get_view_spec`` (each sends a held widget first: the page is about to need
  it), and ``close`` (a widget closed before it was sent is never sent).  A widget made outside
  :func:`unsent` behaves exactly as ipywidgets' own;
* ipywidgets' private ``ipywidgets.widgets.widget._instances`` (every widget of the kernel), read by
  :func:`all_widgets`;
* ipywidgets' private ``ipywidgets.widgets.widget_description.DescriptionWidget`` (the widgets whose
  ``description`` is a label), re-exported here for naming controls;
* traitlets' ``TraitType.set``, repeated without its ``==`` by :class:`kamwidgets.widgets._traits.Result`
  (a widget's result table: comparing two tables cell by cell took 0.1 s of a slider move at a million
  accounts), which writes traitlets' private ``_trait_values`` and calls its ``_notify_trait``;
* in the page, Voila's app (``window.jupyterapp``, which Voila's page sets) and its ``widgetManager.kernel``,
  read by the lost-kernel notice through ``js/voila.js``, the only JavaScript that touches it.

**What would let it go** (the upstream changes to propose):

* ipywidgets: a supported way to make a widget whose comm opens when it is first needed (displayed,
  serialised into a parent, its ``model_id`` read), e.g. a ``Widget.hold_open()`` context manager; then
  this module is that context manager and the five replacements go;
* ipywidgets: ``DescriptionWidget`` exported from ``ipywidgets`` (it is the base of public widgets) and a
  public iterator over the kernel's widgets (``Widget.widgets`` is deprecated in favour of the private
  ``_instances``);
* traitlets: a trait option to skip the equality check on set (e.g. ``compare=False``), for values such as
  tables whose ``==`` is not a truth;
* Voila: a "connection lost" event (or a notice of its own) on its page.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as W
from ipywidgets.widgets import widget as _widget_module
from ipywidgets.widgets.widget_description import DescriptionWidget

from ._looks import CLOSED, share_defaults

__all__ = ["DescriptionWidget", "all_widgets", "is_unsent", "send_now", "unsent"]

_HOLDING: contextvars.ContextVar[bool] = contextvars.ContextVar("kamwidgets_unsent", default=False)
_FLAG = "_kam_unsent"

# ipywidgets' own methods, kept to call, and for the guard test (tests/test_dependency_guard.py)
_open = W.Widget.open
_close = W.Widget.close
_repr_mimebundle = W.Widget._repr_mimebundle_
_view_spec = W.Widget.get_view_spec
_model_id_property = W.Widget.model_id


def all_widgets() -> list[W.Widget]:
    """Every widget of this kernel that is open (ipywidgets' private ``_instances``)."""
    return list(_widget_module._instances.values())


@contextmanager
def unsent(hold: bool = True) -> Iterator[None]:
    """Widgets made inside the block are not sent to the page until it needs them (``hold=False``: they are)."""
    token = _HOLDING.set(hold)
    try:
        yield
    finally:
        _HOLDING.reset(token)


def is_unsent(widget: W.Widget) -> bool:
    """Whether ``widget`` was made while sending was held and has not been sent since."""
    return bool(widget.__dict__.get(_FLAG)) and widget.comm is None


def send_now(widget: W.Widget) -> None:
    """Send a held widget (and, through its state, every held widget in it); nothing for one already sent.

    A held widget whose class has a ``_before_sent()`` has it called first (a box whose content is made
    when first needed, ``ForAccount``, makes it, so that the page gets it whole).
    """
    if is_unsent(widget):
        before = getattr(type(widget), "_before_sent", None)
        if callable(before):
            before(widget)
        widget.__dict__[_FLAG] = False
        try:
            _open(widget)  # its state names its children: asking their model ids sends them first
        except BaseException:
            if widget.comm is None:  # not sent after all (a box in it failed to make its tool): it still waits
                widget.__dict__[_FLAG] = True
            raise


def _waits(widget: W.Widget) -> bool:
    """Whether ``widget`` can wait: something drawn (or how it looks), which matters only once it is on the page.

    A widget that acts by merely existing on the page (a ``jslink``, an ``Output`` capturing
    what a ``with`` block prints) is sent at once, even inside a tool.
    """
    return isinstance(widget, (W.DOMWidget, W.Layout, W.Style)) and not isinstance(widget, W.Output)


def _open_or_hold(self: W.Widget) -> None:
    share_defaults(self)  # inside a tool's build, the shared layout and style (see _looks)
    if self.comm is None and _HOLDING.get() and _waits(self):
        self.__dict__[_FLAG] = True
        return
    _open(self)


def _model_id(self: W.Widget) -> str:
    send_now(self)
    return self.comm.comm_id


def _close_for_good(self: W.Widget) -> None:
    self.__dict__[_FLAG] = False  # a widget closed before it was sent is never sent
    self.__dict__[CLOSED] = True  # a shared layout or style closed is not given out again
    _close(self)


def _sent_repr_mimebundle(self: W.Widget, **kwargs: Any) -> Any:
    send_now(self)
    return _repr_mimebundle(self, **kwargs)


def _sent_view_spec(self: W.Widget) -> Any:
    send_now(self)
    return _view_spec(self)


# ipywidgets sends a widget when it is made (Widget.__init__ calls open()); these five make "not yet"
# possible, make sure a widget held back is sent whenever the page needs it, and never send one closed
# before that.  For a widget made outside unsent() they behave exactly as ipywidgets' own.
W.Widget.open = _open_or_hold
W.Widget.close = _close_for_good
W.Widget.model_id = property(_model_id, doc=W.Widget.model_id.__doc__)
W.Widget._repr_mimebundle_ = _sent_repr_mimebundle
W.Widget.get_view_spec = _sent_view_spec

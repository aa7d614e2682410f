"""The replaced methods of ``ipywidgets.Widget`` that let a widget wait before it is sent to the page.

Moved from :mod:`kamwidgets.widgets._later` (which explains what waiting is for).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as W

__all__ = ["is_unsent", "send_now", "unsent"]

_HOLDING: contextvars.ContextVar[bool] = contextvars.ContextVar("kamwidgets_unsent", default=False)
_FLAG = "_kam_unsent"

# ipywidgets' own methods, kept to call, and for the guard test (tests/test_dependency_guard.py)
_open = W.Widget.open
_close = W.Widget.close
_repr_mimebundle = W.Widget._repr_mimebundle_
_view_spec = W.Widget.get_view_spec
_model_id_property = W.Widget.model_id


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
    """Send a held widget (and, through its state, every held widget in it); nothing for one already sent."""
    if is_unsent(widget):
        widget.__dict__[_FLAG] = False
        _open(widget)  # its state names its children: asking their model ids sends them first


def _waits(widget: W.Widget) -> bool:
    """Whether ``widget`` can wait: something drawn (or how it looks), which matters only once it is on the page.

    A widget that acts by merely existing on the page (a ``jslink``, an ``Output`` capturing
    what a ``with`` block prints) is sent at once, even inside a tool.
    """
    return isinstance(widget, (W.DOMWidget, W.Layout, W.Style)) and not isinstance(widget, W.Output)


def _open_or_hold(self: W.Widget) -> None:
    if self.comm is None and _HOLDING.get() and _waits(self):
        self.__dict__[_FLAG] = True
        return
    _open(self)


def _model_id(self: W.Widget) -> str:
    send_now(self)
    return self.comm.comm_id


def _close_for_good(self: W.Widget) -> None:
    self.__dict__[_FLAG] = False  # a widget closed before it was sent is never sent
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

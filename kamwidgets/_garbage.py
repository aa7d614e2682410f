"""Python's garbage collector in a kernel that serves a lesson's page (Voila).

A lesson builds a few thousand widgets, frames and figures in under a second.
With Python's default thresholds (a young-generation pass every 700 new
objects) the wrap-up's kernel met about 255 collections that found almost
nothing, one of them a full pass over every object the imports had made:
46-83 ms of its start, about 30 ms more than now (docs/performance.md gives
the counts).  In a kernel Voila started, therefore (``VOILA_PREHEAT`` is
set):

* importing this module (the package imports it first, before pandas)
  makes the young generation collect every 10,000 new objects instead of 700
  (older generations as before: every 10 young passes, then every 10 of
  those): :func:`for_a_page`;
* :func:`after_imports` moves everything alive when the package's imports
  end out of the collector's sight (``gc.freeze``): in a lesson, whose first
  cell imports kamwidgets, that is what pandas, numpy and the model made
  (modules, classes and functions are never garbage), and a full pass no
  longer walks them.  The widgets are imported later, maybe after a
  notebook's own objects, so they are not frozen (a frozen cycle would never
  be freed).

Reference counting frees almost everything at once as before; only cycles
wait a little longer.  Thresholds someone set already are left alone, and
JupyterLab, Notebook 7 and scripts keep Python's defaults.
"""

from __future__ import annotations

import gc

from . import config

__all__ = ["THRESHOLDS", "after_imports", "for_a_page"]

#: Python's defaults (CPython 3.11 and 3.12; 3.13's first is 2000): thresholds other than these were set by
#: someone, and are left alone.
_PYTHON_DEFAULTS = {(700, 10, 10), (2000, 10, 10)}
#: A young pass every 10,000 new objects; the older generations' ratios as Python's.
THRESHOLDS = (10_000, 10, 10)


def for_a_page() -> None:
    """In a kernel Voila started, collect garbage less often (see the module's text)."""
    if config.voila_kernel() and gc.get_threshold() in _PYTHON_DEFAULTS:
        gc.set_threshold(*THRESHOLDS)


def after_imports() -> None:
    """In a kernel Voila started, keep what the imports made out of the collector's passes."""
    if config.voila_kernel() and gc.get_threshold() == THRESHOLDS:
        gc.freeze()


for_a_page()  # on import: the package's own imports are a third of a lesson's start

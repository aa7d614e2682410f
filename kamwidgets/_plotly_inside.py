"""Every place the workbook relies on plotly's insides, and why (ipywidgets' and Voila's are in
:mod:`kamwidgets.widgets._patches`).

``tests/test_dependency_guard.py`` fails, saying what to check, when a plotly release changes any of it;
``.ci/constraints.txt`` pins the version tested and ``pyproject.toml`` bounds it (``plotly<8``).

* :func:`plotly_js_file`: the ``plotly.min.js`` file in plotly's package data (its ``get_plotlyjs()`` reads
  the same file into a string).  The lessons' Voila page and the Jupyter server serve it as a file, so
  that a page loads it without 5 MB passing through the kernel.
* :func:`template_file`: the JSON of one of plotly's built-in templates in its package data, read without
  importing plotly's template registry (which loads every template; see :mod:`kamwidgets.charts._common`).
* :func:`unchecked`: sets a property of a plotly object without plotly's per-element validation (the
  private ``_validate`` flag every plotly object has): arrays of 100,000 known-good values (the matrix's
  positions, hover and label texts of each bucket's trace) take seconds to check one by one.
* :func:`figure_state`: a figure's traces and layout as plotly holds them (its private ``_data`` and
  ``_layout``: plain dicts and lists, arrays as they were set), read without ``to_dict()``'s deep copy and
  base64 text; a chart compares it with what it sent last, on every slider move.
* :func:`with_typed_arrays` and :func:`kept_as_list`: plotly's own conversion of a figure's arrays to
  plotly.js's typed-array form (``{"dtype", "bdata"}``, as ``to_json`` writes them; in
  ``_plotly_utils.utils``) and the keys whose arrays it leaves as lists.

What would let it go: a public path to plotly.js and to the templates' data (e.g. ``plotly.io`` functions
that return them), a documented "trusted values" switch, e.g. ``fig.update(..., validate=False)`` for
arrays (``go.Figure(skip_invalid=True)`` drops bad values instead of skipping the check), and a read-only
view of a figure's state (``to_dict(copy=False)``) with its typed-array helpers public.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["figure_state", "kept_as_list", "plotly_js_file", "template_file", "unchecked", "with_typed_arrays"]


def _package_data() -> Path:
    return Path(str(resources.files("plotly") / "package_data"))


def plotly_js_file() -> Path | None:
    """The installed plotly's own ``plotly.min.js`` (the version its figures are made for), or None."""
    source = _package_data() / "plotly.min.js"
    return source if source.is_file() else None


def template_file(name: str) -> Path:
    """The JSON file of plotly's built-in template ``name`` (e.g. ``plotly_white``)."""
    return _package_data() / "templates" / f"{name}.json"


@contextmanager
def unchecked(plotly_object: Any) -> Iterator[Any]:
    """Within the block, properties set on ``plotly_object`` skip plotly's validation (use for known-good values)."""
    plotly_object._validate = False
    try:
        yield plotly_object
    finally:
        plotly_object._validate = True


def figure_state(figure: Any) -> dict:
    """``{"data": [...], "layout": {...}}`` of a :class:`plotly.graph_objects.Figure` as plotly holds them:
    the figure's own dicts and lists (numpy arrays as they were set), to read and never to change."""
    return {"data": figure._data, "layout": figure._layout}


def with_typed_arrays(value: Any, key: object = None) -> Any:
    """A part of a figure's state (under ``key``) with its arrays as ``to_json`` writes them: ``{"dtype",
    "bdata"}`` (64-bit integers narrowed when they fit), an array plotly.js has no typed array for as it is.
    A dict or list is copied first: the figure's own is never changed."""
    # deferred: start-up time (pages without a chart)
    from _plotly_utils.utils import convert_to_base64, is_homogeneous_array, is_skipped_key, to_typed_array_spec

    if is_homogeneous_array(value):
        return value if key is not None and is_skipped_key(key) else to_typed_array_spec(value)
    if isinstance(value, (dict, list, tuple)):
        value = copy.deepcopy(value)
        convert_to_base64(value)
    return value


def kept_as_list(key: object) -> bool:
    """Whether plotly keeps an array under ``key`` as a list (axis ``range``, map ``layers``...)."""
    from _plotly_utils.utils import is_skipped_key  # deferred: start-up time (pages without a chart)

    return bool(is_skipped_key(key))

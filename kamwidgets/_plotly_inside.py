"""Every place the workbook relies on plotly's insides, and why (ipywidgets' and Voila's are in
:mod:`kamwidgets.widgets._patches`).

``tests/test_dependency_guard.py`` fails, saying what to check, when a plotly release changes any of it;
``.ci/constraints.txt`` pins the version tested and ``pyproject.toml`` bounds it (``plotly<8``).

* :func:`plotly_js_file`: the ``plotly.min.js`` file in plotly's package data (its ``get_plotlyjs()`` reads
  the same file into a string).  The lessons' Voila page and the Jupyter server serve it as a file, so
  that a page loads it while the kernel works, without 5 MB passing through the kernel.
* :func:`template_file`: the JSON of one of plotly's built-in templates in its package data, read without
  importing plotly's template registry (which loads every template; see :mod:`kamwidgets.charts._common`).
* :func:`unchecked`: sets a property of a plotly object without plotly's per-element validation (the
  private ``_validate`` flag every plotly object has): a marker symbol array of 100,000 known-good
  numbers takes seconds to check one by one.

What would let it go: a public path to plotly.js and to the templates' data (e.g. ``plotly.io`` functions
that return them), and a documented "trusted values" switch, e.g. ``fig.update(..., validate=False)`` for
arrays (``go.Figure(skip_invalid=True)`` drops bad values instead of skipping the check).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["plotly_js_file", "template_file", "unchecked"]


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

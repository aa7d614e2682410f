"""The parts of other libraries the workbook relies on from the inside are still the ones it was tested with.

``kamwidgets/widgets/_patches.py`` is where the workbook does so, and says why: it replaces five methods of
``ipywidgets.Widget`` (so that tools below the first screen are sent when the reader reaches them), reads
ipywidgets' private ``_instances`` and imports its private ``DescriptionWidget``; the lost-kernel notice reads
Voila's page app (``kamwidgets/widgets/js/voila.js``).  ``.ci/constraints.txt`` pins the versions tested; this
test fails, saying what to check, when a release changes one of those parts, so that an upgrade is a decision
and not a surprise.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from pathlib import Path

import ipywidgets
import pytest
from jupyter_core.paths import jupyter_path

from kamwidgets.widgets import _patches

TESTED_WITH = "8.1.9"

#: sha256 (first 16 hex digits) of the source of each ipywidgets method that _patches.py replaces.
REPLACED = {
    "Widget.open": (_patches._open, "c428d586525edd72"),
    "Widget.close": (_patches._close, "683e304c315e9801"),
    "Widget._repr_mimebundle_": (_patches._repr_mimebundle, "60c606d20c84f464"),
    "Widget.get_view_spec": (_patches._view_spec, "cd714ba0ddd7186a"),
    "Widget.model_id": (_patches._model_id_property.fget, "6db79f342e654b2a"),
}


@pytest.mark.parametrize("name", list(REPLACED))
def test_the_ipywidgets_methods_the_workbook_replaces_are_the_tested_ones(name):
    original, digest = REPLACED[name]
    found = hashlib.sha256(inspect.getsource(original).encode()).hexdigest()[:16]
    assert found == digest, (
        f"ipywidgets {ipywidgets.__version__} changed {name} (tested with {TESTED_WITH}). "
        "kamwidgets/widgets/_patches.py replaces it: read the new source, make the replacement do what it does, "
        f"then put {found!r} here and the new version in .ci/constraints.txt."
    )


def test_the_private_parts_the_workbook_reads_are_there():
    from ipywidgets.widgets import widget

    assert isinstance(widget._instances, dict), "ipywidgets no longer keeps _instances: see _patches.all_widgets"
    label = ipywidgets.Label("here")
    assert label in _patches.all_widgets()
    label.close()
    assert label not in _patches.all_widgets()
    assert issubclass(ipywidgets.IntSlider, _patches.DescriptionWidget) and not issubclass(
        ipywidgets.Button, _patches.DescriptionWidget
    ), "ipywidgets' DescriptionWidget is no longer the base of the labelled controls: see _patches"
    assert "tooltip" in _patches.DescriptionWidget.class_trait_names(), "DescriptionWidget lost its tooltip: see _base"


def test_voilas_page_still_has_what_the_lost_kernel_notice_reads():
    """``js/voila.js`` reads ``window.jupyterapp.widgetManager.kernel``: the installed Voila's page sets the app
    and its app has that getter."""
    folders = [Path(p) for p in jupyter_path("voila", "templates", "base", "static") if Path(p).is_dir()]
    assert folders, "Voila's page (share/jupyter/voila/templates/base/static) is not installed"
    page = "\n".join(f.read_text(encoding="utf-8", errors="replace") for f in folders[0].glob("*.js"))
    assert re.search(r"window\.jupyterapp\s*=", page) and re.search(r"get widgetManager\(\)\s*\{", page), (
        "Voila's page no longer sets window.jupyterapp with a widgetManager getter: kamwidgets/widgets/js/voila.js "
        "reads it for the lost-kernel notice; find where the new Voila keeps the page's kernel connection"
    )


def test_the_installed_versions_are_the_locked_ones():
    """What runs is what .ci/constraints.txt says was tested (a fresh install uses it through .ci/setup)."""
    from importlib.metadata import version

    locked = {}
    for line in (Path(__file__).resolve().parent.parent / ".ci" / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, _, pinned = line.partition("==")
            locked[name.strip().lower().replace("_", "-")] = pinned.strip()
    for name in ("ipywidgets", "voila", "pandas", "plotly", "anywidget", "jupyterlab", "notebook"):
        assert version(name) == locked[name], f"{name} {version(name)} is installed, {locked[name]} was tested"

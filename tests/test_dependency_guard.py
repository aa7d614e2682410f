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


def _locked() -> dict[str, str]:
    """The versions in .ci/constraints.txt (the tested environment), by lower-case name."""
    locked = {}
    for line in (Path(__file__).resolve().parent.parent / ".ci" / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, _, pinned = line.partition("==")
            locked[name.strip().lower().replace("_", "-")] = pinned.strip()
    return locked


TESTED_WITH = _locked()["ipywidgets"]

#: sha256 (first 16 hex digits) of the source of each ipywidgets method that _patches.py replaces.
REPLACED = {
    "Widget.open": (_patches._open, "c428d586525edd72"),
    "Widget.close": (_patches._close, "683e304c315e9801"),
    "Widget._repr_mimebundle_": (_patches._repr_mimebundle, "60c606d20c84f464"),
    "Widget.get_view_spec": (_patches._view_spec, "cd714ba0ddd7186a"),
    "Widget.model_id": (_patches._model_id_property.fget, "6db79f342e654b2a"),
}


#: sha256 (first 16 hex digits) of ipywidgets code the replacements rely on without replacing it: a widget's
#: ``__init__`` opens its comm through ``self.open()`` (held back while unsent), and a parent serialises a child
#: by reading its ``model_id`` (which sends a held child first).
RELIED_ON = {
    "Widget.__init__": ("Widget.__init__", "04aca9d845806650"),
    "_widget_to_json": ("_widget_to_json", "5b94c57df5fec4a6"),
}


@pytest.mark.parametrize("name", list(RELIED_ON))
def test_the_ipywidgets_code_the_replacements_rely_on_is_the_tested_one(name):
    from ipywidgets.widgets import widget

    path, digest = RELIED_ON[name]
    code = widget.Widget.__init__ if path == "Widget.__init__" else widget._widget_to_json
    found = hashlib.sha256(inspect.getsource(code).encode()).hexdigest()[:16]
    assert found == digest, (
        f"ipywidgets {ipywidgets.__version__} changed {name} (tested with {TESTED_WITH}): kamwidgets/widgets/"
        f"_patches.py relies on it (see RELIED_ON); check the replacements still hold widgets back, then put "
        f"{found!r} here and the new version in .ci/constraints.txt."
    )


def test_what_the_workbook_reads_inside_plotly_is_there():
    """kamwidgets/_plotly_inside.py: plotly.js and a template in plotly's package data, and the switch that
    skips validation (a bad symbol is refused normally and taken inside ``unchecked``)."""
    import plotly.graph_objects as go
    from plotly.offline import get_plotlyjs

    from kamwidgets._plotly_inside import plotly_js_file, template_file, unchecked

    source = plotly_js_file()
    assert source is not None and source.read_text(encoding="utf-8") == get_plotlyjs(), "plotly.js moved"
    assert "layout" in __import__("json").loads(template_file("plotly_white").read_text(encoding="utf-8"))
    marker = go.Scatter().marker
    with pytest.raises(ValueError):
        marker.symbol = ["not a symbol"]
    with unchecked(marker):
        marker.symbol = ["not a symbol"]  # taken as it is: the check was skipped
    assert list(marker.symbol) == ["not a symbol"] and marker._validate is True


def test_a_figures_state_is_read_as_plotly_holds_it():
    """kamwidgets/_plotly_inside.py: a figure's own data and layout (what ``to_dict`` deep-copies), and plotly's
    conversion of arrays to plotly.js's typed form, which charts compare and send on every change."""
    import numpy as np
    import plotly.graph_objects as go

    from kamwidgets._plotly_inside import figure_state, kept_as_list, with_typed_arrays

    fig = go.Figure(go.Scatter(x=np.arange(3.0), y=[1, 2, 3], marker=dict(color=np.arange(3))), layout=dict(height=300))
    state = figure_state(fig)
    assert state["data"][0]["x"] is fig.data[0].x and state["layout"]["height"] == 300, "plotly moved its state"
    fig.layout.height = 310
    assert figure_state(fig)["layout"]["height"] == 310  # the figure's own, not a copy
    as_dict = fig.to_dict()
    assert with_typed_arrays(state["data"][0], "data") == as_dict["data"][0]
    assert with_typed_arrays(state["data"][0]["x"], "x") == as_dict["data"][0]["x"]
    assert "bdata" not in str(state)  # the figure's own state was left as it was
    assert kept_as_list("range") and not kept_as_list("x")


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

    locked = _locked()
    for name in ("ipywidgets", "voila", "pandas", "plotly", "anywidget", "jupyterlab", "notebook"):
        assert version(name) == locked[name], f"{name} {version(name)} is installed, {locked[name]} was tested"


#: sha256 (first 16 hex digits) of the traitlets code ``Result.set`` repeats (``set``) or calls (the others).
TRAITLETS = {
    "TraitType.set": "8a54823fc526eedf",
    "HasTraits._notify_trait": "753c4021344f2f57",
    "TraitType._validate": "4a6def776ebc6218",
}


@pytest.mark.parametrize("name", list(TRAITLETS))
def test_the_traitlets_code_a_result_trait_repeats_is_the_tested_one(name):
    """kamwidgets/widgets/_traits.py: ``Result.set`` is traitlets' ``TraitType.set`` without its ``==`` (which
    compares two tables cell by cell); it writes traitlets' private ``_trait_values`` and calls ``_notify_trait``."""
    import traitlets

    owner, method = name.split(".")
    found = hashlib.sha256(inspect.getsource(getattr(getattr(traitlets, owner), method)).encode()).hexdigest()[:16]
    assert found == TRAITLETS[name], (
        f"traitlets {traitlets.__version__} changed {name} (tested with {_locked()['traitlets']}): "
        "kamwidgets/widgets/_traits.py's Result.set repeats or calls it; make it do what the new code does, then "
        f"put {found!r} here and the new version in .ci/constraints.txt."
    )

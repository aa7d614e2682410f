"""A Jupyter server extension: notebooks saved in JupyterLab or Notebook 7 reopen without "model not found".

A widget lives in the kernel; a saved notebook keeps only a reference to it.
Reopened later (or after JupyterLab's autosave and a restart), the reference
points at nothing and JupyterLab prints "Error displaying widget: model not
found".  Before a notebook is written, this extension replaces each widget
output with its plain-text note, which for the workbook's widgets says what
was there and to run the cell to see it again.  Notebooks that save their
widget state (JupyterLab's "Save Widget State Automatically") are left as
they are: their widgets can be drawn from that state.

It also serves the installed plotly's ``plotly.js`` at
``{base_url}kamwidgets/plotly.min.js`` (to logged-in users, as the server's
other pages), so that the workbook's charts in JupyterLab and Notebook 7 load
it from the server at once, not from a kernel that is still busy running the
rest of the notebook.

Installing the package enables it (``etc/jupyter/jupyter_server_config.d/
kamwidgets.json``); ``jupyter server extension list`` shows it.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

from .page_assets import plotly_js

__all__ = ["forget_widget_views", "WIDGET_VIEW", "NOTE", "PLOTLY_PATH"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: What a widget output says once saved, when its own text says nothing useful.
NOTE = "An interactive widget was here: run this cell to see it again."


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "kamwidgets.lab"}]


#: Where the server extension serves plotly.js, under the server's base URL (chart.js asks there).
PLOTLY_PATH = "kamwidgets/plotly.min.js"


def _load_jupyter_server_extension(serverapp: Any) -> None:
    serverapp.contents_manager.register_pre_save_hook(forget_widget_views)
    base = serverapp.web_app.settings.get("base_url", "/")
    serverapp.web_app.add_handlers(".*$", [(url_path_join(base, PLOTLY_PATH), PlotlyHandler)])
    serverapp.log.info("kamwidgets: widget outputs are saved as a note to run the cell again; plotly.js served")


class PlotlyHandler(JupyterHandler):
    """The installed plotly's plotly.js, for the charts of a page of this server."""

    @web.authenticated
    def get(self) -> None:
        source = plotly_js()
        if source is None:
            raise web.HTTPError(404, "plotly.js is not installed with plotly")
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        # the page asks with ?v=<version>: a new plotly is a new address
        self.set_header("Cache-Control", "private, max-age=604800")
        self.finish(source.read_bytes())


def forget_widget_views(model: dict, **_kwargs: Any) -> None:
    """Replace the widget outputs of a notebook about to be saved by their text (in place)."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    notebook = model["content"]
    state = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {})
    if state.get("state"):
        return  # the widget state was saved with the notebook: the views can be drawn from it
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data")
            if isinstance(data, dict) and WIDGET_VIEW in data:
                text = data.get("text/plain", "")
                text = "".join(text) if isinstance(text, list) else str(text)
                output["data"] = {"text/plain": text if "run this cell" in text else NOTE}

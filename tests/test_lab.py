"""The server extension that saves widget outputs as notes (reopened notebooks never say "model not found")."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from kamwidgets.lab import NOTE, WIDGET_VIEW, forget_widget_views


def _notebook_with(outputs: list[dict], metadata: dict | None = None) -> dict:
    cells = [{"cell_type": "code", "source": "", "metadata": {}, "outputs": outputs, "execution_count": 1}]
    return {"type": "notebook", "content": {"metadata": metadata or {}, "cells": cells}}


def test_saving_turns_widget_outputs_into_notes_unless_their_state_is_saved():
    import kamwidgets as kw

    ours = kw.SpectrumWidget(our_intent=8, customer_intent=6)._repr_mimebundle_()
    other = {WIDGET_VIEW: {"model_id": "abc", "version_major": 2}, "text/plain": "IntSlider(value=3)"}
    table = {"text/html": "<table></table>", "text/plain": "a table"}
    outputs = [{"output_type": "display_data", "data": d, "metadata": {}} for d in (ours, other, table)]
    model = _notebook_with(outputs)
    forget_widget_views(model)
    saved = [o["data"] for o in model["content"]["cells"][0]["outputs"]]
    assert saved[0] == {"text/plain": ours["text/plain"]} and "SpectrumWidget" in ours["text/plain"]
    assert saved[1] == {"text/plain": NOTE}  # another library's widget: the generic note
    assert saved[2] == table  # everything else as it was
    state = {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"abc": {}}}}}
    kept = _notebook_with([{"output_type": "display_data", "data": dict(other), "metadata": {}}], state)
    forget_widget_views(kept)
    assert WIDGET_VIEW in kept["content"]["cells"][0]["outputs"][0]["data"]  # drawn from the saved state


def test_the_server_extension_is_enabled_where_the_workbook_is_installed():
    listed = subprocess.run(
        [sys.executable, "-m", "jupyter", "server", "extension", "list"], capture_output=True, text=True, check=True
    )
    out = re.sub(r"\x1b\[[0-9;]*m", "", listed.stdout + listed.stderr)  # without the colours
    assert re.search(r"kamwidgets\.lab\s+enabled", out) and re.search(r"kamwidgets\.lab\s+OK", out), out
    shipped = Path(__file__).parents[1] / "jupyter-config/jupyter_server_config.d/kamwidgets.json"
    config = json.loads(shipped.read_text())
    assert config["ServerApp"]["jpserver_extensions"] == {"kamwidgets.lab": True}

"""What the lessons' Voila page loads from the server: plotly.js, next to the page's template.

The lessons' page (the Voila template ``kamwidgets``, installed with the
package under ``share/jupyter/voila/templates/kamwidgets``) starts loading
plotly.js while the kernel runs the lesson.  :func:`place_plotly` copies the
installed plotly's own ``plotly.min.js`` into the template's static folder
(a copy: Voila serves no link that leads out of the folder).  Without it, or
after a plotly upgrade until it is copied again, the lessons work as before:
each page receives plotly.js from the kernel, a second or so later.

``kamwidgets lessons FOLDER`` and ``.ci/setup`` call it.

:func:`wait_for_page` lets Voila run the lessons ahead in spare kernels
(``.ci/workshop --preheat``) without losing the page's ``?workbook=``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

__all__ = ["place_plotly", "plotly_js", "template_folders", "wait_for_page"]

TEMPLATE = Path("voila") / "templates" / "kamwidgets"


def template_folders() -> list[Path]:
    """The kamwidgets Voila template's folders that exist, this environment's first."""
    from jupyter_core.paths import jupyter_path

    found = [Path(p) / TEMPLATE for p in jupyter_path()]
    own = Path(sys.prefix) / "share" / "jupyter" / TEMPLATE
    ordered = [own, *(p for p in found if p != own)]
    return [p for p in ordered if (p / "index.html.j2").is_file()]


def plotly_js() -> Path | None:
    """The installed plotly's own ``plotly.min.js`` (the version its figures are made for), or None."""
    import plotly

    source = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    return source if source.is_file() else None


def place_plotly() -> Path | None:
    """Copy plotly.js into the template's static folder; the file, or None when there is nowhere to put it."""
    source = plotly_js()
    if source is None:
        return None
    for folder in template_folders():
        target = folder / "static" / "plotly.min.js"
        try:
            if target.is_file() and not target.is_symlink() and _same(target, source):
                return target
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".part")
            shutil.copyfile(source, partial)
            os.replace(partial, target)  # a page never reads half a file
            return target
        except OSError:
            continue  # not ours to write: try the next one
    return None


def _same(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


_waited = False


def wait_for_page() -> None:
    """In a kernel Voila preheated for a lesson: pay the first-use costs, then wait for the participant's page.

    Voila started with ``--preheat_kernel=True`` runs each lesson ahead in a
    spare kernel, before anyone asks for it, so a page only waits for what
    follows.  The page's query string (``?workbook=NAME``) reaches such a
    kernel only with the request, so :func:`kamwidgets.workbook_name` calls
    this first: until then the kernel loads what every lesson needs the first
    time (the store's database layer, plotly's checks of the charts' figures);
    then it waits for the request, which puts the page's query string in the
    environment.  Anywhere else (JupyterLab, Voila without preheating, the
    hub's Voila) it returns at once.
    """
    global _waited
    if _waited or os.environ.get("VOILA_PREHEAT") != "True":
        return
    _waited = True
    try:
        _warm_up()
    except Exception:  # only time is saved: a lesson never fails for it
        pass
    from voila.utils import wait_for_request

    wait_for_request()


def _warm_up() -> None:
    """Load what the lessons use for the first time, so that a participant's page does not wait for it."""
    from .charts import balance_chart, portfolio_matrix
    from .model import balance, classify
    from .samples import SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH, sample_portfolio

    classified = classify(sample_portfolio(), SAMPLE_ATTRACTIVENESS, SAMPLE_STRENGTH)
    portfolio_matrix(classified)
    balance_chart(balance(classified))

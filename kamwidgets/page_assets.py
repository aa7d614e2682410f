"""What the lessons' Voila page loads from the server: plotly.js, next to the page's template.

The lessons' page (the Voila template ``kamwidgets``, installed with the
package under ``share/jupyter/voila/templates/kamwidgets``) starts loading
plotly.js while the kernel runs the lesson.  :func:`place_plotly` copies the
installed plotly's own ``plotly.min.js`` into the template's static folder
(a copy: Voila serves no link that leads out of the folder).  Without it, or
after a plotly upgrade until it is copied again, the lessons work as before:
each page receives plotly.js from the kernel, a second or so later.

``kamwidgets lessons FOLDER`` and ``.ci/setup`` call it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

__all__ = ["place_plotly", "template_folders"]

TEMPLATE = Path("voila") / "templates" / "kamwidgets"


def template_folders() -> list[Path]:
    """The kamwidgets Voila template's folders that exist, this environment's first."""
    from jupyter_core.paths import jupyter_path

    found = [Path(p) / TEMPLATE for p in jupyter_path()]
    own = Path(sys.prefix) / "share" / "jupyter" / TEMPLATE
    ordered = [own, *(p for p in found if p != own)]
    return [p for p in ordered if (p / "index.html.j2").is_file()]


def place_plotly() -> Path | None:
    """Copy plotly.js into the template's static folder; the file, or None when there is nowhere to put it."""
    import plotly

    source = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    if not source.is_file():
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

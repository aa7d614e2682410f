"""The kernel of a lesson's Voila page: ipykernel, importing the workbook while the kernel waits.

A kernel Voila starts for a page is ready about half a second after the page
is asked for, and it works for only half of that time; once ready, it waits
again while Voila renders the page around it.  A lesson's first two cells then
spent 0.3-0.4 s importing pandas and the workbook.  Started through this file,
the kernel initialises as ipykernel's own launcher does, then imports the
workbook in a thread while it waits; the lesson's ``import kamwidgets`` finds
it imported, or waits for the thread's import to end (Python's import lock).
A page whose notebook does not import kamwidgets (a one-widget page, a notebook
of the participant's own) gets a kernel that starts as ipykernel's: only the
command line differs (``sys.argv[0]`` is this file), and a short thread reads
the notebook.  The early import sees the kernel's environment and ``sys.path``
as they are when it starts: a notebook that sets a ``KAMWIDGETS_*`` variable
before ``import kamwidgets`` still has it read, because the package reads its
settings when they are used (kamwidgets.config), not when a module is
imported.

:class:`kamwidgets.page_assets.PageKernels` starts it *by path*, as
``python .../kamwidgets/_page_kernel.py -f CONNECTION_FILE`` in place of
``python -m ipykernel_launcher -f ...``: importing it as
``kamwidgets._page_kernel`` would import the package, and pandas with it,
before the kernel starts.  So this file imports nothing of the workbook at the
top, and only the standard library before the kernel is initialised.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    # Run by path, Python put this file's folder first on sys.path (its real path, symbolic links resolved),
    # unless told not to (-P): the workbook's modules are not top-level modules, and ipykernel's launcher
    # removes the folder it is run from in the same way (the kernel adds the notebook's folder).
    here = os.path.dirname(os.path.realpath(__file__))
    if sys.path and not sys.flags.safe_path and os.path.realpath(sys.path[0] or ".") == here:
        del sys.path[0]

import json
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote

__all__ = ["main", "notebook_of_page", "uses_workbook"]

#: The variables Voila sets in a page's kernel (kamwidgets.config names them; this file cannot import it).
SCRIPT_NAME, VOILA_PREHEAT = "SCRIPT_NAME", "VOILA_PREHEAT"
#: A line of a code cell that imports the workbook.
_IMPORTS_WORKBOOK = re.compile(r"^\s*(?:import|from)\s+kamwidgets\b", re.MULTILINE)


def notebook_of_page(environ: Mapping[str, str] | None = None, cwd: str | None = None) -> Path | None:
    """The notebook Voila started this kernel for, or None (not started by Voila for a page).

    Voila starts a page's kernel in the notebook's folder and gives it the page's address as
    ``SCRIPT_NAME`` (``/voila/render/15_wrap_up.ipynb``, under the hub ``/user/NAME/voila/render/...``).
    """
    seen = os.environ if environ is None else environ
    address = unquote(seen.get(SCRIPT_NAME, ""))
    if VOILA_PREHEAT not in seen or not address.endswith(".ipynb"):
        return None
    return Path(os.getcwd() if cwd is None else cwd) / address.rsplit("/", 1)[-1]


def uses_workbook(notebook: Path | None) -> bool:
    """Whether a code cell of ``notebook`` imports kamwidgets (False for no notebook or one that cannot be read)."""
    if notebook is None:
        return False
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        return any(
            cell.get("cell_type") == "code" and _IMPORTS_WORKBOOK.search("".join(cell.get("source", ""))) is not None
            for cell in cells
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False  # Voila says what is wrong with the notebook; the kernel starts as ipykernel's


def _import_workbook(notebook: Path | None) -> None:
    """Import the workbook if ``notebook`` imports it (read here, in the thread: a long notebook takes a while)."""
    if not uses_workbook(notebook):
        return
    try:
        import kamwidgets.widgets  # noqa: F401  # deferred: the point of this file (in the thread, not before the kernel)
    except Exception:  # noqa: BLE001, S110 - only time is saved: the lesson's own import says what is wrong
        pass


def main() -> None:
    """Start the kernel (arguments as ipykernel's launcher: ``-f CONNECTION_FILE``)."""
    from ipykernel.kernelapp import IPKernelApp  # deferred: importable (tests) without starting a kernel's imports

    app = IPKernelApp.instance()
    app.initialize()
    notebook = notebook_of_page()
    if notebook is not None:
        # after initialize(), when the kernel's own imports are done; a daemon, so that it never keeps a
        # kernel being shut down alive
        threading.Thread(target=_import_workbook, args=(notebook,), name="kamwidgets-import", daemon=True).start()
    app.start()


if __name__ == "__main__":
    main()

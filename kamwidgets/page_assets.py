"""The server's side of the lessons' Voila pages: plotly.js next to the page's template, and the workshop's Voila.

The lessons' page (the Voila template ``kamwidgets``, installed with the
package under ``share/jupyter/voila/templates/kamwidgets``) loads plotly.js
from the server when its first chart is drawn.  :func:`place_plotly` copies the
installed plotly's own ``plotly.min.js`` into the template's static folder
(a copy: Voila serves no link that leads out of the folder).  Without it, or
after a plotly upgrade until it is copied again, the lessons work as before:
each page receives plotly.js from the kernel, a second or so later.

``kamwidgets lessons FOLDER`` and ``.ci/setup`` call it.

:func:`wait_for_page` lets Voila run the lessons ahead in spare kernels
(``.ci/workshop --preheat``) without losing the page's ``?workbook=``.

The workshop's server (``.ci/workshop`` runs :func:`serve`, which is Voila
with the same options, as ``python -m kamwidgets.page_assets``) adds two
hooks to Voila: the list of lessons shows each lesson's title
(:func:`lesson_list`, read from its first heading), and a lesson asked for
without a name never runs as the shared workbook ``default`` by accident
(:func:`name_first`): a participant who has given a name is sent on with it,
anyone else is asked for it before anything of the lesson runs.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_core.paths import jupyter_path
from traitlets.config import Config

from . import config as settings
from ._plotly_inside import plotly_js_file
from .errors import KamDataError
from .identity import workbook_name
from .preheat import wait_for_page

__all__ = [
    "COOKIE",
    "NOT_ON_PAGES",
    "PAGES_LEAVE_OUT",
    "PAGE_KERNELS",
    "PageKernels",
    "page_kernel_argv",
    "lesson_list",
    "lesson_title",
    "name_first",
    "place_plotly",
    "plotly_js",
    "pool_config",
    "serve",
    "template_folders",
    "wait_for_page",
]

#: JupyterLab extensions installed beside Voila that a lesson's page does not load.  Notebook 7's extension
#: needs a newer JupyterLab than Voila's page is built on: every page logged its failure (RUNTIME-012 in the
#: browser's console) and fetched it for nothing.  Every Voila the project starts leaves them out: the
#: workshop's (:func:`serve`), the hub's participants', the tests' and the benchmarks' (:data:`NOT_ON_PAGES`);
#: JupyterLab itself still loads them.
PAGES_LEAVE_OUT = ("@jupyter-notebook/lab-extension",)
#: The Voila option that leaves them out.
NOT_ON_PAGES = f"--VoilaConfiguration.extension_denylist={json.dumps(list(PAGES_LEAVE_OUT))}"

#: The script a lesson page's kernel starts through (:mod:`kamwidgets._page_kernel`): run by path.
PAGE_KERNEL = Path(__file__).with_name("_page_kernel.py")


class PageKernels(KernelSpecManager):
    """Jupyter's kernel specs, but a Python kernel of this environment starts through :data:`PAGE_KERNEL`.

    That script starts ipykernel as its own launcher does, and, for a page whose notebook imports
    kamwidgets, imports the workbook while the kernel waits for the lesson's first cell (see
    :mod:`kamwidgets._page_kernel`).  Every Voila the project starts uses it, like :data:`NOT_ON_PAGES`:
    the workshop's (:func:`serve`), the hub's participants' servers (``--ServerApp.kernel_spec_manager_class``,
    where a JupyterLab kernel starts as ipykernel's), the tests' and the benchmarks' (:data:`PAGE_KERNELS`).
    A kernel spec that does not run ``ipykernel_launcher`` with this environment's Python is left as it is.
    """

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        spec = super().get_kernel_spec(kernel_name)
        spec.argv = page_kernel_argv(list(spec.argv))
        return spec


def page_kernel_argv(argv: list[str]) -> list[str]:
    """A kernel spec's command with :data:`PAGE_KERNEL` in place of ``-m ipykernel_launcher``, if it runs this
    environment's Python (``python``, as Jupyter writes it, or this interpreter's path; options such as
    ``-Xfrozen_modules=off`` before ``-m`` are kept), else ``argv`` as it is."""
    names = {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"}
    if not argv or not (argv[0] in names or _same_environment(argv[0])):
        return argv
    for i in range(1, len(argv) - 1):
        if argv[i : i + 2] == ["-m", "ipykernel_launcher"]:
            return [*argv[:i], str(PAGE_KERNEL), *argv[i + 2 :]]
        if not argv[i].startswith("-") or argv[i] in ("-c", "-m"):
            break  # the interpreter's options end here: a script, or another module
    return argv


def _same_environment(python: str) -> bool:
    """Whether ``python`` is an interpreter of this environment: a ``python*`` in this interpreter's folder.

    Not the file's real path: a virtual environment's ``python`` is a link to its base interpreter, which
    another environment made from it shares.
    """
    here = os.path.realpath(os.path.dirname(os.path.abspath(sys.executable)))
    folder = os.path.realpath(os.path.dirname(os.path.abspath(python)))
    return folder == here and os.path.basename(python).startswith("python")


#: The Voila option that starts the pages' kernels through :class:`PageKernels`.
PAGE_KERNELS = f"--VoilaConfiguration.kernel_spec_manager_class={PageKernels.__module__}.PageKernels"

TEMPLATE = Path("voila") / "templates" / "kamwidgets"


def template_folders() -> list[Path]:
    """The kamwidgets Voila template's folders that exist, this environment's first."""
    found = [Path(p) / TEMPLATE for p in jupyter_path()]
    own = Path(sys.prefix) / "share" / "jupyter" / TEMPLATE
    ordered = [own, *(p for p in found if p != own)]
    return [p for p in ordered if (p / "index.html.j2").is_file()]


def plotly_js() -> Path | None:
    """The installed plotly's own ``plotly.min.js`` (the version its figures are made for), or None."""
    return plotly_js_file()


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


# ------------------------------------------------------------------ the workshop's server (.ci/workshop)

#: The cookie in which a participant's browser keeps the name given in :class:`kamwidgets.WorkbookName`
#: (beside ``localStorage["kamwidgets.workbook"]``), so that the server knows it before a lesson runs.
COOKIE = "kamwidgets_workbook"


def lesson_title(path: str | os.PathLike) -> str | None:
    """The notebook's first heading (its title), or None when it has none or cannot be read.

    >>> import json, tempfile, pathlib
    >>> nb = {"cells": [{"cell_type": "markdown", "source": ["# Lesson 4: The spectrum\\n", "Text"]}]}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "04.ipynb"
    >>> _ = path.write_text(json.dumps(nb))
    >>> lesson_title(path)
    'Lesson 4: The spectrum'
    """
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return None
    return _first_heading(cells)


def _first_heading(cells: Any) -> str | None:
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        for line in ("".join(source) if isinstance(source, list) else str(source)).splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip() or None
    return None


def lesson_list(page_config: dict, **kwargs: Any) -> dict:
    """Voila's ``page_config_hook``: on the list of lessons, each notebook's title (``kamwidgetsLessons``).

    The template ``kamwidgets`` (``tree-lab.html``) shows a lesson by its title
    when it is given, else by its file name.  Other pages are left as they are.
    """
    settings, folder = kwargs.get("settings") or {}, kwargs.get("notebook_path") or ""
    manager = settings.get("contents_manager")
    root = getattr(manager, "root_dir", None)
    where = Path(root) / folder if root else None
    if where is not None and where.is_dir():
        titles = {}
        for path in sorted(where.glob("*.ipynb")):
            title = lesson_title(path)
            if title:
                titles[f"{folder}/{path.name}".lstrip("/")] = title
        page_config["kamwidgetsLessons"] = titles
    return page_config


def _asks_for_a_name(notebook: Any) -> bool:
    return any(c.get("cell_type") == "code" and "WorkbookName(" in c.get("source", "") for c in notebook.cells)


def name_first(handler: Any, notebook: Any, cwd: str) -> Any:
    """Voila's ``prelaunch_hook``: a lesson asked for without ``?workbook=`` does not run as ``default``.

    A lesson's address without a name would run the whole lesson in the shared
    workbook ``default`` (the samples' tools write there), and the page, once it
    knows the participant's name, would run it again.  So, for a lesson that
    has a name box (:class:`kamwidgets.WorkbookName`):

    * the participant's browser knows the name (the cookie :data:`COOKIE`, set
      where the name is given): the server sends the browser on to the
      same address with ``?workbook=NAME`` before any kernel starts;
    * no name yet: the page is the lesson's title and the name box, with a
      link to open the lesson without a name; nothing of the lesson runs.

    Any other notebook, or an address with a name, is served as it is.
    """
    if handler is None or handler.get_argument("workbook", "").strip() or not _asks_for_a_name(notebook):
        return None
    from tornado.web import Finish  # deferred: start-up time (tornado's web framework; only in Voila's server)

    given = unquote(handler.get_cookie(COOKIE) or "")
    try:
        name = workbook_name(given) if given.strip() else ""
    except KamDataError:
        name = ""  # not a name the workbook takes: ask for one
    address = handler.request.uri
    if name:
        handler.redirect(with_workbook(address, name))
        raise Finish()
    import nbformat  # deferred: start-up time (nbformat: about a second)

    title = _first_heading(notebook.cells) or "This lesson"
    without = with_workbook(address, "default").replace(">", "%3E")
    asked = nbformat.v4.new_notebook(metadata=dict(notebook.metadata))
    asked.metadata["kamwidgets"] = {**(notebook.metadata.get("kamwidgets") or {}), "charts": False}
    asked.cells = [
        nbformat.v4.new_markdown_cell(
            f"# {title}\n\nType your name below and press **Use this name** to open the lesson. Your work is "
            "kept under that name, apart from other participants', and this browser remembers it for the "
            "other lessons."
        ),
        nbformat.v4.new_code_cell("import kamwidgets as kw\nkw.WorkbookName()"),
        nbformat.v4.new_markdown_cell(
            f"Or [open the lesson without a name](<{without}>): your work then goes into the workbook "
            "'default', which everyone without a name shares."
        ),
    ]
    return asked


def with_workbook(address: str, name: str) -> str:
    """The address with ``workbook=name`` in its query, in place of any ``workbook`` it had.

    >>> with_workbook("/voila/render/12_swot.ipynb?theme=dark&workbook=", "Workshop/Ann")
    '/voila/render/12_swot.ipynb?theme=dark&workbook=Workshop%2FAnn'
    """
    parts = urlsplit(address)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "workbook"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("workbook", name)])))


def _lesson_file(folder: Path, lesson: str) -> str:
    """The notebook in ``folder`` that ``lesson`` names: its file name, its name without ``.ipynb``, or its number."""
    names = sorted(p.name for p in folder.glob("*.ipynb"))
    for name in names:
        stem = name.removesuffix(".ipynb")
        if lesson in (name, stem) or stem.split("_", 1)[0] == lesson:
            return name
    raise KamDataError(
        f"{settings.POOL}: no lesson {lesson!r} in {folder}",
        fix=f"Name a lesson by its number or file name, one of: {', '.join(names) or '(no lessons there)'}.",
    )


def pool_config(folder: str | os.PathLike, default_size: int, pools: dict[str, int]) -> dict[str, dict[str, int]]:
    """Voila's ``kernel_pools_config``: ``default_size`` kernels ready per lesson, and ``pools``' sizes for theirs.

    A room about to open one lesson together is served at once only when a kernel is ready for each
    participant: a page asked for while its lesson's pool is empty starts its kernel then, and waits for it.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("03_what_is_kam.ipynb", "14_customer_classification.ipynb", "14b_real_data.ipynb"):
    ...     _ = (folder / name).write_text("{}")
    >>> pool_config(folder, 1, {"14": 12, "14b_real_data": 3})
    {'default': {'pool_size': 1},
     '14_customer_classification.ipynb': {'pool_size': 12},
     '14b_real_data.ipynb': {'pool_size': 3}}
    """
    sizes: dict[str, dict[str, int]] = {"default": {"pool_size": default_size}}
    for lesson, size in pools.items():
        sizes[_lesson_file(Path(folder), lesson)] = {"pool_size": size}
    return sizes


def _room_pools(app: Any) -> None:
    """Kernels ready per lesson as ``KAM_POOL`` asks (only with ``--preheat_kernel=True``, where Voila keeps pools)."""
    pools = settings.lesson_pools()
    if not pools:
        return
    if not app.voila_configuration.preheat_kernel:
        raise KamDataError(
            f"{settings.POOL} keeps kernels ready only when Voila runs lessons ahead",
            fix=f"Start the workshop with --preheat: {settings.POOL}=... bash .ci/workshop --preheat",
        )
    folder = Path(app.root_dir or ".")
    sizes = pool_config(folder, app.voila_configuration.default_pool_size, pools)
    app.config.VoilaKernelManager.kernel_pools_config = sizes


def serve(argv: list[str] | None = None) -> None:
    """Voila for a workshop, as ``.ci/workshop`` runs it: Voila's own options, plus the two hooks above.

    ``python -m kamwidgets.page_assets FOLDER --template=kamwidgets ...`` takes
    the options of ``voila``.  With ``--preheat_kernel=True`` (Voila allows no
    ``prelaunch_hook`` then) a lesson asked for without a name runs as before;
    the list's links and the lessons' pages still carry the name; ``KAM_POOL``
    then says how many kernels to keep ready for a lesson (:func:`pool_config`).
    """
    from voila.app import Voila  # deferred: start-up time (Voila, over a second; only to serve a workshop)

    config = Config()
    config.VoilaConfiguration.page_config_hook = lesson_list
    config.VoilaConfiguration.extension_denylist = list(PAGES_LEAVE_OUT)  # options given still count (NOT_ON_PAGES)
    config.VoilaConfiguration.kernel_spec_manager_class = PageKernels  # the same (PAGE_KERNELS)
    app = Voila.instance(config=config)
    app.initialize(argv)
    try:
        _room_pools(app)
    except KamDataError as err:
        sys.exit(f"The workshop did not start: {err}")
    if not app.voila_configuration.preheat_kernel:
        app.voila_configuration.prelaunch_hook = name_first
    app.start()


if __name__ == "__main__":
    from kamwidgets.page_assets import serve as _serve

    _serve()

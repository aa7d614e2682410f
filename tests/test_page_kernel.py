"""A lesson page's kernel imports the workbook while it waits; any other kernel starts as ipykernel's.

kamwidgets/_page_kernel.py (started by kamwidgets.page_assets.PageKernels) and kamwidgets/_garbage.py.
The time they save is measured by benchmarks/browser.py, not here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

import kamwidgets
from kamwidgets import _page_kernel
from kamwidgets.page_assets import PAGE_KERNEL, PageKernels, page_kernel_argv

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(kamwidgets.__file__).parent


def _notebook(folder: Path, name: str, *sources: str, markdown: str = "") -> Path:
    cells = [nbformat.v4.new_markdown_cell(markdown)] if markdown else []
    cells += [nbformat.v4.new_code_cell(s) for s in sources]
    path = folder / name
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_the_page_is_the_notebook_voila_started_the_kernel_for(tmp_path):
    voila = {"VOILA_PREHEAT": "False"}
    assert _page_kernel.notebook_of_page({**voila, "SCRIPT_NAME": "/voila/render/15_wrap_up.ipynb"}, str(tmp_path)) == (
        tmp_path / "15_wrap_up.ipynb"
    )
    hub = {**voila, "SCRIPT_NAME": "/user/kam_ana/voila/render/sub/my%20lesson.ipynb"}
    assert _page_kernel.notebook_of_page(hub, str(tmp_path)) == tmp_path / "my lesson.ipynb"  # Voila's cwd: its folder
    assert _page_kernel.notebook_of_page({"SCRIPT_NAME": "/voila/render/a.ipynb"}, str(tmp_path)) is None  # not Voila's
    assert _page_kernel.notebook_of_page({**voila, "SCRIPT_NAME": "/"}, str(tmp_path)) is None  # `voila one.ipynb`
    assert _page_kernel.notebook_of_page({**voila}, str(tmp_path)) is None  # preheated: no page yet


def test_a_notebook_uses_the_workbook_when_a_code_cell_imports_it(tmp_path):
    assert _page_kernel.uses_workbook(ROOT / "notebooks" / "15_wrap_up.ipynb")
    assert _page_kernel.uses_workbook(_notebook(tmp_path, "a.ipynb", "x = 1\nfrom kamwidgets import classify"))
    one = _notebook(tmp_path, "one.ipynb", "import ipywidgets as W\nW.IntSlider()", markdown="`import kamwidgets`")
    assert not _page_kernel.uses_workbook(one)  # said in the text only
    assert not _page_kernel.uses_workbook(_notebook(tmp_path, "b.ipynb", "import kamwidgets_extra"))
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    assert not _page_kernel.uses_workbook(tmp_path / "broken.ipynb")
    (tmp_path / "odd.ipynb").write_text(json.dumps({"cells": "none"}), encoding="utf-8")
    assert not _page_kernel.uses_workbook(tmp_path / "odd.ipynb")
    assert not _page_kernel.uses_workbook(tmp_path / "missing.ipynb")
    assert not _page_kernel.uses_workbook(None)


def _specs(tmp_path: Path) -> Path:
    """A kernel spec folder with this environment's Python kernel and one of another interpreter."""
    kernels = tmp_path / "share" / "kernels"
    for name, argv in {
        "python3": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "other": ["/opt/other/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "r": ["R", "--slave", "-e", "IRkernel::main()", "--args", "{connection_file}"],
    }.items():
        (kernels / name).mkdir(parents=True)
        spec = {"argv": argv, "display_name": name, "language": "python" if name != "r" else "R"}
        (kernels / name / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return kernels


def test_page_kernels_start_this_environments_python_kernel_through_the_script_and_leave_others(tmp_path):
    kernels = _specs(tmp_path)
    specs = PageKernels(kernel_dirs=[str(kernels)])
    plain = KernelSpecManager(kernel_dirs=[str(kernels)])
    assert specs.get_kernel_spec("python3").argv == ["python", str(PAGE_KERNEL), "-f", "{connection_file}"]
    assert PAGE_KERNEL.is_file() and PAGE_KERNEL.parent == PACKAGE
    for name in ("other", "r"):
        assert specs.get_kernel_spec(name).argv == plain.get_kernel_spec(name).argv
    assert specs.get_kernel_spec("python3").display_name == "python3"
    assert plain.get_kernel_spec("python3").argv[1:3] == ["-m", "ipykernel_launcher"]  # asked again: not changed


def test_the_kernel_command_is_changed_only_where_it_runs_ipykernels_launcher_with_this_python():
    page = str(PAGE_KERNEL)
    cf = ["-f", "{connection_file}"]
    # as `python -m ipykernel install` writes it (ipykernel 7): this interpreter, an option before -m
    frozen = [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", *cf]
    assert page_kernel_argv(frozen) == [sys.executable, "-Xfrozen_modules=off", page, *cf]
    assert page_kernel_argv(["python3", "-m", "ipykernel_launcher", *cf]) == ["python3", page, *cf]
    base = os.path.realpath(sys.executable)  # a virtual environment's python links to its base interpreter
    if os.path.dirname(base) != os.path.dirname(sys.executable):
        assert page_kernel_argv([base, "-m", "ipykernel_launcher", *cf])[1] == "-m"  # another environment's
    kept = [
        ["/opt/other/bin/python", "-m", "ipykernel_launcher", *cf],  # another environment's Python
        [sys.executable, "-m", "other_kernel", *cf],  # another kernel
        [sys.executable, "-c", "import ipykernel_launcher", "-m", "ipykernel_launcher", *cf],  # a script first
        ["python", "my_kernel.py", "-m", "ipykernel_launcher", *cf],
        ["python"],
        [],
    ]
    for argv in kept:
        assert page_kernel_argv(list(argv)) == argv


def _kernel_reports(tmp_path: Path, notebook: Path | None, code: str, specs: KernelSpecManager | None = None) -> dict:
    """Start a kernel as a page's (PageKernels, Voila's environment for ``notebook``) and run ``code``."""
    env = {k: v for k, v in os.environ.items() if k not in ("SCRIPT_NAME", "VOILA_PREHEAT")}
    env["KAMWIDGETS_DB_URL"] = f"sqlite:///{tmp_path / 'kernel.sqlite'}"
    if notebook is not None:
        env.update(VOILA_PREHEAT="False", SCRIPT_NAME=f"/voila/render/{notebook.name}")
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=specs or PageKernels())
    manager.start_kernel(env=env, cwd=str(tmp_path))
    client = manager.client()
    client.start_channels()
    out: list[str] = []
    try:
        client.wait_for_ready(timeout=60)
        reply = client.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda m: out.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None,
        )
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return json.loads("".join(out))


REPORT = """
import json, os, sys, threading, time
deadline = time.monotonic() + {wait}
while time.monotonic() < deadline and any(t.name == "kamwidgets-import" for t in threading.enumerate()):
    time.sleep(0.05)
time.sleep({settle})
print(json.dumps({{
    "argv0": sys.argv[0],
    "widgets": "kamwidgets.widgets" in sys.modules and hasattr(sys.modules["kamwidgets.widgets"], "WorkbookName"),
    "pandas": "pandas" in sys.modules,
    "importing": any(t.name == "kamwidgets-import" for t in threading.enumerate()),
    "package_on_path": any(os.path.realpath(p or ".") == os.path.realpath({package!r}) for p in sys.path),
    "cwd_on_path": "" in sys.path or os.getcwd() in sys.path,
    "answer": 6 * 7,
}}))
"""


def test_a_lessons_kernel_has_imported_the_workbook_by_its_first_cells(tmp_path):
    lesson = _notebook(tmp_path, "lesson.ipynb", "import kamwidgets as kw", "kw.WorkbookName()")
    got = _kernel_reports(tmp_path, lesson, REPORT.format(wait=60, settle=0, package=str(PACKAGE)))
    assert got["argv0"] == str(PAGE_KERNEL)  # started through the script, not ipykernel's launcher
    assert got["widgets"] and got["pandas"] and not got["importing"]  # the cell imported nothing itself
    assert not got["package_on_path"] and got["cwd_on_path"]  # the notebook's folder, as ipykernel's launcher does
    assert got["answer"] == 42


def test_the_script_reached_through_a_symbolic_link_still_leaves_its_folder_off_the_path(tmp_path):
    """Python puts the script's real folder on sys.path; a link in the way (macOS's /tmp, a linked checkout)."""
    link = tmp_path / "linked"
    link.symlink_to(PACKAGE, target_is_directory=True)
    kernels = tmp_path / "specs" / "kernels" / "python3"
    kernels.mkdir(parents=True)
    argv = [sys.executable, str(link / PAGE_KERNEL.name), "-f", "{connection_file}"]
    (kernels / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "p", "language": "python"}))
    specs = KernelSpecManager(kernel_dirs=[str(kernels.parent)])
    got = _kernel_reports(tmp_path, None, REPORT.format(wait=0, settle=0, package=str(PACKAGE)), specs)
    assert got["argv0"] == argv[1] and not got["package_on_path"] and got["cwd_on_path"]


@pytest.mark.parametrize("page", [True, False], ids=["a page without the workbook", "not a page"])
def test_any_other_kernel_starts_as_ipykernels_and_imports_nothing_more(tmp_path, page):
    one = _notebook(tmp_path, "one.ipynb", "import ipywidgets as W\nW.IntSlider()") if page else None
    got = _kernel_reports(tmp_path, one, REPORT.format(wait=0, settle=1.5, package=str(PACKAGE)))
    assert got["argv0"] == str(PAGE_KERNEL)
    assert not got["widgets"] and not got["pandas"] and not got["importing"]
    assert not got["package_on_path"] and got["cwd_on_path"] and got["answer"] == 42


GC_REPORT = "import gc, kamwidgets; print(gc.get_threshold(), gc.get_freeze_count() > 0)"


@pytest.mark.parametrize(
    ("env", "before", "expected"),
    [
        ({"VOILA_PREHEAT": "False"}, "", "(10000, 10, 10) True"),  # a page's kernel
        ({"VOILA_PREHEAT": "True"}, "", "(10000, 10, 10) True"),  # a kernel Voila runs ahead
        ({}, "", None),  # JupyterLab, scripts: Python's own
        ({"VOILA_PREHEAT": "False"}, "gc.set_threshold(2000, 5, 5); ", "(2000, 5, 5) False"),  # someone's own
    ],
)
def test_a_pages_kernel_collects_garbage_less_often_and_no_other_process_is_changed(env, before, expected):
    """Voila's kernels (``VOILA_PREHEAT`` set) only, and only while nobody set thresholds of their own."""
    clean = {k: v for k, v in os.environ.items() if k != "VOILA_PREHEAT"}
    code = "import gc; " + before + GC_REPORT.replace("import gc, ", "import ")
    done = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, timeout=120, check=True
    )
    if expected is None:
        own = subprocess.run([sys.executable, "-c", "import gc; print(gc.get_threshold())"], capture_output=True)
        expected = f"{own.stdout.decode().strip()} False"
    assert done.stdout.strip() == expected


def test_the_workshops_voila_starts_its_pages_kernels_through_the_script(tmp_path, monkeypatch):
    """``.ci/workshop`` runs kamwidgets.page_assets.serve: its kernel specs are PageKernels (nothing is served)."""
    from voila.app import Voila

    from kamwidgets import page_assets

    seen = []
    monkeypatch.setattr(Voila, "start", lambda app: seen.append(app.voila_configuration.kernel_spec_manager_class))
    _notebook(tmp_path, "lesson.ipynb", "import kamwidgets")
    try:
        page_assets.serve([str(tmp_path), "--no-browser", "--port=0", "--Voila.ip=127.0.0.1"])
    finally:
        Voila.clear_instance()
    assert seen == [PageKernels]  # Voila makes its kernel specs from it when it starts


def test_the_hubs_participants_servers_start_their_kernels_through_the_script():
    text = (ROOT / "deploy" / "jupyterhub_config.py").read_text(encoding="utf-8")
    assert "--ServerApp.kernel_spec_manager_class={PageKernels.__module__}.PageKernels" in text


def test_an_upload_limit_set_after_the_widgets_were_imported_counts(monkeypatch):
    """A page's kernel imports the widgets before the lesson runs: a limit the lesson sets first still counts."""
    from kamwidgets.widgets import FileDrop

    monkeypatch.setenv("KAMWIDGETS_UPLOAD_LIMIT_MB", "2")
    assert FileDrop().max_bytes == 2 * 2**20
    monkeypatch.delenv("KAMWIDGETS_UPLOAD_LIMIT_MB")
    assert FileDrop().max_bytes == 100 * 2**20
    assert FileDrop(max_bytes=5).max_bytes == 5

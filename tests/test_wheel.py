"""The built wheel is a working workbook: its data, quizzes and lessons travel with it.

The wheel is built from the checkout, installed without dependencies into a
fresh virtual environment outside the checkout that borrows the test
environment's packages (Jupyter, pandas, plotly: reinstalling them on every
run would test the package index, not the wheel), and the lessons copied out
with the ``kamwidgets lessons`` command run there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-w", str(dist), "-q"],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("kamwidgets-*.whl"))
    env = tmp / "env"
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(env)], check=True)
    python = env / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # the test environment's packages, after the new environment's own (the editable kamwidgets is not seen:
    # .pth files are read only in site folders)
    (site / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    return wheel, env, python, tmp


def test_the_wheel_ships_data_quizzes_and_lessons(installed):
    wheel, *_ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "kamwidgets/data/sample_portfolio.csv",
        "kamwidgets/data/quizzes.json",
        "kamwidgets/data/real/wholesale_customers.csv",
        "kamwidgets/lessons/00_start_here.ipynb",
        "kamwidgets/py.typed",
        # what enables the server extension kamwidgets.lab where the wheel is installed
        "kamwidgets-0.1.0.data/data/etc/jupyter/jupyter_server_config.d/kamwidgets.json",
        # the lessons' Voila page (their metadata asks for it)
        "kamwidgets-0.1.0.data/data/share/jupyter/voila/templates/kamwidgets/conf.json",
        "kamwidgets-0.1.0.data/data/share/jupyter/voila/templates/kamwidgets/index.html.j2",
        "kamwidgets-0.1.0.data/data/share/jupyter/voila/templates/kamwidgets/page.html",
        "kamwidgets-0.1.0.data/data/share/jupyter/voila/templates/kamwidgets/tree-lab.html",
        "kamwidgets-0.1.0.data/data/share/jupyter/voila/templates/kamwidgets/workbook_name.js",
    ):
        assert needed in names, needed
    # every front-end module and style sheet the widgets send (built from kamwidgets/widgets/js), and none of
    # the build tools
    static = ROOT / "kamwidgets" / "widgets" / "static"
    for bundle in sorted(static.iterdir()):
        assert f"kamwidgets/widgets/static/{bundle.name}" in names, bundle.name
    assert len(list(static.iterdir())) >= 10
    assert not [name for name in names if "node_modules" in name or name.endswith(".mjs")]


def test_the_wheels_lessons_and_data_are_the_checkouts_one_source(installed):
    """The repository holds notebooks/ and data/ once; the build copies exactly them (no stale or missing file)."""
    wheel, *_ = installed
    with zipfile.ZipFile(wheel) as archive:
        shipped = {
            n: archive.read(n) for n in archive.namelist() if n.startswith(("kamwidgets/lessons/", "kamwidgets/data/"))
        }
    sources = {f"kamwidgets/lessons/{p.name}": p for p in (ROOT / "notebooks").glob("*.ipynb")}
    for pattern in ("*.csv", "quizzes.json", "real/*.csv"):
        sources |= {f"kamwidgets/data/{p.relative_to(ROOT / 'data')}": p for p in (ROOT / "data").glob(pattern)}
    assert set(shipped) == set(sources)
    for name, path in sources.items():
        assert shipped[name] == path.read_bytes(), name


def test_the_installed_wheel_copies_and_runs_a_lesson_outside_the_checkout(installed):
    _, env, python, tmp = installed
    work = tmp / "my course"
    out = subprocess.run([str(env / "bin" / "kamwidgets"), "lessons", str(work)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "copied: 15" in out.stdout
    # and the lessons' page has plotly.js to load from the server: the installed plotly's own
    placed = env / "share" / "jupyter" / "voila" / "templates" / "kamwidgets" / "static" / "plotly.min.js"
    import plotly

    own = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert placed.is_file() and placed.read_bytes() == own.read_bytes()
    run = r"""
import json, sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
check = "import kamwidgets; print(kamwidgets.__file__); print(len(kw.Quiz('lesson_14').questions))"
nb.cells.append(nbformat.v4.new_code_cell(check))
NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": sys.argv[2]}}).execute()
print(json.dumps(nb.cells[-1].outputs[0]["text"]))
"""
    done = subprocess.run(
        [str(python), "-c", run, str(work / "00_start_here.ipynb"), str(work)],
        capture_output=True,
        text=True,
        cwd=work,
        env=dict(os.environ, KAMWIDGETS_DB_URL=f"sqlite:///{tmp / 'store.sqlite'}"),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    where, questions = json.loads(done.stdout.strip().splitlines()[-1]).split()
    assert Path(where).is_relative_to(env) and not Path(where).is_relative_to(ROOT)
    assert int(questions) >= 1

"""The workshop's server (``.ci/workshop``): its own port or none, lessons by title, a name before a lesson runs.

What a participant sees in the browser is in ``test_workshop_app.py``; here are
the server's side (the hooks in :mod:`kamwidgets.page_assets`, without a
browser) and ``.ci/workshop`` refusing a port that is taken.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from types import SimpleNamespace

import nbformat
import pytest
from tornado.web import Finish

from benchmarks import capacity
from kamwidgets import page_assets
from kamwidgets.errors import KamDataError

from .browser_support import JupyterServer, VoilaServer, free_port, server_env
from .conftest import ROOT

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: What opens the workbook's store or writes into it, in a lesson's code.
WRITES = ("open_store(", ".keep(", "DataPicker(", "my_portfolio(", ".save(")


def _first_heading(path) -> str:
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    return first.source.splitlines()[0].lstrip("#").strip()


def test_the_list_of_lessons_has_each_lessons_title_in_the_course_order():
    manager = SimpleNamespace(root_dir=str(ROOT / "notebooks"))
    config = page_assets.lesson_list({"baseUrl": "/"}, settings={"contents_manager": manager}, notebook_path="")
    titles = config["kamwidgetsLessons"]
    assert titles == {path.name: _first_heading(path) for path in LESSONS}  # read from the lessons themselves
    shown = [titles[name] for name in sorted(titles)]  # Voila lists the files in this order
    assert shown[0].startswith("Start here") and shown[1].startswith("Lessons 1 to 3")
    numbers = [int(n) for title in shown[2:] for n in re.findall(r"^Lesson (\d+):", title)]
    assert numbers == list(range(4, 16))  # lesson 4 to lesson 15, each once, in order
    assert titles["14_customer_classification.ipynb"] == "Lesson 14: Customer classification"
    assert shown.index("Case study: classifying real customer data") == shown.index(titles["15_wrap_up.ipynb"]) - 1
    # a lesson's own page is left as it is
    page = page_assets.lesson_list(
        {"baseUrl": "/"}, settings={"contents_manager": manager}, notebook_path="12_swot.ipynb"
    )
    assert page == {"baseUrl": "/"}


def test_every_lesson_asks_for_the_name_before_anything_opens_the_store_or_writes():
    for path in LESSONS:
        code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        named = next(i for i, source in enumerate(code) if "WorkbookName(" in source)
        writing = [i for i, source in enumerate(code) if any(w in source for w in WRITES)]
        assert writing and named < min(writing), path.name


class Handler:
    """What the hook uses of Voila's request handler for one lesson's address."""

    def __init__(self, uri: str, cookie: str | None = None) -> None:
        from urllib.parse import parse_qs, urlsplit

        self.request = SimpleNamespace(uri=uri)
        self._query = {k: v[-1] for k, v in parse_qs(urlsplit(uri).query, keep_blank_values=True).items()}
        self._cookie = cookie
        self.redirected: str | None = None

    def get_argument(self, name: str, default: str = "") -> str:
        return self._query.get(name, default)

    def get_cookie(self, name: str) -> str | None:
        return self._cookie if name == page_assets.COOKIE else None

    def redirect(self, url: str) -> None:
        self.redirected = url


def lesson(name: str = "09_contact_matrix.ipynb"):
    return nbformat.read(ROOT / "notebooks" / name, as_version=4)


def test_a_lesson_asked_for_without_a_name_is_sent_on_with_the_name_the_browser_keeps():
    handler = Handler("/voila/render/09_contact_matrix.ipynb?theme=dark", cookie="Workshop%2FAnn%20M%C3%BCller")
    with pytest.raises(Finish):  # the request ends here: no kernel is started for it
        page_assets.name_first(handler, lesson(), "")
    assert handler.redirected == "/voila/render/09_contact_matrix.ipynb?theme=dark&workbook=Workshop%2FAnn+M%C3%BCller"


def test_a_lesson_asked_for_without_any_name_shows_only_the_name_box():
    handler = Handler("/voila/render/09_contact_matrix.ipynb")
    asked = page_assets.name_first(handler, lesson(), "")
    assert handler.redirected is None
    code = [c.source for c in asked.cells if c.cell_type == "code"]
    assert code == ["import kamwidgets as kw\nkw.WorkbookName()"]  # nothing of the lesson runs
    text = "\n".join(c.source for c in asked.cells if c.cell_type == "markdown")
    assert text.startswith("# Lesson 9: The contact matrix") and "Use this name" in text
    assert "(</voila/render/09_contact_matrix.ipynb?workbook=default>)" in text  # or on, without a name
    assert asked.metadata["voila"] == {"template": "kamwidgets"} and asked.metadata["kamwidgets"]["charts"] is False
    # a name the workbook cannot take is not used: the page asks for one
    for bad in ("x" * 300, "a%09b", "%20%20"):
        handler = Handler("/voila/render/09_contact_matrix.ipynb", cookie=bad)
        assert page_assets.name_first(handler, lesson(), "") is not None and handler.redirected is None


def test_a_lesson_with_a_name_and_a_notebook_without_a_name_box_are_served_as_they_are():
    assert page_assets.name_first(Handler("/voila/render/x.ipynb?workbook=Bo", cookie="Ann"), lesson(), "") is None
    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
    assert page_assets.name_first(Handler("/voila/render/x.ipynb", cookie="Ann"), plain, "") is None
    assert page_assets.name_first(None, lesson(), "") is None  # a kernel Voila runs ahead has no request


def test_the_workshop_refuses_a_port_that_is_taken_and_says_how_to_choose_another(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = server_env({"KAM_PORT": str(port), "KAMWIDGETS_DB_URL": f"sqlite:///{tmp_path / 'never.sqlite'}"})
        done = subprocess.run(
            ["bash", str(ROOT / ".ci" / "workshop")], env=env, capture_output=True, text=True, timeout=180
        )
    assert done.returncode != 0
    said = done.stderr.strip().splitlines()
    assert f"Port {port} on 127.0.0.1 is taken" in said[-2], done.stderr[-2000:]
    other = re.search(r"KAM_PORT=(\d+) bash \.ci/workshop", said[-1])
    assert other and int(other.group(1)) != port  # a port that was free a moment ago
    assert "Voil" not in done.stdout + done.stderr  # refused before Voila started, not after it moved
    assert not (tmp_path / "never.sqlite").exists()


def test_the_workshop_refuses_a_port_that_is_not_a_number():
    env = server_env({"KAM_PORT": "88x6"})
    done = subprocess.run(
        ["bash", str(ROOT / ".ci" / "workshop")], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode != 0 and "KAM_PORT=88x6 is not a port" in done.stderr


def _two_lessons(folder):
    folder.mkdir()
    for name in ("03_what_is_kam.ipynb", "14_customer_classification.ipynb"):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('ready')")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / name)
    return folder


def test_a_pool_size_names_a_lesson_by_number_or_file_and_an_unknown_one_is_refused_with_the_list(tmp_path):
    folder = _two_lessons(tmp_path / "lessons")
    sizes = page_assets.pool_config(folder, 1, {"14": 12, "03_what_is_kam": 2})
    assert sizes == {
        "default": {"pool_size": 1},
        "14_customer_classification.ipynb": {"pool_size": 12},
        "03_what_is_kam.ipynb": {"pool_size": 2},
    }
    with pytest.raises(KamDataError) as err:
        page_assets.pool_config(folder, 1, {"1": 12})  # a prefix of "14" is not lesson 14
    assert "'1'" in err.value.problem and "14_customer_classification.ipynb" in (err.value.fix or "")


def test_the_workshop_keeps_as_many_kernels_ready_for_a_lesson_as_kam_pool_asks(tmp_path):
    """A room of 3 about to open lesson 14 together: Voila keeps 3 kernels ready for it, 1 for the others."""
    folder = _two_lessons(tmp_path / "lessons")
    env = server_env({"KAM_POOL": "14:3", "KAMWIDGETS_DB_URL": f"sqlite:///{tmp_path / 'pool.sqlite'}"})
    command = ["python", "-m", "kamwidgets.page_assets", str(folder), "--no-browser", f"--port={free_port()}"]
    command = [sys.executable, *command[1:], "--Voila.ip=127.0.0.1", "--preheat_kernel=True", "--pool_size=1"]
    server = JupyterServer(command, folder, tmp_path / "voila.log", env=env, timeout=180)
    try:
        server.wait_logged("Kernel pool of 14_customer_classification.ipynb is filled with 3 kernel(s)")
        server.wait_logged("Kernel pool of 03_what_is_kam.ipynb is filled with 1 kernel(s)")
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("pool", "options", "said"),
    [
        ("14:3", (), "KAM_POOL keeps kernels ready only when Voila runs lessons ahead"),
        ("15:3", ("--preheat_kernel=True",), "no lesson '15'"),
    ],
)
def test_the_workshop_refuses_a_pool_it_cannot_keep_and_says_why(tmp_path, pool, options, said):
    folder = _two_lessons(tmp_path / "lessons")
    env = server_env({"KAM_POOL": pool})
    command = [sys.executable, "-m", "kamwidgets.page_assets", str(folder), "--no-browser", f"--port={free_port()}"]
    done = subprocess.run([*command, *options], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and said in done.stderr, done.stderr[-2000:]
    assert "The workshop did not start" in done.stderr and "Traceback" not in done.stderr


def test_the_capacity_benchmark_starts_the_workshops_voila_with_the_tests_command(tmp_path, monkeypatch):
    """benchmarks/capacity.py --voila builds its Voila command with voila_command, as VoilaServer does."""
    started: list[list[str]] = []
    monkeypatch.setattr(JupyterServer, "__init__", lambda self, command, *args, **kwargs: started.append(command))
    capacity._serve(tmp_path, tmp_path / "plain.log", "sqlite://")
    capacity._serve(tmp_path, tmp_path / "pool.log", "sqlite://", pool="14_customer_classification.ipynb:10")
    VoilaServer(tmp_path, tmp_path / "test.log", options=("--MappingKernelManager.cull_interval=5",))
    plain, pool, test = started
    port = plain[5]
    assert plain == [
        *[sys.executable, "-m", "kamwidgets.page_assets", str(tmp_path), "--no-browser", port],
        *["--ServerApp.port_retries=200", "--Voila.ip=127.0.0.1", "--template=kamwidgets", *capacity.IPC],
    ]  # the workshop's Voila with its template, kernels on local sockets, none culled
    assert pool[:5] + pool[6:] == plain[:5] + plain[6:] + [
        *["--preheat_kernel=True", "--pool_size=0", "--VoilaKernelManager.fill_delay=60"]
    ]
    assert test == [
        *[sys.executable, "-m", "voila", str(tmp_path), "--no-browser", "--port=8866", "--ServerApp.port_retries=200"],
        *[
            "--Voila.ip=127.0.0.1",
            page_assets.NOT_ON_PAGES,
            page_assets.PAGE_KERNELS,
            "--MappingKernelManager.cull_idle_timeout=30",
            "--MappingKernelManager.cull_interval=5",
        ],
    ]  # the tests' Voila leaves out what the workshop's does and culls the kernels of closed pages, each once

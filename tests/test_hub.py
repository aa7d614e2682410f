"""The workshop server for real: JupyterHub on 127.0.0.1, two participants answer a quiz, the facilitator sees both.

Started as a facilitator starts it (``bash .ci/hub``), on the shared
PostgreSQL store, with JupyterHub's proxy from npm and one Jupyter server
per participant showing the lessons as apps.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from .browser_support import accessibility_problems, requests_outside, server_env, wait_rendered
from .conftest import ROOT

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def hub(postgres_server, tmp_path_factory):
    import psycopg

    database = f"kam_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"postgresql://kam@/postgres?host={postgres_server}", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {database}")
    state = tmp_path_factory.mktemp("hub")
    port = _free_port()
    env = server_env(
        {
            "KAM_HUB_DIR": str(state),
            "KAM_HUB_PORT": str(port),
            "KAM_HUB_API_PORT": str(_free_port()),
            "KAM_HUB_PROXY_API_PORT": str(_free_port()),
            "KAMWIDGETS_DB_URL": f"postgresql+psycopg://kam@/{database}?host={postgres_server}",
            "KAMWIDGETS_ROOM": "Test room",
        }
    )
    log = state / "hub.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            ["bash", str(ROOT / ".ci" / "hub")], stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while "JupyterHub is now running" not in log.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the workshop server did not start: {log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)
    assert "Starting service 'idle-culler'" in log.read_text()  # idle servers are culled
    yield url, state, env
    os.killpg(proc.pid, signal.SIGTERM)  # the hub stops the participants' servers and its proxy
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def _log_in(browser, url: str, user: str):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/hub/login", timeout=120_000)
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", "any")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(rf".*/user/{user}/.*"), timeout=240_000)  # the server started, the lessons listed
    return context, page


def test_two_participants_answer_and_the_facilitator_sees_both(browser, hub):
    url, state, env = hub
    contexts = []
    outside: list[str] = []
    try:
        for user, choice in (("ann", 0), ("bo", 1)):
            context, page = _log_in(browser, url, user)
            contexts.append(context)
            if user == "ann":  # the list of lessons a participant lands on, then a lesson: nothing from outside
                outside = requests_outside(page)
                page.reload()
                page.wait_for_selector("text=01_what_is_kam.ipynb", timeout=120_000)
                assert accessibility_problems(page) == []
            assert (Path(state) / "participants" / user / "01_what_is_kam.ipynb").exists()  # the lessons copied in
            page.goto(f"{url}/user/{user}/voila/render/01_what_is_kam.ipynb", timeout=240_000)
            wait_rendered(page)
            quiz = page.locator(".widget-radio-box").first  # the first question of lesson 3's quiz
            quiz.locator("input").nth(choice).check()
            page.get_by_role("button", name="Check my answers").click()
            page.wait_for_function("() => /\\d+ of \\d+ right/.test(document.body.innerText)", timeout=60_000)
        assert outside == []  # a room's network may hold requests to the internet open
        context, page = _log_in(browser, url, "facilitator")
        contexts.append(context)
        page.goto(f"{url}/user/facilitator/voila/render/room.ipynb", timeout=240_000)
        wait_rendered(page)
        page.get_by_role("button", name="Refresh").click()
        table = page.locator(".kam-table").first
        table.wait_for(timeout=60_000)
        page.wait_for_function(
            "() => ['ann', 'bo'].every(n => [...document.querySelectorAll('.kam-table td')]"
            ".some(td => td.textContent.trim() === n))",
            timeout=60_000,
        )
        text = page.inner_text("body")
        assert "The room: the room Test room" in text and "lesson 03" in text  # the quiz, its header in words
        assert accessibility_problems(page) == []
        # a participant's server ends the kernels of lessons whose page has gone (Voila's own request is refused)
        log = (Path(state) / "hub.log").read_text(errors="replace")
        assert "Culling kernels with idle durations > 600 seconds" in log
    finally:
        for context in contexts:
            context.close()

"""The workshop server for real: JupyterHub on 127.0.0.1, as a facilitator starts it (``bash .ci/hub``).

On its own PostgreSQL store, with JupyterHub's proxy from npm and one Jupyter
server per participant.  What nobody in the room can do is shown first, each
as an assertion: log in as someone else, read another participant's folder or
the hub's secrets, read or change another's work in the store, or start the
server on the room's network without the login settings.  Then two
participants answer a quiz in a real browser and the facilitator sees both.

Run as root (as CI runs): each participant's server runs as a system user of
its own, which the hub makes; the test removes the users it made.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

import kamwidgets as kw

from .browser_support import accessibility_problems, requests_outside, server_env, wait_rendered
from .conftest import ROOT, load_local_postgres
from .hub_support import stop_hub

pytestmark = [pytest.mark.browser, pytest.mark.hub]  # the slow tier: a whole hub, and Chromium for the last test
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="participants are kept apart only as root (CI runs as root)")

ROOM = "Test room"
PASSWORDS = {name: f"{name}-{secrets.token_hex(4)}" for name in ("amy", "ben", "ann", "bo")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Hub:
    url: str
    state: Path
    log: Path
    facilitator_password: str

    def superuser_url(self) -> str:
        """The store as its owner (the test's view from outside every participant)."""
        secret = (self.state / "postgres" / "superuser-password").read_text().strip()
        return f"postgresql+psycopg://kam:{secret}@/kamwidgets?host={self.state / 'postgres'}"


def _hub_env(state: Path, **extra: str) -> dict[str, str]:
    env = server_env({"KAM_HUB_DIR": str(state), "KAMWIDGETS_ROOM": ROOM, **extra})
    for name in ("KAMWIDGETS_DB_URL", "KAM_HUB_FACILITATOR_PASSWORD", "KAM_HUB_PASSWORD", "KAM_HUB_IP"):
        if name not in extra:
            env.pop(name, None)
    return env


def _participants(state: Path, made: dict[str, int]) -> set[int]:
    """The user ids the hub's servers ran as: the users it made, and any workshop user it gave a folder in
    ``state`` (a user an earlier run left is used again)."""
    mark = "kamwidgets workshop participant"  # deploy/jupyterhub_config.py's ACCOUNT_MARK
    reused = {u.pw_uid for u in pwd.getpwall() if u.pw_gecos == mark and Path(u.pw_dir).is_relative_to(state.resolve())}
    return reused | set(made.values())


@pytest.fixture(scope="module")
def hub():
    before = {u.pw_name for u in pwd.getpwall()}
    state = Path(tempfile.mkdtemp(prefix="kam-hub-"))  # private, as mktemp -d makes it: .ci/hub opens it
    password = "facilitator-" + secrets.token_hex(8)
    port = _free_port()
    env = _hub_env(
        state,
        KAM_HUB_PORT=str(port),
        KAM_HUB_API_PORT=str(_free_port()),
        KAM_HUB_PROXY_API_PORT=str(_free_port()),
        KAM_HUB_FACILITATOR_PASSWORD=password,
    )
    log = state.parent / f"{state.name}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            ["bash", str(ROOT / ".ci" / "hub")], stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    deadline = time.monotonic() + 300  # the first start installs the hub's extra
    try:
        while "JupyterHub is now running" not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the workshop server did not start: {log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        assert "Starting service 'idle-culler'" in log.read_text()  # idle servers are culled
        yield Hub(f"http://127.0.0.1:{port}", state, log, password)
    finally:
        made = {u.pw_name: u.pw_uid for u in pwd.getpwall() if u.pw_name not in before and u.pw_name.startswith("kam_")}
        # the hub, its proxy and idle-culler, the participants' servers and kernels: all exited before its files go
        left = stop_hub(proc, _participants(state, made))
        load_local_postgres().stop(state / "postgres", mode="immediate")  # .ci/hub stops it; a hub killed does not
        for name in made:
            subprocess.run(["userdel", name], capture_output=True)
        shutil.rmtree(state, ignore_errors=True)
        log.unlink(missing_ok=True)
        if left and sys.exc_info()[0] is None:  # a failed start keeps its own message
            raise AssertionError(f"processes of the workshop server still running: {sorted(p.pid for p in left)}")


# ------------------------------------------------------------------ talking to the hub as a participant would
def _log_in(hub: Hub, user: str, password: str) -> requests.Session | None:
    """A session logged in as ``user`` (their first login sets their password), or None when refused."""
    session = requests.Session()
    session.get(f"{hub.url}/hub/login", timeout=60)
    answer = session.post(
        f"{hub.url}/hub/login",
        data={"username": user, "password": password, "_xsrf": session.cookies.get("_xsrf")},
        allow_redirects=False,
        timeout=60,
    )
    if answer.status_code == 302 and "jupyterhub-hub-login" in session.cookies:
        return session
    session.close()  # (an unclosed session's socket is a ResourceWarning, an error in this suite)
    return None


def _can_log_in(hub: Hub, user: str, password: str) -> bool:
    """Whether ``user`` gets in with ``password`` (the session is closed again)."""
    session = _log_in(hub, user, password)
    if session is None:
        return False
    session.close()
    return True


def _api(session: requests.Session, hub: Hub, method: str, path: str, **kwargs) -> requests.Response:
    headers = {"X-XSRFToken": session.cookies.get("_xsrf") or ""}
    return session.request(method, f"{hub.url}/hub/api{path}", headers=headers, timeout=60, **kwargs)


def _server(hub: Hub, user: str, password: str) -> str:
    """Log in, start the user's server and wait until it answers; returns a token of the user's."""
    session = _log_in(hub, user, password)
    assert session is not None, f"{user} could not log in"
    made = _api(session, hub, "POST", f"/users/{user}/tokens", json={"note": "test", "expires_in": 900})
    made.raise_for_status()
    token = made.json()["token"]
    session.close()
    auth = {"Authorization": f"token {token}"}
    started = requests.post(f"{hub.url}/hub/api/users/{user}/server", headers=auth, timeout=240)
    assert started.status_code in (201, 202, 400), started.text  # 400: it runs already
    deadline = time.monotonic() + 180
    while not (
        requests.get(f"{hub.url}/hub/api/users/{user}", headers=auth, timeout=60).json()["servers"].get("", {})
    ).get("ready"):
        assert time.monotonic() < deadline, f"{user}'s server did not start"
        time.sleep(0.5)
    return token


def _run(hub: Hub, user: str, token: str, code: str) -> dict:
    """Run ``code`` in a new kernel of the user's server, through its REST API and websocket; the code prints
    one line ``RESULT <json>``, which is returned."""

    async def execute() -> str:
        auth = {"Authorization": f"token {token}"}
        kernel = requests.post(f"{hub.url}/user/{user}/api/kernels", headers=auth, json={}, timeout=120)
        kernel.raise_for_status()
        kernel_id = kernel.json()["id"]
        ws_url = f"{hub.url.replace('http', 'ws', 1)}/user/{user}/api/kernels/{kernel_id}/channels"
        ws = await websocket_connect(HTTPRequest(ws_url, headers=auth))
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": "execute_request", "username": user, "session": msg_id}
        content = {"code": code, "silent": False, "store_history": False, "user_expressions": {}}
        request = {"header": header | {"version": "5.3"}, "parent_header": {}, "metadata": {}, "channel": "shell"}
        ws.write_message(json.dumps(request | {"content": content | {"allow_stdin": False}, "buffers": []}))
        said = []
        while True:
            message = await asyncio.wait_for(ws.read_message(), timeout=120)
            reply = json.loads(message)
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if reply["msg_type"] == "stream":
                said.append(reply["content"]["text"])
            elif reply["msg_type"] == "error":
                said.append("\n".join(reply["content"]["traceback"]))
            elif reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle":
                break
        ws.close()
        while await asyncio.wait_for(ws.read_message(), timeout=30) is not None:
            pass  # until the server has closed it too: a socket left to the garbage collector is a ResourceWarning
        requests.delete(f"{hub.url}/user/{user}/api/kernels/{kernel_id}", headers=auth, timeout=60)
        return "".join(said)

    # in a thread of its own: the browser tests' Playwright keeps an event loop running in this one
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        said = pool.submit(lambda: asyncio.run(execute())).result()
    found = re.search(r"^RESULT (.*)$", said, re.MULTILINE)
    assert found, said
    return json.loads(found.group(1))


#: Run in a participant's kernel: who it runs as, what it can reach on disk and in the store.
PROBE = """
import json, os, pwd
import psycopg
import kamwidgets as kw
from kamwidgets.store._database import connect_options

def attempt(act):
    try:
        return ["done", repr(act())]
    except Exception as err:
        return [type(err).__name__, str(err)[:300]]

state, other = {state!r}, {other!r}
out = {{"uid": os.getuid(), "user": pwd.getpwuid(os.getuid()).pw_name, "cwd": os.getcwd(),
        "server_uid": os.stat(f"/proc/{{os.getppid()}}").st_uid}}
out["list_other"] = attempt(lambda: os.listdir(f"{{state}}/participants/{{other}}"))
out["read_other"] = attempt(lambda: open(f"{{state}}/participants/{{other}}/03_what_is_kam.ipynb").read(10))
out["cookie_secret"] = attempt(lambda: open(f"{{state}}/hub/jupyterhub_cookie_secret").read())
out["passwords"] = attempt(lambda: os.listdir(f"{{state}}/hub"))
out["superuser_password"] = attempt(lambda: open(f"{{state}}/postgres/superuser-password").read())
store = kw.open_store()
out["workbook"] = store.workbook
store.save("notes", {{"text": "mine"}})
out["own"] = attempt(lambda: store.load("notes"))
theirs = f"{room}/{{other}}"
out["other_load"] = attempt(lambda: store.load("notes", workbook=theirs))
out["other_history"] = attempt(lambda: len(store.history(workbook=theirs)))
out["other_save"] = attempt(lambda: store.save("notes", {{"text": "was here"}}, workbook=theirs))
out["other_remove"] = attempt(lambda: store.remove_workbook(theirs, kept_in="theirs.json"))
out["room"] = attempt(lambda: [r["workbook"] for r in store.latest_everywhere("notes", room={room!r})])
out["workbooks"] = attempt(store.workbooks)
options = connect_options(os.environ["KAMWIDGETS_DB_URL"])
out["superuser"] = attempt(lambda: psycopg.connect(**(options | {{"user": "kam"}})).close())
out["without_password"] = attempt(lambda: psycopg.connect(**{{k: v for k, v in options.items()
                                                              if k != "password"}}).close())
with psycopg.connect(**options) as conn:
    out["is_superuser"] = conn.execute("SHOW is_superuser").fetchone()[0]
    out["sql_rows"] = sorted({{r[0] for r in conn.execute("SELECT workbook FROM kamwidgets_artefacts")}})
    out["sql_delete"] = conn.execute("DELETE FROM kamwidgets_artefacts WHERE workbook = %s", [theirs]).rowcount
print("RESULT " + json.dumps(out))
"""


def _logins_are_each_participants_own(hub: Hub) -> None:
    """The first login sets a participant's password; nobody else's opens their name, nor the facilitator's."""
    assert _can_log_in(hub, "amy", PASSWORDS["amy"])
    assert _can_log_in(hub, "ben", PASSWORDS["ben"])
    assert not _can_log_in(hub, "ben", PASSWORDS["amy"])  # amy cannot log in as ben with her password
    assert not _can_log_in(hub, "facilitator", PASSWORDS["amy"])  # nor as the facilitator
    assert not _can_log_in(hub, "Facilitator", PASSWORDS["amy"])
    for lookalike in ("faci1itator", "facilitat0r", "facilitator_", "facilitator2", "fac-ilitator"):
        assert not _can_log_in(hub, lookalike, PASSWORDS["amy"]), lookalike  # no stand-in for the facilitator
    for bad in ("../ben", "ben/x", "amy.ben", "ben%2fx", " amy", "émile"):
        assert not _can_log_in(hub, bad, "a-password-1"), bad  # no path characters
    facilitator = _log_in(hub, "facilitator", hub.facilitator_password)
    assert facilitator is not None
    users = {u["name"]: u["admin"] for u in _api(facilitator, hub, "GET", "/users").json()}
    assert users["facilitator"] and not users["amy"] and not users["ben"]
    assert not any("facilit" in name and name != "facilitator" for name in users), users
    facilitator.close()


@as_root
def test_nobody_in_the_room_can_be_somebody_else(hub):
    _logins_are_each_participants_own(hub)

    # participants apart: each kernel runs as its participant's own user, who reaches nobody else's files
    tokens = {name: _server(hub, name, PASSWORDS[name]) for name in ("ben", "amy")}
    seen = {
        name: _run(hub, name, tokens[name], PROBE.format(state=str(hub.state), other=other, room=ROOM))
        for name, other in (("ben", "amy"), ("amy", "ben"))
    }
    amy = seen["amy"]
    assert amy["uid"] != 0 and amy["uid"] == pwd.getpwnam("kam_amy").pw_uid and amy["user"] == "kam_amy"
    assert amy["server_uid"] == amy["uid"]  # her Jupyter server too, not only the kernel
    assert amy["uid"] != seen["ben"]["uid"]
    assert amy["cwd"] == str(hub.state / "participants" / "amy")
    for what in ("list_other", "read_other", "cookie_secret", "passwords", "superuser_password"):
        assert amy[what][0] == "PermissionError", (what, amy[what])
    terminals = requests.get(
        f"{hub.url}/user/amy/api/terminals", headers={"Authorization": f"token {tokens['amy']}"}, timeout=60
    )
    assert terminals.status_code == 404  # no terminals

    # the store by role: amy keeps to her workbook, whatever she asks for
    assert amy["workbook"] == f"{ROOM}/amy" and amy["own"] == ["done", "{'text': 'mine'}"]
    assert amy["other_load"][0] == "KamDataError" and "nothing is saved" in amy["other_load"][1]
    assert amy["other_history"] == ["done", "0"]
    assert amy["other_save"][0] == "KamDataError" and "refused" in amy["other_save"][1]
    assert amy["other_remove"] == ["done", "0"]
    assert amy["room"] == ["done", repr([f"{ROOM}/amy"])] and amy["workbooks"] == ["done", repr([f"{ROOM}/amy"])]
    assert amy["superuser"][0] == "OperationalError" and amy["without_password"][0] == "OperationalError"
    assert amy["is_superuser"] == "off"
    assert amy["sql_rows"] == [f"{ROOM}/amy"] and amy["sql_delete"] == 0
    with pytest.raises(psycopg.OperationalError, match="no password supplied"):  # every login gives a password
        psycopg.connect(host=str(hub.state / "postgres"), user="kam", dbname="kamwidgets")
    owner = kw.Store(hub.superuser_url())
    assert owner.load("notes", workbook=f"{ROOM}/ben") == {"text": "mine"}  # ben's work, as he left it
    assert len(owner.history(workbook=f"{ROOM}/ben")) == 1

    # the facilitator's room view still shows both, and only the facilitator may remove a workbook
    token = _server(hub, "facilitator", hub.facilitator_password)
    room = _run(
        hub,
        "facilitator",
        token,
        "import json, os, pwd, kamwidgets as kw\n"
        "store = kw.open_store(workbook='facilitator')\n"
        f"rows = [r['workbook'] for r in store.latest_everywhere('notes', room={ROOM!r})]\n"
        f"kw.RoomView(store, room={ROOM!r}).refresh()\n"
        f"removed = store.remove_workbook({ROOM + '/ben'!r}, kept_in='ben.json')\n"
        "user = pwd.getpwuid(os.getuid()).pw_name\n"
        "print('RESULT ' + json.dumps({'rows': rows, 'removed': removed, 'user': user}))",
    )
    assert room == {"rows": [f"{ROOM}/amy", f"{ROOM}/ben"], "removed": 1, "user": "kam_facilitator"}
    assert f"{ROOM}/amy" in owner.workbooks() and f"{ROOM}/ben" not in owner.workbooks()


def test_the_server_refuses_the_room_network_without_the_login_settings():
    state = Path(tempfile.mkdtemp(prefix="kam-hub-"))
    try:
        for given, why in (
            ({"KAM_HUB_IP": "0.0.0.0"}, "the facilitator has no password"),
            ({"KAM_HUB_IP": "0.0.0.0", "KAM_HUB_FACILITATOR_PASSWORD": "short"}, "at least 12 characters"),
        ):
            env = _hub_env(state, KAM_HUB_PORT=str(_free_port()), **given)
            ran = subprocess.run(
                ["bash", str(ROOT / ".ci" / "hub")], env=env, capture_output=True, text=True, timeout=300
            )
            said = ran.stdout + ran.stderr
            assert ran.returncode != 0 and why in said, said[-3000:]
            assert "JupyterHub is now running" not in said
        env = _hub_env(state, KAM_HUB_PORT=str(_free_port()), KAM_HUB_FACILITATOR_PASSWORD="x" * 20)
        ran = subprocess.run(
            ["bash", str(ROOT / ".ci" / "hub"), "--ip=0.0.0.0"], env=env, capture_output=True, text=True, timeout=300
        )
        assert ran.returncode != 0 and "set KAM_HUB_IP" in ran.stderr, ran.stderr[-3000:]
    finally:
        shutil.rmtree(state, ignore_errors=True)


@as_root
def test_postgres_is_refused_a_folder_it_cannot_enter_with_the_folder_named():
    local = load_local_postgres()
    closed = Path(tempfile.mkdtemp(prefix="kam-closed-"))  # only root may enter, as mktemp -d makes it
    try:
        with pytest.raises(local.NotStarted, match=f"cannot enter {closed}"):
            local.start(closed / "postgres", password_file=closed / "password")
        assert not (closed / "postgres" / "data").exists()
    finally:
        shutil.rmtree(closed, ignore_errors=True)


def _browser_log_in(browser, hub: Hub, user: str, password: str):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login", timeout=120_000)
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(rf".*/user/{user}/.*"), timeout=240_000)  # the server started, the lessons listed
    return context, page


def test_two_participants_answer_and_the_facilitator_sees_both(browser, hub):
    contexts = []
    outside: list[str] = []
    try:
        for user, choice in (("ann", 0), ("bo", 1)):
            context, page = _browser_log_in(browser, hub, user, PASSWORDS[user])
            contexts.append(context)
            if user == "ann":  # the list of lessons a participant lands on, then a lesson: nothing from outside
                outside = requests_outside(page)
                page.reload()
                page.wait_for_selector("text=03_what_is_kam.ipynb", timeout=120_000)
                assert accessibility_problems(page) == []
            assert (hub.state / "participants" / user / "03_what_is_kam.ipynb").exists()  # the lessons copied in
            page.goto(f"{hub.url}/user/{user}/voila/render/03_what_is_kam.ipynb", timeout=240_000)
            wait_rendered(page)
            quiz = page.locator(".widget-radio-box").first  # the first question of lesson 3's quiz
            quiz.locator("input").nth(choice).check()
            page.get_by_role("button", name="Check my answers").click()
            page.wait_for_function("() => /\\d+ of \\d+ right/.test(document.body.innerText)", timeout=60_000)
        assert outside == []  # a room's network may hold requests to the internet open
        context, page = _browser_log_in(browser, hub, "facilitator", hub.facilitator_password)
        contexts.append(context)
        page.goto(f"{hub.url}/user/facilitator/voila/render/room.ipynb", timeout=240_000)
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
        assert "Culling kernels with idle durations > 600 seconds" in hub.log.read_text(errors="replace")
    finally:
        for context in contexts:
            context.close()

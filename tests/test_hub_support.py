"""Ending a workshop server's processes (tests/hub_support.py), tried on a stand-in: a script whose "hub" starts
processes in sessions of their own, one of which ignores SIGTERM, and then does not stop them."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from .hub_support import Running, descendants, end, stop_hub

#: A stand-in for JupyterHub: a "proxy" that ends on SIGTERM and a "server" that ignores it, each in a session of
#: its own, as the hub starts them; on SIGTERM it ends without stopping either (as a hub whose files are gone), or
#: ignores SIGTERM itself.
HUB = """
import pathlib, signal, subprocess, sys, time
sleep = [sys.executable, "-c", "import time; time.sleep(300)"]
stubborn = [sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)"]
subprocess.Popen(sleep, start_new_session=True)
subprocess.Popen(stubborn, start_new_session=True)
if sys.argv[2] == "ignores":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
time.sleep(1)
pathlib.Path(sys.argv[1]).write_text("running")
time.sleep(300)
"""


def _started(tmp_path, behaviour: str) -> subprocess.Popen:
    (tmp_path / "hub.py").write_text(HUB)
    ready = tmp_path / "ready"
    script = subprocess.Popen(
        ["bash", "-c", f'"{sys.executable}" "{tmp_path / "hub.py"}" "{ready}" {behaviour}; echo stopped'],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert time.monotonic() < deadline and script.poll() is None, "the stand-in did not start"
        time.sleep(0.1)
    return script


@pytest.mark.parametrize("behaviour", ["leaves", "ignores"])
def test_the_hub_and_everything_it_started_have_exited(tmp_path, behaviour):
    script = _started(tmp_path, behaviour)
    started = descendants(script.pid)
    assert len(started) == 3  # the hub, its "proxy", its "server"
    begun = time.monotonic()
    left = stop_hub(script, set(), within=3, grace=2)
    assert left == set()
    assert script.returncode is not None  # the script ended and was waited for
    assert not any(process.alive() for process in started)
    assert time.monotonic() - begun < 3 + 2 + 10  # terminated, waited, killed: no longer


def test_end_kills_the_process_group_of_a_process_that_ignores_sigterm():
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print(flush=True); time.sleep(300)"
    stubborn = subprocess.Popen([sys.executable, "-c", code], start_new_session=True, stdout=subprocess.PIPE)
    assert stubborn.stdout is not None
    stubborn.stdout.readline()  # SIGTERM is ignored from here on
    process = Running.of(stubborn.pid)
    assert process is not None and process.alive()
    assert end({process}, grace=1) == set()
    assert stubborn.wait(timeout=5) == -9  # SIGKILL, after SIGTERM was ignored
    stubborn.stdout.close()
    assert not process.alive()


def test_a_process_is_not_mistaken_for_a_later_one_of_the_same_id():
    me = Running.of(os.getpid())
    assert me is not None and me.alive()
    assert not Running(me.pid, me.started + 1).alive()  # another process, given this one's id later

"""Ending a workshop server a test started, and everything it started, before the test goes on (Linux: /proc).

``bash .ci/hub`` runs JupyterHub, which starts Node's proxy, its idle-culler and one Jupyter server per
participant (as the participant's system user), each in a session of its own: a signal to the script's process
group reaches none of them, and a hub whose files are removed while it stops cannot finish stopping and stays.
:func:`stop_hub` asks the hub to stop, waits until it has, and then ends whatever is left, waiting each time
until the processes have exited: terminate, wait, then kill their process groups.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

#: Seconds the hub is given to stop: its idle-culler, the participants' servers, its proxy (then it is killed).
HUB_STOPS_WITHIN = 120
#: Seconds a process left over is given to end after SIGTERM before its process group is killed.
GRACE = 15


@dataclass(frozen=True)
class Running:
    """A process, told apart from a later one given the same id by when it started."""

    pid: int
    started: int  # clock ticks after boot (/proc/PID/stat, field 22)

    @classmethod
    def of(cls, pid: int) -> Running | None:
        fields = _stat(pid)
        return None if fields is None else cls(pid, int(fields[19]))

    def alive(self) -> bool:
        """Whether it still runs (a process that has exited and is not yet reaped does not)."""
        fields = _stat(self.pid)
        return fields is not None and int(fields[19]) == self.started and fields[0] not in ("Z", "X")


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command's name (state first), or None when there is no such process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _all_pids() -> list[int]:
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit()]


def descendants(pid: int) -> set[Running]:
    """Every process started under ``pid`` (children, their children...), whatever session they are in."""
    children: dict[int, list[int]] = {}
    for child in _all_pids():
        fields = _stat(child)
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(child)
    found: set[Running] = set()
    todo = list(children.get(pid, []))
    while todo:
        child = todo.pop()
        running = Running.of(child)
        if running is not None and running not in found:
            found.add(running)
            todo += children.get(child, [])
    return found


def processes_of(uids: set[int]) -> set[Running]:
    """Every process running as one of ``uids``."""
    found = set()
    for pid in _all_pids():
        with suppress(OSError):
            if Path(f"/proc/{pid}").stat().st_uid in uids:
                running = Running.of(pid)
                if running is not None:
                    found.add(running)
    return found


def _wait_gone(processes: set[Running], seconds: float) -> set[Running]:
    """Those of ``processes`` still running after at most ``seconds``."""
    deadline = time.monotonic() + seconds
    left = {p for p in processes if p.alive()}
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = {p for p in left if p.alive()}
    return left


def end(processes: set[Running], grace: float = GRACE) -> set[Running]:
    """SIGTERM to each of ``processes``, wait up to ``grace`` seconds, then SIGKILL to the process group of each one
    left (never this process's own group); returns those still running 10 seconds later (none, normally)."""
    for process in processes:
        if process.alive():
            with suppress(OSError):
                os.kill(process.pid, signal.SIGTERM)
    left = _wait_gone(processes, grace)
    for process in left:
        with suppress(OSError):
            group = os.getpgid(process.pid)
            if group != os.getpgrp() and process.alive():
                os.killpg(group, signal.SIGKILL)
            elif process.alive():
                os.kill(process.pid, signal.SIGKILL)
    return _wait_gone(left, 10)


def stop_hub(
    script: subprocess.Popen, participants: set[int], *, within: float = HUB_STOPS_WITHIN, grace: float = GRACE
) -> set[Running]:
    """Stop the workshop server ``bash .ci/hub`` runs as ``script`` (started in a session of its own), and every
    process it started or that runs as one of the ``participants`` (user ids); returns any still running.

    The hub is sent SIGTERM, with its idle-culler (which otherwise takes the hub 30 seconds to stop), and given
    ``within`` seconds to stop the participants' servers and its proxy; the script then stops its PostgreSQL
    and ends.  The hub's files must stay until then: a hub whose database is gone fails to stop and stays.
    Whatever is left is then ended by :func:`end`.
    """
    parents = {p: _parent(p) for p in descendants(script.pid)}  # before anything ends (then init adopts them)
    hub = {p for p, parent in parents.items() if parent == script.pid}  # the script runs one command at a time
    culler = {p for p in parents if "jupyterhub_idle_culler" in _command(p)}
    for process in hub | culler:
        if process.alive():
            with suppress(OSError):
                os.kill(process.pid, signal.SIGTERM)
    try:
        script.wait(timeout=within)
    except subprocess.TimeoutExpired:
        with suppress(OSError):
            os.killpg(script.pid, signal.SIGKILL)  # the script and the hub; the rest are ended below
        with suppress(subprocess.TimeoutExpired):  # whatever stays is ended below and reported by the caller
            script.wait(timeout=30)
    return end(set(parents) | processes_of(participants), grace)


def _parent(process: Running) -> int | None:
    fields = _stat(process.pid)
    return int(fields[1]) if fields is not None else None


def _command(process: Running) -> str:
    try:
        return Path(f"/proc/{process.pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""

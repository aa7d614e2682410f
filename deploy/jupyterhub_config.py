"""A workshop server on one machine: JupyterHub, one Jupyter server per participant, one shared store.

Started by ``bash .ci/hub`` (which sets up the project, installs Node's proxy
and starts PostgreSQL when no store is given).  Everything is read from the
environment:

``KAM_HUB_IP`` / ``KAM_HUB_PORT``
    Where participants connect (default ``127.0.0.1:8000``; ``0.0.0.0`` on
    a workshop network, which is refused unless every rule below holds).
``KAM_HUB_API_PORT`` / ``KAM_HUB_PROXY_API_PORT``
    The hub's and the proxy's own ports on 127.0.0.1 (default 8081 and 8001).
``KAM_HUB_DIR``
    The hub's own files (``bash .ci/hub``'s default: ``hub/`` in the
    checkout, kept out of git, or ``/var/lib/kamwidgets/hub`` when other
    users cannot enter the checkout's folder):
    ``hub/`` (its database, cookie secret and the participants' password
    hashes: root only), ``participants/NAME`` (each participant's folder,
    theirs only), ``postgres/`` (the store's server) and ``runtime/`` (the
    participants' Python, when the checkout's cannot be used by them).
``KAMWIDGETS_DB_URL``
    The store (PostgreSQL), as its owner: the hub gives each participant a
    login of their own (see "The store by role").
``KAMWIDGETS_ROOM``
    The room: participant ``ann`` works in the workbook ``ROOM/ann``
    (default ``Workshop``).
``KAM_HUB_FACILITATOR`` / ``KAM_HUB_FACILITATOR_PASSWORD``
    The facilitator's user name (default ``facilitator``: the hub's admin,
    whose folder holds ``room.ipynb``, the room view) and password (at least
    12 characters).  Without one, on 127.0.0.1 only, a password is made and
    printed once, and kept in ``hub/hub/facilitator-password`` (``KAM_HUB_DIR/hub/``).
``KAM_HUB_UI``
    ``voila`` (default: the lessons as apps, no code) or ``lab``.
``KAM_HUB_IDLE``
    Seconds after which an idle participant's server is stopped (default
    3600); their work is in the store, so nothing is lost.

**Logins that are one's own.**  A participant chooses a name and a password
at their first login (jupyterhub-firstuseauthenticator; only a hash is
kept); from then on only that password opens that name.  Names are lower
case letters, digits, ``-`` and ``_``, starting with a letter, up to 28
characters (no path characters); a name that reads like the facilitator's
(``faci1itator``, ``Facilitator_``) is refused.  The facilitator's name
never takes a first-use password: only its own secret opens it.

**Participants apart** (when the hub runs as root, as on a workshop
machine): each participant's server runs as a system user of their own
(``kam_NAME``, made at their first start, no login shell), never as root, in
their folder (mode 0700); terminals are off.  The lessons are copied in by
the participant's own user.

**The store by role** (PostgreSQL): the hub shares the store by role
(:func:`kamwidgets.store.share_by_role`) and gives each participant's server
a login of its own (``kam_NAME``, a new random password at every start) that
reads and writes only the workbook ``ROOM/NAME``; the facilitator's login
also reads and removes the room's workbooks (the room view and its
``reset``).  The database enforces it (row-level security).

Refused: listening beyond 127.0.0.1 unless the hub runs as root (participants
apart), the facilitator's password is set, and the store is PostgreSQL that
asks every connection for a password; settings on the command line that
change where the hub listens or who logs in.  Without root (on 127.0.0.1
only) every participant's server runs as the user who started the hub, with
the store's own URL: a trial on one's own machine.

Under Kubernetes (``KAM_HUB_KUBERNETES=1``, this file loaded by the Zero to
JupyterHub chart: see ``deploy/kubernetes/``) only the logins and the store by
role are set here; KubeSpawner keeps each participant in a pod of their own.
"""

import asyncio
import hmac
import ipaddress
import os
import pwd
import re
import secrets
import shutil
import stat
import subprocess
import sys
import traceback
import unicodedata
from pathlib import Path

from firstuseauthenticator import FirstUseAuthenticator
from traitlets import Unicode

from kamwidgets._shipped import copy_shipped
from kamwidgets.page_assets import NOT_ON_PAGES, PageKernels

c = globals()["c"] if "c" in globals() else get_config()  # noqa: F821 - JupyterHub gives c (and get_config)

#: A user name: lower case (JupyterHub lower-cases what is typed), no path characters; ``kam_`` before it
#: names the participant's system user and database login, which must stay within 32 characters.
NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,27}$"
#: The comment of every system user this file makes: another user of the same name is never used.
ACCOUNT_MARK = "kamwidgets workshop participant"
#: Characters read as letters they look like, for comparing names with the facilitator's.
_LOOKALIKES = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "!": "l", "3": "e", "4": "a", "@": "a"})
_LOOKALIKES.update(str.maketrans({"5": "s", "$": "s", "7": "t", "+": "t", "8": "b", "9": "g", "6": "g"}))


def name_skeleton(name: str) -> str:
    """What a name looks like: letters only, look-alike characters as the letter they imitate, no doubles."""
    text = unicodedata.normalize("NFKD", name).casefold().translate(_LOOKALIKES)
    text = "".join(ch for ch in text if "a" <= ch <= "z")
    for pair, letter in (("rn", "m"), ("vv", "w"), ("cl", "d")):
        text = text.replace(pair, letter)
    return re.sub(r"(.)\1+", r"\1", text)


class WorkshopAuthenticator(FirstUseAuthenticator):
    """First use sets each participant's password; the facilitator's name opens with its own secret only."""

    facilitator = Unicode("facilitator", config=True, help="the facilitator's user name (the hub's admin)")
    facilitator_password = Unicode("", config=True, help="the facilitator's password, set when the hub starts")

    def validate_username(self, name: str) -> bool:
        if not super().validate_username(name):
            return False
        return name == self.facilitator or name_skeleton(name) != name_skeleton(self.facilitator)

    async def authenticate(self, handler, data):
        name = self.normalize_username(data["username"])
        password = data["password"]
        if not self.validate_username(name):
            handler.custom_login_error = (
                "This name cannot be used: a name is 1 to 28 lower case letters, digits, - or _, starting with a "
                "letter, and does not look like the facilitator's."
            )
            return None
        if name == self.facilitator:
            given, wanted = password.encode(), self.facilitator_password.encode()
            return name if wanted and hmac.compare_digest(given, wanted) else None
        if len(password.encode()) > 72:  # bcrypt keeps 72 bytes, and refuses more
            handler.custom_login_error = "Choose a password of at most 72 characters."
            return None
        return await super().authenticate(handler, data)

    def reset_password(self, username: str, new_password: str) -> str:
        if username == self.facilitator:
            return "The facilitator's password is set when the server starts (KAM_HUB_FACILITATOR_PASSWORD)."
        if len(new_password.encode()) > 72:
            return "Choose a password of at most 72 characters."
        return super().reset_password(username, new_password)


def _refuse(why: str) -> None:
    sys.exit(f"The workshop server did not start: {why}")


def _facilitator() -> str:
    name = os.environ.get("KAM_HUB_FACILITATOR", "facilitator")
    if not re.fullmatch(NAME_PATTERN, name):
        _refuse(f"KAM_HUB_FACILITATOR={name!r} is not a user name (lower case letters, digits, - or _)")
    return name


def _facilitator_password(kept: Path | None) -> str:
    """KAM_HUB_FACILITATOR_PASSWORD, or one made and printed once (``kept``: where it is kept), or ''."""
    given = os.environ.get("KAM_HUB_FACILITATOR_PASSWORD", "")
    if given:
        if len(given) < 12:
            _refuse("KAM_HUB_FACILITATOR_PASSWORD must be at least 12 characters long")
        return given
    if kept is None:
        return ""
    if kept.exists():
        print(f"The facilitator logs in with the password kept in {kept}")
        return kept.read_text().strip()
    made = secrets.token_urlsafe(12)
    fd = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(made + "\n")
    print(f"The facilitator logs in with the password {made} (kept in {kept}; KAM_HUB_FACILITATOR_PASSWORD sets one)")
    return made


def _set_logins(c, facilitator: str, password: str, passwords_file: Path) -> None:
    c.JupyterHub.authenticator_class = WorkshopAuthenticator
    c.WorkshopAuthenticator.facilitator = facilitator
    c.WorkshopAuthenticator.facilitator_password = password
    c.FirstUseAuthenticator.dbm_path = str(passwords_file)
    c.FirstUseAuthenticator.min_password_length = 8
    c.Authenticator.username_pattern = NAME_PATTERN
    c.Authenticator.allow_all = True  # any new name may join the room
    c.Authenticator.admin_users = {facilitator}
    if os.environ.get("KAM_HUB_PASSWORD"):
        print("KAM_HUB_PASSWORD is no longer used: each participant sets their own password at their first login.")


def _workbook_of(room: str, name: str) -> str:
    """The workbook a participant works in, as kamwidgets.store.workbook_name finds it under the hub."""
    return f"{room}/{name}" if room else name


def _asks_for_passwords(url: str) -> bool:
    """Whether the PostgreSQL server at ``url`` refuses a wrong password (it does not trust every connection)."""
    import psycopg

    from kamwidgets.store._database import connect_options

    options = connect_options(url) | {"password": "wrong-" + secrets.token_urlsafe(12), "connect_timeout": "10"}
    try:
        psycopg.connect(**options).close()
    except psycopg.OperationalError:
        return True
    return False


def _store_login(store: str, account: str, name: str, facilitator: str, room: str) -> str:
    """The store's URL for this participant's own login (made or given a new password now)."""
    from kamwidgets.store import grant_workbooks

    own = [_workbook_of(room, name)] + (["facilitator"] if name == facilitator else [])  # room.ipynb's workbook
    return grant_workbooks(
        store, account, password=secrets.token_urlsafe(24), own=own, room=room if name == facilitator else None
    )


def _share_store(store: str, *, beyond_loopback: bool, refusals: list[str]) -> None:
    from kamwidgets.store import share_by_role
    from kamwidgets.store._database import is_postgres

    if not is_postgres(store):
        _refuse(
            "participants run as users of their own, and a SQLite store is one person's file: give a PostgreSQL "
            "store (KAMWIDGETS_DB_URL; bash .ci/hub starts one)"
        )
    share_by_role(store)
    if not _asks_for_passwords(store):
        if beyond_loopback:
            refusals.append("the store's PostgreSQL lets a login in without its password (trust in pg_hba.conf)")
        else:
            print("Warning: the store's PostgreSQL lets a login in without its password: logins are not kept apart.")


# ------------------------------------------------------------------------------------------- Kubernetes
def _configure_kubernetes(c) -> None:
    """Under the Zero to JupyterHub chart: the logins and the store by role (KubeSpawner does the rest)."""
    room = os.environ.get("KAMWIDGETS_ROOM", "Workshop").strip().strip("/")
    facilitator = _facilitator()
    password = _facilitator_password(None)
    if not password:
        _refuse("set KAM_HUB_FACILITATOR_PASSWORD (hub.extraEnv, from a Secret)")
    _set_logins(c, facilitator, password, Path("/srv/jupyterhub/passwords.dbm"))  # the hub's own volume
    store = os.environ.get("KAMWIDGETS_DB_URL", "")
    refusals: list[str] = []
    _share_store(store, beyond_loopback=True, refusals=refusals)
    if refusals:
        _refuse("; ".join(refusals))

    async def give_login(spawner):
        name = spawner.user.name
        url = await asyncio.to_thread(_store_login, store, f"kam_{name}", name, facilitator, room)
        spawner.environment = {**spawner.environment, "KAMWIDGETS_DB_URL": url, "KAMWIDGETS_ROOM": room}

    c.Spawner.pre_spawn_hook = give_login


# ------------------------------------------------------------------------------------------- one machine
def _others_can_run(python: Path, probe: str) -> bool:
    """Whether a user with no rights of its own (nobody) can run ``probe`` with ``python``."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/"}
    try:  # as the spawner does it: every user id and group id changed, no other groups
        run = subprocess.run(
            [str(python), "-c", probe],
            user=65534,
            group=65534,
            extra_groups=[],
            capture_output=True,
            env=env,
            cwd="/",
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return run.returncode == 0


_PARTICIPANTS_NEED = "import kamwidgets, jupyterhub.singleuser, voila, ipykernel, psycopg"


def _participants_python(root: Path, state: Path) -> Path:
    """A Python with the workbook that every participant's user can run: this one, or a copy in state/runtime.

    The checkout's own is used when others can run it.  Otherwise (the
    checkout, or the Python the virtual environment was made from, is in a
    folder only its owner may enter) a virtual environment is made in
    ``runtime/`` from a system Python of the same version, with the
    checkout's packages (hard links where they can be) and a copy of the
    workbook itself; it is made again at every start.
    """
    own = Path(sys.executable)
    if _others_can_run(own, _PARTICIPANTS_NEED):
        return own
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    bases = [Path(p) for p in (f"/usr/bin/python{version}", f"/usr/local/bin/python{version}")]
    base = next((p for p in bases if p.exists() and _others_can_run(p, "import venv")), None)
    if base is None:
        _refuse(
            f"the participants' users cannot run {own}, and there is no Python {version} they can run to copy it "
            f"to (apt-get install python{version}, or set the project up where others may enter)"
        )
    fresh, runtime = state / "runtime.new", state / "runtime"
    shutil.rmtree(fresh, ignore_errors=True)
    subprocess.run([str(base), "-m", "venv", "--without-pip", str(fresh)], check=True, capture_output=True)
    packages = fresh / "lib" / f"python{version}" / "site-packages"
    shutil.rmtree(packages)
    _copy(own.parent.parent / "lib" / f"python{version}" / "site-packages", packages)
    for part in ("etc", "share"):  # Jupyter's settings and data: the server extension, the lessons' Voila page
        if (Path(sys.prefix) / part).is_dir():
            _copy(Path(sys.prefix) / part, fresh / part)
    for editable in packages.glob("__editable__*kamwidgets*"):  # the workbook itself, not a link to the checkout
        editable.unlink()
    shutil.copytree(root / "kamwidgets", packages / "kamwidgets", ignore=shutil.ignore_patterns("__pycache__"))
    copy_shipped(root, packages / "kamwidgets")  # the lessons and data, as a wheel carries them
    for folder, _, _ in os.walk(fresh):
        os.chmod(folder, 0o755)
    shutil.rmtree(runtime, ignore_errors=True)
    fresh.rename(runtime)
    python = runtime / "bin" / "python"
    if not _others_can_run(python, _PARTICIPANTS_NEED):
        _refuse(f"the participants' users cannot run the copy in {runtime} either")
    return python


def _copy(source: Path, target: Path) -> None:
    """``source`` to ``target``: hard links on the same disk, copies elsewhere."""
    if subprocess.run(["cp", "-al", str(source), str(target)], capture_output=True).returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run(["cp", "-a", str(source), str(target)], check=True, capture_output=True)


def _system_account(name: str, home: Path) -> pwd.struct_passwd:
    """The participant's system user (``kam_NAME``, made on first use); another user of that name is refused."""
    account = f"kam_{name}"
    try:
        entry = pwd.getpwnam(account)
    except KeyError:
        made = subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", str(home)]
            + ["--shell", "/usr/sbin/nologin", "--comment", ACCOUNT_MARK, account],
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            raise RuntimeError(f"could not make the system user {account}: {made.stderr.strip()}") from None
        entry = pwd.getpwnam(account)
    if entry.pw_gecos != ACCOUNT_MARK or entry.pw_uid == 0 or entry.pw_gid == 0:
        raise RuntimeError(f"the system user {account} exists and is not a workshop participant's; it is not used")
    if entry.pw_dir != str(home):
        subprocess.run(["usermod", "--home", str(home), account], check=True, capture_output=True)
        entry = pwd.getpwnam(account)
    return entry


def _own_folder(home: Path, entry: pwd.struct_passwd) -> None:
    """The participant's folder, theirs alone (mode 0700).  A folder they never owned (new, or made by an earlier
    version as root) is given to them whole; nothing in a folder they own is followed or changed."""
    if home.is_symlink() or (home.exists() and not home.is_dir()):
        raise RuntimeError(f"{home} is not a folder")
    home.mkdir(mode=0o700, exist_ok=True)
    if home.lstat().st_uid != entry.pw_uid:
        for folder, folders, files in os.walk(home):
            for part in folders + files:
                os.lchown(os.path.join(folder, part), entry.pw_uid, entry.pw_gid)
        os.lchown(home, entry.pw_uid, entry.pw_gid)
    os.chmod(home, 0o700)


def _as_participant(entry: pwd.struct_passwd, command: list[str]) -> None:
    home = entry.pw_dir
    env = {"HOME": home, "USER": entry.pw_name, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    done = subprocess.run(
        command,
        user=entry.pw_uid,
        group=entry.pw_gid,
        extra_groups=[],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:4])} failed for {entry.pw_name}: {done.stderr.strip()[-1000:]}")


#: Settings that choose where the hub listens or who logs in (their last part), refused on the command line.
_KEPT_HERE = {"ip", "url", "bind_url", "hub_ip", "hub_bind_url", "authenticator_class", "spawner_class", "admin_users"}


def _overrides(argv: list[str]) -> list[str]:
    """The command line's settings that would undo this file's rules (``--ip=...``, ``--Authenticator.x``...)."""
    found = []
    for arg in argv:
        key = arg[2:].split("=", 1)[0].replace("-", "_") if arg.startswith("--") else ""
        if key and (key.rsplit(".", 1)[-1] in _KEPT_HERE or "Authenticator." in key or "Spawner." in key):
            found.append(arg)
    return found


class _Machine:
    """What the workshop machine's settings say (from the environment), read once."""

    def __init__(self) -> None:
        self.root = Path(__file__).resolve().parent.parent
        self.state = Path(os.environ.get("KAM_HUB_DIR", self.root / "hub")).resolve()
        self.state.mkdir(parents=True, exist_ok=True)
        self.room_raw = os.environ.get("KAMWIDGETS_ROOM", "Workshop")
        self.room = self.room_raw.strip().strip("/")
        self.facilitator = _facilitator()
        self.store = os.environ.get("KAMWIDGETS_DB_URL", f"sqlite:///{self.state / 'workshop.sqlite'}")
        self.ip = os.environ.get("KAM_HUB_IP", "127.0.0.1")
        try:
            self.beyond_loopback = not ipaddress.ip_address(self.ip).is_loopback
        except ValueError:
            self.beyond_loopback = self.ip != "localhost"
        self.apart = os.geteuid() == 0
        self.refusals: list[str] = []
        self.hub_files = self.state / "hub"  # the hub's secrets: root (or the user who started it) only
        self.participants = self.state / "participants"


def _configure_machine(c) -> None:
    overridden = _overrides(sys.argv[1:])
    if overridden:
        _refuse(f"{' '.join(overridden)}: set KAM_HUB_IP / KAM_HUB_PORT instead; who logs in is set here")
    m = _Machine()
    _machine_logins(c, m)
    _machine_network(c, m)
    _machine_servers(c, m)
    if m.apart:
        _participants_apart(c, m)
    else:
        _participants_as_this_user(c, m)
    _idle_culler(c)


def _machine_logins(c, m: _Machine) -> None:
    m.hub_files.mkdir(mode=0o700, exist_ok=True)
    os.chmod(m.hub_files, 0o700)
    password = _facilitator_password(None if m.beyond_loopback else m.hub_files / "facilitator-password")
    if not password:
        m.refusals.append("the facilitator has no password (set KAM_HUB_FACILITATOR_PASSWORD, 12 characters or more)")
    if not m.apart:
        m.refusals.append("participants run as users of their own only when the hub runs as root")
    _set_logins(c, m.facilitator, password, m.hub_files / "passwords.dbm")


def _machine_network(c, m: _Machine) -> None:
    c.JupyterHub.ip = m.ip
    c.JupyterHub.port = int(os.environ.get("KAM_HUB_PORT", "8000"))
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = int(os.environ.get("KAM_HUB_API_PORT", "8081"))  # the hub's own API, behind the proxy
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('KAM_HUB_PROXY_API_PORT', '8001')}"
    c.JupyterHub.db_url = f"sqlite:///{m.hub_files / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(m.hub_files / "jupyterhub_cookie_secret")
    c.ConfigurableHTTPProxy.command = [
        os.environ.get("KAM_HUB_PROXY", str(m.root / ".venv/proxy/node_modules/.bin/configurable-http-proxy"))
    ]
    c.ConfigurableHTTPProxy.pid_file = str(m.hub_files / "proxy.pid")


def _machine_servers(c, m: _Machine) -> None:
    """What every participant's server runs with, whoever it runs as."""
    m.participants.mkdir(exist_ok=True)
    # Nothing from the internet (a room's network may hold such requests open): the list of lessons and
    # Voila's other pages in the lessons' frame, and no MathJax from a CDN (the lessons have no formulas).
    c.Spawner.args = ["--VoilaConfiguration.template=kamwidgets", "--ServerApp.tornado_settings=mathjax_url="]
    c.Spawner.args += ["--ServerApp.terminals_enabled=False", NOT_ON_PAGES]  # JupyterLab's own extensions, not Voila's
    # a lesson page's kernel imports the workbook while it waits (kamwidgets/_page_kernel.py); Voila, a server
    # extension here, starts kernels with the server's kernel specs (a JupyterLab kernel starts as ipykernel's)
    c.Spawner.args += [f"--ServerApp.kernel_spec_manager_class={PageKernels.__module__}.PageKernels"]
    # A lesson page closed or reloaded keeps its kernel: Voila's request to end it is refused (no "_xsrf" cookie,
    # voila-dashboards/voila#1458). A participant's server ends a kernel with no page open after 10 minutes idle
    # (a page or notebook still open is never culled); the hub's idle-culler below ends whole idle servers.
    c.Spawner.args += ["--MappingKernelManager.cull_idle_timeout=600", "--MappingKernelManager.cull_interval=60"]
    c.Spawner.http_timeout = 120
    c.Spawner.start_timeout = 180
    c.Spawner.default_url = "/voila/tree" if os.environ.get("KAM_HUB_UI", "voila") == "voila" else "/lab"


def _participants_apart(c, m: _Machine) -> None:
    """Each participant's server as a system user of their own, in a folder nobody else may enter."""
    from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid

    sys.path.insert(0, str(m.root / "deploy"))
    from local_postgres import closed_folder

    closed = closed_folder(m.state)
    if closed is not None:
        _refuse(
            f"the participants' servers run as users of their own, who cannot enter {closed} on the way to "
            f"{m.state}: choose a KAM_HUB_DIR other users can pass through (chmod o+x), e.g. under /srv"
        )
    # other users pass through, each to their own folder and to the store's socket
    os.chmod(m.state, stat.S_IMODE(m.state.stat().st_mode) | stat.S_IXOTH)
    os.chmod(m.participants, 0o711)  # nobody lists who is there
    for old in ("jupyterhub.sqlite", "jupyterhub_cookie_secret", "proxy.pid", "workshop.sqlite"):
        if (m.state / old).exists():  # an earlier version kept the hub's files here
            os.chmod(m.state / old, 0o600)
    if not m.room:
        _refuse("KAMWIDGETS_ROOM is empty: the facilitator's room is the workbooks named ROOM/NAME")
    _share_store(m.store, beyond_loopback=m.beyond_loopback, refusals=m.refusals)
    if m.beyond_loopback and m.refusals:
        _refuse(f"it will not listen on {m.ip} (beyond this machine) while " + "; ".join(m.refusals))
    python = _participants_python(m.root, m.state)

    class ParticipantSpawner(LocalProcessSpawner):
        """Each participant's server as their own system user (``kam_NAME``), in their own folder."""

        def make_preexec_fn(self, name):
            return set_user_setuid(f"kam_{self.user.name}")

        def user_env(self, env):
            entry = pwd.getpwnam(f"kam_{self.user.name}")
            env.update(USER=entry.pw_name, HOME=entry.pw_dir, SHELL="/bin/sh")
            return env

    def prepare(name: str) -> str:
        """Runs as root before each start: the user, the folder, the lessons; returns the store's URL."""
        entry = _system_account(name, m.participants / name)
        _own_folder(m.participants / name, entry)
        _as_participant(entry, [str(python), "-m", "kamwidgets", "lessons", entry.pw_dir])
        if name == m.facilitator:
            _as_participant(entry, [str(python), "-m", "kamwidgets", "room", entry.pw_dir, "--room", m.room])
        return _store_login(m.store, entry.pw_name, name, m.facilitator, m.room)

    async def prepare_participant(spawner):
        url = await asyncio.to_thread(prepare, spawner.user.name)
        spawner.environment = {**spawner.environment, "KAMWIDGETS_DB_URL": url, "KAMWIDGETS_ROOM": m.room_raw}

    c.JupyterHub.spawner_class = ParticipantSpawner
    c.Spawner.cmd = [str(python), "-m", "jupyterhub.singleuser"]
    c.Spawner.pre_spawn_hook = prepare_participant


def _participants_as_this_user(c, m: _Machine) -> None:
    """A trial on one's own machine: every server as this user, with the store's own URL."""
    if m.beyond_loopback:
        _refuse(f"it will not listen on {m.ip} (beyond this machine) while " + "; ".join(m.refusals))
    from kamwidgets.course import copy_lessons, room_notebook

    def prepare_folder(spawner):
        home = Path(spawner.home_dir_template.format(username=spawner.user.name))
        copy_lessons(home)
        if spawner.user.name == m.facilitator:
            room_notebook(home, m.room or None)

    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(m.participants / "{username}")
    c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
    c.Spawner.environment = {"KAMWIDGETS_DB_URL": m.store, "KAMWIDGETS_ROOM": m.room_raw}
    c.Spawner.pre_spawn_hook = prepare_folder


def _idle_culler(c) -> None:
    """Idle servers stop (nothing is lost: the work is in the store)."""
    c.JupyterHub.services = [
        {
            "name": "idle-culler",
            "command": [
                sys.executable,
                "-m",
                "jupyterhub_idle_culler",
                f"--timeout={os.environ.get('KAM_HUB_IDLE', '3600')}",
            ],
        }
    ]
    c.JupyterHub.load_roles = [
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        }
    ]


try:
    if os.environ.get("KAM_HUB_KUBERNETES"):
        _configure_kubernetes(c)
    else:
        _configure_machine(c)
except Exception:  # JupyterHub would log it and go on with its defaults: any login, every address
    traceback.print_exc()
    _refuse("deploy/jupyterhub_config.py failed (above)")

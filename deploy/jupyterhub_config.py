"""A workshop server on one machine: JupyterHub, one Jupyter server per participant, one shared store.

Started by ``bash .ci/hub`` (which sets up the project, installs Node's proxy
and starts PostgreSQL when no store is given).  Everything is read from the
environment:

``KAM_HUB_IP`` / ``KAM_HUB_PORT``
    Where participants connect (default ``127.0.0.1:8000``; ``0.0.0.0`` on
    a workshop network).
``KAM_HUB_API_PORT`` / ``KAM_HUB_PROXY_API_PORT``
    The hub's and the proxy's own ports on 127.0.0.1 (default 8081 and 8001).
``KAM_HUB_DIR``
    The hub's own files: its database, cookie secret, the participants'
    folders (default ``hub/`` in the checkout, kept out of git).
``KAMWIDGETS_DB_URL``
    The shared store every participant saves into (PostgreSQL).
``KAMWIDGETS_ROOM``
    The room: participant ``ann`` works in the workbook ``ROOM/ann``
    (default ``Workshop``).
``KAM_HUB_FACILITATOR``
    The facilitator's user name (default ``facilitator``): an admin of the
    hub, whose folder holds ``room.ipynb``, the room view.
``KAM_HUB_PASSWORD``
    The workshop's shared password (JupyterHub's dummy authenticator: any
    user name, this password).  Unset: any password, fit only for 127.0.0.1.
``KAM_HUB_UI``
    ``voila`` (default: the lessons as apps, no code) or ``lab``.
``KAM_HUB_IDLE``
    Seconds after which an idle participant's server is stopped (default
    3600); their work is in the store, so nothing is lost.

Each participant's server runs as a local process (JupyterHub's
``SimpleLocalProcessSpawner``, allowed to run as root on a workshop machine)
in their own folder, with the lessons copied in by ``kamwidgets lessons``.
"""

import os
import sys
from pathlib import Path

from kamwidgets.course import copy_lessons, room_notebook

c = get_config()  # noqa: F821 - JupyterHub provides it

ROOT = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("KAM_HUB_DIR", ROOT / "hub")).resolve()
STATE.mkdir(parents=True, exist_ok=True)
BIN = Path(sys.executable).parent
ROOM = os.environ.get("KAMWIDGETS_ROOM", "Workshop")
FACILITATOR = os.environ.get("KAM_HUB_FACILITATOR", "facilitator")
STORE = os.environ.get("KAMWIDGETS_DB_URL", f"sqlite:///{STATE / 'workshop.sqlite'}")

c.JupyterHub.ip = os.environ.get("KAM_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("KAM_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("KAM_HUB_API_PORT", "8081"))  # the hub's own API, behind the proxy
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('KAM_HUB_PROXY_API_PORT', '8001')}"
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [
    os.environ.get("KAM_HUB_PROXY", str(ROOT / ".venv/proxy/node_modules/.bin/configurable-http-proxy"))
]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

c.JupyterHub.authenticator_class = "dummy"
if os.environ.get("KAM_HUB_PASSWORD"):
    c.DummyAuthenticator.password = os.environ["KAM_HUB_PASSWORD"]
c.Authenticator.allow_all = True
c.Authenticator.admin_users = {FACILITATOR}

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "participants" / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
# Nothing from the internet (a room's network may hold such requests open): the list of lessons and
# Voila's other pages in the lessons' frame, and no MathJax from a CDN (the lessons have no formulas).
c.Spawner.args = ["--VoilaConfiguration.template=kamwidgets", "--ServerApp.tornado_settings=mathjax_url="]
c.Spawner.args += ["--allow-root"] if os.geteuid() == 0 else []
# A lesson page closed or reloaded keeps its kernel: Voila's request to end it is refused (no "_xsrf" cookie,
# voila-dashboards/voila#1458). A participant's server ends a kernel with no page open after 10 minutes idle
# (a page or notebook still open is never culled); the hub's idle-culler below ends whole idle servers.
c.Spawner.args += ["--MappingKernelManager.cull_idle_timeout=600", "--MappingKernelManager.cull_interval=60"]
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180
c.Spawner.environment = {"KAMWIDGETS_DB_URL": STORE, "KAMWIDGETS_ROOM": ROOM}
c.Spawner.default_url = "/voila/tree" if os.environ.get("KAM_HUB_UI", "voila") == "voila" else "/lab"


def _prepare_folder(spawner):
    """The participant's folder gets the lessons; the facilitator's also the room view."""
    home = Path(spawner.home_dir_template.format(username=spawner.user.name))
    copy_lessons(home)
    if spawner.user.name == FACILITATOR:
        room_notebook(home, ROOM)


c.Spawner.pre_spawn_hook = _prepare_folder

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

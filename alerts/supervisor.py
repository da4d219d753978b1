"""``dosewatch up``: run the API, a Celery worker and Celery beat as one foreground command.

For a laptop or a single small server. In production each runs under a real process manager
(``deploy/Procfile``, ``deploy/docker-compose.yml``); this module only has to be predictable:

- Each child starts in its own session, so the terminal's Ctrl-C reaches only the supervisor, which
  alone decides how the children stop. (Otherwise Celery receives SIGINT itself and begins a warm
  shutdown that can outlive the terminal's patience, and gunicorn and Celery race each other.)
- On SIGINT or SIGTERM every child gets SIGTERM; whatever is still alive in its process group after
  :data:`GRACE_SECONDS` gets SIGKILL. The supervisor then exits 0. All of it takes under 5 s.
- If a child dies on its own, the others are stopped and the supervisor exits non-zero, naming it:
  half a service (an API whose messages never leave) is worse than a loud failure.
- On Linux each child also asks the kernel for SIGTERM if the supervisor itself is killed
  (``PR_SET_PDEATHSIG``), so a ``kill -9`` of the supervisor does not leave port 8000 held.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

# How long children get to finish what they are doing before SIGKILL. Gunicorn answers in-flight
# requests, Celery finishes a running tick or send; both take well under a second in practice.
GRACE_SECONDS = 3.0
POLL_SECONDS = 0.2


@dataclass
class Child:
    name: str
    argv: list[str]
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


def _gunicorn_extra_args() -> list[str]:
    # gunicorn 24+ opens a control socket in ~/.gunicorn by default; two local instances would fight
    # over it and `up` has no use for it. Older versions do not know the flag, so ask first.
    try:
        from gunicorn.config import KNOWN_SETTINGS
    except ImportError:  # pragma: no cover - gunicorn is a dependency
        return []
    names = {s.name for s in KNOWN_SETTINGS}
    return ["--no-control-socket"] if "control_socket_disable" in names else []


def child_commands(config: Mapping[str, Any], host: str, port: int) -> list[Child]:
    """The three processes of the service, each started with this same Python."""
    py = sys.executable
    data_dir = Path(config["DOSEWATCH_DATA_DIR"])
    return [
        Child("web", [py, "-m", "gunicorn", "alerts.wsgi:app", "--bind", f"{host}:{port}",
                      "--workers", "2", "--threads", "4", "--graceful-timeout", str(int(GRACE_SECONDS)),
                      *_gunicorn_extra_args()]),
        Child("worker", [py, "-m", "celery", "-A", "workers.main", "worker", "--loglevel", "INFO",
                         "--concurrency", "2", "--without-gossip", "--without-mingle"]),
        Child("beat", [py, "-m", "celery", "-A", "workers.main", "beat", "--loglevel", "INFO",
                       "-s", str(data_dir / "celerybeat-schedule")]),
    ]


def child_environment(config: Mapping[str, Any], base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The children's environment: the caller's, plus what makes all three agree with the supervisor.

    The data directory is passed resolved, so a relative ``DOSEWATCH_DATA_DIR`` means the same folder
    to everyone; the package's parent goes on ``PYTHONPATH`` so the children import the very code the
    supervisor runs (a source checkout works without installing).
    """
    env = dict(os.environ if base is None else base)
    env["DOSEWATCH_DATA_DIR"] = str(config["DOSEWATCH_DATA_DIR"])
    env["PYTHONUNBUFFERED"] = "1"
    # One folder for the metrics of all three (prometheus-client's multiprocess mode): the API's
    # /metrics then shows the worker's sends and ticks too. Emptied by run() before they start.
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir(config))
    package_parent = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    return env


def metrics_dir(config: Mapping[str, Any]) -> Path:
    return Path(config["DOSEWATCH_DATA_DIR"]) / "metrics"


def port_available(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return
    pr_set_pdeathsig = 1
    ctypes.CDLL(libc_name, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class Supervisor:
    """Start children, watch them, stop them all. Not thread-safe; one per process."""

    def __init__(self, children: Sequence[Child], env: Mapping[str, str], out: TextIO = sys.stdout) -> None:
        self.children = list(children)
        self.env = dict(env)
        self.out = out
        self._stop_signal: int | None = None

    # -- signals ---------------------------------------------------------------------------------

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        # Only remember it: the main loop does the stopping, outside the signal handler.
        self._stop_signal = signum

    @property
    def stopping(self) -> bool:
        return self._stop_signal is not None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        linux = sys.platform.startswith("linux")
        for child in self.children:
            if self.stopping:
                return
            child.proc = subprocess.Popen(
                child.argv, env=self.env, start_new_session=True,
                preexec_fn=_die_with_parent if linux else None,  # noqa: PLW1509 - no threads yet
            )

    def watch(self) -> int:
        """Block until a signal (returns 0) or a child's unexpected exit (returns 1)."""
        while not self.stopping:
            for child in self.children:
                code = child.proc.poll() if child.proc else None
                if code is not None:
                    self._say(f"dosewatch: {child.name} exited unexpectedly (exit code {code}); stopping the rest")
                    self.stop()
                    return 1
            time.sleep(POLL_SECONDS)
        self._say("dosewatch: stopping ...")
        self.stop()
        self._say("dosewatch: stopped")
        return 0

    def stop(self, grace: float = GRACE_SECONDS) -> None:
        """SIGTERM every child, then SIGKILL what is left of its process group after ``grace`` seconds."""
        started = [c for c in self.children if c.proc is not None]
        for child in started:
            # The leader only: gunicorn's master and Celery's main process stop their own workers in
            # order. A SIGTERM to Celery's pool processes directly makes the main process mourn
            # them as crashed and stalls its warm shutdown.
            if child.running():
                assert child.proc is not None
                child.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(c.running() for c in started):
            time.sleep(0.05)
        for child in started:
            # The group, not just the leader: a Celery pool process or a gunicorn worker outliving
            # its parent would keep the port or the queue.
            if child.running():
                # Celery's warm shutdown takes ~5 s on the filesystem broker even when idle. Killing
                # it is safe: every task is idempotent and the database, not the broker, holds the work.
                self._say(f"dosewatch: {child.name} still stopping after {grace:.0f} s; killed")
            _signal_group(child, signal.SIGKILL)
        for child in started:
            assert child.proc is not None
            try:
                child.proc.wait(timeout=1)
            except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL cannot be ignored
                pass

    def _say(self, line: str) -> None:
        print(line, file=self.out, flush=True)


def _signal_group(child: Child, signum: int) -> None:
    if child.proc is None:
        return
    try:
        # start_new_session made each child the leader of a group whose id is its pid.
        os.killpg(child.proc.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def banner(config: Mapping[str, Any], host: str, port: int) -> str:
    url = f"http://{host}:{port}"
    lines = [
        "",
        "dosewatch is starting",
        f"  API          {url}   (health: {url}/healthz)",
        f"  data         {config['DOSEWATCH_DATA_DIR']}",
        f"  database     {_redact(config['DATABASE_URL'])}",
        f"  broker       {_redact(config['CELERY_BROKER_URL'])}",
        f"  tick         every {config['TICK_SECONDS']:g} s (Celery beat) -> Celery worker",
    ]
    if config["NOTIFIER"] == "console":
        lines.append("  messages     printed here because no Twilio account is configured")
    else:
        lines.append(f"  messages     sent by Twilio from {config['TWILIO_FROM_NUMBER']}")
    lines += ["  Ctrl-C stops everything.", ""]
    return "\n".join(lines)


def _redact(url: str) -> str:
    """A URL without its password, for printing."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split("@")[-1] if "@" in url else url


def first_admin_link(config: Mapping[str, Any], base_url: str) -> str | None:
    """On a database with no console account, a one-time link to set up the first admin."""
    from alerts.clock import utcnow
    from alerts.db import Database
    from alerts.services.invites import first_admin_link as make_link

    db = Database(config["DATABASE_URL"])
    try:
        with db.session() as session:
            return make_link(session, base_url, utcnow())
    finally:
        db.dispose()


def run(config: Mapping[str, Any], host: str, port: int, out: TextIO = sys.stdout) -> int:
    """Migrate, start web + worker + beat, and supervise them until Ctrl-C. Returns the exit code."""
    from alerts.migrate import upgrade

    children = child_commands(config, host, port)
    supervisor = Supervisor(children, child_environment(config), out=out)
    # Before anything slow: a Ctrl-C during migrations must still leave nothing behind.
    supervisor.install_signal_handlers()

    if not port_available(host, port):
        print(f"dosewatch: {host}:{port} is already in use; set PORT to another port", file=sys.stderr)
        return 2
    Path(config["DOSEWATCH_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    # Counters of a previous run's processes would be added to this run's.
    shutil.rmtree(metrics_dir(config), ignore_errors=True)
    metrics_dir(config).mkdir()
    upgrade(config["DATABASE_URL"])
    if supervisor.stopping:
        return 0
    link = first_admin_link(config, f"http://{host}:{port}")
    supervisor.start()
    print(banner(config, host, port), file=out, flush=True)
    if link:
        print(f"  first run    no console account yet; set up the first admin here (one-time link):\n"
              f"               {link}\n", file=out, flush=True)
    return supervisor.watch()

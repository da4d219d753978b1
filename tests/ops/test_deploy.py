"""The deployment files do what the README says: the honcho recipe runs web, worker and beat and
Ctrl-C stops them all; the compose file checks every role's health, stops gracefully, trusts only
the proxy and publishes on loopback; the image installs the locked, hashed dependencies first."""

from __future__ import annotations

import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
HONCHO_RECIPE = "dosewatch db upgrade && honcho -f deploy/Procfile -d . start web worker beat"


def _compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def _seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+)(s|m)", value)
    assert match, value
    return int(match[1]) * (60 if match[2] == "m" else 1)


def test_worker_and_beat_have_health_checks_that_read_their_heartbeats() -> None:
    services = _compose()["services"]
    assert services["worker"]["healthcheck"]["test"] == ["CMD", "dosewatch", "doctor", "--check", "worker"]
    assert services["beat"]["healthcheck"]["test"] == ["CMD", "dosewatch", "doctor", "--check", "beat"]
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_web_is_given_longer_to_stop_than_gunicorns_graceful_timeout(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # The config sets PROMETHEUS_MULTIPROC_DIR in os.environ: keep that out of this test process.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    gunicorn = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    services = _compose()["services"]
    assert _seconds(services["web"]["stop_grace_period"]) > gunicorn["graceful_timeout"]
    assert _seconds(services["worker"]["stop_grace_period"]) > 110  # TASK_TIME_LIMIT's default


def test_the_api_is_published_on_loopback_for_the_proxy_and_trusts_only_the_proxy() -> None:
    compose = _compose()
    assert compose["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]
    gateway = compose["networks"]["dosewatch"]["ipam"]["config"][0]["gateway"]
    assert compose["x-app"]["environment"]["FORWARDED_ALLOW_IPS"] == f"${{FORWARDED_ALLOW_IPS:-{gateway}}}"
    assert "FORWARDED_ALLOW_IPS=*" not in (DEPLOY / ".env.example").read_text()
    # No role replaced the shared environment (a service's own `environment:` would).
    for name in ("migrate", "web", "worker", "beat"):
        assert "DATABASE_URL" in compose["services"][name]["environment"], name


@pytest.mark.skipif(subprocess.run(["docker", "compose", "version"], capture_output=True, check=False).returncode
                    if shutil.which("docker") else True, reason="docker compose is not installed")
def test_docker_compose_config_accepts_the_file() -> None:
    env = {**os.environ, "POSTGRES_PASSWORD": "x", "SECRET_KEY": "y"}
    subprocess.run(["docker", "compose", "-f", str(DEPLOY / "docker-compose.yml"), "config", "-q"], check=True,
                   env=env)


def test_the_image_installs_the_hashed_lock_before_the_code_from_a_base_pinned_by_digest() -> None:
    lines = [line.strip() for line in (DEPLOY / "Dockerfile").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert re.fullmatch(r"FROM python:3\.12-slim@sha256:[0-9a-f]{64}", lines[0])
    install = lines.index("RUN pip install --require-hashes --no-deps -r requirements/runtime.txt")
    assert lines.index("COPY requirements/runtime.txt requirements/runtime.txt") < install < lines.index("COPY . .")
    assert "USER dosewatch" in lines


@pytest.mark.parametrize("lock", ["runtime.txt", "test.txt"])
def test_the_lock_files_pin_every_dependency_with_hashes(lock: str) -> None:
    import tomllib

    text = (REPO / "requirements" / lock).read_text()
    pins = dict(re.findall(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)", text, re.MULTILINE))
    assert pins, lock
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    assert all("--hash=sha256:" in block for block in blocks if "==" in block)
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"]) + (project["optional-dependencies"]["test"] if lock == "test.txt" else [])

    def canonical(name: str) -> str:  # PEP 503
        return re.sub(r"[-_.]+", "-", name).lower()

    names = {canonical(re.split(r"[<>=\[ ;]", req, maxsplit=1)[0]) for req in wanted}
    locked = {canonical(n.split("[")[0]) for n in pins}
    assert names <= locked, names - locked


# -- honcho ------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def _processes() -> dict[int, tuple[int, str]]:
    """Every live process: pid -> (parent pid, command line)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except (OSError, IndexError):
                continue
            if fields[0] != "Z":
                found[int(entry.name)] = (int(fields[1]), command)
    return found


def _descendants(pid: int) -> dict[int, str]:
    table = _processes()
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, command) in table.items():
            if ppid == parent and child not in found:
                found[child] = command
                frontier.append(child)
    return found


@pytest.mark.integration
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_readme_honcho_recipe_runs_all_three_and_ctrl_c_stops_them(tmp_path: Path) -> None:
    assert HONCHO_RECIPE in (REPO / "README.md").read_text()
    port = _free_port()
    bin_dir = Path(sys.executable).parent
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DOSEWATCH_", "CELERY_", "REDIS_"))}
    env.pop("DATABASE_URL", None)
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", HOST="127.0.0.1", PORT=str(port),
               DOSEWATCH_DATA_DIR=str(tmp_path / "var"), TICK_SECONDS="1", PYTHONUNBUFFERED="1",
               NOTIFIER="console", WEB_CONCURRENCY="1", WORKER_CONCURRENCY="1",
               PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "web-metrics"), WORKER_METRICS_DIR=str(tmp_path / "wm"),
               WORKER_METRICS_PORT=str(_free_port()), BEAT_SCHEDULE_FILE=str(tmp_path / "beat-schedule"))
    log_path = tmp_path / "honcho.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(["sh", "-c", HONCHO_RECIPE], cwd=REPO, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _status(f"http://127.0.0.1:{port}/readyz") != 200:
            assert proc.poll() is None, log_path.read_text()[-3000:]
            time.sleep(0.5)
        # Ready means all three work: web answers, beat publishes the tick, the worker runs it.
        assert _status(f"http://127.0.0.1:{port}/readyz") == 200, log_path.read_text()[-3000:]
        with urllib.request.urlopen(f"http://127.0.0.1:{env['WORKER_METRICS_PORT']}/metrics", timeout=5) as resp:
            assert "dosewatch_tick_duration_seconds_count" in resp.read().decode()
        started = _descendants(proc.pid)
        running = " | ".join(started.values())
        assert "gunicorn" in running and "workers.main worker" in running and "workers.main beat" in running, running

        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends to the job
        proc.wait(timeout=20)
        assert _status(f"http://127.0.0.1:{port}/healthz") is None
        deadline = time.monotonic() + 5
        while set(started) & set(_processes()) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = {pid: started[pid] for pid in set(started) & set(_processes())}
        assert left == {}, f"left running after Ctrl-C: {left}"
    finally:
        # honcho starts each process in a session of its own: on failure, stop them one by one.
        leftovers = _descendants(proc.pid)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        for pid in leftovers:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

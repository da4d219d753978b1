"""Browser tests: the real app started as the README starts it, driven by headless Chromium.

Browsers cannot be downloaded on the machines this runs on, so ``playwright install`` is never
used: Debian's ``chromium`` is installed with apt-get when missing, and Playwright (its driver comes
inside the wheel) launches that binary.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AXE = REPO / "alerts" / "web" / "static" / "vendor" / "axe-4.14.1.min.js"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Debian's chromium")


def ensure_chromium() -> str:
    """Debian's chromium, installed with apt-get if it is missing (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        apt = "apt-get update && apt-get install -y --no-install-recommends chromium"
        if os.geteuid() != 0 and shutil.which("sudo"):
            apt = f"sudo sh -c '{apt}'"
        done = subprocess.run(apt, shell=True, capture_output=True, text=True, timeout=900, check=False,
                              env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if done.returncode != 0 or not Path(CHROMIUM).exists():
            pytest.fail(f"could not install Debian's chromium:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=60,
                             check=False).stdout.strip()
    print(f"browser: {version}")  # a newer Chromium than Playwright's usually works through CDP, not by promise
    return version


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RunningApp:
    """``dosewatch up`` in a subprocess on a free port and a fresh data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.database_url = f"sqlite:///{data_dir / 'dosewatch.sqlite3'}"
        env = {k: v for k, v in os.environ.items()
               if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "NOTIFIER", "PUBLIC_BASE_URL"}
               and not k.startswith("TWILIO_")}
        env.update(PORT=str(self.port), DOSEWATCH_DATA_DIR=str(data_dir), TICK_SECONDS="1", PYTHONUNBUFFERED="1",
                   CONSOLE_NOTIFIER_ECHO="0", PUBLIC_BASE_URL=self.base,
                   PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p))
        self.env = env
        self.output: list[str] = []
        dosewatch = Path(sys.executable).with_name("dosewatch")
        argv = [str(dosewatch), "up"] if dosewatch.exists() else [sys.executable, "-m", "alerts.cli", "up"]
        self.proc = subprocess.Popen(argv, cwd=data_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)

    def log(self) -> str:
        return "".join(self.output)[-4000:]

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as resp:
                return resp.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def setup_link(self) -> str | None:
        match = re.search(r"(http://127\.0\.0\.1:\d+/setup/\S+)", "".join(self.output))
        return match.group(1) if match else None

    def cli(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "alerts.cli", *args], env=self.env, cwd=self.data_dir,
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def stop(self) -> None:
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def wait_for(condition: Callable[[], Any], seconds: float, interval: float = 0.25) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return None


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    app = RunningApp(tmp_path_factory.mktemp("console-up"))
    try:
        assert wait_for(lambda: app.healthy() or app.proc.poll() is not None, 60), "no /healthz in 60 s"
        assert app.healthy(), app.log()
        assert wait_for(app.setup_link, 10), app.log()
        yield app
    finally:
        app.stop()

"""``dosewatch up`` as the Quick start runs it: nothing configured, one command, Ctrl-C stops it all.

One real run (about 10 s): the API answers ``/healthz``; beat and the worker run the tick, which
finds a dose missed before start-up and delivers the patient's reminder through the console
notifier (printed in the terminal, recorded in the outbox); then SIGINT to the process group, as a
terminal's Ctrl-C sends it, must leave no process behind within 5 s. Around it: ``dosewatch tick``,
the supervisor's handling of a crashed or stubborn child, and the README's promises about all this.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from alerts.clock import utcnow
from alerts.db import Database
from alerts.migrate import upgrade
from alerts.models import DoseSchedule, Notification, Patient
from alerts.services.doses import start_schedule

REPO = Path(__file__).resolve().parents[1]
PATIENT_PHONE = "+15005550006"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process checks read /proc")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthz(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def _wait_for(condition: Callable[[], bool], seconds: float, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def _processes_using(data_dir: Path) -> list[int]:
    """Pids whose environment names this test's data directory: the supervisor and all it started."""
    marker = f"DOSEWATCH_DATA_DIR={data_dir}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().split(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in environ.split(b"\0") and state != "Z":
            pids.append(int(entry.name))
    return pids


def _seed_missed_dose(database_url: str) -> None:
    """A patient whose 08:00 dose fell due two days ago and was never recorded."""
    upgrade(database_url)
    db = Database(database_url)
    with db.session() as session:
        patient = Patient(name="Ana", timezone="America/New_York", phone=PATIENT_PHONE)
        session.add(patient)
        session.flush()
        schedule = DoseSchedule(patient_id=patient.id, times=["08:00"], dose_mg=Decimal(10), grace_minutes=30)
        session.add(schedule)
        session.flush()
        start_schedule(session, schedule, patient, utcnow() - timedelta(days=2))
    db.dispose()


def test_up_serves_ticks_delivers_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    database_url = f"sqlite:///{data_dir / 'dosewatch.sqlite3'}"
    _seed_missed_dose(database_url)
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "NOTIFIER"} and not k.startswith("TWILIO_")}
    # SPT_NOENV: setproctitle (installed with mutmut, the test extra's mutation tester) renames Celery's
    # processes by writing over the memory /proc/<pid>/environ shows, hiding the marker read below.
    env.update(PORT=str(port), DOSEWATCH_DATA_DIR=str(data_dir), TICK_SECONDS="2", PYTHONUNBUFFERED="1", SPT_NOENV="1",
               PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p))
    log_path = tmp_path / "up.log"
    cwd = tmp_path / "cwd"
    cwd.mkdir()

    with log_path.open("wb") as log:
        # Its own process group, like a shell job: the SIGINT below reaches every process in it.
        proc = subprocess.Popen([sys.executable, "-m", "alerts.cli", "up"], cwd=cwd, env=env,
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        assert _wait_for(lambda: _healthz(port) == 200 or proc.poll() is not None, 60), "no /healthz in 60 s"
        assert _healthz(port) == 200, log_path.read_text()[-3000:]

        db = Database(database_url)

        def reminder_recorded() -> bool:
            with db.sessionmaker() as session:
                return session.scalar(select(Notification.status).where(Notification.to_number == PATIENT_PHONE)) \
                    == "recorded"

        assert _wait_for(reminder_recorded, 45), "beat + worker never delivered:\n" + log_path.read_text()[-3000:]
        db.dispose()
        output = log_path.read_text()
        assert f"http://127.0.0.1:{port}" in output
        assert "printed here because no Twilio account is configured" in output
        # The doses missed over two days, in one message naming their days (test_outage_service.py).
        summaries = re.findall(rf"\[sms -> \{PATIENT_PHONE}\] dosewatch: Ana, \d of your baclofen doses have not been "
                         r"recorded, from 08:00 (yesterday|on \w{3} \d+ \w{3}) to 08:00", output)
        # Printed once, as the console notifier printed it (not a second time as a log record).
        assert len(summaries) == 1, output[-3000:]
        # The worker's counters reach the API's /metrics (one multiprocess folder for all three).
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
            metrics = resp.read().decode()
        assert 'dosewatch_sends_total{channel="sms",error_code="",result="recorded"} 1.0' in metrics
        assert "dosewatch_tick_duration_seconds_count" in metrics
        assert len(_processes_using(data_dir)) >= 3  # supervisor, web, worker, beat (and their workers)

        stopped_at = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=5)
        assert _wait_for(lambda: not _processes_using(data_dir), 5 - (time.monotonic() - stopped_at), 0.05), \
            f"still running 5 s after Ctrl-C: {_processes_using(data_dir)}"

        assert proc.returncode == 0, log_path.read_text()[-3000:]
        assert _healthz(port) is None
        # Everything it wrote (database, broker queue, beat schedule) is in the data directory.
        assert list(cwd.iterdir()) == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        for pid in _processes_using(data_dir):
            os.kill(pid, signal.SIGKILL)


def test_up_refuses_a_port_in_use_with_a_clear_message(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}}
        env.update(PORT=str(port), DOSEWATCH_DATA_DIR=str(tmp_path / "var"))

        result = subprocess.run([sys.executable, "-m", "alerts.cli", "up"], cwd=REPO, env=env,
                                check=False, capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert f"127.0.0.1:{port} is already in use; set PORT" in result.stderr
    assert not _processes_using(tmp_path / "var")


def test_tick_command_finds_the_missed_dose_and_delivers_the_reminder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # For cron-style deployments without beat: one command does one tick and drains the outbox.
    from click.testing import CliRunner

    from alerts.cli import main

    database_url = f"sqlite:///{tmp_path / 'dosewatch.sqlite3'}"
    _seed_missed_dose(database_url)
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "NOTIFIER", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DOSEWATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CONSOLE_NOTIFIER_ECHO", "false")

    outcome = CliRunner().invoke(main, ["tick"])

    assert outcome.exit_code == 0, outcome.output
    # Every dose missed since the schedule began two days ago (one or two, by the time of day), on one alert.
    assert re.search(r"tick: missed doses [12], alerts opened 1,", outcome.output), outcome.output
    assert "outbox: sent 1," in outcome.output
    db = Database(database_url)
    with db.sessionmaker() as session:
        rows = session.execute(select(Notification.to_number, Notification.kind, Notification.status)).all()
    db.dispose()
    assert rows == [(PATIENT_PHONE, "reminder", "recorded")]


# -- the README's promises about `up` ---------------------------------------------------------------


def _quick_start_commands() -> list[str]:
    # The same extraction as ../shared/tools/try-quickstart, which judges the Quick start.
    import re

    text = (REPO / "README.md").read_text()
    match = re.search(r"(?is)quick ?start.*?```[a-z]*\n(.*?)```", text)
    assert match, "README.md has no Quick start code block"
    return [line.strip() for line in match.group(1).splitlines()
            if line.strip() and not line.strip().startswith("#")]


def test_quick_start_is_two_commands_and_ci_runs_exactly_the_second() -> None:
    start, tests = _quick_start_commands()

    assert start.endswith("dosewatch up")
    ci_lines = [line for line in (REPO / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert ci_lines[-1] == tests
    assert os.access(REPO / ".ci" / "run", os.X_OK)


def test_readme_configuration_table_lists_every_setting() -> None:
    from alerts.config import Settings

    readme = (REPO / "README.md").read_text()

    missing = [name for name in [*Settings.model_fields, "HOST", "PORT"] if f"| `{name}` |" not in readme]
    assert missing == []


# -- the supervisor's contract, with stand-in children ----------------------------------------------

_SLEEPER = "import time; time.sleep(60)"
# Ignores SIGTERM, as a process stuck in a long task would: only SIGKILL stops it. It touches the
# file named by its argument once the handler is in place.
_STUBBORN = ("import pathlib, signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
             "pathlib.Path(sys.argv[1]).touch(); time.sleep(60)")


def test_a_child_dying_stops_the_others_and_names_it() -> None:
    import io

    from alerts.supervisor import Child, Supervisor

    out = io.StringIO()
    web = Child("web", [sys.executable, "-c", _SLEEPER])
    supervisor = Supervisor([web, Child("worker", [sys.executable, "-c", "import sys; sys.exit(3)"])],
                            env=dict(os.environ), out=out)
    supervisor.start()

    assert supervisor.watch() == 1

    assert "worker exited unexpectedly (exit code 3)" in out.getvalue()
    assert web.proc is not None and web.proc.poll() == -signal.SIGTERM


def test_stop_kills_a_child_that_ignores_sigterm_after_the_grace_period(tmp_path: Path) -> None:
    import io

    from alerts.supervisor import Child, Supervisor

    out = io.StringIO()
    ready = tmp_path / "ready"
    stubborn = Child("worker", [sys.executable, "-c", _STUBBORN, str(ready)])
    supervisor = Supervisor([stubborn], env=dict(os.environ), out=out)
    supervisor.start()
    assert _wait_for(ready.exists, 10, 0.02)

    started = time.monotonic()
    supervisor.stop(grace=0.5)

    assert time.monotonic() - started < 2
    assert stubborn.proc is not None and stubborn.proc.poll() == -signal.SIGKILL
    assert "worker still stopping after" in out.getvalue()

"""Settings: one typed object, built and validated once at start, and what is built from it.

A bad setting stops every entry point (``dosewatch up`` and its other commands, the app factory,
gunicorn's and Celery's entry modules) with one line that names the variable; the services then
get the configured values as required arguments, never built-in copies of the defaults.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from alerts import create_app
from alerts.cli import main
from alerts.clock import utcnow
from alerts.config import ConfigError, Settings
from alerts.db import Database
from alerts.migrate import upgrade
from alerts.models import Alert, DoseEvent, Patient

REPO = Path(__file__).resolve().parent.parent

BAD = [
    ("TICK_SECONDS", "-1", "TICK_SECONDS: input should be greater than 0 (got '-1')"),
    ("SEND_MAX_ATTEMPTS", "many", "SEND_MAX_ATTEMPTS: input should be a valid integer"),
    ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE: unknown IANA time zone 'Mars/Olympus'"),
    ("CONSOLE_NOTIFIER_ECHO", "maybe", "CONSOLE_NOTIFIER_ECHO: input should be a valid boolean"),
    ("NOTIFIER", "pigeon", "NOTIFIER: input should be 'auto', 'twilio' or 'console' (got 'pigeon')"),
    ("PUMP_REFILL_REMINDER_TIME", "9am", "PUMP_REFILL_REMINDER_TIME: must be HH:MM, not '9am'"),
]


def _environment(**values: str) -> dict[str, str]:
    """This process's environment without the settings a developer's shell may carry."""
    env = {k: v for k, v in os.environ.items() if k not in Settings.model_fields}
    env.update(values)
    return env


@pytest.mark.parametrize(("name", "value", "line"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_setting_stops_the_app_factory_with_one_line_naming_it(
        name: str, value: str, line: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOSEWATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(name, value)

    with pytest.raises(ConfigError) as refused:
        create_app()

    assert str(refused.value).startswith(line)
    assert "\n" not in str(refused.value)


def test_a_bad_value_given_to_the_app_factory_is_refused_as_one_from_the_environment(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^OUTBOX_BATCH_SIZE: input should be greater than 0 \(got 0\)$"):
        create_app({"DOSEWATCH_DATA_DIR": str(tmp_path), "OUTBOX_BATCH_SIZE": 0})


def test_settings_come_from_the_environment_by_their_documented_names(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOSEWATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LATE_DOSE_WINDOW_HOURS", "6")
    monkeypatch.setenv("CONSOLE_NOTIFIER_ECHO", "off")
    monkeypatch.setenv("URGENT_MAX_REPEATS", "")  # empty: the default, as before

    app = create_app({"TESTING": True})

    assert (app.config["LATE_DOSE_WINDOW_HOURS"], app.config["CONSOLE_NOTIFIER_ECHO"]) == (6, False)
    assert app.config["URGENT_MAX_REPEATS"] == 2
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'dosewatch.sqlite3'}"
    assert app.config["TESTING"] is True  # Flask's own keys pass through


def test_dosewatch_up_with_a_bad_setting_prints_one_line_and_starts_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    env = _environment(DOSEWATCH_DATA_DIR=str(data_dir), TICK_SECONDS="-1")

    result = subprocess.run([sys.executable, "-m", "alerts.cli", "up"], cwd=REPO, env=env, check=False,
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert result.stderr.splitlines() == ["Error: configuration: TICK_SECONDS: input should be greater than 0 (got '-1')"]
    assert not data_dir.exists(), "nothing migrated or started"


@pytest.mark.parametrize("module", ["alerts.wsgi", "workers.main"])
def test_gunicorn_and_celery_entry_modules_stop_on_a_bad_setting_with_one_line(module: str, tmp_path: Path) -> None:
    env = _environment(DOSEWATCH_DATA_DIR=str(tmp_path), SEND_LEASE_SECONDS="60")

    result = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=REPO, env=env, check=False,
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "dosewatch: configuration: TASK_SOFT_TIME_LIMIT < TASK_TIME_LIMIT < SEND_LEASE_SECONDS is required: "
        "a sender must be dead before the rows it holds are presumed lost"]


def test_the_cron_tick_judges_by_the_configured_no_dose_window(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `dosewatch tick` ran the clinical rules with built-in thresholds (no dose for 24 hours): a
    # clinic that set NO_DOSE_WINDOW_HOURS=6 got no withdrawal alert from its cron tick.
    database_url = f"sqlite:///{tmp_path / 'dosewatch.sqlite3'}"
    upgrade(database_url)
    db = Database(database_url)
    with db.session() as session:
        # Her last baclofen dose eight hours ago; the clinical sweep is due to look at her.
        patient = Patient(name="Ana", timezone="America/New_York", phone="+15005550006",
                          clinical_check_at=utcnow() - timedelta(minutes=1))
        session.add(patient)
        session.flush()
        session.add(DoseEvent(patient_id=patient.id, taken_at=utcnow() - timedelta(hours=8), source="app",
                              dose_mg=Decimal(10), received_at=utcnow() - timedelta(hours=8)))
    for name in Settings.model_fields:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DOSEWATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CONSOLE_NOTIFIER_ECHO", "false")
    monkeypatch.setenv("NO_DOSE_WINDOW_HOURS", "6")

    outcome = CliRunner().invoke(main, ["tick"])

    assert outcome.exit_code == 0, outcome.output
    with db.sessionmaker() as session:
        kinds = session.scalars(select(Alert.kind)).all()
    db.dispose()
    assert kinds == ["withdrawal_risk"]


def test_the_readme_configuration_table_gives_each_settings_default() -> None:
    readme = (REPO / "README.md").read_text()
    derived = {"DATABASE_URL": "`sqlite:///<data dir>/dosewatch.sqlite3`", "CELERY_BROKER_URL": "`REDIS_URL`, else"}

    wrong = {}
    for name, field in Settings.model_fields.items():
        default = field.default
        shown = (derived.get(name, "unset") if default is None else f"`{str(default).lower()}`"
                 if isinstance(default, bool) else f"`{default:g}`" if isinstance(default, float) else f"`{default}`")
        cells = [row.split("|")[2].strip() for row in readme.splitlines() if row.startswith(f"| `{name}` |")]
        if not any(cell.startswith(shown) for cell in cells):
            wrong[name] = (shown, cells)
    assert wrong == {}

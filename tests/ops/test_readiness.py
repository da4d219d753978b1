"""``/readyz`` and ``dosewatch doctor``: alerting counts as stalled after three silent tick periods.

The heartbeats are written by the parts of the loop themselves (beat, the tick task, the send task);
here they are written with named instants to pin the rule, and ``tests/ops/test_readyz_processes.py``
stops real processes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from freezegun import freeze_time

from alerts.app import get_db
from alerts.models import Notification
from alerts.ops import heartbeat
from alerts.ops.readiness import DueRows, Snapshot, assess

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def _beats(**ages: float) -> dict[str, datetime]:
    return {name: NOW - timedelta(seconds=age) for name, age in ages.items()}


def test_a_loop_that_beat_ticked_and_sent_within_three_periods_is_ready() -> None:
    report = assess(Snapshot(NOW, 30.0, heartbeats=_beats(beat=10, tick=12, send=13)))
    assert report.ok
    assert report.check("tick").age_seconds == 12


def test_no_tick_for_three_periods_is_a_stall_naming_the_part_that_stopped() -> None:
    report = assess(Snapshot(NOW, 30.0, heartbeats=_beats(beat=5, tick=91, send=91)))
    assert not report.ok
    assert not report.check("tick").ok and "stalled" in report.check("tick").detail
    assert report.check("beat").ok


def test_a_service_that_never_ticked_is_not_ready() -> None:
    report = assess(Snapshot(NOW, 30.0))
    assert not report.ok
    assert report.check("tick").detail.startswith("never")


def test_a_message_due_for_three_periods_is_a_stall_even_when_ticks_run() -> None:
    due = [DueRows("emergency", "emergency", 2, NOW - timedelta(seconds=95)),
           DueRows("reminder", "routine", 7, NOW - timedelta(seconds=20))]
    report = assess(Snapshot(NOW, 30.0, heartbeats=_beats(beat=1, tick=1, send=1), due=due))
    assert not report.check("outbox").ok
    assert report.as_dict()["outbox_due"][0] == {"kind": "emergency", "priority": "emergency", "count": 2,
                                                 "oldest_age_seconds": 95.0}


def test_a_worker_is_not_blamed_for_ticks_a_dead_beat_never_published() -> None:
    beat_dead = assess(Snapshot(NOW, 30.0, heartbeats=_beats(beat=200, tick=200, send=200)))
    assert not beat_dead.ok_for("beat")
    assert beat_dead.ok_for("worker")
    worker_dead = assess(Snapshot(NOW, 30.0, heartbeats=_beats(beat=3, tick=200, send=200)))
    assert worker_dead.ok_for("beat")
    assert not worker_dead.ok_for("worker")


def test_a_database_that_does_not_answer_fails_everything() -> None:
    report = assess(Snapshot(NOW, 30.0, database_error="unreachable: OperationalError"))
    assert not report.ok_for("web") and not report.ok_for("worker") and not report.ok_for("beat")


# -- over HTTP -------------------------------------------------------------------------------------


def test_readyz_answers_503_until_the_loop_has_run_then_200(app, client) -> None:  # type: ignore[no-untyped-def]
    sessions = get_db(app).sessionmaker
    with freeze_time(NOW):
        first = client.get("/readyz")
        assert first.status_code == 503
        assert first.get_json()["status"] == "stalled"
        for name in ("beat", "tick", "send"):
            heartbeat.stamp(sessions, name, NOW - timedelta(seconds=5))
        ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    body = ready.get_json()
    assert body["checks"]["database"]["ok"] and body["checks"]["broker"]["ok"]
    assert body["checks"]["tick"]["age_seconds"] == 5.0


def test_readyz_fails_when_the_last_tick_is_three_periods_old_while_healthz_stays_200(app, client) -> None:  # type: ignore[no-untyped-def]
    sessions = get_db(app).sessionmaker
    for name in ("beat", "tick", "send"):
        heartbeat.stamp(sessions, name, NOW)
    with freeze_time(NOW + timedelta(seconds=3 * app.config["TICK_SECONDS"] + 1)):
        stalled = client.get("/readyz")
        alive = client.get("/healthz")
    assert stalled.status_code == 503
    assert not stalled.get_json()["checks"]["tick"]["ok"]
    assert alive.status_code == 200


def test_readyz_reports_the_oldest_due_message_by_priority_and_kind(app, client, session, make_patient) -> None:  # type: ignore[no-untyped-def]
    patient = make_patient()
    session.add(Notification(dedupe_key="k1", patient_id=patient.id, kind="emergency", recipient_kind="patient",
                             recipient_id=patient.id, to_number=patient.phone, body="x", urgent=True, priority=0,
                             status="queued", next_attempt_at=NOW - timedelta(seconds=120), created_at=NOW))
    session.commit()
    for name in ("beat", "tick", "send"):
        heartbeat.stamp(get_db(app).sessionmaker, name, NOW)
    with freeze_time(NOW):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["outbox_due"] == [
        {"kind": "emergency", "priority": "emergency", "count": 1, "oldest_age_seconds": 120.0}]


def test_a_heartbeat_never_moves_back_in_time(app) -> None:  # type: ignore[no-untyped-def]
    sessions = get_db(app).sessionmaker
    heartbeat.stamp(sessions, "tick", NOW)
    heartbeat.stamp(sessions, "tick", NOW - timedelta(minutes=5))
    with sessions() as s:
        assert heartbeat.read(s) == {"tick": NOW}


def test_doctor_exits_1_and_names_the_stalled_part(app, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from alerts.cli import main

    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("DOSEWATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CELERY_BROKER_URL", "memory://")
    sessions = get_db(app).sessionmaker
    now = datetime.now(UTC)
    heartbeat.stamp(sessions, "beat", now)
    heartbeat.stamp(sessions, "tick", now - timedelta(minutes=10))
    heartbeat.stamp(sessions, "send", now - timedelta(minutes=10))
    runner = CliRunner()
    worker = runner.invoke(main, ["doctor", "--check", "worker"])
    assert worker.exit_code == 1, worker.output
    assert "FAIL  tick" in worker.output and "worker: NOT healthy" in worker.output
    beat = runner.invoke(main, ["doctor", "--check", "beat"])
    assert beat.exit_code == 0, beat.output


def test_a_cron_deployment_running_dosewatch_tick_is_healthy(app, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from alerts.cli import main

    for name, value in {"DATABASE_URL": app.config["DATABASE_URL"], "DOSEWATCH_DATA_DIR": str(tmp_path),
                        "CELERY_BROKER_URL": "memory://", "CONSOLE_NOTIFIER_ECHO": "false"}.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    assert runner.invoke(main, ["tick"]).exit_code == 0
    doctor = runner.invoke(main, ["doctor"])
    assert doctor.exit_code == 0, doctor.output
    assert "all: healthy" in doctor.output

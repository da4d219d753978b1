"""Data retention: old readings and finished messages go; anything still in flight, anything of an
open alert, and the clinical record stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from alerts.app import get_db
from alerts.models import Alert, InboundMessage, Notification, Reading, ReadingHour
from alerts.ops.retention import purge
from workers.maintenance import apply_retention

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=40)
RECENT = NOW - timedelta(days=3)


@pytest.fixture
def history(session, make_patient):  # type: ignore[no-untyped-def]
    patient = make_patient()
    closed = Alert(patient_id=patient.id, kind="missed_dose", condition_key="c1", status="acknowledged", code="AAAA",
                   opened_at=OLD, policy=[])
    still_open = Alert(patient_id=patient.id, kind="emergency", condition_key="c2", status="open", code="BBBB",
                       opened_at=OLD, policy=[])
    session.add_all([closed, still_open])
    session.flush()
    for i, at in enumerate([OLD, OLD, RECENT]):
        session.add(Reading(patient_id=patient.id, kind="heart_rate", value=70, measured_at=at,
                            dedupe_key=f"r{i}", received_at=at))
    for hour, count in ((OLD, 2), (RECENT, 1)):
        session.add(ReadingHour(patient_id=patient.id, kind="heart_rate", hour=hour, low=70, high=70,
                                total=70 * count, count=count))

    def message(key: str, created: datetime, status: str, alert: Alert | None) -> None:
        session.add(Notification(dedupe_key=key, patient_id=patient.id, alert_id=alert.id if alert else None,
                                 kind="reminder", recipient_kind="patient", recipient_id=patient.id,
                                 to_number=patient.phone, body="b", status=status, created_at=created,
                                 next_attempt_at=created))

    message("old-sent-closed", OLD, "delivered", closed)
    message("old-sent-no-alert", OLD, "sent", None)
    message("old-queued", OLD, "queued", None)
    message("old-sent-open-alert", OLD, "delivered", still_open)
    message("recent-sent", RECENT, "delivered", closed)
    session.add_all([InboundMessage(message_sid="SMold", from_number=patient.phone, body="ok", received_at=OLD),
                     InboundMessage(message_sid="SMnew", from_number=patient.phone, body="ok", received_at=RECENT)])
    session.commit()
    return patient


def _left(session) -> dict[str, object]:  # type: ignore[no-untyped-def]
    session.rollback()
    return {
        "readings": session.scalar(select(func.count()).select_from(Reading)),
        "hours": sorted(session.scalars(select(ReadingHour.hour))),
        "messages": sorted(session.scalars(select(Notification.dedupe_key))),
        "inbound": sorted(session.scalars(select(InboundMessage.message_sid))),
        "alerts": session.scalar(select(func.count()).select_from(Alert)),
    }


def test_thirty_days_deletes_old_readings_and_finished_messages_and_keeps_the_rest(app, session, history) -> None:  # type: ignore[no-untyped-def]
    report = purge(get_db(app).sessionmaker, NOW, readings_days=30, messages_days=30, batch_size=1)
    assert (report.readings, report.notifications, report.inbound_messages) == (2, 2, 1)
    assert _left(session) == {
        "readings": 1,
        "hours": [RECENT],  # the old readings' hour went with them
        "messages": ["old-queued", "old-sent-open-alert", "recent-sent"],
        "inbound": ["SMnew"],
        "alerts": 2,
    }


def test_zero_keeps_everything(app, session, history) -> None:  # type: ignore[no-untyped-def]
    report = purge(get_db(app).sessionmaker, NOW, readings_days=0, messages_days=0)
    assert (report.readings, report.notifications, report.inbound_messages) == (0, 0, 0)
    assert _left(session)["readings"] == 3
    assert _left(session)["hours"] == [OLD, RECENT]


def test_a_setting_below_a_week_is_read_as_a_week(app, session, history) -> None:  # type: ignore[no-untyped-def]
    purge(get_db(app).sessionmaker, NOW, readings_days=1, messages_days=1)
    left = _left(session)
    assert left["readings"] == 1  # the 3-day-old reading stays: younger than 7 days
    assert "recent-sent" in left["messages"] and left["inbound"] == ["SMnew"]


def test_the_daily_task_applies_the_configured_settings(app, session, history) -> None:  # type: ignore[no-untyped-def]
    app.config.update(READINGS_RETENTION_DAYS=30, MESSAGES_RETENTION_DAYS=0)
    with freeze_time(NOW):
        result = apply_retention.apply().get()
    assert result == {"readings": 2, "notifications": 0, "inbound_messages": 0}
    assert "apply-retention" in app.extensions["celery"].conf.beat_schedule

"""Data retention: vital-sign readings and messages older than their setting are deleted.

``READINGS_RETENTION_DAYS`` and ``MESSAGES_RETENTION_DAYS`` (0, the default, keeps everything). A
Celery beat task (``workers.maintenance.apply_retention``, daily) calls :func:`purge`.

What goes, and what never does:
- readings measured before the cutoff (the rules only ever read the last minutes to hours of them),
  and their hourly rollup (``reading_hour``) for every hour wholly before it;
- outbox rows created before the cutoff whose status is final, and whose alert, if any, is closed:
  a row still queued or sending, or belonging to an open alert's escalation, is never deleted;
- inbound SMS received before the cutoff (their MessageSid only guards against Twilio retries,
  which come within minutes).
Alerts, doses, check-ins and the patients' records are kept: they are the clinical history.
Deletes go in batches, each its own transaction, so no lock is held for long.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from alerts.models import Alert, InboundMessage, Notification, Reading, ReadingHour
from alerts.models.notification import FINAL_STATUSES

# Shorter than this would delete what the rules or the per-recipient limit still read.
MINIMUM_DAYS = 7


@dataclass
class RetentionReport:
    readings: int = 0
    notifications: int = 0
    inbound_messages: int = 0


def purge(sessions: sessionmaker[Session], now: datetime, *, readings_days: int, messages_days: int,
          batch_size: int = 5000) -> RetentionReport:
    report = RetentionReport()
    if readings_days:
        cutoff = now - timedelta(days=max(readings_days, MINIMUM_DAYS))
        report.readings = _in_batches(sessions, batch_size, lambda limit: (
            select(Reading.id).where(Reading.measured_at < cutoff).limit(limit)), Reading.id)
        _purge_hours(sessions, cutoff - timedelta(hours=1), batch_size)
    if messages_days:
        cutoff = now - timedelta(days=max(messages_days, MINIMUM_DAYS))
        closed_or_none = or_(Notification.alert_id.is_(None),
                             Notification.alert_id.in_(select(Alert.id).where(Alert.status != "open")))
        report.notifications = _in_batches(sessions, batch_size, lambda limit: (
            select(Notification.id).where(Notification.created_at < cutoff,
                                          Notification.status.in_(sorted(FINAL_STATUSES)), closed_or_none)
            .limit(limit)), Notification.id)
        report.inbound_messages = _in_batches(sessions, batch_size, lambda limit: (
            select(InboundMessage.message_sid).where(InboundMessage.received_at < cutoff).limit(limit)),
            InboundMessage.message_sid)
    return report


def _purge_hours(sessions: sessionmaker[Session], before: datetime, batch_size: int) -> None:
    """The rollup's hours starting at or before ``before``, a few patients per transaction (the
    table's key has no single id to batch by; a patient has 24 rows a day per vital)."""
    per_batch = max(1, batch_size // 1000)
    while True:
        with sessions.begin() as session:
            patients = list(session.scalars(select(ReadingHour.patient_id).where(ReadingHour.hour <= before)
                                            .distinct().limit(per_batch)))
            if patients:
                session.execute(delete(ReadingHour).where(ReadingHour.patient_id.in_(patients),
                                                          ReadingHour.hour <= before))
        if len(patients) < per_batch:
            return


def _in_batches(sessions: sessionmaker[Session], batch_size: int, ids, column) -> int:  # type: ignore[no-untyped-def]
    total = 0
    while True:
        with sessions.begin() as session:
            chosen = list(session.scalars(ids(batch_size)))
            if chosen:
                session.execute(delete(column.class_).where(column.in_(chosen))
                                .execution_options(synchronize_session=False))
        total += len(chosen)
        if len(chosen) < batch_size:
            return total

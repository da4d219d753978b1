"""Helpers for service tests: a recording notifier and readers of what the services wrote."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from alerts.models import Alert, Caregiver, Dose, DoseSchedule, Medication, Notification, Patient
from alerts.notify.base import OutgoingMessage, SendResult, TransportError
from alerts.services.doses import start_schedule

T = TypeVar("T")
SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)


@dataclass
class Ward:
    """The standard cast (see the ``ward`` fixture) and the instants of its next dose."""

    patient: Patient
    ann: Caregiver
    bob: Caregiver
    schedule: DoseSchedule
    due: datetime
    t0: datetime  # due + grace: the first instant the dose counts as missed


@dataclass
class RecordingNotifier:
    """A notifier that keeps what it was asked to send (thread-safe) and can fail on cue.

    ``failures`` is consumed front to back: each entry is raised by one ``send`` call.
    ``failures_to`` fails the sends to one number: the outbox sends on several threads, so when
    two messages go out together, which one meets ``failures`` first is up to the scheduler.
    """

    name: str = "recording"
    sent: list[OutgoingMessage] = field(default_factory=list)
    failures: list[TransportError] = field(default_factory=list)
    failures_to: dict[str, list[TransportError]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, message: OutgoingMessage) -> SendResult:
        with self._lock:
            if self.failures_to.get(message.to):
                raise self.failures_to[message.to].pop(0)
            if self.failures:
                raise self.failures.pop(0)
            self.sent.append(message)
        return SendResult(provider_sid=f"SM{message.notification_id:032d}", status="queued")


@dataclass(frozen=True)
class Outgoing:
    """One outbox row, reduced to what a reader of the escalation cares about."""

    kind: str
    step: int | None
    recipient: str  # "patient" or the caregiver's name
    status: str


def read(session: Session, stmt: Select[tuple[T]]) -> list[T]:
    """Rows as they are in the database now, in a transaction that is closed before returning.

    On SQLite every transaction begins IMMEDIATE (it takes the write lock), so a test session left
    in a transaction would block the tick's own sessions; hence commit before and after reading.
    """
    session.commit()
    rows = list(session.scalars(stmt.execution_options(populate_existing=True)))
    session.commit()
    return rows


def outbox(session: Session) -> list[Outgoing]:
    """Every notification row, oldest first, with recipients named."""
    names = {c.id: c.name for c in read(session, select(Caregiver))}
    return [
        Outgoing(n.kind, n.step, "patient" if n.recipient_kind == "patient" else names.get(n.recipient_id, "?"),
                 n.status)
        for n in notifications(session)
    ]


def notifications(session: Session) -> list[Notification]:
    return read(session, select(Notification).order_by(Notification.id))


def sent(session: Session, **where: object) -> list[tuple[str, str, str, int | None]]:
    """(kind, recipient, channel, step) of every outbox row, oldest first, filtered by column values."""
    names = {c.id: c.name for c in read(session, select(Caregiver))}
    rows = [n for n in notifications(session) if all(getattr(n, k) == v for k, v in where.items())]
    return [(n.kind, "patient" if n.recipient_kind == "patient" else names[n.recipient_id], n.channel, n.step)
            for n in rows]


def bodies(session: Session, **where: object) -> list[str]:
    return [n.body for n in notifications(session) if all(getattr(n, k) == v for k, v in where.items())]


def doses(session: Session, patient: Patient) -> list[Dose]:
    # By id too: two doses can fall due at one instant (both times of a spring-forward gap), and
    # PostgreSQL returns ties in whatever order an UPDATE has left the rows in.
    return read(session, select(Dose).where(Dose.patient_id == patient.id).order_by(Dose.due_at, Dose.id))


def ward_doses(session: Session, ward: Ward) -> list[Dose]:
    """The ward's baclofen doses (its schedule's), whatever other medicine the patient takes."""
    return [d for d in doses(session, ward.patient) if d.schedule_id == ward.schedule.id]


def pending_dose(session: Session, patient: Patient) -> Dose:
    pending = [d for d in doses(session, patient) if d.status == "pending"]
    assert len(pending) == 1, f"expected one pending dose, found {len(pending)}"
    return pending[0]


def only_alert(session: Session, patient: Patient) -> Alert:
    alerts = read(session, select(Alert).where(Alert.patient_id == patient.id))
    assert len(alerts) == 1, f"expected one alert, found {len(alerts)}"
    return alerts[0]


def add_second_medicine(session: Session, patient: Patient, baclofen_schedule: DoseSchedule, times: list[str], *,
                        now: datetime, name: str = "metformin", dose_mg: Decimal = Decimal(500),
                        **medication: Any) -> tuple[Medication, Medication]:
    """Make ``baclofen_schedule`` the patient's baclofen row's and add a second medicine (no
    clinical pack) taken at ``times``, its first dose planned after ``now``. Commits."""
    baclofen = Medication(patient_id=patient.id, name="baclofen", route="oral")
    second = Medication(patient_id=patient.id, name=name, route="oral", **medication)
    session.add_all([baclofen, second])
    session.flush()
    baclofen_schedule = session.merge(baclofen_schedule)
    baclofen_schedule.medication_id = baclofen.id
    schedule = DoseSchedule(patient_id=patient.id, medication_id=second.id, times=times, dose_mg=dose_mg,
                            grace_minutes=30)
    session.add(schedule)
    session.flush()
    start_schedule(session, schedule, session.merge(patient), now)
    session.commit()
    return baclofen, second



def hold_anns_step(session: Session, ward: Ward, tick: Any) -> datetime:
    """Ann's quiet hours 14:00-18:00; the dose missed at ``t0`` and Ann's step run at ``t0`` + 10 min:
    her text is held until 18:00 EDT. Returns a moment just after (18:05), to deliver what is due."""
    ann = session.get(Caregiver, ward.ann.id)
    assert ann is not None
    ann.quiet_start, ann.quiet_end = "14:00", "18:00"
    session.commit()
    tick(ward.t0)
    tick(ward.t0 + 10 * MINUTE)
    return ward.t0 + 215 * MINUTE

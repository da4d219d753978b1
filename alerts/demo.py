"""``dosewatch demo``: one simulated day for one patient, through the real code path.

A throw-away SQLite database (migrated like production), one patient in America/New_York with two
caregivers and doses at 08:00 and 20:00, and a simulated clock that runs from 06:00 for 24 hours,
one tick period (30 s) at a time, skipping ticks at which nothing is due. At every tick it calls
exactly what the Celery tasks call —
:func:`alerts.services.tick.run_tick`, then :func:`alerts.services.sender.deliver_due` — and the
patient's actions go through :func:`alerts.services.doses.record_dose`, as the ingest API does.
Messages go to the console notifier, stamped with the simulated time.

The story: the 08:00 dose is missed, so the patient is reminded at 08:30 (the 30-minute grace),
caregiver 1 is told at 08:45, caregiver 2 at 09:00 and everyone at 09:15; the patient records the
dose late at 09:20 and the caregivers get the all-clear; the 20:00 dose is taken on time and
nobody hears anything.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from alerts.config import load_settings
from alerts.db import Database
from alerts.migrate import upgrade
from alerts.models import Alert, Caregiver, Dose, DoseSchedule, Notification, Patient
from alerts.notify.console import ConsoleNotifier
from alerts.ops.loop import ObservedNotifier, outbox_drained, watch_tick
from alerts.services.clinical import ClinicalPolicy
from alerts.services.doses import DoseWindows, record_dose, start_schedule
from alerts.services.sender import deliver_due
from alerts.services.tick import run_tick

TIMEZONE = "America/New_York"
DAY = date(2026, 6, 16)  # an ordinary summer Tuesday: no DST change inside the simulated day
TICK = timedelta(seconds=30)  # TICK_SECONDS' default: the period beat runs the tick at


@dataclass(frozen=True)
class Message:
    """One message as it left the notifier, at simulated time ``at`` (UTC)."""

    at: datetime
    recipient: str
    role: str  # "patient", "caregiver 1", ...
    to: str
    kind: str  # reminder | escalation | all_clear ...
    body: str


@dataclass(frozen=True)
class Event:
    """Something that happened in the story that is not a message (a dose due, a dose taken)."""

    at: datetime
    text: str


@dataclass
class DemoResult:
    timezone: str
    day: date
    patient: str
    caregivers: list[str]
    messages: list[Message] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    ticks: int = 0

    def local(self, at: datetime) -> datetime:
        return at.astimezone(ZoneInfo(self.timezone))


def _local(hh: int, mm: int, days: int = 0) -> datetime:
    """A wall-clock time on the demo day, as a UTC instant."""
    return datetime.combine(DAY + timedelta(days=days), time(hh, mm), ZoneInfo(TIMEZONE)).astimezone(UTC)


def _seed(session: Session, now: datetime) -> tuple[Patient, list[Caregiver]]:
    patient = Patient(name="Ana", timezone=TIMEZONE, phone="+12025550101", escalation_minutes=15)
    session.add(patient)
    session.flush()
    caregivers = [
        Caregiver(patient_id=patient.id, name="Ben", phone="+12025550102", position=1),
        Caregiver(patient_id=patient.id, name="Carla", phone="+12025550103", position=2),
    ]
    schedule = DoseSchedule(patient_id=patient.id, times=["08:00", "20:00"], dose_mg=Decimal(10), grace_minutes=30)
    session.add_all([*caregivers, schedule])
    session.flush()
    start_schedule(session, schedule, patient, now)
    return patient, caregivers


def _take_dose(sessions: sessionmaker[Session], patient_id: int, now: datetime, config: dict[str, Any]) -> None:
    """What ``POST /v1/patients/<id>/doses`` does: record the dose, commit (then the outbox is kicked)."""
    with sessions.begin() as session:
        patient = session.get(Patient, patient_id)
        assert patient is not None
        record_dose(session, patient, taken_at=now, source="app", now=now, windows=DoseWindows.from_config(config),
                    policy=ClinicalPolicy.from_config(config))


def run_demo(workdir: Path | None = None) -> DemoResult:
    """Simulate the day and return what happened. Uses a temporary directory unless given one."""
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="dosewatch-demo-") as tmp:
            return run_demo(Path(tmp))

    url = f"sqlite:///{workdir / 'demo.sqlite3'}"
    upgrade(url)
    db = Database(url)
    try:
        return _simulate(db.sessionmaker)
    finally:
        db.dispose()


def _simulate(sessions: sessionmaker[Session]) -> DemoResult:
    # The documented defaults, whatever this shell's environment says: the demo needs no configuration
    # and shows the same day everywhere.
    config = load_settings(env={}).model_dump()
    start, end = _local(6, 0), _local(6, 0, days=1)
    with sessions.begin() as session:
        patient, caregivers = _seed(session, start)
        patient_id = patient.id
        names = {("patient", patient.id): (patient.name, "patient")}
        names.update({("caregiver", c.id): (c.name, f"caregiver {c.position}") for c in caregivers})
    result = DemoResult(TIMEZONE, DAY, "Ana", ["Ben", "Carla"])

    # The patient's side of the story, at simulated instants (the clock lands on each exactly).
    script: list[tuple[datetime, str, Callable[[datetime], None]]] = [
        (_local(9, 20), "Ana records her 08:00 dose in the app, late",
         lambda now: _take_dose(sessions, patient_id, now, config)),
        (_local(19, 58), "Ana records her 20:00 dose in the app, on time",
         lambda now: _take_dose(sessions, patient_id, now, config)),
    ]
    result.events += [Event(_local(8, 0), "08:00 dose due; Ana does not record it"),
                      Event(_local(20, 0), "20:00 dose due (already recorded at 19:58)")]

    notifier = ConsoleNotifier(echo=False)
    observed = ObservedNotifier(notifier)
    now = start
    while now < end:
        for at, text, action in script:
            if at == now:
                action(now)
                result.events.append(Event(now, text))
        # As the Celery tasks do: heartbeats, metrics and log events around the tick and the sender.
        with watch_tick(sessions, _frozen(now)) as watch:
            watch.report = run_tick(sessions, now, batch_size=config["TICK_BATCH_SIZE"],
                                    policy=ClinicalPolicy.from_config(config),
                                    low_supply_days=config["SUPPLY_LOW_DAYS"])
        result.ticks += 1
        before = len(notifier.sent)
        outbox_drained(sessions, deliver_due(sessions, observed, _frozen(now), batch_size=config["OUTBOX_BATCH_SIZE"],
                                                lease_seconds=config["SEND_LEASE_SECONDS"],
                                                max_attempts=config["SEND_MAX_ATTEMPTS"]), now)
        for sent in notifier.sent[before:]:
            with sessions() as session:
                row = session.scalar(select(Notification).where(Notification.id == sent.notification_id))
            assert row is not None
            name, role = names[(row.recipient_kind, row.recipient_id)]
            result.messages.append(Message(now, name, role, sent.to, row.kind, sent.body))
        now = _next_tick(sessions, now, start, [at for at, _, _ in script])
    result.events.sort(key=lambda e: e.at)
    return result


def _frozen(at: datetime) -> Callable[[], datetime]:
    """A clock stopped at ``at``: the sender stamps every row of this tick with the simulated time."""
    return lambda: at


def _next_tick(sessions: sessionmaker[Session], now: datetime, start: datetime,
               scripted: list[datetime]) -> datetime:
    """The next tick on the 30 s grid at which anything can happen.

    A tick with nothing due finds nothing (the tick reads only due rows), so the clock jumps over
    those: the demo runs in a second instead of 2,880 ticks' worth of empty transactions.
    """
    with sessions() as session:
        due = [
            session.scalar(select(func.min(Dose.check_at)).where(Dose.status == "pending")),
            session.scalar(select(func.min(Alert.next_step_at)).where(Alert.status == "open")),
            session.scalar(select(func.min(Notification.next_attempt_at)).where(Notification.status == "queued")),
        ]
    candidates = [t for t in [*due, *scripted] if t is not None and t > now]
    if not candidates:
        return now + TICK
    ticks = -(-(min(candidates) - start) // TICK)  # ceiling: the first tick at or after it
    return max(now + TICK, start + ticks * TICK)


def format_timeline(result: DemoResult) -> str:
    """The day as a reader wants it: local time, who, what."""
    lines = [
        f"dosewatch demo: one simulated day for {result.patient} ({result.timezone}), {result.day:%A %d %B %Y}",
        "  doses 08:00 and 20:00 (30 min grace); caregivers: "
        + ", ".join(f"{i}. {n}" for i, n in enumerate(result.caregivers, 1))
        + "; escalation every 15 min",
        ("  a simulated clock ticking every 30 s through the real tick, outbox and notifier "
         f"({result.ticks} ticks run; idle ones skipped)"),
        "",
    ]
    items: list[tuple[datetime, int, str]] = [(e.at, 0, f"* {e.text}") for e in result.events]
    for m in result.messages:
        who = f"{m.recipient} ({m.role})"
        items.append((m.at, 1, f"-> {who:<20} {m.body}"))
    for at, _, text in sorted(items, key=lambda i: (i[0], i[1])):
        lines.append(f"{result.local(at):%H:%M}  {text}")
    lines += ["", f"{len(result.messages)} messages. Nothing is sent anywhere: this was a simulation."]
    return "\n".join(lines)

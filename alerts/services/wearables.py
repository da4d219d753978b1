"""Wearables carried out: store readings in bulk and read the vital-sign rules over each batch;
act on device events (seizure, pump alarm, pill bottle opened, refill date); the tick's device
phases (pending seizure alarms, offline devices, pump refill reminders).

Every decision and its messages are written in the caller's transaction, as elsewhere: an
emergency from a slow-breathing series commits with the readings that showed it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from psycopg.errors import UniqueViolation
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from alerts.domain import vitals
from alerts.domain.clinical.history import ClinicalSettings
from alerts.domain.messages import render
from alerts.domain.schedule import zone
from alerts.domain.vitals import KEY_LENGTH, ParsedReading, bounded
from alerts.models import Caregiver, Device, DeviceEvent, Patient, Reading, VitalFinding
from alerts.services import clinical, rollup
from alerts.services.alerts import caregiver_recipient, patient_recipient
from alerts.services.doses import DoseWindows, IdempotencyConflict, find_medication, record_dose
from alerts.services.outbox import Message, queue_messages
from alerts.services.sql import driver_errors, insert_ignore, is_postgres, skip_locked

log = logging.getLogger("dosewatch.wearables")

PUMP_ALARMS = ("pump_low_reservoir", "pump_fault", "catheter_fault")
# Which kind of device an event's sender must be, when it registers itself with that event.
_DEVICE_KIND = {"pill_bottle_opened": "pill_bottle", "pump_refill_scheduled": "pump", **{k: "pump" for k in PUMP_ALARMS}}
_BRIEF_SEIZURE = "brief, What to Do: 'If you experience a seizure ... call 911'"
_BRIEF_PUMP = ("brief: withdrawal risk is highest 'especially with intrathecal pumps', and follows "
               "'abrupt cessation'")


# -- devices ---------------------------------------------------------------------------------------


def resolve_devices(session: Session, patient_id: int, names: Iterable[str], now: datetime, *,
                    kind: str = "wearable", lock: bool = False) -> dict[str, Device]:
    """The patient's devices by name; a name never seen before registers a device (not watched for
    silence until a clinician sets its expected interval)."""
    wanted = sorted(set(names))
    if not wanted:
        return {}
    stmt = select(Device).where(Device.patient_id == patient_id, Device.external_id.in_(wanted))
    found = {d.external_id: d for d in session.scalars(stmt.with_for_update() if lock else stmt)}
    missing = [n for n in wanted if n not in found]
    if missing:
        insert_ignore(session, Device.__table__, [
            {"patient_id": patient_id, "external_id": n, "kind": kind, "created_at": now}
            for n in missing])
        found = {d.external_id: d for d in session.scalars(stmt.with_for_update() if lock else stmt)}
    return found


def seen(devices: Iterable[Device], now: datetime) -> None:
    """The devices reported now: remember it and re-arm their offline check."""
    for device in devices:
        device.last_seen_at = now
        device.offline_check_at = vitals.offline_check_at(now, device.expected_interval_minutes)


def set_refill_date(device: Device, refill_date: date | None, tz: str, reminder_time: time, now: datetime) -> None:
    """A pump's next refill day, and when its first reminder still to come goes out."""
    device.refill_date = refill_date
    nxt = vitals.next_refill_reminder(refill_date, zone(tz), reminder_time, now) if refill_date else None
    device.refill_reminder_at, device.refill_reminder_days = nxt if nxt else (None, None)


def rezone_refill_reminders(session: Session, patient: Patient, old_tz: str, now: datetime) -> None:
    """After the patient's zone changed: each pump's reminders at the same local time, in the new zone.

    The local time is read back from the planned instant in the old zone, as ``send_refill_reminders``
    reads it in the current one; left alone, "09:00 in New York" became 06:00 for a patient now in
    Los Angeles, and every later reminder followed that."""
    pumps = session.scalars(select(Device).where(Device.patient_id == patient.id,
                                                 Device.refill_reminder_at.is_not(None)).with_for_update())
    for device in pumps:
        assert device.refill_reminder_at is not None
        reminder_time = device.refill_reminder_at.astimezone(zone(old_tz)).time()
        set_refill_date(device, device.refill_date, patient.timezone, reminder_time, now)


# -- readings --------------------------------------------------------------------------------------


@dataclass
class ReadingsRecorded:
    received: int
    stored: int
    findings: list[str] = field(default_factory=list)
    alert_id: int | None = None
    notification_ids: list[int] = field(default_factory=list)


def record_readings(session: Session, patient: Patient, readings: Sequence[ParsedReading], *, now: datetime,
                    policy: clinical.ClinicalPolicy) -> ReadingsRecorded:
    """Store a batch of readings (duplicates skipped) and read the vital-sign rules over it once.

    The rules read the readings stored in the batch's time span plus one window either side, so an
    episode that started in an earlier batch is seen whole; only episodes completed inside this
    batch's span are new. Returns what to answer and the outbox ids to kick.
    """
    unique: dict[str, ParsedReading] = {}
    for r in readings:
        unique.setdefault(r.dedupe_key, r)
    devices = resolve_devices(session, patient.id, (r.device for r in unique.values() if r.device), now)
    rows = [(patient.id, devices[r.device].id if r.device else None, r.kind, r.value, r.measured_at, key, now)
            for key, r in unique.items()]
    stored = len(store_readings(session, patient.id, rows))
    seen(devices.values(), now)
    result = ReadingsRecorded(received=len(readings), stored=stored)
    batch = [vitals.VitalReading(r.kind, r.value, r.measured_at) for r in unique.values()
             if r.kind in vitals.RULE_KINDS]
    if stored and batch:
        _read_rules(session, patient, batch, now, policy, result)
    return result


_COLUMNS = ("patient_id", "device_id", "kind", "value", "measured_at", "dedupe_key", "received_at")


def store_readings(session: Session, patient_id: int, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Store rows (``_COLUMNS`` order), skipping those already stored, and add the new ones to the
    console's hourly rollup in the same transaction; returns the new rows. Every reading is stored
    through here."""
    new = _insert_readings(session, patient_id, rows)
    rollup.add_readings(session, patient_id, ((r[2], r[3], r[4]) for r in new))
    return new


def _insert_readings(session: Session, patient_id: int, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Insert rows, skipping those already stored; returns the rows that were new (in ``_COLUMNS``
    order, or at least up to ``measured_at``)."""
    if not rows:
        return []
    if is_postgres(session):
        return _copy_readings(session, rows)
    # SQLite (the embedded default, one household): look the keys up, insert the rest.
    keys = [r[5] for r in rows]
    known: set[str] = set()
    for i in range(0, len(keys), 500):
        known.update(session.scalars(select(Reading.dedupe_key).where(Reading.patient_id == patient_id,
                                                                      Reading.dedupe_key.in_(keys[i:i + 500]))))
    fresh = [r for r in rows if r[5] not in known]
    if fresh:
        session.execute(insert(Reading), [dict(zip(_COLUMNS, r, strict=True)) for r in fresh])
    return fresh


_BINARY_TYPES = ["int4", "int4", "text", "float8", "timestamptz", "text", "timestamptz"]


def _copy(cur: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    # Binary COPY: numbers and instants go over as they are, without formatting them as text.
    with cur.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(_BINARY_TYPES)
        for row in rows:
            copy.write_row(row)


def _copy_readings(session: Session, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """PostgreSQL's bulk path. A new batch (the usual case) is COPYed straight into ``reading``
    inside a savepoint; if any row is already stored (a re-sent batch), the unique key refuses the
    COPY, the savepoint is rolled back, and the batch goes through a session-local staging table and
    one INSERT ... SELECT ... ON CONFLICT DO NOTHING instead (COPY itself cannot skip duplicates),
    whose RETURNING names the rows it stored."""
    connection = session.connection()
    raw = connection.connection.driver_connection
    assert raw is not None
    # A dropped connection or a cancelled COPY is raised as SQLAlchemy raises it (the API answers
    # 503 and the connection is invalidated), not as psycopg's own error (a 500).
    with driver_errors(connection, f"COPY reading ({', '.join(_COLUMNS)}) FROM STDIN"), raw.cursor() as cur:
        try:
            with raw.transaction():  # a savepoint inside the request's transaction
                _copy(cur, "reading", rows)
            return rows
        except UniqueViolation:
            pass
        # ON COMMIT DELETE ROWS: the staging table is empty again whether this transaction commits
        # or rolls back, and it lives only in this connection (no other request sees it).
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS reading_staging (patient_id int, device_id int, kind text, "
                    "value float8, measured_at timestamptz, dedupe_key text, received_at timestamptz) "
                    "ON COMMIT DELETE ROWS")
        cur.execute("TRUNCATE reading_staging")
        _copy(cur, "reading_staging", rows)
        cur.execute(f"INSERT INTO reading ({', '.join(_COLUMNS)}) SELECT {', '.join(_COLUMNS)} FROM reading_staging "
                    "ON CONFLICT (patient_id, dedupe_key) DO NOTHING RETURNING patient_id, device_id, kind, value, "
                    "measured_at")
        return [tuple(r) for r in cur.fetchall()]


def _read_rules(session: Session, patient: Patient, batch: list[vitals.VitalReading], now: datetime,
                policy: clinical.ClinicalPolicy, result: ReadingsRecorded) -> None:
    """The rules over this batch and the readings stored earlier around it: within its span (another
    device's interleaved samples) and one window either side (an episode spanning two batches).

    Earlier readings are told from this batch's by ``received_at`` (this batch's is ``now``), so the
    batch is not read back from the database; a re-sent reading is counted once.
    """
    settings = clinical.settings_for(patient, policy)
    window = vitals.window_before(settings)
    first, last = min(r.at for r in batch), max(r.at for r in batch)
    earlier = session.execute(
        select(Reading.kind, Reading.value, Reading.measured_at)
        .where(Reading.patient_id == patient.id, Reading.kind.in_(sorted({r.kind for r in batch})),
               Reading.measured_at >= first - window, Reading.measured_at <= last + window,
               Reading.received_at < now))
    readings = set(batch) | {vitals.VitalReading(k, v, at) for k, v, at in earlier}
    decision = vitals.evaluate_vitals(list(readings), first, now, settings)
    if decision.findings:
        insert_ignore(session, VitalFinding.__table__, [
            {"patient_id": patient.id, "key": f.key, "at": f.at, "value": f.value} for f in decision.findings])
        result.findings = sorted({f.key for f in decision.findings})
    if decision.emergency:
        codes, facts, reasons = _vital_reasons(decision.emergency, settings)
        result.alert_id, ids = clinical.raise_device_emergency(
            session, patient, codes=codes, facts=facts, reasons=reasons, now=now, policy=policy)
        result.notification_ids += ids
    else:
        # Fever, fast heart rate (the brief's withdrawal signs), low blood pressure...: they reach
        # the caregivers as a check-in reporting them would, if the episode is current. A backlog
        # synced late is kept for the assessment, as late emergencies are.
        fresh = now - timedelta(minutes=settings.vital_alert_max_age_minutes)
        current = sorted({f.key for f in decision.findings if fresh <= f.at <= now})
        if current:
            result.alert_id, ids = clinical.raise_device_findings(session, patient, current, now, policy)
            result.notification_ids += ids


def _vital_reasons(episodes: Sequence[vitals.Sustained],
                   settings: ClinicalSettings) -> tuple[list[str], dict[str, str], list[str]]:
    codes: list[str] = []
    facts: dict[str, str] = {}
    reasons: list[str] = []
    sustained = f"{settings.sustained_readings} readings within {settings.sustained_window_minutes:g} min"
    for e in sorted(episodes, key=lambda e: e.key):
        if e.key in codes:
            continue
        codes.append(e.key)
        if e.key == "slow_breathing":
            facts["rr"] = f"{e.value:g}"
            reasons.append(f"respiratory rate {e.value:g}/min, at or below {settings.resp_rate_emergency_max:g} "
                           f"({sustained}; NEWS2 scores 3; brief: 'Respiratory depression, including slow or "
                           "shallow breathing, is a life-threatening symptom of overdose')")
        else:
            facts["spo2"] = f"{e.value:g}"
            reasons.append(f"SpO2 {e.value:g}%, at or below {settings.spo2_emergency_max:g}% ({sustained}; "
                           "NEWS2 scores 3; shallow breathing, the brief's 'Respiratory depression')")
    return codes, facts, reasons


# -- device events ---------------------------------------------------------------------------------


@dataclass
class EventRecorded:
    event: DeviceEvent
    replayed: bool
    notification_ids: list[int] = field(default_factory=list)


def record_device_event(session: Session, patient: Patient, *, kind: str, occurred_at: datetime, now: datetime,
                        policy: clinical.ClinicalPolicy, device: str | None = None, event_id: str | None = None,
                        confidence: float | None = None, refill_date: date | None = None,
                        dose_mg: Decimal | None = None, request_hash: str | None = None,
                        windows: DoseWindows, refill_time: time, medication_id: int | None = None) -> EventRecorded:
    """Store a device event and act on it (flushed; the caller commits).

    * seizure: an emergency at once, or after the patient's cancel window (the event waits as
      ``pending`` and the tick raises it unless the wearer cancels);
    * pump alarm: a withdrawal-risk emergency at once;
    * pill bottle opened: a dose taken (``record_dose``, source "device") of the medicine the event
      names (``medication_id``, one of the patient's, checked by the caller), else of the one the
      bottle is registered for, else of whichever was due (as any unnamed dose);
    * pump refill date: the refill reminders are planned;
    * fall: recorded.
    Emergencies are raised only for events within ``vital_alert_max_age_minutes``: a seizure synced
    hours late is recorded, not a 911 call. A replay (same event id) changes nothing.
    """
    key = event_id or bounded(f"{device or '-'}/{kind}/{occurred_at.astimezone(UTC).isoformat()}", KEY_LENGTH)
    original = session.scalar(select(DeviceEvent).where(DeviceEvent.patient_id == patient.id,
                                                        DeviceEvent.dedupe_key == key))
    if original is not None:
        if request_hash and (original.details or {}).get("request_hash") not in (None, request_hash):
            raise IdempotencyConflict(key)
        return EventRecorded(original, replayed=True)
    found = resolve_devices(session, patient.id, [device] if device else [], now, kind=_DEVICE_KIND.get(kind, "wearable"),
                            lock=True)
    dev = found.get(device) if device else None
    seen(found.values(), now)
    details: dict[str, Any] = {"request_hash": request_hash} if request_hash else {}
    if refill_date is not None:
        details["refill_date"] = refill_date.isoformat()
    event = DeviceEvent(patient_id=patient.id, device_id=dev.id if dev else None, kind=kind, occurred_at=occurred_at,
                        confidence=confidence, details=details, dedupe_key=key, status="recorded", received_at=now)
    session.add(event)
    session.flush()

    settings = clinical.settings_for(patient, policy)
    fresh = occurred_at >= now - timedelta(minutes=settings.vital_alert_max_age_minutes)
    ids: list[int] = []
    if kind == "seizure" and fresh:
        if settings.seizure_cancel_seconds > 0:
            event.status = "pending"
            event.raise_at = now + timedelta(seconds=settings.seizure_cancel_seconds)
        else:
            ids = raise_event(session, patient, event, now, policy)
    elif kind in PUMP_ALARMS and fresh:
        ids = raise_event(session, patient, event, now, policy)
    elif kind == "pill_bottle_opened":
        if medication_id is None and dev is not None and dev.medication_id is not None:
            # The bottle's medicine, while the patient still takes it (a stopped one falls back).
            medication_id = find_medication(session, patient.id, id=dev.medication_id)
        dose = record_dose(session, patient, taken_at=occurred_at, source="device", now=now, dose_mg=dose_mg,
                           idempotency_key=f"device-event:{event.id}", windows=windows,
                           policy=policy, medication_id=medication_id)
        details["dose_event_id"] = dose.event.id
        event.details = dict(details)
        ids = list(dose.notification_ids)
    elif kind == "pump_refill_scheduled" and dev is not None:
        set_refill_date(dev, refill_date, patient.timezone, refill_time, now)
    return EventRecorded(event, replayed=False, notification_ids=ids)


def raise_event(session: Session, patient: Patient, event: DeviceEvent, now: datetime,
                policy: clinical.ClinicalPolicy) -> list[int]:
    """The emergency a seizure or pump alarm calls for; the event remembers the alert."""
    if event.kind == "seizure":
        confidence = f" (detector confidence {event.confidence:.2f})" if event.confidence is not None else ""
        codes, reasons = ["seizure_detected"], [f"seizure detected by a wearable{confidence} ({_BRIEF_SEIZURE})"]
    else:
        codes, reasons = [event.kind], [f"intrathecal pump alarm: {event.kind.replace('_', ' ')} ({_BRIEF_PUMP})"]
    event.status = "raised"
    event.raise_at = None
    session.flush()  # the assessment reads this event as a finding
    event.alert_id, ids = clinical.raise_device_emergency(session, patient, codes=codes, facts={}, reasons=reasons,
                                                          now=now, policy=policy)
    return ids


class NotCancellable(Exception):
    """The seizure alarm is no longer waiting (already raised, cancelled, or never had a window)."""


def cancel_event(event: DeviceEvent, now: datetime) -> None:
    """The wearer cancels a seizure alarm inside its window: nothing is sent."""
    if event.status != "pending":
        raise NotCancellable(event.status)
    event.status = "cancelled"
    event.raise_at = None
    event.details = {**(event.details or {}), "cancelled_at": now.isoformat()}


# -- the tick's device phases ----------------------------------------------------------------------


def raise_due_seizures(session: Session, now: datetime, batch_size: int, policy: clinical.ClinicalPolicy) -> tuple[int, list[int]]:
    """Seizure alarms whose cancel window has passed uncancelled: raise them now."""
    events = list(session.scalars(
        select(DeviceEvent).where(DeviceEvent.status == "pending", DeviceEvent.raise_at <= now)
        .order_by(DeviceEvent.raise_at, DeviceEvent.id).limit(batch_size).with_for_update(**skip_locked(session))))
    ids: list[int] = []
    patients = {p.id: p for p in session.scalars(select(Patient).where(
        Patient.id.in_({e.patient_id for e in events})))} if events else {}
    for event in events:
        ids += raise_event(session, patients[event.patient_id], event, now, policy)
    return len(events), ids


def _claim_due_devices(session: Session, due_at: Any, now: datetime, batch_size: int
                       ) -> tuple[list[Device], dict[int, Patient], dict[int, list[Caregiver]]]:
    """Claim one batch of devices whose ``due_at`` column (a partial-indexed "due at") has come,
    with their patients and caregivers: three queries for the batch."""
    devices = list(session.scalars(
        select(Device).where(due_at.is_not(None), due_at <= now)
        .order_by(due_at, Device.id).limit(batch_size).with_for_update(**skip_locked(session))))
    if not devices:
        return [], {}, {}
    ids = list({d.patient_id for d in devices})
    patients = {p.id: p for p in session.scalars(select(Patient).where(Patient.id.in_(ids)))}
    caregivers: dict[int, list[Caregiver]] = {}
    for c in session.scalars(select(Caregiver).where(Caregiver.patient_id.in_(ids)).order_by(Caregiver.position)):
        caregivers.setdefault(c.patient_id, []).append(c)
    return devices, patients, caregivers


def announce_offline_devices(session: Session, now: datetime, batch_size: int) -> tuple[int, list[int]]:
    """Devices silent past their expected interval: tell the caregivers once ("wearable offline").
    The check re-arms when the device reports again (:func:`seen`)."""
    devices, patients, caregivers = _claim_due_devices(session, Device.offline_check_at, now, batch_size)
    ids: list[int] = []
    for device in devices:
        patient = patients[device.patient_id]
        last_seen = device.last_seen_at or device.created_at
        # Wall-clock time and ISO date in the patient's zone: the same words in every language.
        local = last_seen.astimezone(zone(patient.timezone)).strftime("%H:%M (%Y-%m-%d)")
        messages = [
            Message(f"device-offline:{device.id}:{last_seen.isoformat()}:{c.id}", caregiver_recipient(c),
                    render("wearable_offline_caregiver", c.language, patient_name=patient.name,
                           device=device.external_id, last_seen=local), kind="device_offline")
            for c in caregivers.get(patient.id, [])
        ]
        ids += queue_messages(session, patient.id, None, messages, now)
        device.offline_check_at = None
    return len(devices), ids


def send_refill_reminders(session: Session, now: datetime, batch_size: int) -> tuple[int, list[int]]:
    """Pump refill reminders that are due: to the patient and every caregiver, once each (the
    dedupe key names the pump, the refill day and the reminder), then plan the next one."""
    devices, patients, caregivers = _claim_due_devices(session, Device.refill_reminder_at, now, batch_size)
    ids: list[int] = []
    for device in devices:
        patient = patients[device.patient_id]
        tz = zone(patient.timezone)
        at = device.refill_reminder_at
        assert device.refill_date is not None and at is not None
        reminder_time = at.astimezone(tz).time()
        days = vitals.due_refill_reminder(device.refill_date, tz, reminder_time, now)
        if days is not None:
            recipients = [r for r in [patient_recipient(patient)] if r] + [
                caregiver_recipient(c) for c in caregivers.get(patient.id, [])]
            template = "pump_refill_today" if days == 0 else "pump_refill_soon"
            messages = [
                Message(f"pump-refill:{device.id}:{device.refill_date.isoformat()}:{days}:{r.kind}:{r.id}", r,
                        render(template, r.language, patient_name=patient.name, days=days,
                               refill_date=device.refill_date.isoformat()), kind="pump_refill")
                for r in recipients
            ]
            ids += queue_messages(session, patient.id, None, messages, now)
        nxt = vitals.next_refill_reminder(device.refill_date, tz, reminder_time, now)
        device.refill_reminder_at, device.refill_reminder_days = nxt if nxt else (None, None)
    return len(devices), ids

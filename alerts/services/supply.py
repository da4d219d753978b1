"""Each medication's supply carried out: taken down as its doses are recorded, set by a refill or a
recount, and a low-supply reminder to the patient and the first caregiver once per low episode
(``alerts.domain.supply``). Everything is written in the caller's transaction: the reminder's
outbox rows commit with the dose or the count that made the supply low.

A refill day passing is the one change nobody records, so each check plans the next one
(``Medication.supply_check_at``, :func:`plan_check`) and the tick claims those due
(:func:`run_due_checks`, ``ix_medication_supply_check_at``): the same decision and the same dedupe
key as a check at a dose, so whichever comes first sends and the other finds the episode begun.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from alerts.domain.medications import BACLOFEN, clinical_pack
from alerts.domain.schedule import zone
from alerts.domain.supply import ZERO, SupplyOutlook, outlook, overdue_check_at, reminder, units_per_day
from alerts.models import Caregiver, CheckIn, DoseSchedule, Medication, Patient
from alerts.services import clinical
from alerts.services.alerts import caregiver_recipient, patient_recipient
from alerts.services.outbox import Message, queue_messages
from alerts.services.sql import insert_ignore, skip_locked

# What a supply edit may change (``update_supply``); the count's time is set with the count.
FIELDS = frozenset({"on_hand", "units_per_dose", "refill_date"})


def supply_outlook(session: Session, medication: Medication, timezone: str, now: datetime,
                   low_days: int) -> SupplyOutlook | None:
    """What the medication's count means today (None: not counted)."""
    if medication.supply_on_hand is None:
        return None
    return _outlook(medication.supply_on_hand, _per_day(session, medication.id, medication.units_per_dose), low_days,
                    timezone, now, medication.refill_date, medication.supply_counted_at)


def _outlook(on_hand: Decimal, per_day: Decimal, low_days: int, timezone: str, now: datetime,
             refill_date: date | None, counted_at: datetime | None) -> SupplyOutlook:
    """The domain's outlook, its days (today, the count's) in the patient's zone."""
    tz = zone(timezone)
    return outlook(on_hand, per_day, low_days, now.astimezone(tz).date(), refill_date=refill_date,
                   counted_on=counted_at.astimezone(tz).date() if counted_at is not None else None)


def _per_day(session: Session, medication_id: int, units_per_dose: Decimal) -> Decimal:
    """Units a day the medication's active schedules use."""
    schedules = session.execute(select(DoseSchedule.times, DoseSchedule.units_per_dose).where(
        DoseSchedule.medication_id == medication_id, DoseSchedule.active.is_(True)))
    return units_per_day([(times, units) for times, units in schedules], units_per_dose)


def update_supply(session: Session, patient: Patient, medication: Medication, changes: Mapping[str, Any],
                  now: datetime, *, low_days: int, policy: clinical.ClinicalPolicy) -> list[int]:
    """A refill, a recount or a new refill day (``changes``: any of :data:`FIELDS`; ``on_hand``
    None stops counting). Returns the outbox ids of a low-supply reminder it started."""
    unknown = set(changes) - FIELDS
    if unknown:
        raise ValueError(f"not a supply field: {', '.join(sorted(unknown))}")
    if "on_hand" in changes:
        medication.supply_on_hand = changes["on_hand"]
        medication.supply_counted_at = now
    if changes.get("units_per_dose") is not None:
        medication.units_per_dose = changes["units_per_dose"]
    if "refill_date" in changes:
        medication.refill_date = changes["refill_date"]
    session.flush()
    return check_supply(session, patient, medication, now, low_days=low_days, policy=policy)


def dose_taken(session: Session, patient: Patient, medication_id: int, schedule_id: int | None, taken_at: datetime,
               now: datetime, *, low_days: int, policy: clinical.ClinicalPolicy) -> list[int]:
    """Take one dose's units (those of ``schedule_id``, the scheduled dose it satisfied, else the
    medication's) off the medication's count, if it is counted and the dose was taken after the
    count (a device syncing last week's doses does not empty a bottle refilled today). One UPDATE,
    a no-op for a medication nobody counts. Returns the outbox ids it queued."""
    units: Any = Medication.units_per_dose
    if schedule_id is not None:
        units = func.coalesce(select(DoseSchedule.units_per_dose).where(DoseSchedule.id == schedule_id)
                              .scalar_subquery(), Medication.units_per_dose)
    row = session.execute(
        update(Medication)
        .where(Medication.id == medication_id, Medication.supply_on_hand.is_not(None),
               Medication.supply_counted_at <= taken_at)
        .values(supply_on_hand=case((Medication.supply_on_hand > units, Medication.supply_on_hand - units),
                                    else_=ZERO))
        .returning(Medication.supply_on_hand, Medication.units_per_dose, Medication.supply_low_since,
                   Medication.refill_date, Medication.supply_counted_at)
        .execution_options(synchronize_session=False)).first()
    if row is None:
        return []
    cached = session.identity_map.get(session.identity_key(Medication, medication_id))
    if cached is not None:
        # The UPDATE above went around the ORM, and holds the row now: read all of it again, so an
        # episode the tick began since this transaction loaded it is this check's episode too.
        session.expire(cached)
    view = _outlook(row.supply_on_hand, _per_day(session, medication_id, row.units_per_dose), low_days,
                    patient.timezone, now, row.refill_date, row.supply_counted_at)
    if not view.low and row.supply_low_since is None:
        return []  # the usual dose: plenty left, no episode to start or end (no more queries)
    medication = session.get(Medication, medication_id)
    assert medication is not None
    return check_supply(session, patient, medication, now, low_days=low_days, policy=policy)


def check_supply(session: Session, patient: Patient, medication: Medication, now: datetime, *, low_days: int,
                 policy: clinical.ClinicalPolicy) -> list[int]:
    """Start a low-supply episode (the reminder, once) or end one (the count lasts again).

    Baclofen at zero is also a supply report that its pack's withdrawal rule reads (the brief: it
    must never be stopped abruptly), once per episode; any other medicine gets the reminder only,
    with no clinical claim. A stopped medication (``admin.stop_medication``) is neither: running
    out of a medicine the prescriber stopped is no reason to refill it, nor a withdrawal sign."""
    plan_check(medication, patient.timezone, now)
    view = supply_outlook(session, medication, patient.timezone, now, low_days)
    if view is None or not view.low or not medication.active:
        medication.supply_low_since = None
        return []
    ids: list[int] = []
    if medication.supply_low_since is None:
        medication.supply_low_since = now
        ids += _remind(session, patient, medication, view, now)
    if view.out and clinical_pack(medication.name, medication.rxnorm_code) == BACLOFEN:
        ids += _ran_out(session, patient, medication, now, policy)
    return ids


def plan_check(medication: Medication, timezone: str, now: datetime) -> None:
    """When the tick next reads this supply: the refill day's overdue check, if it is still ahead
    (one already past was just decided by the caller's check). Only a count, a refill day, the
    zone or stopping the medicine changes it, never a dose."""
    at = _overdue_check_at(medication, timezone)
    medication.supply_check_at = at if at is not None and at > now else None


def replan_checks(session: Session, patient: Patient, now: datetime) -> None:
    """After the patient's zone changed: each planned check at the same local morning in the new
    zone, or at once if that morning has already begun there (nothing has decided it yet)."""
    for medication in session.scalars(select(Medication).where(
            Medication.patient_id == patient.id, Medication.supply_check_at.is_not(None)).with_for_update()):
        at = _overdue_check_at(medication, patient.timezone)
        medication.supply_check_at = None if at is None else max(at, now)


def _overdue_check_at(medication: Medication, timezone: str) -> datetime | None:
    """The domain's overdue check for a counted, active medicine with a refill day (None: none)."""
    if not medication.active or medication.supply_on_hand is None:
        return None
    tz = zone(timezone)
    counted = medication.supply_counted_at
    return overdue_check_at(medication.refill_date, counted.astimezone(tz).date() if counted else None, tz)


def run_due_checks(session: Session, now: datetime, batch_size: int, *, low_days: int,
                   policy: clinical.ClinicalPolicy) -> tuple[int, list[int]]:
    """The tick's supply phase: claim one batch of medications whose planned check is due (oldest
    first, skipping rows another worker holds) and check each as a count or a dose would
    (:func:`check_supply`), which plans the next check or none. Returns (claimed, outbox ids)."""
    medications = list(session.scalars(
        select(Medication).where(Medication.supply_check_at.is_not(None), Medication.supply_check_at <= now)
        .order_by(Medication.supply_check_at, Medication.id).limit(batch_size)
        .with_for_update(**skip_locked(session))))
    if not medications:
        return 0, []
    patients = {p.id: p for p in session.scalars(
        select(Patient).where(Patient.id.in_({m.patient_id for m in medications})))}
    ids: list[int] = []
    for medication in medications:
        # Plans the next check after ``now`` or none (:func:`plan_check`): never claimed twice.
        ids += check_supply(session, patients[medication.patient_id], medication, now, low_days=low_days,
                            policy=policy)
    return len(medications), ids


def _remind(session: Session, patient: Patient, medication: Medication, view: SupplyOutlook,
            now: datetime) -> list[int]:
    first = session.scalar(select(Caregiver).where(Caregiver.patient_id == patient.id)
                           .order_by(Caregiver.position).limit(1))
    recipients = [r for r in (patient_recipient(patient), caregiver_recipient(first) if first else None) if r]
    baclofen = clinical_pack(medication.name, medication.rxnorm_code) == BACLOFEN
    assert medication.supply_low_since is not None
    episode = medication.supply_low_since.isoformat()
    # One reminder per recipient per low episode, whatever made it low (the dedupe key).
    messages = [Message(f"supply-low:{medication.id}:{episode}:{r.kind}:{r.id}", r,
                        reminder(view, r.kind, r.language, patient_name=patient.name, medication=medication.name,
                                 baclofen=baclofen), kind="supply_low")
                for r in recipients]
    return queue_messages(session, patient.id, None, messages, now)


def _ran_out(session: Session, patient: Patient, medication: Medication, now: datetime,
             policy: clinical.ClinicalPolicy) -> list[int]:
    """The count reached zero: a "ran out" supply report, as a patient's text would file it, read
    by the clinical rules in this transaction. Once per low episode (its idempotency key)."""
    assert medication.supply_low_since is not None
    row = {"patient_id": patient.id, "recorded_at": now, "symptoms": {}, "note": None, "supply_problem": "ran_out",
           "source": "supply_count", "idempotency_key": f"supply-out:{medication.id}:{medication.supply_low_since.isoformat()}",
           "request_hash": None, "received_at": now}
    inserted = insert_ignore(session, CheckIn.__table__, [row], returning=CheckIn.id)
    if not inserted:
        return []
    checkin = CheckIn(id=inserted[0], **row)
    alert_id, ids = clinical.evaluate_checkin(session, patient, checkin, now, policy)
    if alert_id is not None:
        session.execute(update(CheckIn).where(CheckIn.id == checkin.id).values(alert_id=alert_id)
                        .execution_options(synchronize_session=False))
    return ids

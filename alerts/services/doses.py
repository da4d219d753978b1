"""Scheduled doses: keep each schedule's next dose, record doses taken, find missed ones."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from alerts.domain.doses import DoseSlot, MedicationChoice, choose_medication, doses_due_now, match_dose
from alerts.domain.medications import clinical_pack
from alerts.domain.packs import registry
from alerts.domain.packs.pack import RulePack, normalise_name
from alerts.domain.schedule import (
    Occurrence,
    change_over,
    following_occurrence,
    next_occurrence,
    rezoned_occurrence,
)
from alerts.models import Alert, Caregiver, Dose, DoseEvent, DoseSchedule, Medication, Patient
from alerts.services import alerts as alert_service
from alerts.services import clinical, supply
from alerts.services.pauses import paused_patient_ids
from alerts.services.sql import insert_ignore, is_postgres

MISSED_DOSE = "missed_dose"


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before with a different request body."""


@dataclass(frozen=True)
class DoseWindows:
    """How long before and after its time a dose taken still counts for a scheduled dose, and how
    many days of supply on hand are low (each dose recorded takes its medication's count down). No
    defaults: always the configured ones (:meth:`from_config`), never a copy that could differ."""

    early: timedelta
    late: timedelta
    low_supply_days: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DoseWindows:
        """The configured windows (``DOSE_EARLY_WINDOW_MINUTES``, ``LATE_DOSE_WINDOW_HOURS``): every
        path that records a dose (API, SMS, the console's sandbox, the shell) uses the same ones."""
        return cls(early=timedelta(minutes=config["DOSE_EARLY_WINDOW_MINUTES"]),
                   late=timedelta(hours=config["LATE_DOSE_WINDOW_HOURS"]),
                   low_supply_days=int(config["SUPPLY_LOW_DAYS"]))


def _dose_row(schedule_id: int, patient_id: int, occ: Occurrence, grace_minutes: int,
              dose_mg: Decimal) -> dict[str, Any]:
    return {
        "patient_id": patient_id, "schedule_id": schedule_id, "due_at": occ.due_at,
        "check_at": occ.due_at + timedelta(minutes=grace_minutes), "local_date": occ.local_date,
        "local_time": occ.local_time, "dose_mg": dose_mg, "status": "pending",
    }


def start_schedule(session: Session, schedule: DoseSchedule, patient: Patient, now: datetime) -> None:
    """Create the schedule's first pending dose (the next one after ``now``)."""
    occ = next_occurrence(schedule.times, patient.timezone, now, schedule.starts_on)
    row = _dose_row(schedule.id, patient.id, occ, schedule.grace_minutes, schedule.dose_mg)
    insert_ignore(session, Dose.__table__, [row])


def rezone_schedule(session: Session, schedule: DoseSchedule, patient: Patient, now: datetime) -> None:
    """Pin the schedule's pending dose to the patient's new zone (``rezoned_occurrence``), in place:
    the dose keeps its identity and its grace; only its instant (and, if the move put later doses in
    the past too, its local time) changes."""
    pending = session.scalar(select(Dose).where(Dose.schedule_id == schedule.id, Dose.status == "pending")
                             .order_by(Dose.local_date, Dose.local_time).limit(1).with_for_update())
    if pending is None:
        start_schedule(session, schedule, patient, now)
        return
    occ = rezoned_occurrence(schedule.times, patient.timezone, pending.local_date, pending.local_time, now)
    pending.due_at, pending.local_date, pending.local_time = occ.due_at, occ.local_date, occ.local_time
    pending.check_at = occ.due_at + timedelta(minutes=schedule.grace_minutes)


def stop_schedule(session: Session, schedule: DoseSchedule) -> None:
    """Deactivate a schedule; its pending dose is no longer watched, nor the doses the versions
    before it still owed today (``hand_over``)."""
    schedule.active = False
    session.execute(update(Dose).where(Dose.schedule_id.in_([schedule.id, *_earlier_versions(session, schedule)]),
                                       Dose.status == "pending").values(status="cancelled"))


def end_schedule(session: Session, schedule: DoseSchedule, now: datetime) -> None:
    """End a schedule from its next dose on (its medication was stopped): the doses it, or a version
    before it, still owes after ``now`` are cancelled, so they are never reminded, escalated or
    offered as due. A dose already due stays as it is (taken late or found missed like any other,
    with no successor, the schedule being inactive), and taken and missed doses keep their history.
    The schedule is ended like a replaced version (``ended_at``), not deleted."""
    session.execute(update(Dose).where(Dose.schedule_id.in_([schedule.id, *_earlier_versions(session, schedule)]),
                                       Dose.status == "pending", Dose.due_at > now).values(status="cancelled"))
    schedule.active = False
    schedule.ended_at = now


# Versions looked back through for doses they still owe. Those are only ever today's (a version
# that keeps its day hands over the next morning), and no one edits one schedule this often a day.
_VERSIONS_BACK = 10


def _earlier_versions(session: Session, schedule: DoseSchedule) -> list[int]:
    """The ids of the versions ``schedule`` replaced, newest first (``DoseSchedule.replaces_id``)."""
    ids: list[int] = []
    previous = schedule.replaces_id
    while previous is not None and len(ids) < _VERSIONS_BACK:
        ids.append(previous)
        previous = session.scalar(select(DoseSchedule.replaces_id).where(DoseSchedule.id == previous))
    return ids


def hand_over(session: Session, old: DoseSchedule, new: DoseSchedule, patient: Patient, now: datetime) -> None:
    """Move the doses still to come from ``old`` to its new version ``new`` (``change_over``).

    Doses of ``old`` already due stay as they are (pending ones are still found missed or taken;
    none gets a successor, ``old`` being inactive). The old doses the rest of today still owes, if
    today keeps its old times, are written now as pending doses of ``old``; its other pending dose
    is cancelled. Doses an earlier version still owes today (a second change the same day) stay,
    and the new times start the day after them. ``new`` starts with its first dose, and ``old`` is
    ended, not deleted: the history keeps the times each dose was due at.
    """
    earlier = session.scalars(select(Dose).where(Dose.schedule_id.in_(_earlier_versions(session, old)),
                                                 Dose.status == "pending", Dose.due_at > now))
    change = change_over(old.times, new.times, patient.timezone, now, old.starts_on,
                         [Occurrence(d.due_at, d.local_date, d.local_time) for d in earlier])
    owed = {(o.local_date, o.local_time) for o in change.old_still_due}
    for dose in session.scalars(select(Dose).where(Dose.schedule_id == old.id, Dose.status == "pending")
                                .with_for_update()):
        if dose.due_at > now and (dose.local_date, dose.local_time) not in owed:
            dose.status = "cancelled"
    # The one already pending among them is skipped by the unique key.
    insert_ignore(session, Dose.__table__, [_dose_row(old.id, patient.id, o, old.grace_minutes, old.dose_mg)
                                            for o in change.old_still_due])
    old.active = False
    old.ended_at = now
    new.replaces_id = old.id
    new.effective_from = change.first.due_at
    session.flush()
    insert_ignore(session, Dose.__table__, [_dose_row(new.id, patient.id, change.first, new.grace_minutes,
                                                      new.dose_mg)])


def schedule_successors(session: Session, doses: Sequence[dict[str, Any]]) -> None:
    """For each dose leaving ``pending``, create its schedule's next dose (one query, one insert):
    the next local time after the dose's own local day and time (``following_occurrence``).

    The unique (schedule, local_date, local_time) constraint makes this safe to repeat.
    """
    schedule_ids = {d["schedule_id"] for d in doses}
    if not schedule_ids:
        return
    info = {
        s.id: (s, tz)
        for s, tz in session.execute(
            select(DoseSchedule, Patient.timezone).join(Patient, Patient.id == DoseSchedule.patient_id)
            .where(DoseSchedule.id.in_(schedule_ids), DoseSchedule.active.is_(True))
        )
    }
    rows = []
    for d in doses:
        if d["schedule_id"] not in info:
            continue
        schedule, tz = info[d["schedule_id"]]
        occ = following_occurrence(schedule.times, tz, d["local_date"], d["local_time"])
        rows.append(_dose_row(schedule.id, schedule.patient_id, occ, schedule.grace_minutes, schedule.dose_mg))
    insert_ignore(session, Dose.__table__, rows)


def medication_names(session: Session, schedule_ids: Collection[int]) -> dict[int, str | None]:
    """Each schedule's medication name (None: a schedule from before medications, i.e. baclofen)."""
    if not schedule_ids:
        return {}
    rows = session.execute(select(DoseSchedule.id, Medication.name)
                           .outerjoin(Medication, Medication.id == DoseSchedule.medication_id)
                           .where(DoseSchedule.id.in_(list(schedule_ids))))
    return {sid: name for sid, name in rows}


def medication_packs(session: Session, schedule_ids: Collection[int]) -> dict[int, RulePack | None]:
    """Each schedule's clinical pack: its medication's (by RxNorm code or name), None for none."""
    if not schedule_ids:
        return {}
    rows = session.execute(select(DoseSchedule.id, Medication.name, Medication.rxnorm_code)
                           .outerjoin(Medication, Medication.id == DoseSchedule.medication_id)
                           .where(DoseSchedule.id.in_(list(schedule_ids))))
    return {sid: registry.pack_for(name, code) for sid, name, code in rows}


# -- missed doses (the tick's first half) -----------------------------------------------------------


def claim_missed(session: Session, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Atomically move up to ``limit`` overdue pending doses to ``missed``; return them.

    On PostgreSQL the inner SELECT locks with SKIP LOCKED, so two ticks running at once claim
    disjoint batches; the outer ``status = 'pending'`` re-check makes the UPDATE a compare-and-set
    on SQLite too, where BEGIN IMMEDIATE already serialises writers.
    """
    inner = (
        select(Dose.id).where(Dose.status == "pending", Dose.check_at <= now)
        .order_by(Dose.check_at, Dose.id).limit(limit)
    )
    if is_postgres(session):
        inner = inner.with_for_update(skip_locked=True)
    stmt = (
        update(Dose).where(Dose.id.in_(inner.scalar_subquery()), Dose.status == "pending")
        .values(status="missed", missed_at=now)
        .returning(Dose.id, Dose.patient_id, Dose.schedule_id, Dose.due_at, Dose.local_date, Dose.local_time,
                   Dose.dose_mg)
        .execution_options(synchronize_session=False)
    )
    return [dict(r._mapping) for r in session.execute(stmt)]


def _slot(dose: dict[str, Any], drugs: Mapping[int, str | None]) -> list[str | None]:
    """A missed dose as the alert's messages name it: its local day, wall-clock time and medicine
    (None: baclofen, a schedule from before medications)."""
    return [dose["local_date"].isoformat(), dose["local_time"], drugs.get(dose["schedule_id"])]


def open_missed_dose_alerts(session: Session, missed: Sequence[dict[str, Any]], now: datetime) -> list[Alert]:
    """One open missed-dose alert per patient: a new one, or the open one the dose is added to."""
    if not missed:
        return []
    by_patient: dict[int, list[dict[str, Any]]] = {}
    for d in missed:
        by_patient.setdefault(d["patient_id"], []).append(d)
    # A paused patient's dose stays missed (history is true) but reminds and escalates to no one.
    for pid in paused_patient_ids(session, by_patient, now):
        del by_patient[pid]
    if not by_patient:
        return []
    existing = alert_service.open_alerts_by_patient(session, by_patient, MISSED_DOSE)
    new_ids = [pid for pid in by_patient if pid not in existing]
    patients = {p.id: p for p in session.scalars(select(Patient).where(Patient.id.in_(new_ids)))} if new_ids else {}
    caregivers: dict[int, list[Caregiver]] = {}
    if new_ids:
        for c in session.scalars(select(Caregiver).where(Caregiver.patient_id.in_(new_ids)).order_by(Caregiver.position)):
            caregivers.setdefault(c.patient_id, []).append(c)
    drugs = medication_names(session, {d["schedule_id"] for ds in by_patient.values() for d in ds})
    opened: list[Alert] = []
    alert_of: dict[int, Alert] = {}
    for pid, doses in by_patient.items():
        doses.sort(key=lambda d: d["due_at"])
        alert = existing.get(pid)
        if alert is None:
            first = doses[0]
            patient = patients[pid]
            # Not flushed one by one: the single flush below inserts them all in one batched statement.
            alert = alert_service.new_alert(
                patient, caregivers.get(pid, []), kind=MISSED_DOSE, condition_key=MISSED_DOSE, now=now,
                details={"patient_name": patient.name, "dose_time": first["local_time"],
                         "due_at": first["due_at"].isoformat(), "dose_mg": str(first["dose_mg"]),
                         "timezone": patient.timezone, "missed_dose_ids": [d["id"] for d in doses],
                         "missed": [_slot(d, drugs) for d in doses], "medication": drugs.get(first["schedule_id"])},
            )
            opened.append(alert)
        else:
            details = dict(alert.details)
            details["missed_dose_ids"] = list(details.get("missed_dose_ids", [])) + [d["id"] for d in doses]
            if "missed" in details:
                details["missed"] = list(details["missed"]) + [_slot(d, drugs) for d in doses]
            alert.details = details
        alert_of[pid] = alert
    session.add_all(opened)
    session.flush()
    dose = Dose.__table__
    # One executemany (pipelined by psycopg) rather than one ORM UPDATE per dose.
    session.execute(
        update(dose).where(dose.c.id == bindparam("b_dose")).values(alert_id=bindparam("b_alert")),
        [{"b_dose": d["id"], "b_alert": alert_of[pid].id} for pid, doses in by_patient.items() for d in doses],
    )
    return opened


# -- doses taken ------------------------------------------------------------------------------------


@dataclass
class DoseRecorded:
    event: DoseEvent
    replayed: bool
    dose: Dose | None = None
    notification_ids: tuple[int, ...] = ()
    # Which medicine the dose was recorded as, and how that was decided (``choose_medication``).
    medication: MedicationChoice | None = None


def active_medications(session: Session, patient_id: int) -> dict[int | None, str | None]:
    """The patient's active medications, id -> name, oldest first; with ``None: None`` first when an
    active schedule names no medication (written before medications were data: baclofen)."""
    legacy = select(DoseSchedule.id).where(DoseSchedule.patient_id == patient_id, DoseSchedule.active.is_(True),
                                           DoseSchedule.medication_id.is_(None)).limit(1)
    rows: dict[int | None, str | None] = {None: None} if session.scalar(legacy) is not None else {}
    rows.update(session.execute(select(Medication.id, Medication.name).where(
        Medication.patient_id == patient_id, Medication.active.is_(True)).order_by(Medication.id)).all())
    return rows


def find_medication(session: Session, patient_id: int, *, id: int | None = None, name: str | None = None,
                    rxnorm_code: str | None = None) -> int | None:
    """The id of the patient's active medication with this id, name (case and spacing ignored) or
    RxNorm code; None if the patient has no such medication."""
    rows = session.execute(select(Medication.id, Medication.name, Medication.rxnorm_code).where(
        Medication.patient_id == patient_id, Medication.active.is_(True)).order_by(Medication.id)).all()
    for row in rows:
        if (id is not None and row.id == id) or (rxnorm_code is not None and row.rxnorm_code == rxnorm_code) or (
                name is not None and normalise_name(row.name) == normalise_name(name)):
            return int(row.id)
    return None


def _open_doses(session: Session, patient: Patient, lo: datetime, hi: datetime, *,
                lock: bool = False) -> list[tuple[Dose, DoseSlot]]:
    """The patient's pending and missed doses due in [lo, hi], each with its slot for matching (its
    medication, and whether that medication has a clinical pack)."""
    stmt = (select(Dose, DoseSchedule.medication_id, Medication.name)
            .join(DoseSchedule, DoseSchedule.id == Dose.schedule_id)
            .outerjoin(Medication, Medication.id == DoseSchedule.medication_id)
            .where(Dose.patient_id == patient.id, Dose.status.in_(("pending", "missed")), Dose.due_at >= lo,
                   Dose.due_at <= hi))
    if lock:
        stmt = stmt.with_for_update(of=Dose)
    return [(d, DoseSlot(d.id, d.due_at, d.status, medication_id, clinical_pack(name) is not None))
            for d, medication_id, name in session.execute(stmt)]


def record_dose(session: Session, patient: Patient, *, taken_at: datetime, source: str, now: datetime,
                dose_mg: Decimal | None = None, note: str | None = None, idempotency_key: str | None = None,
                request_hash: str | None = None, windows: DoseWindows,
                policy: clinical.ClinicalPolicy, medication_id: int | None = None) -> DoseRecorded:
    """Record that a dose was taken; mark the scheduled dose it satisfies; stop a missed-dose alert
    once every medicine it is about has a dose; read the toxicity rules (a dose too soon, more than
    the daily total) when the medicine has a clinical pack.

    ``medication_id`` (one of the patient's, checked by the caller) restricts the match to that
    medicine's doses; without it the medicine is decided by ``choose_medication`` and returned.
    A replay (same idempotency key and body) returns the original event and changes nothing.
    """
    if idempotency_key:
        original = session.scalar(select(DoseEvent).where(DoseEvent.patient_id == patient.id,
                                                          DoseEvent.idempotency_key == idempotency_key))
        if original is not None:
            if request_hash and original.request_hash and original.request_hash != request_hash:
                raise IdempotencyConflict(idempotency_key)
            return DoseRecorded(original, replayed=True,
                                dose=session.get(Dose, original.dose_id) if original.dose_id else None,
                                medication=(MedicationChoice(original.medication_id, original.medication_basis)
                                            if original.medication_basis else None))

    medications = active_medications(session, patient.id)
    candidates = _open_doses(session, patient, taken_at - windows.late, taken_at + windows.early, lock=True)
    chosen = match_dose([slot for _, slot in candidates], taken_at, early_window=windows.early,
                        late_window=windows.late, medication_id=medication_id)
    dose = next((d for d, slot in candidates if slot == chosen), None)
    choice = choose_medication(medication_id, list(medications), chosen)

    event = DoseEvent(patient_id=patient.id, taken_at=taken_at, source=source, dose_mg=dose_mg, note=note,
                      idempotency_key=idempotency_key, request_hash=request_hash,
                      dose_id=dose.id if dose else None, received_at=now, medication_id=choice.medication_id,
                      medication_basis=choice.basis)
    session.add(event)
    if dose is not None:
        was_pending = dose.status == "pending"
        dose.status = "taken"
        dose.taken_at = taken_at
        if was_pending:
            schedule_successors(session, [{"schedule_id": dose.schedule_id, "local_date": dose.local_date,
                                           "local_time": dose.local_time}])
    session.flush()

    ids: list[int] = []
    alert = session.scalar(select(Alert).where(Alert.patient_id == patient.id, Alert.condition_key == MISSED_DOSE,
                                               Alert.status == "open").with_for_update())
    if alert is not None and _alert_covered(session, alert, choice.medication_id, dose is not None, taken_at):
        ids = alert_service.resolve_on_dose(session, alert, taken_at=taken_at, tz=patient.timezone, now=now)
    if dose is not None and dose.alert_id is not None and (alert is None or alert.id != dose.alert_id):
        # The dose of a missed-dose alert a caregiver already acknowledged: they (and the others
        # told) get the all-clear too, or "OK, on my way" is the last they hear of it.
        handled = session.get(Alert, dose.alert_id)
        if handled is not None and handled.status == "acknowledged":
            ids += alert_service.all_clear_after_ack(session, handled, taken_at=taken_at, tz=patient.timezone,
                                                     now=now)
    pack = _dose_pack(session, dose, choice.medication_id)
    if pack is not None:
        ids += clinical.evaluate_dose(session, patient, taken_at, now, policy, pack)
    if choice.medication_id is not None:
        ids += supply.dose_taken(session, patient, choice.medication_id, dose.schedule_id if dose else None,
                                 taken_at, now, low_days=windows.low_supply_days, policy=policy)
    return DoseRecorded(event, replayed=False, dose=dose, notification_ids=tuple(ids), medication=choice)


def _dose_pack(session: Session, dose: Dose | None, medication_id: int | None) -> RulePack | None:
    """The pack that reads this dose, None for none (a medicine without one gets no clinical claim).

    A scheduled dose is its schedule's medication's. An unscheduled one is the medicine it was
    recorded as; a dose of no known medicine (several taken, none due, none named) is read by the
    legacy pack, as every dose was before medications were data: an extra baclofen tablet must never
    go unread because the report did not say which pill it was."""
    if dose is not None:
        return medication_packs(session, [dose.schedule_id])[dose.schedule_id]
    if medication_id is None:
        return registry.LEGACY
    medication = session.get(Medication, medication_id)
    return registry.pack_for(medication.name, medication.rxnorm_code) if medication is not None else registry.LEGACY


def _alert_covered(session: Session, alert: Alert, medication_id: int | None, matched: bool,
                   taken_at: datetime) -> bool:
    """Whether a dose of ``medication_id`` ends the missed-dose alert: once each medicine the alert
    is about has a dose recorded (one of its missed doses taken late, or this one), the escalation
    stops. Baclofen taken while the metformin is still missing keeps it running."""
    rows = session.execute(select(DoseSchedule.medication_id, Dose.status, Dose.due_at)
                           .join(DoseSchedule, DoseSchedule.id == Dose.schedule_id)
                           .where(Dose.alert_id == alert.id)).all()
    if not rows:
        return True
    # An unscheduled dose counts only if taken after the first dose the alert is about: a device
    # syncing a dose from two days ago says nothing about whether today's missed dose was taken.
    counts = matched or taken_at >= min(r.due_at for r in rows)
    outstanding = {r.medication_id for r in rows} - {r.medication_id for r in rows if r.status == "taken"}
    if counts:
        outstanding.discard(medication_id)
    return not outstanding


def dose_due_now(session: Session, patient: Patient, now: datetime, windows: DoseWindows) -> Dose | None:
    """The dose a patient means by replying TAKEN now (for the SMS webhook's reply text)."""
    candidates = _open_doses(session, patient, now - windows.late, now + windows.early)
    chosen = match_dose([slot for _, slot in candidates], now, early_window=windows.early, late_window=windows.late)
    return next((d for d, slot in candidates if slot == chosen), None)


def doses_due(session: Session, patient: Patient, now: datetime, windows: DoseWindows,
              medication_ids: Collection[int] | None = None) -> list[tuple[Dose, int | None]]:
    """The doses a "took it" sent now covers (``doses_due_now``), each with its medication id; with
    ``medication_ids`` (the text named them), each named medicine's own due dose instead."""
    candidates = _open_doses(session, patient, now - windows.late, now + windows.early)
    slots = [slot for _, slot in candidates]
    if medication_ids is None:
        chosen = doses_due_now(slots, now, early_window=windows.early, late_window=windows.late)
    else:
        chosen = [s for s in (match_dose(slots, now, early_window=windows.early, late_window=windows.late,
                                         medication_id=m) for m in medication_ids) if s is not None]
    by_slot = {slot: d for d, slot in candidates}
    return [(by_slot[s], s.medication_id) for s in chosen]

"""Managing patients, caregivers, dose schedules and tokens: shared by the admin API and the CLI.

Functions take plain values (``alerts.domain.enrolment``; each caller converts its own checked
input), add or change rows and flush; the caller commits. Conflicts a person can fix (a taken escalation position, an unknown patient id) raise
:class:`AdminError` subclasses with a message meant for that person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alerts.domain.enrolment import NewCaregiver, NewMedication, NewPatient, NewSchedule, NewToken
from alerts.domain.medications import BACLOFEN, clinical_pack, is_baclofen
from alerts.models import ApiToken, Caregiver, Dose, DoseSchedule, Medication, Notification, Patient
from alerts.services import checkin_prompts, supply, wearables
from alerts.services.doses import end_schedule, hand_over, rezone_schedule, start_schedule, stop_schedule
from alerts.services.tokens import create_token as _create_token


class AdminError(Exception):
    """A request that cannot be carried out as asked; the message says why."""


class Conflict(AdminError):
    """It clashes with what is stored (HTTP 409)."""


class Invalid(AdminError):
    """It refers to something that does not exist or fits no rule (HTTP 422)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# -- patients --------------------------------------------------------------------------------------


def create_patient(session: Session, data: NewPatient, now: datetime, *,
                   default_escalation_minutes: int) -> Patient:
    values = asdict(data)
    if values["escalation_minutes"] is None:
        values["escalation_minutes"] = default_escalation_minutes
    patient = Patient(**values)
    checkin_prompts.plan(patient, now)
    session.add(patient)
    session.flush()
    return patient


def list_patients(session: Session, limit: int = 1000) -> list[Patient]:
    return list(session.scalars(select(Patient).order_by(Patient.id).limit(limit)))


def update_patient(session: Session, patient: Patient, changes: Mapping[str, Any], now: datetime) -> Patient:
    """Apply ``changes`` (column name -> new value: the fields sent). A new time zone re-plans every
    active schedule's pending dose, the daily check-in prompt, pump refill reminders and supply checks."""
    old_zone = patient.timezone
    for name, value in changes.items():
        setattr(patient, name, value)
    if "checkin_prompt_time" in changes or patient.timezone != old_zone:
        checkin_prompts.plan(patient, now)
    session.flush()
    if patient.timezone != old_zone:
        replan_pending_doses(session, patient, now)
        wearables.rezone_refill_reminders(session, patient, old_zone, now)
        supply.replan_checks(session, patient, now)
    return patient


def replan_pending_doses(session: Session, patient: Patient, now: datetime) -> None:
    """Pin each active schedule's pending dose to the patient's current zone (``rezone_schedule``).

    Not "the next dose after now in the new zone": moving west, that was a dose already taken
    (20:00 in London, then 20:00 the same day in New York: a second dose five hours after the
    first); moving east, the dose still owed was skipped (08:00 in New York not yet due, 08:00 in
    London already past: nothing until 20:00). Taken and missed doses keep their history.
    """
    for schedule in active_schedules(session, patient.id):
        rezone_schedule(session, schedule, patient, now)


# -- caregivers ------------------------------------------------------------------------------------


def add_caregiver(session: Session, patient: Patient, data: NewCaregiver) -> Caregiver:
    """Add a caregiver at ``position`` (default: last). Conflict if the position or phone is taken."""
    taken = {c.position: c for c in session.scalars(select(Caregiver).where(Caregiver.patient_id == patient.id))}
    position = data.position or (max(taken, default=0) + 1)
    if position in taken:
        raise Conflict(f"position {position} is already {taken[position].name}'s; "
                       "choose another position or remove that caregiver first")
    if any(c.phone == data.phone for c in taken.values()):
        raise Conflict(f"{data.phone} is already a caregiver of patient {patient.id}")
    quiet_start, quiet_end = data.quiet_hours or (None, None)
    caregiver = Caregiver(patient_id=patient.id, name=data.name, phone=data.phone, position=position,
                          language=data.language, quiet_start=quiet_start, quiet_end=quiet_end,
                          timezone=data.timezone)
    try:
        # A savepoint: losing a race for the position must not undo the caller's other work.
        with session.begin_nested():
            session.add(caregiver)
    except IntegrityError:
        raise Conflict(f"position {position} or phone {data.phone} was taken meanwhile; try again") from None
    return caregiver


def reorder_caregivers(session: Session, patient: Patient, caregiver_ids: Sequence[int]) -> list[Caregiver]:
    """Put the patient's caregivers in this order (first called first): positions 1, 2, 3...

    ``caregiver_ids`` must name each of the patient's caregivers once. Alerts already open keep the
    order they were opened with (their escalation was copied); new ones follow this one. Caregiver
    steps of a custom escalation name positions, so they now reach whoever holds that place.
    """
    caregivers = {c.id: c for c in session.scalars(select(Caregiver).where(Caregiver.patient_id == patient.id)
                                                   .with_for_update())}
    if sorted(caregiver_ids) != sorted(caregivers):
        raise Invalid("order", "list each of the patient's caregivers exactly once")
    # Through positions no one holds (negative) first: (patient, position) is unique at every flush.
    for i, cid in enumerate(caregiver_ids, start=1):
        caregivers[cid].position = -i
    session.flush()
    for i, cid in enumerate(caregiver_ids, start=1):
        caregivers[cid].position = i
    session.flush()
    return [caregivers[cid] for cid in caregiver_ids]


def update_caregiver(session: Session, caregiver: Caregiver, *, language: str,
                     quiet_hours: tuple[str, str] | None, timezone: str | None) -> Caregiver:
    """Set a caregiver's language, quiet hours and zone (validated by the caller:
    ``alerts.domain.quiet_hours.check_quiet_hours``, ``alerts.domain.schedule.check_zone_name``;
    None: the patient's zone). Texts already queued keep theirs."""
    caregiver.language = language
    caregiver.quiet_start, caregiver.quiet_end = quiet_hours or (None, None)
    caregiver.timezone = timezone
    session.flush()
    return caregiver


def remove_caregiver(session: Session, caregiver: Caregiver, now: datetime) -> None:
    """Remove a caregiver: from now on nobody texts or calls them about the patient. New alerts skip
    them; alerts already open keep their copied escalation but pass them by
    (``alerts.services.alerts.run_steps``); what was queued for them and not yet sent (a text held
    for their quiet hours) is cancelled."""
    session.execute(update(Notification)
                    .where(Notification.recipient_kind == "caregiver", Notification.recipient_id == caregiver.id,
                           Notification.status == "queued")
                    .values(status="cancelled", last_error="caregiver removed before send", updated_at=now)
                    .execution_options(synchronize_session=False))
    session.delete(caregiver)
    session.flush()


# -- schedules -------------------------------------------------------------------------------------


def add_schedule(session: Session, patient: Patient, data: NewSchedule, now: datetime, *,
                 default_grace_minutes: int) -> DoseSchedule:
    """Create a schedule and its first pending dose (the next dose time after ``now``)."""
    grace = default_grace_minutes if data.grace_minutes is None else data.grace_minutes
    if data.medication_id is None:
        medication = patient_baclofen(session, patient)
    else:
        medication = _own_medication(session, patient, data.medication_id)
    schedule = DoseSchedule(patient_id=patient.id, times=list(data.times), dose_mg=data.dose_mg,
                            grace_minutes=grace, starts_on=data.starts_on, active=True,
                            medication_id=medication.id, units_per_dose=data.units_per_dose)
    session.add(schedule)
    session.flush()
    start_schedule(session, schedule, patient, now)
    return schedule


def move_schedule(session: Session, schedule: DoseSchedule, medication_id: int, now: datetime) -> DoseSchedule:
    """Put a schedule under another of the patient's medications, from its next dose on.

    The same path as any schedule edit (:func:`edit_schedule`): the old version ends, its history
    staying with the medication it was for, and the new one takes over from the next dose not yet
    due. Returns the schedule now in force (the same one if it already was that medication's).
    """
    patient = session.get(Patient, schedule.patient_id)
    assert patient is not None
    medication = _own_medication(session, patient, medication_id)
    if schedule.medication_id == medication.id and schedule.active:
        return schedule
    return edit_schedule(session, schedule, now, medication_id=medication.id)


def edit_schedule(session: Session, schedule: DoseSchedule, now: datetime, *, times: Sequence[str] | None = None,
                  dose_mg: Decimal | None = None, grace_minutes: int | None = None,
                  medication_id: int | None = None, units_per_dose: Decimal | None = None) -> DoseSchedule:
    """Change a schedule from its next dose on: a new version with the values given (the others
    copied), handed over without doubling or dropping a dose (``alerts.domain.schedule.change_over``).
    The old version is ended, not deleted, and its doses keep pointing at it. Returns the new one.
    """
    patient = session.get(Patient, schedule.patient_id)
    assert patient is not None
    session.refresh(schedule, with_for_update=True)  # two edits at once: the second finds it ended
    if not schedule.active:
        raise Conflict(f"schedule {schedule.id} is stopped or was changed meanwhile; reload and try again")
    new = DoseSchedule(patient_id=patient.id, times=list(schedule.times if times is None else times),
                       dose_mg=schedule.dose_mg if dose_mg is None else dose_mg,
                       grace_minutes=schedule.grace_minutes if grace_minutes is None else grace_minutes,
                       starts_on=schedule.starts_on, active=True,
                       medication_id=schedule.medication_id if medication_id is None else medication_id,
                       units_per_dose=schedule.units_per_dose if units_per_dose is None else units_per_dose)
    session.add(new)
    session.flush()
    hand_over(session, schedule, new, patient, now)
    return new


def remove_schedule(session: Session, schedule: DoseSchedule) -> None:
    """Stop a schedule: its pending dose is cancelled and no more doses are planned. History stays."""
    stop_schedule(session, schedule)
    session.flush()


def active_schedules(session: Session, patient_id: int) -> list[DoseSchedule]:
    return list(session.scalars(select(DoseSchedule).where(DoseSchedule.patient_id == patient_id,
                                                           DoseSchedule.active.is_(True)).order_by(DoseSchedule.id)))


def next_dose_at(session: Session, schedule_ids: Sequence[int]) -> dict[int, datetime]:
    """Each schedule's pending dose time (for the patient detail view)."""
    if not schedule_ids:
        return {}
    rows = session.execute(select(Dose.schedule_id, func.min(Dose.due_at)).where(
        Dose.schedule_id.in_(list(schedule_ids)), Dose.status == "pending").group_by(Dose.schedule_id))
    return {sid: due for sid, due in rows}


# -- medications -----------------------------------------------------------------------------------


def add_medication(session: Session, patient: Patient, data: NewMedication) -> Medication:
    medication = Medication(patient_id=patient.id, name=" ".join(data.name.split()), strength=data.strength,
                            route=data.route, rxnorm_code=data.rxnorm_code, active=True)
    session.add(medication)
    session.flush()
    return medication


# What a medication is may be corrected after it was added; its supply has its own path
# (``supply.update_supply``) and whether it is taken at all is :func:`stop_medication`'s.
MEDICATION_FIELDS = frozenset({"name", "strength", "route", "rxnorm_code"})


def update_medication(session: Session, medication: Medication, changes: Mapping[str, Any]) -> Medication:
    """Apply ``changes`` (field -> new value, among :data:`MEDICATION_FIELDS`) to a medication.

    Its schedules, doses and supply stay. Which clinical pack reads it is never stored: every
    reader asks ``clinical_pack`` / ``registry.pack_for`` of the row's name and code when it reads
    a dose, a check-in or a reply, so a rename (levetiracetam corrected to baclofen, or the other
    way) is read by the new pack from the next one on. Alerts already raised keep the pack that
    raised them (``details["pack"]``): they were true of what was known then.
    """
    unknown = set(changes) - MEDICATION_FIELDS
    if unknown:
        raise Invalid(min(unknown), "not a field of a medication that can be changed here")
    for name, value in changes.items():
        setattr(medication, name, " ".join(value.split()) if name == "name" else value)
    session.flush()
    return medication


def stops_baclofen(medication: Medication) -> bool:
    """Whether stopping ``medication`` stops baclofen: the brief's warning applies (abrupt baclofen
    withdrawal can cause seizures, hallucinations and high fever), so a stop needs the prescriber's
    order confirmed."""
    return clinical_pack(medication.name, medication.rxnorm_code) == BACLOFEN


def stop_medication(session: Session, medication: Medication, now: datetime, *,
                    prescriber_ordered: bool) -> list[DoseSchedule]:
    """Record that the prescriber stopped ``medication``: each of its active schedules ends from the
    next dose (``doses.end_schedule``) and the medication is inactive, so it is no longer reminded,
    escalated, listed as due or matched by a "took it" reply. Nothing already taken or missed is
    rewritten, and nothing is sent: no message may speak of stopping a dose. Returns the schedules
    ended. Baclofen needs ``prescriber_ordered`` (:func:`stops_baclofen`)."""
    if stops_baclofen(medication) and not prescriber_ordered:
        raise Invalid("confirm_prescriber_ordered",
                      "baclofen must never be stopped abruptly: confirm that the prescriber ordered this stop "
                      "(confirm_prescriber_ordered: true)")
    session.refresh(medication, with_for_update=True)  # two stops at once: the second finds it stopped
    if not medication.active:
        raise Conflict(f"medication {medication.id} is already stopped")
    schedules = list(session.scalars(select(DoseSchedule).where(
        DoseSchedule.medication_id == medication.id, DoseSchedule.active.is_(True))
        .order_by(DoseSchedule.id).with_for_update()))
    for schedule in schedules:
        end_schedule(session, schedule, now)
    medication.active = False
    medication.supply_check_at = None  # a stopped medicine's refill is nobody's to chase
    session.flush()
    return schedules


def list_medications(session: Session, patient_id: int) -> list[Medication]:
    return list(session.scalars(select(Medication).where(Medication.patient_id == patient_id)
                                .order_by(Medication.id)))


def patient_baclofen(session: Session, patient: Patient) -> Medication:
    """The patient's active baclofen (a schedule given no medication is baclofen's); made if missing."""
    for medication in list_medications(session, patient.id):
        if medication.active and is_baclofen(medication.name):
            return medication
    medication = Medication(patient_id=patient.id, name=BACLOFEN, route="oral", active=True)
    session.add(medication)
    session.flush()
    return medication


def _own_medication(session: Session, patient: Patient, medication_id: int) -> Medication:
    medication = session.get(Medication, medication_id)
    if medication is None or medication.patient_id != patient.id:
        raise Invalid("medication_id", f"patient {patient.id} has no medication {medication_id}")
    if not medication.active:
        raise Invalid("medication_id", f"medication {medication_id} is not active")
    return medication


# -- tokens ----------------------------------------------------------------------------------------


def create_token(session: Session, data: NewToken) -> tuple[ApiToken, str]:
    """Issue a token for the listed patients; returns it with its secret (shown once)."""
    ids = sorted(set(data.patient_ids))
    caregiver = None
    if data.caregiver_id is not None:
        caregiver = session.get(Caregiver, data.caregiver_id)
        if caregiver is None:
            raise Invalid("caregiver_id", f"no caregiver {data.caregiver_id}")
        if data.role != "client":
            raise Invalid("role", "a caregiver's token is a client token")
        if ids not in ([], [caregiver.patient_id]):
            raise Invalid("patient_ids", f"a caregiver's token is for their patient {caregiver.patient_id} only")
        ids = [caregiver.patient_id]
    if data.role == "client" and not ids:
        raise Invalid("patient_ids", "a client token needs at least one patient")
    if data.role == "clinician" and not ids:
        raise Invalid("patient_ids", "a clinician token needs at least one patient (the clinician's panel)")
    if data.role == "device" and len(ids) != 1:
        raise Invalid("patient_ids", "a device token is issued for exactly one patient")
    patients = list(session.scalars(select(Patient).where(Patient.id.in_(ids)))) if ids else []
    missing = sorted(set(ids) - {p.id for p in patients})
    if missing:
        raise Invalid("patient_ids", f"no patient {', '.join(map(str, missing))}")
    return _create_token(session, data.name, data.role, patients, caregiver=caregiver)

"""Admin API: patients, caregivers, dose schedules and tokens. Admin tokens only.

The work is in ``alerts.services.admin`` (the ``dosewatch admin`` CLI calls the same functions).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask import Blueprint, Response, current_app, request
from sqlalchemy import select

from alerts.api.auth import current_token, require_token
from alerts.api.deps import db_session
from alerts.api.problems import Problem
from alerts.api.validation import json_response, parse_body
from alerts.clock import utcnow
from alerts.domain.medications import clinical_pack
from alerts.models import Caregiver, DoseSchedule, Medication, Patient
from alerts.services import admin as service
from alerts.services import audit
from alerts.services import supply as supply_service
from alerts.services.clinical import ClinicalPolicy
from workers.dispatch import kick_outbox
from schemas.admin import (
    CaregiverIn,
    CaregiverOut,
    CaregiverPatch,
    MedicationIn,
    MedicationList,
    MedicationOut,
    MedicationPatch,
    MedicationStopIn,
    PatientDetailOut,
    PatientIn,
    PatientList,
    PatientOut,
    PatientPatch,
    ScheduleEditIn,
    ScheduleIn,
    ScheduleMedicationIn,
    ScheduleOut,
    SupplyIn,
    SupplyOut,
    TokenIn,
    TokenOut,
)

bp = Blueprint("admin", __name__, url_prefix="/v1/admin")


def _get(model: type, ident: int, what: str):  # type: ignore[no-untyped-def]
    row = db_session().get(model, ident)
    if row is None:
        raise Problem(404, "Not Found", f"There is no {what} {ident}.")
    return row


def _admin_problem(exc: service.AdminError) -> Problem:
    if isinstance(exc, service.Conflict):
        return Problem(409, "Conflict", str(exc))
    if isinstance(exc, service.Invalid):
        return Problem(422, "Invalid request", str(exc),
                       errors=[{"loc": exc.field, "msg": exc.message, "type": "invalid_reference"}])
    return Problem(422, "Invalid request", str(exc))


def schedule_out(schedule: DoseSchedule, next_at: Mapping[int, datetime]) -> ScheduleOut:
    return ScheduleOut.model_validate(schedule).model_copy(update={"next_dose_at": next_at.get(schedule.id)})


def patient_detail(patient: Patient) -> PatientDetailOut:
    session = db_session()
    caregivers = session.scalars(select(Caregiver).where(Caregiver.patient_id == patient.id)
                                 .order_by(Caregiver.position))
    schedules = list(session.scalars(select(DoseSchedule).where(DoseSchedule.patient_id == patient.id)
                                     .order_by(DoseSchedule.id)))
    next_at = service.next_dose_at(session, [s.id for s in schedules])
    return PatientDetailOut(
        **PatientOut.model_validate(patient).model_dump(),
        caregivers=[CaregiverOut.model_validate(c) for c in caregivers],
        schedules=[schedule_out(s, next_at) for s in schedules],
    )


# -- patients --------------------------------------------------------------------------------------


@bp.post("/patients")
@require_token(role="admin")
def create_patient() -> Response:
    data = parse_body(PatientIn)
    session = db_session()
    patient = service.create_patient(session, data.to_domain(), utcnow(),
                                     default_escalation_minutes=current_app.config["DEFAULT_ESCALATION_MINUTES"])
    session.commit()
    return json_response(PatientOut.model_validate(patient), 201,
                         {"Location": f"/v1/admin/patients/{patient.id}"})


@bp.get("/patients")
@require_token(role="admin")
def list_patients() -> Response:
    return json_response(PatientList(patients=[PatientOut.model_validate(p)
                                               for p in service.list_patients(db_session())]))


@bp.get("/patients/<int:patient_id>")
@require_token(role="admin")
def get_patient(patient_id: int) -> Response:
    return json_response(patient_detail(_get(Patient, patient_id, "patient")))


@bp.patch("/patients/<int:patient_id>")
@require_token(role="admin")
def update_patient(patient_id: int) -> Response:
    patient = _get(Patient, patient_id, "patient")
    patch = parse_body(PatientPatch)
    session = db_session()
    service.update_patient(session, patient, patch.changes(), utcnow())
    session.commit()
    return json_response(patient_detail(patient))


# -- caregivers ------------------------------------------------------------------------------------


@bp.post("/patients/<int:patient_id>/caregivers")
@require_token(role="admin")
def add_caregiver(patient_id: int) -> Response:
    patient = _get(Patient, patient_id, "patient")
    data = parse_body(CaregiverIn)
    session = db_session()
    try:
        caregiver = service.add_caregiver(session, patient, data.to_domain())
    except service.AdminError as exc:
        session.rollback()
        raise _admin_problem(exc) from None
    session.commit()
    return json_response(CaregiverOut.model_validate(caregiver), 201)


@bp.patch("/caregivers/<int:caregiver_id>")
@require_token(role="admin")
def update_caregiver(caregiver_id: int) -> Response:
    """A caregiver's language, quiet hours and zone: the console's caregiver page calls the same service."""
    caregiver = _get(Caregiver, caregiver_id, "caregiver")
    patch = parse_body(CaregiverPatch)
    session = db_session()
    service.update_caregiver(session, caregiver, language=patch.language or caregiver.language,
                             quiet_hours=patch.quiet_hours(kept=(caregiver.quiet_start, caregiver.quiet_end)),
                             timezone=patch.timezone_after(kept=caregiver.timezone))
    session.commit()
    return json_response(CaregiverOut.model_validate(caregiver))


@bp.delete("/caregivers/<int:caregiver_id>")
@require_token(role="admin")
def remove_caregiver(caregiver_id: int) -> Response:
    session = db_session()
    service.remove_caregiver(session, _get(Caregiver, caregiver_id, "caregiver"), utcnow())
    session.commit()
    return Response(status=204)


# -- schedules -------------------------------------------------------------------------------------


@bp.post("/patients/<int:patient_id>/schedules")
@require_token(role="admin")
def add_schedule(patient_id: int) -> Response:
    patient = _get(Patient, patient_id, "patient")
    data = parse_body(ScheduleIn)
    session = db_session()
    try:
        schedule = service.add_schedule(session, patient, data.to_domain(), utcnow(),
                                        default_grace_minutes=current_app.config["DEFAULT_GRACE_MINUTES"])
    except service.AdminError as exc:
        session.rollback()
        raise _admin_problem(exc) from None
    session.commit()
    return json_response(schedule_out(schedule, service.next_dose_at(session, [schedule.id])), 201)


@bp.delete("/schedules/<int:schedule_id>")
@require_token(role="admin")
def remove_schedule(schedule_id: int) -> Response:
    session = db_session()
    service.remove_schedule(session, _get(DoseSchedule, schedule_id, "schedule"))
    session.commit()
    return Response(status=204)


@bp.patch("/schedules/<int:schedule_id>")
@require_token(role="admin")
def edit_schedule(schedule_id: int) -> Response:
    """Change a schedule's times, dose or grace from its next dose on; the console's edit page calls
    the same service. The answer is the new version (the old one is ended, its doses kept)."""
    schedule = _get(DoseSchedule, schedule_id, "schedule")
    data = parse_body(ScheduleEditIn)
    session = db_session()
    try:
        new = service.edit_schedule(session, schedule, utcnow(), times=data.times, dose_mg=data.dose_mg,
                                    grace_minutes=data.grace_minutes, units_per_dose=data.units_per_dose)
    except service.AdminError as exc:
        session.rollback()
        raise _admin_problem(exc) from None
    session.commit()
    return json_response(schedule_out(new, service.next_dose_at(session, [new.id])))


@bp.put("/schedules/<int:schedule_id>/medication")
@require_token(role="admin")
def move_schedule(schedule_id: int) -> Response:
    """Put a schedule under another medication of the patient's, from the next dose on (the answer
    is the schedule now in force: a new id when it moved; the old one is stopped)."""
    schedule = _get(DoseSchedule, schedule_id, "schedule")
    data = parse_body(ScheduleMedicationIn)
    session = db_session()
    try:
        moved = service.move_schedule(session, schedule, data.medication_id, utcnow())
    except service.AdminError as exc:
        session.rollback()
        raise _admin_problem(exc) from None
    session.commit()
    return json_response(schedule_out(moved, service.next_dose_at(session, [moved.id])))


# -- medications -----------------------------------------------------------------------------------


def supply_out(medication: Medication, timezone: str) -> SupplyOut:
    """The medication's supply as the API and the console show it (its count against its schedules)."""
    view = supply_service.supply_outlook(db_session(), medication, timezone, utcnow(),
                                         current_app.config["SUPPLY_LOW_DAYS"])
    out = SupplyOut(on_hand=medication.supply_on_hand, units_per_dose=medication.units_per_dose,
                    counted_at=medication.supply_counted_at, refill_date=medication.refill_date,
                    low_since=medication.supply_low_since)
    if view is None:
        return out
    return out.model_copy(update={"units_per_day": view.per_day, "days_left": view.days_left,
                                  "runs_out_on": view.runs_out_on, "low": view.low,
                                  "low_reason": view.reason})


def medication_out(medication: Medication, timezone: str) -> MedicationOut:
    """One medication on the wire: whether a clinical pack reads it, and its supply."""
    return MedicationOut.model_validate(medication).model_copy(
        update={"clinical_rules": clinical_pack(medication.name, medication.rxnorm_code) is not None,
                "supply": supply_out(medication, timezone)})


def _medication(medication_id: int) -> tuple[Medication, Patient]:
    medication = _get(Medication, medication_id, "medication")
    patient = db_session().get(Patient, medication.patient_id)
    assert patient is not None
    return medication, patient


@bp.post("/patients/<int:patient_id>/medications")
@require_token(role="admin")
def add_medication(patient_id: int) -> Response:
    patient = _get(Patient, patient_id, "patient")
    data = parse_body(MedicationIn)
    session = db_session()
    medication = service.add_medication(session, patient, data.to_domain())
    session.commit()
    return json_response(medication_out(medication, patient.timezone), 201)


@bp.get("/patients/<int:patient_id>/medications")
@require_token(role="admin")
def list_medications(patient_id: int) -> Response:
    patient = _get(Patient, patient_id, "patient")
    return json_response(MedicationList(medications=[medication_out(m, patient.timezone) for m in
                                                     service.list_medications(db_session(), patient_id)]))


@bp.get("/medications/<int:medication_id>")
@require_token(role="admin")
def get_medication(medication_id: int) -> Response:
    medication, patient = _medication(medication_id)
    return json_response(medication_out(medication, patient.timezone))


def _audit(patient_id: int, target: str, **details: object) -> None:
    """An audit event for this admin token's change (the same log the console writes)."""
    token = current_token()
    audit.record(db_session(), None, "update", patient_id, target=target, address=request.remote_addr,
                 now=utcnow(), role=token.role, token_id=token.id, **details)


@bp.patch("/medications/<int:medication_id>")
@require_token(role="admin")
def edit_medication(medication_id: int) -> Response:
    """Correct a medication's name, strength, route or RxNorm code; the console's medication page
    calls the same service. A new name or code decides the clinical rules from the next read on."""
    medication, patient = _medication(medication_id)
    data = parse_body(MedicationPatch)
    session = db_session()
    before = {k: getattr(medication, k) for k in sorted(service.MEDICATION_FIELDS)}
    service.update_medication(session, medication, data.changes())
    _audit(patient.id, f"medication {medication.id}", before=before,
           after={k: getattr(medication, k) for k in sorted(service.MEDICATION_FIELDS)})
    session.commit()
    return json_response(medication_out(medication, patient.timezone))


@bp.post("/medications/<int:medication_id>/stop")
@require_token(role="admin")
def stop_medication(medication_id: int) -> Response:
    """Record that the prescriber stopped a medication: its schedules end from the next dose. Nothing
    is sent to anyone. Baclofen needs ``confirm_prescriber_ordered: true`` (422 without it)."""
    medication, patient = _medication(medication_id)
    data = parse_body(MedicationStopIn)
    session = db_session()
    now = utcnow()
    try:
        ended = service.stop_medication(session, medication, now,
                                        prescriber_ordered=data.confirm_prescriber_ordered)
    except service.AdminError as exc:
        session.rollback()
        raise _admin_problem(exc) from None
    _audit(patient.id, f"medication {medication.id} stopped", schedules=[s.id for s in ended],
           prescriber_ordered=data.confirm_prescriber_ordered, effective=now.isoformat())
    session.commit()
    return json_response(medication_out(medication, patient.timezone))


@bp.patch("/medications/<int:medication_id>/supply")
@require_token(role="admin")
def edit_supply(medication_id: int) -> Response:
    """A refill or recount (the count now), units a dose, the next refill day. A count that is
    already low queues the low-supply reminder in the same commit."""
    medication, patient = _medication(medication_id)
    data = parse_body(SupplyIn)
    session = db_session()
    config = current_app.config
    ids = supply_service.update_supply(session, patient, medication, data.changes(), utcnow(),
                                       low_days=config["SUPPLY_LOW_DAYS"], policy=ClinicalPolicy.from_config(config))
    session.commit()
    if ids:
        kick_outbox(current_app._get_current_object())  # type: ignore[attr-defined]
    return json_response(medication_out(medication, patient.timezone))


# -- tokens ----------------------------------------------------------------------------------------


@bp.post("/tokens")
@require_token(role="admin")
def create_token() -> Response:
    data = parse_body(TokenIn)
    session = db_session()
    try:
        token, secret = service.create_token(session, data.to_domain())
    except service.AdminError as exc:
        session.rollback()
        raise _admin_problem(exc) from None
    session.commit()
    out = TokenOut(id=token.id, name=token.name, role=token.role, patient_ids=sorted(p.id for p in token.patients),
                   caregiver_id=token.caregiver_id, created_at=token.created_at, token=secret)
    # The secret is in this body only: tell every cache not to keep it.
    return json_response(out, 201, {"Cache-Control": "no-store"})

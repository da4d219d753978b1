"""Read what you wrote: a patient's doses, check-ins, readings, device events, medications and
schedules. The same tokens and scope as the ingest routes (``patient_for_token``); the paging is
``alerts.services.history``, the wire format ``schemas.history``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, Response
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from alerts.api.auth import patient_for_token, require_token
from alerts.api.admin import medication_out
from alerts.api.deps import db_session
from alerts.api.problems import Problem
from alerts.api.validation import json_response, parse_query
from alerts.models import CheckIn, DeviceEvent, Dose, DoseEvent, DoseSchedule, Medication, Reading
from alerts.services import admin as admin_service
from alerts.services.history import Page, Window, page
from schemas.admin import ScheduleOut
from schemas.history import (
    CheckInPage,
    DeviceEventPage,
    DoseEventPage,
    PageQuery,
    PatientMedications,
    PatientSchedules,
    Position,
    ReadingOut,
    ReadingPage,
    decode_cursor,
    encode_cursor,
)
from schemas.ingest import CheckInOut, DoseEventOut, ScheduledDoseOut
from schemas.wearables import DeviceEventOut

bp = Blueprint("history", __name__)

def read_page(listing: str, query: PageQuery, model: type[Any], time: InstrumentedAttribute[Any],
              patient_id: int, where: tuple[Any, ...] = ()) -> tuple[Page[Any], str | None]:
    """One page of ``model``'s rows for the patient, and the cursor of the next page (or None)."""
    after = None
    if query.cursor is not None:
        position = decode_cursor(query.cursor)
        if position.listing != listing:
            raise Problem(422, "Invalid query", f"cursor: that cursor belongs to the {position.listing} listing",
                          errors=[{"loc": "cursor", "msg": f"a cursor of the {position.listing} listing",
                                   "type": "value_error"}])
        after = (position.at, position.id)
    window = Window(query.since, query.until, after, query.limit)
    result = page(db_session(), select(model).where(model.patient_id == patient_id, *where), time, model.id, window)
    cursor = None
    if result.more:
        last = result.rows[-1]
        at: datetime = getattr(last, time.key)
        cursor = encode_cursor(Position(listing, at, last.id))
    return result, cursor


@bp.get("/v1/patients/<int:patient_id>/doses")
@require_token()
def list_doses(patient_id: int) -> Response:
    """Doses taken, newest first (by ``taken_at``), with the scheduled dose each one satisfied."""
    patient_for_token(patient_id)
    result, cursor = read_page("doses", parse_query(PageQuery), DoseEvent, DoseEvent.taken_at, patient_id)
    dose_ids = [e.dose_id for e in result.rows if e.dose_id is not None]
    matched = {d.id: d for d in db_session().scalars(select(Dose).where(Dose.id.in_(dose_ids)))} if dose_ids else {}
    names = dict(db_session().execute(select(Medication.id, Medication.name).where(
        Medication.patient_id == patient_id)).all())
    return json_response(DoseEventPage(doses=[
        DoseEventOut(id=e.id, patient_id=e.patient_id, taken_at=e.taken_at, source=e.source, dose_mg=e.dose_mg,
                     note=e.note, event_id=e.idempotency_key, received_at=e.received_at,
                     matched_dose=ScheduledDoseOut.model_validate(matched[e.dose_id]) if e.dose_id in matched else None,
                     medication_id=e.medication_id, medication_name=names.get(e.medication_id),
                     medication_basis=e.medication_basis)
        for e in result.rows], next_cursor=cursor))


@bp.get("/v1/patients/<int:patient_id>/checkins")
@require_token()
def list_checkins(patient_id: int) -> Response:
    """Check-ins, newest first (by ``recorded_at``)."""
    patient_for_token(patient_id)
    result, cursor = read_page("checkins", parse_query(PageQuery), CheckIn, CheckIn.recorded_at, patient_id)
    return json_response(CheckInPage(checkins=[
        CheckInOut(id=c.id, patient_id=c.patient_id, recorded_at=c.recorded_at, symptoms=c.symptoms or {},
                   supply_problem=c.supply_problem, source=c.source, note=c.note, event_id=c.idempotency_key,
                   received_at=c.received_at)
        for c in result.rows], next_cursor=cursor))


@bp.get("/v1/patients/<int:patient_id>/readings")
@require_token()
def list_readings(patient_id: int) -> Response:
    """Vital-sign readings, newest first (by ``measured_at``)."""
    patient_for_token(patient_id)
    result, cursor = read_page("readings", parse_query(PageQuery), Reading, Reading.measured_at, patient_id)
    return json_response(ReadingPage(readings=[ReadingOut.model_validate(r) for r in result.rows],
                                     next_cursor=cursor))


@bp.get("/v1/patients/<int:patient_id>/device-events")
@require_token()
def list_device_events(patient_id: int) -> Response:
    """Device events, newest first (by ``occurred_at``), with their status and the alert raised."""
    patient_for_token(patient_id)
    result, cursor = read_page("device_events", parse_query(PageQuery), DeviceEvent, DeviceEvent.occurred_at,
                               patient_id)
    return json_response(DeviceEventPage(device_events=[
        DeviceEventOut(id=e.id, patient_id=e.patient_id, kind=e.kind, occurred_at=e.occurred_at,
                       confidence=e.confidence, status=e.status, raise_at=e.raise_at, alert_id=e.alert_id,
                       event_id=e.dedupe_key, received_at=e.received_at)
        for e in result.rows], next_cursor=cursor))


@bp.get("/v1/patients/<int:patient_id>/medications")
@require_token()
def list_medications(patient_id: int) -> Response:
    """The patient's medications (a short list: not paged)."""
    patient = patient_for_token(patient_id)
    rows: list[Medication] = admin_service.list_medications(db_session(), patient_id)
    return json_response(PatientMedications(medications=[medication_out(m, patient.timezone) for m in rows]))


@bp.get("/v1/patients/<int:patient_id>/schedules")
@require_token()
def list_schedules(patient_id: int) -> Response:
    """The patient's dose schedules, stopped ones included, with each active one's next dose."""
    patient_for_token(patient_id)
    session = db_session()
    rows = list(session.scalars(select(DoseSchedule).where(DoseSchedule.patient_id == patient_id)
                                .order_by(DoseSchedule.id)))
    next_at = admin_service.next_dose_at(session, [s.id for s in rows])
    return json_response(PatientSchedules(schedules=[
        ScheduleOut.model_validate(s).model_copy(update={"next_dose_at": next_at.get(s.id)}) for s in rows]))

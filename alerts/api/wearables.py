"""Wearables: vital-sign readings in batches (project JSON, Open mHealth, FHIR R4), device events,
the wearer's cancel of a seizure alarm, and the clinician's device registration.

Thin, like every route: authenticate (a device token is scoped to its one patient), parse with
``schemas``, call ``alerts.services.wearables``, commit, kick the outbox. A request with any bad
reading is refused whole (422 listing each), so nothing of it is stored.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import pydantic_core
from flask import Blueprint, Response, current_app, request
from sqlalchemy import select

from alerts.api.auth import patient_for_token, require_token
from alerts.api.deps import db_session
from alerts.api.ingest import (
    REPLAYED_HEADER,
    _kick_if,
    _time_context,
    dose_windows,
    idempotency_key,
    idempotent,
    medication_of,
    request_hash,
)
from alerts.api.problems import Problem
from alerts.api.validation import invalid, json_response, parse_body
from alerts.clock import utcnow
from alerts.domain.schedule import parse_times
from alerts.domain.vitals import ParsedReading, offline_check_at
from alerts.models import Device, DeviceEvent, Patient
from alerts.services import wearables
from alerts.services.clinical import ClinicalPolicy
from schemas.fhir import parse_observations
from schemas.ingest import MedicationRef
from schemas.openmhealth import parse_data_points
from schemas.wearables import (
    DeviceEventIn,
    DeviceEventOut,
    DeviceIn,
    DeviceList,
    DeviceOut,
    ReadingBatchIn,
    ReadingBatchOut,
    ReadingErrors,
    SkippedResource,
)

bp = Blueprint("wearables", __name__)


def _allow_large_body() -> None:
    # Only these routes take batches of thousands of readings; every other route keeps the small limit.
    request.max_content_length = current_app.config["READINGS_MAX_CONTENT_LENGTH"]


def _json_document() -> Any:
    if not request.is_json:
        raise Problem(415, "Unsupported Media Type",
                      f"Send the body as application/json (got {request.mimetype or 'no Content-Type'}).")
    # The parser the project-JSON routes use (pydantic's), not ``json``: it refuses what ``json``
    # lets through and the database cannot store or Python cannot walk (a lone surrogate escape
    # such as "\ud800", nesting thousands deep), as a 400 instead of a 500 later on. A UTF-8 byte
    # order mark, which Windows tools write, is skipped (RFC 8259 lets a parser ignore it).
    try:
        return pydantic_core.from_json(request.get_data(cache=True).removeprefix(b"\xef\xbb\xbf"))
    except ValueError as exc:
        raise Problem(400, "Malformed JSON", str(exc)) from None


def _store(patient: Patient, readings: list[ParsedReading], skipped: list[dict[str, str]] | None = None
           ) -> Response:
    session = db_session()
    result = wearables.record_readings(session, patient, readings, now=utcnow(),
                                       policy=ClinicalPolicy.from_config(current_app.config))
    session.commit()
    _kick_if(result.notification_ids)
    out = ReadingBatchOut(received=result.received, stored=result.stored, duplicates=result.received - result.stored,
                          findings=result.findings, alert_id=result.alert_id,
                          skipped=[SkippedResource(**s) for s in skipped or []])
    return json_response(out, 201)


@bp.post("/v1/patients/<int:patient_id>/readings")
@require_token(devices=True)
def post_readings(patient_id: int) -> Response:
    """A batch of readings in the project's JSON. 201 with counts, findings and any emergency raised."""
    patient = patient_for_token(patient_id)
    _allow_large_body()
    body = parse_body(ReadingBatchIn)
    context = _time_context()
    try:
        readings = body.parsed(context["now"], context["max_future_skew"])  # type: ignore[arg-type]
    except ReadingErrors as exc:
        raise invalid(exc.errors) from None
    return _store(patient, readings)


@bp.post("/v1/patients/<int:patient_id>/readings/openmhealth")
@require_token(devices=True)
def post_openmhealth(patient_id: int) -> Response:
    """An Open mHealth data point, or an array of them (heart rate, respiratory rate, body
    temperature, oxygen saturation, blood pressure), validated against the Open mHealth schemas."""
    patient = patient_for_token(patient_id)
    _allow_large_body()
    document = _json_document()
    context = _time_context()
    try:
        readings, skipped = parse_data_points(document, context["now"], context["max_future_skew"])  # type: ignore[arg-type]
    except ReadingErrors as exc:
        raise invalid(exc.errors, "Invalid Open mHealth data point") from None
    return _store(patient, readings, skipped)


@bp.post("/v1/patients/<int:patient_id>/readings/fhir")
@require_token(devices=True)
def post_fhir(patient_id: int) -> Response:
    """A FHIR R4 vital-sign Observation, or a Bundle of them (LOINC codes, UCUM units)."""
    patient = patient_for_token(patient_id)
    _allow_large_body()
    document = _json_document()
    context = _time_context()
    try:
        readings, skipped = parse_observations(document, context["now"], context["max_future_skew"])  # type: ignore[arg-type]
    except ReadingErrors as exc:
        raise invalid(exc.errors, "Invalid FHIR Observation") from None
    return _store(patient, readings, skipped)


def _event_out(event: DeviceEvent) -> DeviceEventOut:
    return DeviceEventOut(id=event.id, patient_id=event.patient_id, kind=event.kind, occurred_at=event.occurred_at,
                          confidence=event.confidence, status=event.status, raise_at=event.raise_at,
                          alert_id=event.alert_id, event_id=event.dedupe_key, received_at=event.received_at)


@bp.post("/v1/patients/<int:patient_id>/device-events")
@require_token(devices=True)
def post_device_event(patient_id: int) -> Response:
    """A device event: seizure, fall, pill bottle opened, pump alarm, pump refill date."""
    patient = patient_for_token(patient_id)
    body = parse_body(DeviceEventIn, context=_time_context())
    key = idempotency_key(body.event_id)
    digest = request_hash(body)
    config = current_app.config
    session = db_session()
    result = idempotent(lambda: wearables.record_device_event(
        session, patient, kind=body.kind, occurred_at=body.occurred_at.astimezone(UTC), now=utcnow(),
        policy=ClinicalPolicy.from_config(config), device=body.device_id, event_id=key,
        confidence=body.confidence, refill_date=body.refill_date, dose_mg=body.dose_mg, request_hash=digest,
        windows=dose_windows(), refill_time=parse_times([config["PUMP_REFILL_REMINDER_TIME"]])[0],
        medication_id=medication_of(patient, body.medication),
    ))
    session.commit()
    _kick_if(result.notification_ids)
    return json_response(_event_out(result.event), 201, {REPLAYED_HEADER: "true"} if result.replayed else None)


@bp.post("/v1/patients/<int:patient_id>/device-events/<int:event_id>/cancel")
@require_token(devices=True)
def cancel_device_event(patient_id: int, event_id: int) -> Response:
    """The wearer cancels a seizure alarm during its cancel window (a false alarm): nothing is sent.
    409 once the window has passed (the emergency is out) or for an event that was never pending."""
    patient_for_token(patient_id)
    session = db_session()
    event = session.get(DeviceEvent, event_id, with_for_update=True)
    if event is None or event.patient_id != patient_id:
        raise Problem(404, "Not Found", f"Patient {patient_id} has no device event {event_id}.")
    try:
        wearables.cancel_event(event, utcnow())
    except wearables.NotCancellable:
        raise Problem(409, "Not cancellable", f"Device event {event_id} is {event.status}: only a seizure alarm "
                      "still in its cancel window can be cancelled.") from None
    session.commit()
    return json_response(_event_out(event))


@bp.put("/v1/admin/patients/<int:patient_id>/devices")
@require_token("admin")
def put_device(patient_id: int) -> Response:
    """Register a device or change it (by external_id): expected report interval, pump refill day,
    the medicine a pill bottle holds."""
    patient = patient_for_token(patient_id)
    body = parse_body(DeviceIn)
    medication_id = medication_of(patient, MedicationRef(id=body.medication_id)) if body.medication_id else None
    session = db_session()
    now = utcnow()
    device = wearables.resolve_devices(session, patient.id, [body.external_id], now, kind=body.kind,
                                       lock=True)[body.external_id]
    device.kind = body.kind
    device.medication_id = medication_id
    device.expected_interval_minutes = body.expected_interval_minutes
    device.offline_check_at = offline_check_at(device.last_seen_at or now,
                                                                body.expected_interval_minutes)
    reminder_time = parse_times([current_app.config["PUMP_REFILL_REMINDER_TIME"]])[0]
    wearables.set_refill_date(device, body.refill_date, patient.timezone, reminder_time, now)
    session.commit()
    return json_response(DeviceOut.model_validate(device))


@bp.get("/v1/admin/patients/<int:patient_id>/devices")
@require_token("admin")
def list_devices(patient_id: int) -> Response:
    """A patient's devices, with when each last reported."""
    patient_for_token(patient_id)
    rows = db_session().scalars(select(Device).where(Device.patient_id == patient_id).order_by(Device.id))
    return json_response(DeviceList(devices=[DeviceOut.model_validate(d) for d in rows]))

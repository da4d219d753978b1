"""Ingest: doses taken and symptom check-ins from apps and devices; a patient's alerts; web acknowledgement.

Routes are thin: authenticate, parse with ``schemas``, call one service, commit, then kick the
outbox if the service queued messages (only after the commit, so the worker can see the rows).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import UTC, timedelta
from typing import Any, TypeVar

from flask import Blueprint, Request, Response, current_app, request
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from alerts.api.auth import (
    accepted_roles,
    bearer_secret,
    current_token,
    may_act_for,
    not_found,
    patient_for_token,
    require_token,
)
from alerts.api.deps import db_session
from alerts.db import get_db
from alerts.api.history import read_page
from alerts.api.problems import Problem
from alerts.api.validation import json_response, parse_body, parse_query
from alerts.clock import utcnow
from alerts.models import Alert, Caregiver, Dose, Medication, Patient
from alerts.services import alerts as alert_service
from alerts.services.checkins import CheckInRecorded, record_checkin, record_checkin_for_token
from alerts.services.clinical import ClinicalPolicy
from alerts.services.doses import DoseRecorded, DoseWindows, IdempotencyConflict, find_medication, record_dose
from alerts.services.tokens import TOKEN_PREFIX, hash_token
from schemas.common import is_row_id
from schemas.history import AlertPage, AlertPageQuery
from schemas.ingest import (
    AcknowledgeIn,
    AlertOut,
    CheckInIn,
    CheckInOut,
    DoseEventIn,
    DoseEventOut,
    MedicationRef,
    ScheduledDoseOut,
)

bp = Blueprint("ingest", __name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
R = TypeVar("R")


def _kick_if(notification_ids: tuple[int, ...] | list[int]) -> None:
    if notification_ids:
        from workers.dispatch import kick_outbox

        kick_outbox(current_app._get_current_object())  # type: ignore[attr-defined]


# -- idempotency -----------------------------------------------------------------------------------


def idempotency_key(event_id: str | None, current: Request | None = None) -> str | None:
    """The ``Idempotency-Key`` header if sent, else the body's ``event_id`` (400 if the header is bad).
    ``current``: the request already resolved from Flask's proxy, if the caller has it."""
    header = (current or request).headers.get(IDEMPOTENCY_HEADER)
    if header is None:
        return event_id
    key = header.strip()
    if not 1 <= len(key) <= 128 or not key.isprintable() or not key.isascii():
        raise Problem(400, "Invalid Idempotency-Key",
                      f"{IDEMPOTENCY_HEADER} must be 1-128 printable ASCII characters.")
    return key


# The canonical JSON's encoder, made once: ``json.dumps`` with any option builds a new
# ``JSONEncoder`` on every call (a fifth of the hash's cost). The options are ``json.dumps``'s as
# the hash has always used them, so the bytes are the same (tests/api/test_api_request_hash.py):
# stored keys' replays compare them.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


def request_hash(body: BaseModel) -> str:
    """sha256 of the validated body as canonical JSON: the same request hashes the same however
    its keys were ordered or spaced, so only a real change counts as a conflicting replay."""
    canonical = _CANONICAL.encode(body.model_dump(mode="json"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent(call: Callable[[], R], rollback: Callable[[], None] | None = None) -> R:
    """Run a recording service call; a lost race on the idempotency key is answered as a replay.

    Two first requests with one key at once both miss the lookup; the database's unique
    (patient, idempotency_key) lets one insert win and the other raise IntegrityError. After a
    rollback (the request's session's, or ``rollback``) the same call finds the winner's row and
    returns it as a replay.
    """
    rollback = rollback or (lambda: db_session().rollback())
    try:
        try:
            return call()
        except IntegrityError:
            rollback()
            return call()
    except IdempotencyConflict as exc:
        rollback()
        raise Problem(422, "Idempotency key reused", f"{IDEMPOTENCY_HEADER} (or event_id) {exc} was already used "
                      "for a different request; send a new key for a new event.",
                      type_="https://dosewatch.example.org/problems/idempotency-conflict") from None


def dose_windows() -> DoseWindows:
    """How early or late a reported dose still counts for a scheduled one (from the configuration)."""
    return DoseWindows.from_config(current_app.config)


def _time_context(config: Mapping[str, Any] | None = None) -> dict[str, object]:
    config = current_app.config if config is None else config
    return {"now": utcnow(), "max_future_skew": timedelta(seconds=config["MAX_FUTURE_SKEW_SECONDS"])}


# -- doses -----------------------------------------------------------------------------------------


def dose_event_out(result: DoseRecorded) -> DoseEventOut:
    event = result.event
    dose = result.dose
    if dose is None and event.dose_id is not None:
        dose = db_session().get(Dose, event.dose_id)
    medication = db_session().get(Medication, event.medication_id) if event.medication_id is not None else None
    return DoseEventOut(
        id=event.id, patient_id=event.patient_id, taken_at=event.taken_at, source=event.source,
        dose_mg=event.dose_mg, note=event.note, event_id=event.idempotency_key, received_at=event.received_at,
        matched_dose=ScheduledDoseOut.model_validate(dose) if dose is not None else None,
        medication_id=event.medication_id, medication_name=medication.name if medication else None,
        medication_basis=event.medication_basis,  # type: ignore[arg-type]
    )


def medication_of(patient: Patient, ref: MedicationRef | None) -> int | None:
    """The id of the medication a request names (422 if the patient has no such active medication)."""
    if ref is None:
        return None
    found = find_medication(db_session(), patient.id, id=ref.id, name=ref.name, rxnorm_code=ref.rxnorm_code)
    if found is None:
        raise Problem(422, "Unknown medication", f"Patient {patient.id} has no active medication with that "
                      "id, name or RxNorm code; GET /v1/patients/{id}/medications lists them.")
    return found


@bp.post("/v1/patients/<int:patient_id>/doses")
@require_token()
def post_dose(patient_id: int) -> Response:
    """Record a dose taken. 201 with the event and the scheduled dose it satisfied (or null)."""
    patient = patient_for_token(patient_id)
    body = parse_body(DoseEventIn, context=_time_context())
    key = idempotency_key(body.event_id)
    digest = request_hash(body)
    session = db_session()
    medication_id = medication_of(patient, body.medication)
    result = idempotent(lambda: record_dose(
        session, patient, taken_at=body.taken_at.astimezone(UTC), source=body.source, now=utcnow(),
        dose_mg=body.dose_mg, note=body.note, idempotency_key=key, request_hash=digest, windows=dose_windows(),
        policy=ClinicalPolicy.from_config(current_app.config), medication_id=medication_id,
    ))
    session.commit()
    _kick_if(result.notification_ids)
    return json_response(dose_event_out(result), 201, {REPLAYED_HEADER: "true"} if result.replayed else None)


# -- check-ins -------------------------------------------------------------------------------------


# Who may post a check-in: ``require_token()``'s rule, for the statement that checks the token itself.
_CHECKIN_ROLES = accepted_roles()


@bp.post("/v1/patients/<int:patient_id>/checkins")
def post_checkin(patient_id: int) -> Response:
    """Record a symptom check-in (severity 0-10 per symptom). 201 with the stored check-in.

    On PostgreSQL the token is checked by the statement that stores the check-in
    (``record_checkin_for_token``), one round trip instead of two, on a connection of its own
    rather than the request's ORM session (whose transaction bookkeeping cost more than the
    statement; an ORM session joins the transaction only to raise an alert or find a replay).
    Whatever that statement does not accept, and any request that is not a well-formed check-in,
    goes the ordinary way (:func:`_post_checkin`), which answers it exactly as before: 401, 403,
    404 before any 4xx about the body."""
    # Flask's ``request`` and ``current_app`` proxies resolved once: each read through one costs a
    # context-variable lookup, and this path read them nine times.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    current = request._get_current_object()  # type: ignore[attr-defined]
    database = get_db(app)
    secret = bearer_secret(current)
    # Content-Length known: an oversized body is refused (413) before a byte is read, so reading it
    # again below refuses it again instead of finding the stream half read.
    if (secret is None or not secret.startswith(TOKEN_PREFIX) or not is_row_id(patient_id)
            or current.content_length is None or database.dialect != "postgresql"):
        return _post_checkin(patient_id=patient_id)
    config = app.config
    try:
        body = parse_body(CheckInIn, context=_time_context(config), current=current)
        key = idempotency_key(body.event_id, current)
    except (Problem, HTTPException):
        return _post_checkin(patient_id=patient_id)  # authenticates first, then gives the same answer
    digest = request_hash(body)
    with database.engine.connect() as connection:
        result = idempotent(lambda: record_checkin_for_token(
            connection, hash_token(secret), _CHECKIN_ROLES, patient_id,
            recorded_at=body.recorded_at.astimezone(UTC), symptoms=body.symptoms, note=body.note,
            source=body.source, now=utcnow(), idempotency_key=key, request_hash=digest,
            supply_problem=body.supply_problem, policy=ClinicalPolicy.from_config(config),
        ), connection.rollback)
        if result is None:  # not a token that may: nothing was stored; the ordinary path says why
            connection.rollback()
        else:
            connection.commit()
    if result is None:
        return _post_checkin(patient_id=patient_id)
    return _checkin_answer(result)


@require_token()
def _post_checkin(patient_id: int) -> Response:
    patient = patient_for_token(patient_id)
    body = parse_body(CheckInIn, context=_time_context())
    key = idempotency_key(body.event_id)
    digest = request_hash(body)
    session = db_session()
    result = idempotent(lambda: record_checkin(
        session, patient, recorded_at=body.recorded_at.astimezone(UTC), symptoms=body.symptoms, note=body.note,
        source=body.source, now=utcnow(), idempotency_key=key, request_hash=digest,
        supply_problem=body.supply_problem, policy=ClinicalPolicy.from_config(current_app.config),
    ))
    return _checkin_created(session, result)


def _checkin_created(session: Session, result: CheckInRecorded) -> Response:
    session.commit()
    return _checkin_answer(result)


def _checkin_answer(result: CheckInRecorded) -> Response:
    """201 with the check-in (committed), after kicking the outbox if it queued messages."""
    _kick_if(result.notification_ids)
    c = result.checkin
    # Validated, not ``model_construct``ed: the values are the stored row's, already of the declared
    # types, so validation passes them through unchanged (the same bytes out), and pydantic-core does
    # that in Rust for about half of what ``model_construct``'s Python loop over the fields costs
    # (23 k instructions against 40 k, callgrind).
    out = CheckInOut(
        id=c.id, patient_id=c.patient_id, recorded_at=c.recorded_at, symptoms=c.symptoms,
        supply_problem=c.supply_problem, source=c.source, note=c.note, event_id=c.idempotency_key,
        received_at=c.received_at, alert_id=result.alert_id)
    return json_response(out, 201, {REPLAYED_HEADER: "true"} if result.replayed else None)


# -- alerts ----------------------------------------------------------------------------------------


@bp.get("/v1/patients/<int:patient_id>/alerts")
@require_token()
def list_alerts(patient_id: int) -> Response:
    """The patient's alerts, newest first; ``?status=open`` for the ones still escalating; paged
    like the other lists (``alerts.api.history``)."""
    patient_for_token(patient_id)
    query = parse_query(AlertPageQuery)
    result, cursor = read_page("alerts", query, Alert, Alert.opened_at, patient_id,
                               (Alert.status == query.status,) if query.status else ())
    return json_response(AlertPage(alerts=[AlertOut.model_validate(a) for a in result.rows], next_cursor=cursor))


@bp.post("/v1/alerts/<int:alert_id>/acknowledge")
@require_token()
def acknowledge_alert(alert_id: int) -> Response:
    """A caregiver acknowledges from the app or web: escalation stops, the others are told who has it.

    409 if the alert is no longer open (someone else acknowledged it, or the dose was taken).
    """
    session = db_session()
    alert = session.get(Alert, alert_id, with_for_update=True)
    if alert is None or not may_act_for(alert.patient_id):
        # Someone else's alert is answered as a missing one: a token learns nothing of other patients.
        raise not_found(f"There is no alert {alert_id}.")
    body = parse_body(AcknowledgeIn)
    token = current_token()
    # Only a caregiver acknowledges, as themselves: a patient's app (or an admin) naming a caregiver
    # would stop the escalation on behalf of someone who never saw the alert.
    if token.caregiver_id is None:
        raise Problem(403, "Forbidden", "Only a caregiver acknowledges an alert, with their own token.")
    if body.caregiver_id is not None and body.caregiver_id != token.caregiver_id:
        raise Problem(403, "Forbidden", "A caregiver's token acknowledges only as that caregiver.")
    caregiver = session.get(Caregiver, token.caregiver_id)
    if caregiver is None or caregiver.patient_id != alert.patient_id:
        raise Problem(403, "Forbidden", f"This token's caregiver does not care for patient {alert.patient_id}.")
    if alert.status != "open":
        raise Problem(409, "Alert not open", f"Alert {alert_id} is already {alert.status}; nothing to acknowledge.")
    ids = alert_service.acknowledge(session, alert, caregiver, via="web", now=utcnow())
    session.commit()
    _kick_if(ids)
    return json_response(AlertOut.model_validate(alert))

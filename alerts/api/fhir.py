"""FHIR R4: a patient's record out (``$everything``), bulk export (``$export``), doses taken in.

Reading records out is for admin and clinician tokens only (a clinician token for the patients it
was issued for); a client or device token gets 403, an unknown patient 404, as everywhere else.
Every export is recorded through ``alerts.fhir.audit.record_export``. Posting doses taken as
MedicationAdministration / MedicationStatement is for the tokens that may post doses (app, pill
bottle, EHR integration), and goes through ``record_dose`` like every other dose.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, current_app

from alerts.api.auth import current_token, patient_for_token, require_token
from alerts.api.deps import db_session
from alerts.api.ingest import REPLAYED_HEADER, _kick_if, dose_windows, idempotent
from alerts.api.problems import Problem
from alerts.api.validation import invalid, parse_query
from alerts.api.wearables import _json_document
from alerts.clock import utcnow
from alerts.fhir.audit import record_export
from alerts.fhir.export import Window, everything
from alerts.services.clinical import ClinicalPolicy
from alerts.services.doses import DoseRecorded, record_dose
from schemas.fhir_export import EverythingQuery
from schemas.fhir_medication import parse_medication_events
from schemas.ingest import MAX_EVENT_AGE
from schemas.wearables import ReadingErrors

bp = Blueprint("fhir", __name__)

FHIR_JSON = "application/fhir+json"
READERS = ("admin", "clinician")


def fhir_base() -> str:
    """The base URL of our FHIR endpoints, as fullUrls and Content-Location name them."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/fhir"


def require_reader() -> None:
    """403 unless the token is an admin's or a clinician's: a patient's app or a device posts, it
    does not download the record."""
    token = current_token()
    if token.role not in READERS:
        raise Problem(403, "Forbidden", "Exporting records needs an admin or clinician token.")


def fhir_response(document: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(document, separators=(",", ":")), status=status, mimetype=FHIR_JSON)
    response.headers.update(headers or {})
    return response


@bp.get("/fhir/Patient/<int:patient_id>/$everything")
@require_token(clinicians=True)
def patient_everything(patient_id: int) -> Response:
    """The patient's record as a FHIR R4 searchset Bundle (``?bundle=transaction`` for a transaction
    to POST to another FHIR server); ``_since``, ``start``, ``end`` and ``_type`` narrow it."""
    patient = patient_for_token(patient_id)
    require_reader()
    query = parse_query(EverythingQuery)
    window = Window(since=query.since, start=query.start_at, end=query.end_at)
    if window.start and window.end and window.start > window.end:
        raise invalid([{"loc": "start", "msg": "start is after end", "type": "invalid_window"}], "Invalid query")
    bundle = everything(db_session(), patient.id, fhir_base(), window, query.types,
                        transaction=query.bundle == "transaction")
    counts: dict[str, int] = {}
    for entry in bundle["entry"]:
        kind = entry["resource"]["resourceType"]
        counts[kind] = counts.get(kind, 0) + 1
    token = current_token()
    record_export(token_id=token.id, role=token.role, action="fhir.everything", patient_id=patient.id, counts=counts)
    return fhir_response(bundle)


@bp.post("/v1/patients/<int:patient_id>/doses/fhir")
@require_token(devices=True)
def post_medication_events(patient_id: int) -> Response:
    """Doses taken, as a FHIR R4 MedicationAdministration or MedicationStatement or a Bundle of them
    (a smart pill bottle, an EHR). 201 with each dose recorded and the resources skipped."""
    patient = patient_for_token(patient_id)
    document = _json_document()
    now = utcnow()
    skew = timedelta(seconds=current_app.config["MAX_FUTURE_SKEW_SECONDS"])
    try:
        doses, skipped = parse_medication_events(document, now, skew, MAX_EVENT_AGE)
    except ReadingErrors as exc:
        raise invalid(exc.errors, "Invalid FHIR medication event") from None
    session = db_session()
    policy = ClinicalPolicy.from_config(current_app.config)
    windows = dose_windows()

    def record_all() -> list[DoseRecorded]:
        # The whole document in one transaction; a lost race on any key rolls it all back and the
        # second pass finds the winner's rows as replays (``idempotent``).
        return [record_dose(session, patient, taken_at=d.taken_at, source="fhir", now=now, dose_mg=d.dose_mg,
                            idempotency_key=d.idempotency_key, request_hash=d.request_hash, windows=windows,
                            policy=policy)
                for d in doses]

    doses.sort(key=lambda d: d.taken_at)
    results = idempotent(record_all)
    notification_ids = [i for r in results for i in r.notification_ids]
    recorded = [{"loc": d.loc, "dose_event_id": r.event.id, "taken_at": r.event.taken_at.isoformat(),
                 "matched_dose_id": r.dose.id if r.dose is not None else None, "replayed": r.replayed}
                for d, r in zip(doses, results, strict=True)]
    replayed = sum(r.replayed for r in results)
    session.commit()
    _kick_if(notification_ids)
    body = {"received": len(doses) + len(skipped), "recorded": recorded, "skipped": skipped}
    headers = {REPLAYED_HEADER: "true"} if doses and replayed == len(doses) else {}
    return Response(json.dumps(body), status=201, mimetype="application/json", headers=headers)

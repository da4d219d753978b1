"""FHIR R4: a patient's record out (``$everything``), bulk export (``$export``), doses taken in.

Reading records out is for admin and clinician tokens only (a clinician token for the patients it
was issued for); a client or device token gets 403, an unknown patient 404, as everywhere else.
Every export is recorded through ``alerts.fhir.audit.record_export``. Posting doses taken as
MedicationAdministration / MedicationStatement is for the tokens that may post doses (app, pill
bottle, EHR integration), and goes through ``record_dose`` like every other dose.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, current_app, request, send_file

from alerts.api.auth import current_token, patient_for_token, require_token
from alerts.api.deps import db_session
from alerts.api.ingest import REPLAYED_HEADER, _kick_if, dose_windows, idempotent
from alerts.api.problems import Problem
from alerts.api.validation import invalid, json_response, parse_query
from alerts.api.wearables import _json_document
from alerts.clock import utcnow
from alerts.domain.medications import BACLOFEN
from alerts.fhir import bulk
from alerts.fhir.audit import record_export
from alerts.fhir.export import Window, everything
from alerts.fhir.resources import instant
from alerts.models import ExportJob
from alerts.services.clinical import ClinicalPolicy
from alerts.services.doses import DoseRecorded, find_medication, record_dose
from schemas.fhir_export import EverythingQuery, ExportQuery
from schemas.fhir_medication import MedicationEventsOut, RecordedDose, parse_medication_events
from schemas.ingest import MAX_EVENT_AGE
from schemas.wearables import ReadingErrors, SkippedResource
from workers.export_tasks import kick_export

bp = Blueprint("fhir", __name__)

FHIR_JSON = "application/fhir+json"
READERS = ("admin", "clinician")
JOB_ID = re.compile(r"[0-9a-f]{32}")


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
    record_export(db_session(), token_id=token.id, role=token.role, action="fhir.everything", patient_id=patient.id,
                  counts=counts)
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
    # Only baclofen is read from FHIR (``parse_medication_events``): each dose is the patient's
    # baclofen, never matched to another medicine's dose due nearer in time.
    baclofen = find_medication(session, patient.id, name=BACLOFEN)

    def record_all() -> list[DoseRecorded]:
        # The whole document in one transaction; a lost race on any key rolls it all back and the
        # second pass finds the winner's rows as replays (``idempotent``).
        return [record_dose(session, patient, taken_at=d.taken_at, source="fhir", now=now, dose_mg=d.dose_mg,
                            idempotency_key=d.idempotency_key, request_hash=d.request_hash, windows=windows,
                            policy=policy, medication_id=baclofen)
                for d in doses]

    doses.sort(key=lambda d: d.taken_at)
    results = idempotent(record_all)
    notification_ids = [i for r in results for i in r.notification_ids]
    recorded = [RecordedDose(loc=d.loc, dose_event_id=r.event.id, taken_at=r.event.taken_at,
                             matched_dose_id=r.dose.id if r.dose is not None else None, replayed=r.replayed)
                for d, r in zip(doses, results, strict=True)]
    session.commit()
    _kick_if(notification_ids)
    out = MedicationEventsOut(received=len(doses) + len(skipped), recorded=recorded,
                              skipped=[SkippedResource(**s) for s in skipped])
    every_one_replayed = bool(results) and all(r.replayed for r in results)
    return json_response(out, 201, {REPLAYED_HEADER: "true"} if every_one_replayed else None)


# -- bulk export (FHIR Bulk Data Access 2.0) -------------------------------------------------------


def _kickoff(level: str, group_id: str | None) -> Response:
    """Accept an export: 202 with Content-Location, the URL to poll."""
    if "respond-async" not in request.headers.get("Prefer", ""):
        raise Problem(400, "Prefer: respond-async required",
                      "A bulk export runs in the background: send the header Prefer: respond-async.")
    accept = request.headers.get("Accept", FHIR_JSON)
    if not any(m in accept for m in (FHIR_JSON, "application/json", "*/*")):
        raise Problem(406, "Not Acceptable", f"The kick-off answers {FHIR_JSON}.")
    query = parse_query(ExportQuery)
    session = db_session()
    token = current_token()
    now = utcnow()
    job = bulk.new_job(session, token, level=level, group_id=group_id, types=query.types, since=query.since,
                       request_url=request.url, now=now)
    session.commit()
    record_export(db_session(), token_id=token.id, role=token.role, action="fhir.export.kickoff",
                  group=group_id or "system", job_id=job.id)
    kick_export(current_app._get_current_object(), job.id)  # type: ignore[attr-defined]
    return Response(status=202, headers={"Content-Location": f"{fhir_base()}/$export-status/{job.id}"})


@bp.get("/fhir/$export")
@require_token("admin")
def system_export() -> Response:
    """Every patient's record as NDJSON files (admin tokens: the whole service)."""
    return _kickoff("system", None)


@bp.get("/fhir/Group/<group_id>/$export")
@require_token(clinicians=True)
def group_export(group_id: str) -> Response:
    """The records of a group of patients. The one group is ``all``: every patient the token may
    read (an admin's: all of them; a clinician's: the patients on their panel)."""
    require_reader()
    if group_id != bulk.ALL_PATIENTS:
        raise Problem(404, "Not Found", f"There is no Group {group_id}; the group of all patients is Group/all.")
    return _kickoff("group", group_id)


def _job_for_token(job_id: str) -> ExportJob:
    """The job, if the current token started it (or is an admin's): 404 otherwise, so another
    clinician cannot even learn that a job id exists."""
    require_reader()
    job = db_session().get(ExportJob, job_id) if JOB_ID.fullmatch(job_id) else None
    token = current_token()
    if job is None or job.status == "cancelled" or (token.role != "admin" and job.token_id != token.id):
        raise Problem(404, "Not Found", f"There is no export {job_id}.")
    return job


@bp.get("/fhir/$export-status/<job_id>")
@require_token(clinicians=True)
def export_status(job_id: str) -> Response:
    """202 with X-Progress while the job runs; 200 with the manifest once done; 500 with an
    OperationOutcome if it failed."""
    job = _job_for_token(job_id)
    now = utcnow()
    if job.status in ("accepted", "in-progress"):
        if bulk.needs_a_worker(job, now):
            job.updated_at = now  # one re-send per minute, however often it is polled
            db_session().commit()
            kick_export(current_app._get_current_object(), job.id)  # type: ignore[attr-defined]
        progress = "waiting for a worker" if job.status == "accepted" else f"{job.resources_written} resources written"
        return Response(status=202, headers={"X-Progress": progress, "Retry-After": "5"})
    if job.status == "failed":
        outcome = {"resourceType": "OperationOutcome",
                   "issue": [{"severity": "error", "code": "exception", "diagnostics": job.error or "export failed"}]}
        return fhir_response(outcome, 500)
    base = fhir_base()
    manifest = {
        "transactionTime": instant(job.started_at or job.created_at), "request": job.request_url,
        "requiresAccessToken": True,
        "output": [{"type": o["type"], "url": f"{base}/$export-files/{job.id}/{o['type']}.ndjson", "count": o["count"]}
                   for o in job.output or []],
        "error": [],
    }
    return Response(json.dumps(manifest), status=200, mimetype="application/json",
                    headers={"Expires": (now + timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S GMT")})


@bp.delete("/fhir/$export-status/<job_id>")
@require_token(clinicians=True)
def delete_export(job_id: str) -> Response:
    """Cancel the export (if running) and delete its files: 202."""
    job = _job_for_token(job_id)
    session = db_session()
    bulk.delete_job(session, job, current_app.config["DOSEWATCH_DATA_DIR"], utcnow())
    session.commit()
    token = current_token()
    record_export(db_session(), token_id=token.id, role=token.role, action="fhir.export.delete", job_id=job.id)
    return Response(status=202)


@bp.get("/fhir/$export-files/<job_id>/<file_name>")
@require_token(clinicians=True)
def export_file(job_id: str, file_name: str) -> Response:
    """One NDJSON file of a completed export (the token that started it, or an admin's)."""
    job = _job_for_token(job_id)
    type_ = file_name.removesuffix(".ndjson")
    listed = {o["type"]: o["count"] for o in job.output or []} if job.status == "completed" else {}
    if not file_name.endswith(".ndjson") or type_ not in listed:
        raise Problem(404, "Not Found", f"Export {job_id} has no file {file_name}.")
    path = bulk.job_folder(current_app.config["DOSEWATCH_DATA_DIR"], job.id) / f"{type_}.ndjson"
    if not path.is_file():
        raise Problem(404, "Not Found", f"The files of export {job_id} were deleted.")
    token = current_token()
    record_export(db_session(), token_id=token.id, role=token.role, action="fhir.export.download", job_id=job.id,
                  counts={type_: listed[type_]})
    return send_file(path, mimetype="application/fhir+ndjson", conditional=False, max_age=0)

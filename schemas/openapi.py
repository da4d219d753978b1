"""The OpenAPI 3.1 document, generated from the wire models and a small route table.

JSON Schema comes from pydantic (``models_json_schema``), never written by hand, so the document
describes exactly what the server validates. ``tests/api/test_api_openapi.py`` checks that every
route Flask serves is listed here, and ``tests/api/test_api_fuzz.py`` (schemathesis) that every
answer the server gives is one this document describes: its status, content type and schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from schemas import admin, fhir_medication, history, ingest, twilio, wearables
from schemas.common import ID_MAX, ID_MIN, Health
from schemas.problem import Problem

REF_TEMPLATE = "#/components/schemas/{model}"
PROBLEM_MIME = "application/problem+json"
FORM_MIME = "application/x-www-form-urlencoded"
TWIML_MIME = "text/xml"

# client: any bearer token (client, device or admin; the route says which roles); admin: an admin
# token; twilio: a request signed by Twilio (X-Twilio-Signature), nothing else.
Auth = Literal["client", "admin", "twilio"]

STATUS_TEXT = {
    400: "Malformed JSON or a bad header.",
    401: "Missing, unknown or revoked bearer token.",
    403: "The token may not act for this patient, or is not an admin token.",
    404: "No such patient, caregiver, schedule or alert.",
    409: "Conflicts with what is stored (a taken position, an alert no longer open).",
    413: "The body is larger than the server accepts.",
    415: "The body is not application/json.",
    422: "Valid JSON that breaks the schema or a rule; `errors` lists each field.",
    503: "The database is not answering (down, unreachable or too slow); nothing was stored. Retry after "
         "`Retry-After` seconds with the same request (and Idempotency-Key).",
}
TWILIO_STATUS_TEXT = {
    400: "A parameter Twilio always sends is missing, or a value no message can have.",
    403: "Missing or wrong X-Twilio-Signature, or TWILIO_AUTH_TOKEN is not configured.",
    404: "No such notification.",
}
BODY_ERRORS = (400, 413, 415, 422)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # OpenAPI form: /v1/patients/{patient_id}/doses
    summary: str
    auth: Auth | None = "client"
    request: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    query: type[BaseModel] | None = None
    idempotent: bool = False
    tags: tuple[str, ...] = field(default=())
    # A body in a standard format validated by its own schemas (Open mHealth, FHIR), not a model here.
    raw_body: str | None = None
    # Twilio's webhooks post forms and are answered with TwiML.
    form: type[BaseModel] | None = None
    response_mime: str = "application/json"
    # Routes that never touch the database (and so never answer 503).
    database: bool = True

    @property
    def path_ids(self) -> bool:
        return "{" in self.path


ROUTES: tuple[Route, ...] = (
    Route("post", "/v1/patients/{patient_id}/doses", "Record a dose taken", request=ingest.DoseEventIn,
          response=ingest.DoseEventOut, status=201, errors=(404, *BODY_ERRORS), idempotent=True, tags=("ingest",)),
    Route("post", "/v1/patients/{patient_id}/checkins", "Record a symptom check-in", request=ingest.CheckInIn,
          response=ingest.CheckInOut, status=201, errors=(404, *BODY_ERRORS), idempotent=True, tags=("ingest",)),
    Route("post", "/v1/patients/{patient_id}/readings", "Record a batch of vital-sign readings (project JSON)",
          request=wearables.ReadingBatchIn, response=wearables.ReadingBatchOut, status=201,
          errors=(404, *BODY_ERRORS), tags=("wearables",)),
    Route("post", "/v1/patients/{patient_id}/readings/openmhealth",
          "Record Open mHealth data points (one, or an array): heart-rate, respiratory-rate, body-temperature, "
          "oxygen-saturation, blood-pressure", response=wearables.ReadingBatchOut, status=201,
          errors=(404, *BODY_ERRORS), tags=("wearables",), raw_body="application/json"),
    Route("post", "/v1/patients/{patient_id}/readings/fhir",
          "Record FHIR R4 vital-sign Observations (one, or a Bundle; LOINC codes, UCUM units)",
          response=wearables.ReadingBatchOut, status=201, errors=(404, *BODY_ERRORS), tags=("wearables",),
          raw_body="application/fhir+json"),
    Route("post", "/v1/patients/{patient_id}/doses/fhir",
          "Record doses taken as FHIR R4 MedicationAdministration or MedicationStatement (one, or a Bundle)",
          response=fhir_medication.MedicationEventsOut, status=201, errors=(404, *BODY_ERRORS), tags=("fhir",),
          raw_body="application/fhir+json"),
    Route("post", "/v1/patients/{patient_id}/device-events",
          "Record a device event (seizure, fall, pill bottle opened, pump alarm, pump refill date)",
          request=wearables.DeviceEventIn, response=wearables.DeviceEventOut, status=201,
          errors=(404, *BODY_ERRORS), idempotent=True, tags=("wearables",)),
    Route("post", "/v1/patients/{patient_id}/device-events/{event_id}/cancel",
          "Cancel a seizure alarm during its cancel window", response=wearables.DeviceEventOut,
          errors=(404, 409), tags=("wearables",)),
    Route("post", "/v1/alerts/{alert_id}/acknowledge", "Acknowledge an open alert as a caregiver",
          request=ingest.AcknowledgeIn, response=ingest.AlertOut, errors=(404, 409, *BODY_ERRORS), tags=("alerts",)),
    Route("get", "/v1/admin/patients", "List patients", auth="admin", response=admin.PatientList, tags=("admin",)),
    Route("post", "/v1/admin/patients", "Create a patient", auth="admin", request=admin.PatientIn,
          response=admin.PatientOut, status=201, errors=BODY_ERRORS, tags=("admin",)),
    Route("get", "/v1/admin/patients/{patient_id}", "A patient with caregivers and schedules", auth="admin",
          response=admin.PatientDetailOut, errors=(404,), tags=("admin",)),
    Route("patch", "/v1/admin/patients/{patient_id}", "Change a patient (a new time zone re-plans doses)",
          auth="admin", request=admin.PatientPatch, response=admin.PatientDetailOut, errors=(404, *BODY_ERRORS),
          tags=("admin",)),
    Route("post", "/v1/admin/patients/{patient_id}/caregivers", "Add a caregiver to the escalation list",
          auth="admin", request=admin.CaregiverIn, response=admin.CaregiverOut, status=201,
          errors=(404, 409, *BODY_ERRORS), tags=("admin",)),
    Route("patch", "/v1/admin/caregivers/{caregiver_id}", "Change a caregiver's language or quiet hours",
          auth="admin", request=admin.CaregiverPatch, response=admin.CaregiverOut, errors=(404, *BODY_ERRORS),
          tags=("admin",)),
    Route("delete", "/v1/admin/caregivers/{caregiver_id}", "Remove a caregiver", auth="admin", status=204,
          errors=(404,), tags=("admin",)),
    Route("post", "/v1/admin/patients/{patient_id}/schedules", "Add a dose schedule", auth="admin",
          request=admin.ScheduleIn, response=admin.ScheduleOut, status=201, errors=(404, *BODY_ERRORS),
          tags=("admin",)),
    Route("delete", "/v1/admin/schedules/{schedule_id}", "Stop a dose schedule", auth="admin", status=204,
          errors=(404,), tags=("admin",)),
    Route("put", "/v1/admin/patients/{patient_id}/devices", "Register or change a device", auth="admin",
          request=wearables.DeviceIn, response=wearables.DeviceOut, errors=(404, *BODY_ERRORS), tags=("admin",)),
    Route("get", "/v1/admin/patients/{patient_id}/devices", "List a patient's devices", auth="admin",
          response=wearables.DeviceList, errors=(404,), tags=("admin",)),
    Route("post", "/v1/admin/tokens", "Issue an API token (the secret is returned once)", auth="admin",
          request=admin.TokenIn, response=admin.TokenOut, status=201, errors=BODY_ERRORS, tags=("admin",)),
    Route("get", "/healthz", "200 when the API can reach its database", auth=None, response=Health,
          tags=("operations",)),
    Route("get", "/ping", "200 without touching the database (the cost of the server itself)", auth=None,
          response=Health, tags=("operations",), database=False),
    Route("post", "/twilio/sms", "Twilio: an SMS to our number (answered with TwiML, maybe a reply)",
          auth="twilio", form=twilio.InboundSmsForm, response_mime=TWIML_MIME, errors=(400, 413), tags=("twilio",)),
    Route("post", "/twilio/status", "Twilio: a message's or call's status callback", auth="twilio",
          form=twilio.StatusCallbackForm, query=twilio.StatusCallbackQuery, status=204, errors=(400, 413),
          tags=("twilio",)),
    Route("get", "/twilio/voice/{notification_id}", "Twilio: the TwiML of a call (the message, then press 1)",
          auth="twilio", response_mime=TWIML_MIME, errors=(404,), tags=("twilio",)),
    Route("post", "/twilio/voice/{notification_id}", "Twilio: the TwiML of a call (the message, then press 1)",
          auth="twilio", response_mime=TWIML_MIME, errors=(404,), tags=("twilio",)),
    Route("post", "/twilio/voice/{notification_id}/gather", "Twilio: the key pressed during a call (1 acknowledges)",
          auth="twilio", form=twilio.GatherForm, response_mime=TWIML_MIME, errors=(400, 404, 413), tags=("twilio",)),
)


# -- medications (issue 14): a block of its own, appended to the table above -------------------------
ROUTES += (
    Route("post", "/v1/admin/patients/{patient_id}/medications", "Add a medication to a patient", auth="admin",
          request=admin.MedicationIn, response=admin.MedicationOut, status=201, errors=(404, *BODY_ERRORS),
          tags=("admin",)),
    Route("get", "/v1/admin/patients/{patient_id}/medications", "List a patient's medications", auth="admin",
          response=admin.MedicationList, errors=(404,), tags=("admin",)),
    Route("patch", "/v1/admin/schedules/{schedule_id}",
          "Change a schedule from its next dose on (none doubled or dropped; the old version is kept)",
          auth="admin", request=admin.ScheduleEditIn, response=admin.ScheduleOut, errors=(404, 409, *BODY_ERRORS),
          tags=("admin",)),
    Route("put", "/v1/admin/schedules/{schedule_id}/medication",
          "Move a schedule to another of the patient's medications, from its next dose on", auth="admin",
          request=admin.ScheduleMedicationIn, response=admin.ScheduleOut, errors=(404, 409, *BODY_ERRORS),
          tags=("admin",)),
    Route("get", "/v1/admin/medications/{medication_id}", "A medication, with its supply", auth="admin",
          response=admin.MedicationOut, errors=(404,), tags=("admin",)),
    Route("patch", "/v1/admin/medications/{medication_id}/supply",
          "A refill, a recount or the next refill day of one medication (low supply reminds once)", auth="admin",
          request=admin.SupplyIn, response=admin.MedicationOut, errors=(404, *BODY_ERRORS), tags=("admin",)),
    Route("patch", "/v1/admin/medications/{medication_id}",
          "Correct a medication's name, strength, route or RxNorm code (the clinical rules follow the new name)",
          auth="admin", request=admin.MedicationPatch, response=admin.MedicationOut, errors=(404, *BODY_ERRORS),
          tags=("admin",)),
    Route("post", "/v1/admin/medications/{medication_id}/stop",
          "Record the prescriber's stop of a medication: its schedules end from the next dose; nothing is sent "
          "(baclofen: confirm_prescriber_ordered)", auth="admin", request=admin.MedicationStopIn,
          response=admin.MedicationOut, errors=(404, 409, *BODY_ERRORS), tags=("admin",)),
)

# -- reading back (issue 14): paged lists, newest first by (time, id); its own block ----------------
ROUTES += (
    Route("get", "/v1/patients/{patient_id}/alerts", "List a patient's alerts (paged)", query=history.AlertPageQuery,
          response=history.AlertPage, errors=(404, 422), tags=("alerts",)),
    Route("get", "/v1/patients/{patient_id}/doses", "List doses taken (paged)", query=history.PageQuery,
          response=history.DoseEventPage, errors=(404, 422), tags=("read",)),
    Route("get", "/v1/patients/{patient_id}/checkins", "List check-ins (paged)", query=history.PageQuery,
          response=history.CheckInPage, errors=(404, 422), tags=("read",)),
    Route("get", "/v1/patients/{patient_id}/readings", "List vital-sign readings (paged)", query=history.PageQuery,
          response=history.ReadingPage, errors=(404, 422), tags=("read",)),
    Route("get", "/v1/patients/{patient_id}/device-events", "List device events (paged)", query=history.PageQuery,
          response=history.DeviceEventPage, errors=(404, 422), tags=("read",)),
    Route("get", "/v1/patients/{patient_id}/medications", "The patient's medications",
          response=history.PatientMedications, errors=(404,), tags=("read",)),
    Route("get", "/v1/patients/{patient_id}/schedules", "The patient's dose schedules",
          response=history.PatientSchedules, errors=(404,), tags=("read",)),
)


def _models() -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    # Requests in validation mode, responses in serialization mode: each model is used one way only,
    # so pydantic names each component after its class (no "-Input"/"-Output" suffixes).
    seen: dict[type[BaseModel], JsonSchemaMode] = {Problem: "serialization"}
    for r in ROUTES:
        if r.request:
            seen[r.request] = "validation"
        if r.form:
            seen[r.form] = "validation"
        if r.response:
            seen[r.response] = "serialization"
    return list(seen.items())


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF_TEMPLATE.format(model=model.__name__)}


def _problem(status: int, route: Route) -> dict[str, Any]:
    text = TWILIO_STATUS_TEXT if route.auth == "twilio" and status in TWILIO_STATUS_TEXT else STATUS_TEXT
    response: dict[str, Any] = {"description": text[status], "content": {PROBLEM_MIME: {"schema": _ref(Problem)}}}
    if status == 503:
        response["headers"] = {"Retry-After": {"required": True, "description": "Seconds to wait before retrying.",
                                               "schema": {"type": "string", "pattern": "^[0-9]+$"}}}
    return response


def _parameters(route: Route) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = []
    for segment in route.path.split("/"):
        if segment.startswith("{"):
            # The range of the id columns (PostgreSQL integer): schemas.common.ID_MIN/ID_MAX.
            params.append({"name": segment[1:-1], "in": "path", "required": True,
                           "schema": {"type": "integer", "minimum": ID_MIN, "maximum": ID_MAX}})
    if route.query:
        schema = route.query.model_json_schema(ref_template=REF_TEMPLATE)
        for name, prop in schema["properties"].items():
            params.append({"name": name, "in": "query", "required": name in schema.get("required", []),
                           "schema": prop})
    if route.idempotent:
        params.append({
            "name": "Idempotency-Key", "in": "header", "required": False,
            "description": "Makes the request safe to retry: a replay returns the original response and stores "
                           "nothing. Falls back to the body's event_id.",
            "schema": {"type": "string", "minLength": 1, "maxLength": 128},
        })
    return params


def _operation(route: Route) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    if route.response_mime == TWIML_MIME:
        responses[str(route.status)] = {"description": "TwiML", "content": {TWIML_MIME: {"schema": {"type": "string"}}}}
    elif route.response is not None:
        success: dict[str, Any] = {"description": "OK" if route.status == 200 else "Created",
                                   "content": {"application/json": {"schema": _ref(route.response)}}}
        if route.idempotent:
            success["headers"] = {"Idempotent-Replayed": {
                "description": "true when this is the stored response to an earlier request with the same key",
                "schema": {"type": "string", "enum": ["true"]}}}
        responses[str(route.status)] = success
    else:
        responses[str(route.status)] = {"description": "Done"}
    errors = set(route.errors)
    if route.auth == "twilio":
        errors |= {403}
    elif route.auth:
        errors |= {401, 403}
    if route.path_ids and route.auth:
        errors |= {404}
    if route.database:
        errors |= {503}
    for status in sorted(errors):
        responses[str(status)] = _problem(status, route)
    op: dict[str, Any] = {
        "operationId": _operation_id(route), "summary": route.summary, "tags": list(route.tags),
        "parameters": _parameters(route), "responses": responses,
    }
    if route.request is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(route.request)}}}
    elif route.raw_body is not None:
        op["requestBody"] = {"required": True, "content": {route.raw_body: {"schema": {"type": ["object", "array"]}}}}
    elif route.form is not None:
        op["requestBody"] = {"required": True, "content": {FORM_MIME: {"schema": _ref(route.form)}}}
    if route.auth == "twilio":
        op["security"] = [{"twilioSignature": []}]
        op["description"] = ("Called by Twilio only: signed with the account's auth token over PUBLIC_BASE_URL, "
                             "this path and query, and the form.")
    elif route.auth:
        op["security"] = [{"bearerAuth": []}]
        if route.auth == "admin":
            op["description"] = "Needs an admin token."
    else:
        op["security"] = []
    return op


def _operation_id(route: Route) -> str:
    words = [w.strip("{}") for w in route.path.split("/") if w and w != "v1"]
    return route.method + "_" + "_".join(words)


def build_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document for the whole API (a fresh dict each call; callers may cache it)."""
    _, defs = models_json_schema(_models(), ref_template=REF_TEMPLATE)
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})[route.method] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "dosewatch",
            "version": "1",
            "description": "Caregiver alerting for people who take baclofen: dose and check-in ingest, alerts, "
                           "and administration. Errors are RFC 9457 problem documents.",
        },
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "An API token (dw_...) from POST /v1/admin/tokens."},
                "twilioSignature": {"type": "apiKey", "in": "header", "name": "X-Twilio-Signature",
                                    "description": "Twilio's request signature (HMAC-SHA1 with the auth token)."},
            },
        },
    }

"""dosewatch's records as HL7 FHIR R4 resources (plain JSON dicts).

Pure functions of row values: no Flask, no session. ``alerts.fhir.export`` reads the rows and
calls these; the tests validate every resource they produce with the R4B models of
``fhir.resources`` (FHIR 4.3, the R4 line).

Resources are built as dicts, not as ``fhir.resources`` models: a bulk export writes tens of
thousands a second, and building a validated pydantic model per resource would cost more than the
query. The shapes are pinned by the tests instead.

Ids are the table's id, prefixed where one table gives two resource kinds, or two tables one kind
(``MedicationAdministration/dose-<event id>`` for a dose taken, ``missed-<dose id>`` for a missed
dose; ``Observation/reading-<id>`` for a vital sign, ``checkin-<id>`` for a check-in).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from alerts.domain.medications import BACLOFEN as BACLOFEN_PACK
from alerts.domain.medications import clinical_pack
from alerts.domain.symptoms import SYMPTOMS

_ZERO = timedelta(0)
# What dosewatch exports, in the order a FHIR server needs them to resolve references (Patient
# first): the order of a Bundle's entries and of a bulk export's files.
TYPES = ("Patient", "Device", "MedicationRequest", "MedicationAdministration", "Observation", "Flag",
         "DetectedIssue", "Communication")

# Our own code systems and identifier systems: canonical URLs under the project's namespace.
BASE = "https://dosewatch.example.org/fhir"
SYMPTOM_SYSTEM = f"{BASE}/CodeSystem/symptom"
ALERT_KIND_SYSTEM = f"{BASE}/CodeSystem/alert-kind"
DELIVERY_STATUS_SYSTEM = f"{BASE}/CodeSystem/delivery-status"
DEVICE_KIND_SYSTEM = f"{BASE}/CodeSystem/device-kind"
DOSE_STATUS_REASON_SYSTEM = f"{BASE}/CodeSystem/dose-status-reason"
# A device's own name for itself (serial, FHIR reference, Open mHealth source); dosewatch's ids are
# ``{BASE}/sid/{resource type}``, added to every exported resource by ``alerts.fhir.export``.
DEVICE_ID_SYSTEM = f"{BASE}/sid/device-external-id"
# The FHIR extension that names a wall-clock time's IANA zone (valueCode, e.g. America/New_York).
TIMEZONE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/timezone"

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
COMMUNICATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/communication-category"
PARTICIPATION_MODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"

# RxNorm 1292: baclofen (ingredient). A schedule or dose from before medications were data is
# baclofen's, the one medicine dosewatch watched then.
BACLOFEN_RXNORM = "1292"
BACLOFEN = {"coding": [{"system": RXNORM, "code": BACLOFEN_RXNORM, "display": "baclofen"}], "text": "baclofen"}
# A dose reported by a patient on several medicines that named none and matched no due dose:
# recorded without a medicine (``choose_medication``), so exported without a guess.
UNKNOWN_MEDICATION = {"text": "medicine not named in the report"}


def medication(name: str | None, rxnorm_code: str | None, *, unknown: bool = False) -> dict[str, Any]:
    """The medicine of a schedule or a dose as a CodeableConcept: its RxNorm code when the medication
    was added with one (or it is baclofen, whose code is known), its name as the patient's list has
    it. No name: baclofen (a row from before medications), unless ``unknown`` (never named)."""
    if name is None:
        return dict(UNKNOWN_MEDICATION) if unknown else BACLOFEN
    if rxnorm_code is None and clinical_pack(name) == BACLOFEN_PACK:
        rxnorm_code = BACLOFEN_RXNORM
    if rxnorm_code is None:
        return {"text": name}
    return {"coding": [{"system": RXNORM, "code": rxnorm_code, "display": name}], "text": name}

# Reading kind -> (LOINC code, display, FHIR vital-signs profile, UCUM unit shown). The codes are the
# ones the vital-signs profiles require, which the Observation ingest route reads back
# (``schemas.fhir.CODES``). Blood pressure is stored as two readings, so each half is exported as
# its own Observation under the base vital-signs profile (the bp profile needs both in one panel).
VITAL_SIGNS = "http://hl7.org/fhir/StructureDefinition/vitalsigns"
VITALS: dict[str, tuple[str, str, str, str]] = {
    "heart_rate": ("8867-4", "Heart rate", "http://hl7.org/fhir/StructureDefinition/heartrate", "beats/minute"),
    "respiratory_rate": ("9279-1", "Respiratory rate", "http://hl7.org/fhir/StructureDefinition/resprate",
                         "breaths/minute"),
    "body_temperature": ("8310-5", "Body temperature", "http://hl7.org/fhir/StructureDefinition/bodytemp", "C"),
    "skin_temperature": ("39106-0", "Temperature of Skin", VITAL_SIGNS, "C"),
    "spo2": ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry",
             "http://hl7.org/fhir/StructureDefinition/oxygensat", "%"),
    "bp_systolic": ("8480-6", "Systolic blood pressure", VITAL_SIGNS, "mmHg"),
    "bp_diastolic": ("8462-4", "Diastolic blood pressure", VITAL_SIGNS, "mmHg"),
}
# The oxygensat profile fixes 2708-6 beside the pulse-oximetry code.
_SPO2_PROFILE_CODE = {"system": LOINC, "code": "2708-6", "display": "Oxygen saturation in Arterial blood"}
CANONICAL_UNITS = {"heart_rate": "/min", "respiratory_rate": "/min", "body_temperature": "Cel",
                   "skin_temperature": "Cel", "spo2": "%", "bp_systolic": "mm[Hg]", "bp_diastolic": "mm[Hg]"}

# Alert kinds whose alert is a withdrawal or toxicity risk (a DetectedIssue), besides any alert that
# carries the withdrawal-vs-toxicity assessment.
RISK_KINDS = frozenset({"withdrawal_risk", "toxicity_risk"})
ALERT_LABELS = {
    "missed_dose": "missed dose", "withdrawal_risk": "baclofen withdrawal risk",
    "toxicity_risk": "baclofen toxicity risk", "consult_soon": "see a doctor soon",
    "emergency": "emergency (red flag)", "urgent": "urgent (symptoms)", "device_offline": "device offline",
    "pump_refill": "pump refill", "supply_low": "low medicine supply",
}
DEVICE_LABELS = {"wearable": "wearable sensor", "pill_bottle": "smart pill bottle", "pump": "intrathecal baclofen pump"}

# Twilio's message/call status -> Communication.status. The provider's own word stays in statusReason.
_COMMUNICATION_STATUS = {
    "queued": "preparation", "sending": "in-progress", "accepted": "in-progress", "ringing": "in-progress",
    "in-progress": "in-progress", "sent": "completed", "delivered": "completed", "completed": "completed",
    "recorded": "completed", "undelivered": "not-done", "failed": "not-done", "busy": "not-done",
    "no-answer": "not-done", "canceled": "not-done", "cancelled": "not-done", "unknown": "unknown",
}


def instant(value: datetime) -> str:
    """A FHIR instant/dateTime in UTC (``...Z``)."""
    if value.utcoffset() != _ZERO:  # rows come back in UTC already (``UTCDateTime``)
        value = value.astimezone(UTC)
    return value.isoformat()[:-6] + "Z"


def number(value: Decimal | float) -> int | float:
    """A JSON number for a FHIR decimal: 10, not 10.0 or "10.00"."""
    f = float(value)
    return int(f) if f.is_integer() else f


def mg(value: Decimal | float) -> dict[str, Any]:
    return {"value": number(value), "unit": "mg", "system": UCUM, "code": "mg"}


def ref(kind: str, id_: object) -> dict[str, str]:
    return {"reference": f"{kind}/{id_}"}


def patient(id_: int, name: str, phone: str | None, language: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resourceType": "Patient", "id": str(id_),
        "name": [{"text": name}],
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": language}]},
                           "preferred": True}],
    }
    if phone:
        out["telecom"] = [{"system": "phone", "value": phone, "use": "mobile"}]
    return out


def medication_request(id_: int, patient_id: int, timezone: str, times: Sequence[str], dose_mg: Decimal,
                       active: bool, starts_on: date | None, created_at: datetime,
                       drug: Mapping[str, Any] = BACLOFEN) -> dict[str, Any]:
    """A dose schedule: wall-clock times every day in the patient's zone (the timezone extension on
    the Timing names it; FHIR's timeOfDay carries no zone of its own).

    ``intent`` is ``plan``: dosewatch records the regimen the patient follows, it does not order it."""
    repeat: dict[str, Any] = {"frequency": len(times), "period": 1, "periodUnit": "d",
                              "timeOfDay": [f"{t}:00" for t in times]}
    if starts_on is not None:
        repeat["boundsPeriod"] = {"start": starts_on.isoformat()}
    return {
        "resourceType": "MedicationRequest", "id": str(id_),
        "status": "active" if active else "stopped", "intent": "plan",
        "medicationCodeableConcept": drug, "subject": ref("Patient", patient_id),
        "authoredOn": instant(created_at),
        "dosageInstruction": [{
            "text": f"{drug['text']} {number(dose_mg)} mg at {', '.join(times)} ({timezone} time), every day",
            "timing": {"extension": [{"url": TIMEZONE_EXTENSION, "valueCode": timezone}], "repeat": repeat},
            "doseAndRate": [{"doseQuantity": mg(dose_mg)}],
        }],
    }


def dose_taken(event_id: int, patient_id: int, taken_at: datetime, source: str, dose_mg: Decimal | None,
               schedule_id: int | None, drug: Mapping[str, Any] = BACLOFEN) -> dict[str, Any]:
    """A dose reported taken (app, SMS reply, pill bottle, EHR): a completed administration of
    ``drug`` (:func:`medication`), the medicine that dose was recorded as."""
    out: dict[str, Any] = {
        "resourceType": "MedicationAdministration", "id": f"dose-{event_id}", "status": "completed",
        "medicationCodeableConcept": drug, "subject": ref("Patient", patient_id),
        "effectiveDateTime": instant(taken_at),
        "note": [{"text": f"reported by {source}"}],
    }
    if schedule_id is not None:
        out["request"] = ref("MedicationRequest", schedule_id)
    if dose_mg is not None:
        out["dosage"] = {"dose": mg(dose_mg)}
    return out


def dose_missed(dose_id: int, patient_id: int, schedule_id: int, due_at: datetime, dose_mg: Decimal,
                grace_end: datetime, drug: Mapping[str, Any] = BACLOFEN) -> dict[str, Any]:
    """A scheduled dose nobody reported taken within its grace: not done, and why."""
    return {
        "resourceType": "MedicationAdministration", "id": f"missed-{dose_id}", "status": "not-done",
        "statusReason": [{"coding": [{"system": DOSE_STATUS_REASON_SYSTEM, "code": "missed",
                                      "display": "not reported taken"}],
                          "text": f"missed: not reported taken by {instant(grace_end)} (due {instant(due_at)})"}],
        "medicationCodeableConcept": drug, "subject": ref("Patient", patient_id),
        "effectiveDateTime": instant(due_at), "request": ref("MedicationRequest", schedule_id),
        "dosage": {"dose": mg(dose_mg)},
    }


def vital(reading_id: int, patient_id: int, kind: str, value: float, measured_at: datetime,
          device_id: int | None) -> dict[str, Any] | None:
    """A vital-sign reading (None for a kind with no LOINC vital sign, such as a motion index)."""
    spec = VITALS.get(kind)
    if spec is None:
        return None
    code, display, profile, shown = spec
    coding = [{"system": LOINC, "code": code, "display": display}]
    if kind == "spo2":
        coding.insert(0, _SPO2_PROFILE_CODE)
    out: dict[str, Any] = {
        "resourceType": "Observation", "id": f"reading-{reading_id}", "meta": {"profile": [profile]},
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "vital-signs",
                                  "display": "Vital Signs"}], "text": "Vital Signs"}],
        "code": {"coding": coding, "text": display}, "subject": ref("Patient", patient_id),
        "effectiveDateTime": instant(measured_at),
        "valueQuantity": {"value": value, "unit": shown, "system": UCUM, "code": CANONICAL_UNITS[kind]},
    }
    if device_id is not None:
        out["device"] = ref("Device", device_id)
    return out


def checkin(checkin_id: int, patient_id: int, recorded_at: datetime, symptoms: Mapping[str, int],
            supply_problem: str | None, note: str | None) -> dict[str, Any]:
    """A symptom check-in: one survey Observation, a component per symptom (severity 0-10)."""
    components: list[dict[str, Any]] = []
    for key, severity in sorted(symptoms.items()):
        label = SYMPTOMS[key].label if key in SYMPTOMS else key
        components.append({"code": {"coding": [{"system": SYMPTOM_SYSTEM, "code": key, "display": label}],
                                    "text": label},
                           "valueInteger": int(severity)})
    if supply_problem:
        components.append({"code": {"coding": [{"system": SYMPTOM_SYSTEM, "code": "supply_problem",
                                                "display": "baclofen supply problem"}]},
                           "valueCodeableConcept": {"coding": [{"system": SYMPTOM_SYSTEM, "code": supply_problem}],
                                                    "text": supply_problem.replace("_", " ")}})
    out: dict[str, Any] = {
        "resourceType": "Observation", "id": f"checkin-{checkin_id}", "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {"coding": [{"system": SYMPTOM_SYSTEM, "code": "checkin",
                             "display": "baclofen symptom check-in (severity 0-10 per symptom)"}],
                 "text": "baclofen symptom check-in"},
        "subject": ref("Patient", patient_id), "effectiveDateTime": instant(recorded_at),
        "component": components,
    }
    if note:
        out["note"] = [{"text": note}]
    return out


def flag(alert_id: int, patient_id: int, kind: str, opened_at: datetime) -> dict[str, Any]:
    """An open alert: a Flag on the patient's chart while it escalates."""
    label = ALERT_LABELS.get(kind, kind.replace("_", " "))
    return {
        "resourceType": "Flag", "id": str(alert_id), "status": "active",
        "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]}],
        "code": {"coding": [{"system": ALERT_KIND_SYSTEM, "code": kind, "display": label}],
                 "text": f"dosewatch alert: {label}"},
        "subject": ref("Patient", patient_id), "period": {"start": instant(opened_at)},
    }


def is_risk(kind: str, details: Mapping[str, Any]) -> bool:
    """Whether an alert is a withdrawal or toxicity risk: its kind says so, or it carries the
    withdrawal-vs-toxicity assessment (an emergency, urgent or consult-soon alert)."""
    return kind in RISK_KINDS or isinstance(details.get("assessment"), Mapping)


def detected_issue(alert_id: int, patient_id: int, kind: str, status: str, opened_at: datetime,
                   details: Mapping[str, Any]) -> dict[str, Any]:
    """A withdrawal or toxicity risk with the reasons dosewatch gave, one evidence entry per reason."""
    found = details.get("assessment")
    assessment: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    label = ALERT_LABELS.get(kind, kind.replace("_", " "))
    reasons = [str(r) for r in details.get("reasons") or []]
    for group in ("withdrawal", "toxicity", "shared"):
        reasons += [f"{group}: {r}" for r in assessment.get(group) or [] if f"{group}: {r}" not in reasons]
    verdict = assessment.get("verdict") or details.get("verdict")
    out: dict[str, Any] = {
        "resourceType": "DetectedIssue", "id": str(alert_id),
        # An open alert is still being assessed by the people it escalates to.
        "status": "preliminary" if status == "open" else "final",
        "code": {"coding": [{"system": ALERT_KIND_SYSTEM, "code": kind, "display": label}], "text": label},
        "severity": "high" if kind in ("emergency", "urgent") else "moderate",
        "patient": ref("Patient", patient_id), "identifiedDateTime": instant(opened_at),
    }
    summary = assessment.get("summary")
    detail = " ".join(s for s in (f"verdict: {verdict}." if verdict else "", str(summary) if summary else "") if s)
    if detail:
        out["detail"] = detail
    if reasons:
        out["evidence"] = [{"code": [{"text": r}]} for r in reasons]
    return out


def communication(notification_id: int, patient_id: int, kind: str, channel: str, recipient_kind: str,
                  status: str, error_code: int | None, body: str, created_at: datetime,
                  sent_at: datetime | None) -> dict[str, Any]:
    """A message dosewatch sent (SMS or call), with its delivery status as the provider last reported it."""
    category = "reminder" if kind == "reminder" else "alert" if kind in ("escalation", "emergency") else "notification"
    reason_text = f"delivery status: {status}" + (f" (provider error {error_code})" if error_code else "")
    out: dict[str, Any] = {
        "resourceType": "Communication", "id": str(notification_id),
        "status": _COMMUNICATION_STATUS.get(status, "unknown"),
        "statusReason": {"coding": [{"system": DELIVERY_STATUS_SYSTEM, "code": status}], "text": reason_text},
        "category": [{"coding": [{"system": COMMUNICATION_CATEGORY, "code": category}], "text": kind}],
        "medium": [{"coding": [{"system": PARTICIPATION_MODE, "code": "SMSWRIT" if channel == "sms" else "PHONE",
                                "display": "SMS message" if channel == "sms" else "telephone"}]}],
        "subject": ref("Patient", patient_id),
        # Caregivers are not exported as resources (their phones are not the clinician's record).
        "recipient": [ref("Patient", patient_id)] if recipient_kind == "patient" else [{"display": "caregiver"}],
        "payload": [{"contentString": body}],
    }
    if sent_at is not None:
        out["sent"] = instant(sent_at)
    return out


def device(id_: int, patient_id: int, external_id: str, kind: str) -> dict[str, Any]:
    """A registered device: wearable, smart pill bottle or intrathecal pump."""
    label = DEVICE_LABELS.get(kind, kind)
    return {
        "resourceType": "Device", "id": str(id_), "status": "active",
        "identifier": [{"system": DEVICE_ID_SYSTEM, "value": external_id}],
        "type": {"coding": [{"system": DEVICE_KIND_SYSTEM, "code": kind, "display": label}], "text": label},
        "patient": ref("Patient", patient_id),
    }


# -- the bulk export's fast path ---------------------------------------------------------------------
# Vital signs are most of an export (a watch reports all day). Building a dict and JSON-encoding it
# cost about 35 us a resource; the line below is the same resource (``tests/unit/test_fhir_resources``
# compares the two for every kind) written from pre-encoded constant parts, in about a tenth of that.


def _vital_constants(kind: str) -> str:
    resource = vital(0, 0, kind, 0.0, datetime(2000, 1, 1, tzinfo=UTC), None)
    assert resource is not None
    constant = {k: resource[k] for k in ("resourceType", "meta", "status", "category", "code")}
    return json.dumps(constant, separators=(",", ":"))[:-1]


_VITAL_HEAD = {kind: _vital_constants(kind) for kind in VITALS}
_VITAL_UNIT = {kind: json.dumps({"unit": VITALS[kind][3], "system": UCUM, "code": CANONICAL_UNITS[kind]},
                                separators=(",", ":"))[1:-1] for kind in VITALS}
_OBSERVATION_SID = f"{BASE}/sid/Observation"


def vital_line(reading_id: int, patient_id: int, kind: str, value: float, measured_at: datetime,
               device_id: int | None) -> str | None:
    """:func:`vital` with dosewatch's identifier, as one line of JSON (None: not a vital sign)."""
    head = _VITAL_HEAD.get(kind)
    if head is None:
        return None
    id_ = f"reading-{reading_id}"
    device = f',"device":{{"reference":"Device/{device_id}"}}' if device_id is not None else ""
    return (f'{head},"id":"{id_}","identifier":[{{"system":"{_OBSERVATION_SID}","value":"{id_}"}}],'
            f'"subject":{{"reference":"Patient/{patient_id}"}},"effectiveDateTime":"{instant(measured_at)}",'
            f'"valueQuantity":{{"value":{float(value)!r},{_VITAL_UNIT[kind]}}}{device}}}')

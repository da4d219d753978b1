"""FHIR R4 out (``Patient/{id}/$everything``) and doses taken in (MedicationAdministration,
MedicationStatement): what a clinician's EHR receives, and what a pill bottle or EHR may post.

Rosa's day, made through the same routes and tick as production: the 14:00 dose taken, the 20:00
dose missed (the tick opens the missed-dose alert and texts her), vitals from her watch, a check-in
reporting a seizure (an emergency that carries the withdrawal-vs-toxicity assessment).
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from freezegun import freeze_time
from sqlalchemy import select

from alerts.db import Database
from alerts.fhir.resources import BASE
from alerts.models import AuditEvent, Dose, DoseEvent, Medication, Notification, Reading
from tests.api.conftest import MISSED_DUE, TAKEN_DUE, bearer, read
from tests.conftest import NOW

FIXTURES = Path(__file__).parent.parent / "fixtures" / "standards" / "fhir-r4"


def everything(client, pid: int, headers: dict[str, str], **query: str) -> Any:  # type: ignore[no-untyped-def]
    with freeze_time(MISSED_DUE + timedelta(hours=1)):
        return client.get(f"/fhir/Patient/{pid}/$everything", query_string=query, headers=headers)


def resources(bundle: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if kind is None or e["resource"]["resourceType"] == kind]


def references(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k == "reference" and isinstance(v, str)] + \
            [r for v in value.values() for r in references(v)]
    if isinstance(value, list):
        return [r for v in value for r in references(v)]
    return []


# -- the record out --------------------------------------------------------------------------------


def test_everything_is_a_bundle_of_valid_fhir_r4_resources(client, ward, rosas_day, clinician) -> None:  # type: ignore[no-untyped-def]
    response = everything(client, ward.patient.id, clinician)
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    bundle = response.get_json()
    get_fhir_model_class("Bundle").model_validate(bundle)
    for resource in resources(bundle):
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    kinds = {r["resourceType"] for r in resources(bundle)}
    assert kinds == {"Patient", "Device", "MedicationRequest", "MedicationAdministration", "Observation", "Flag",
                     "DetectedIssue", "Communication"}


def test_every_reference_in_the_bundle_resolves_to_one_of_its_entries(client, ward, rosas_day, clinician) -> None:  # type: ignore[no-untyped-def]
    bundle = everything(client, ward.patient.id, clinician).get_json()
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    assert len(full_urls) == len(bundle["entry"])
    base = "https://dosewatch.example.org/fhir/"
    assert all(u.startswith(base) for u in full_urls)
    refs = references(resources(bundle))
    assert refs  # the test would prove nothing without references
    for ref in refs:
        assert base + ref in full_urls, ref


def test_schedule_is_a_medication_request_timed_in_the_patients_zone(client, ward, rosas_day, clinician) -> None:  # type: ignore[no-untyped-def]
    [request] = resources(everything(client, ward.patient.id, clinician).get_json(), "MedicationRequest")
    dosage = request["dosageInstruction"][0]
    assert request["status"] == "active"
    assert dosage["timing"]["repeat"]["timeOfDay"] == ["08:00:00", "14:00:00", "20:00:00"]
    assert dosage["timing"]["extension"] == [{"url": "http://hl7.org/fhir/StructureDefinition/timezone",
                                              "valueCode": "America/New_York"}]
    assert dosage["doseAndRate"][0]["doseQuantity"] == {"value": 10, "unit": "mg", "system": "http://unitsofmeasure.org",
                                                       "code": "mg"}
    assert request["medicationCodeableConcept"]["coding"][0]["code"] == "1292"  # RxNorm baclofen


def test_doses_taken_are_completed_and_missed_doses_not_done_with_a_reason(client, ward, rosas_day, clinician) -> None:  # type: ignore[no-untyped-def]
    given = resources(everything(client, ward.patient.id, clinician).get_json(), "MedicationAdministration")
    by_status = {r["status"]: r for r in given}
    assert set(by_status) == {"completed", "not-done"}
    taken, missed = by_status["completed"], by_status["not-done"]
    assert taken["effectiveDateTime"] == "2026-06-15T17:55:00Z"
    assert taken["request"] == {"reference": f"MedicationRequest/{ward.schedule.id}"}
    assert taken["dosage"]["dose"]["value"] == 10
    assert missed["effectiveDateTime"] == "2026-06-16T00:00:00Z"
    assert missed["statusReason"][0]["coding"][0]["code"] == "missed"
    assert "not reported taken" in missed["statusReason"][0]["text"]


def test_each_schedule_and_dose_is_labelled_with_its_own_medicine_and_its_rxnorm_code_when_known(
        client, ward, clinician, session, make_schedule) -> None:  # type: ignore[no-untyped-def]
    metformin = Medication(patient_id=ward.patient.id, name="metformin", rxnorm_code="6809", route="oral")
    levetiracetam = Medication(patient_id=ward.patient.id, name="Levetiracetam", route="oral")
    session.add_all([metformin, levetiracetam])
    session.flush()
    metformin_s = make_schedule(ward.patient, ["09:00"], medication_id=metformin.id)
    levetiracetam_s = make_schedule(ward.patient, ["09:00"], medication_id=levetiracetam.id)
    missed = session.scalars(select(Dose).where(Dose.schedule_id == metformin_s.id)).one()
    missed.status, missed.missed_at = "missed", NOW
    named = DoseEvent(patient_id=ward.patient.id, taken_at=NOW, source="app", medication_id=levetiracetam.id,
                      medication_basis="given", received_at=NOW)
    unnamed = DoseEvent(patient_id=ward.patient.id, taken_at=NOW, source="sms", medication_basis="unknown",
                        received_at=NOW)
    session.add_all([named, unnamed])
    session.commit()

    bundle = everything(client, ward.patient.id, clinician).get_json()

    for resource in resources(bundle):
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"
    requests = {r["id"]: r["medicationCodeableConcept"] for r in resources(bundle, "MedicationRequest")}
    assert requests == {
        str(ward.schedule.id): {"coding": [{"system": rxnorm, "code": "1292", "display": "baclofen"}],
                                "text": "baclofen"},
        str(metformin_s.id): {"coding": [{"system": rxnorm, "code": "6809", "display": "metformin"}],
                              "text": "metformin"},
        str(levetiracetam_s.id): {"text": "Levetiracetam"}}
    doses = {r["id"]: r["medicationCodeableConcept"] for r in resources(bundle, "MedicationAdministration")}
    assert doses == {f"missed-{missed.id}": requests[str(metformin_s.id)],
                     f"dose-{named.id}": {"text": "Levetiracetam"},
                     f"dose-{unnamed.id}": {"text": "medicine not named in the report"}}


def test_vitals_are_vital_sign_observations_with_loinc_and_ucum(client, ward, rosas_day, clinician) -> None:  # type: ignore[no-untyped-def]
    observations = resources(everything(client, ward.patient.id, clinician).get_json(), "Observation")
    vitals = {o["code"]["coding"][-1]["code"]: o for o in observations if o["category"][0]["coding"][0]["code"] == "vital-signs"}
    assert set(vitals) == {"8867-4", "59408-5", "8310-5", "9279-1", "8480-6", "8462-4", "39106-0"}
    assert vitals["8867-4"]["meta"]["profile"] == ["http://hl7.org/fhir/StructureDefinition/heartrate"]
    assert vitals["8867-4"]["valueQuantity"] == {"value": 72.0, "unit": "beats/minute",
                                                 "system": "http://unitsofmeasure.org", "code": "/min"}
    assert vitals["8310-5"]["valueQuantity"]["code"] == "Cel"
    assert vitals["59408-5"]["code"]["coding"][0]["code"] == "2708-6"  # the oxygensat profile's fixed code
    assert vitals["8867-4"]["device"]["reference"].startswith("Device/")


def test_check_in_is_a_survey_observation_with_a_score_per_symptom(client, ward, rosas_day, clinician) -> None:  # type: ignore[no-untyped-def]
    observations = resources(everything(client, ward.patient.id, clinician).get_json(), "Observation")
    [checkin] = [o for o in observations if o["category"][0]["coding"][0]["code"] == "survey"]
    scores = {c["code"]["coding"][0]["code"]: c["valueInteger"] for c in checkin["component"]}
    assert scores == {"seizure": 4, "tremor": 2}
    assert checkin["effectiveDateTime"] == "2026-06-16T00:39:00Z"


def test_open_alerts_are_flags_and_risks_detected_issues_with_their_reasons(client, ward, rosas_day, clinician) -> None:  # type: ignore[no-untyped-def]
    bundle = everything(client, ward.patient.id, clinician).get_json()
    flags = {f["code"]["coding"][0]["code"] for f in resources(bundle, "Flag")}
    assert {"missed_dose", "emergency"} <= flags
    [issue] = resources(bundle, "DetectedIssue")
    assert issue["code"]["coding"][0]["code"] == "emergency"
    assert issue["status"] == "preliminary"
    evidence = [e["code"][0]["text"] for e in issue["evidence"]]
    assert any("seizure" in e for e in evidence)
    assert issue["detail"].startswith("verdict: ")


def test_messages_sent_are_communications_with_their_delivery_status(client, ward, rosas_day, clinician, db) -> None:  # type: ignore[no-untyped-def]
    communications = resources(everything(client, ward.patient.id, clinician).get_json(), "Communication")
    delivered = [c for c in communications if c["statusReason"]["coding"][0]["code"] == "delivered"]
    assert delivered and all(c["status"] == "completed" and c["sent"] for c in delivered)
    # Messages still waiting in the outbox were not sent: they are not in the record.
    queued = read(db, select(Notification.id).where(Notification.status == "queued"))
    assert queued and not {str(i) for i in queued} & {c["id"] for c in communications}


def test_devices_are_exported_with_their_own_name(client, ward, rosas_day, clinician) -> None:  # type: ignore[no-untyped-def]
    [watch] = resources(everything(client, ward.patient.id, clinician).get_json(), "Device")
    assert {"system": f"{BASE}/sid/device-external-id", "value": "watch-1"} in watch["identifier"]
    assert watch["patient"] == {"reference": f"Patient/{ward.patient.id}"}


def test_start_end_and_since_narrow_the_record_but_keep_the_patient(client, ward, rosas_day, clinician) -> None:  # type: ignore[no-untyped-def]
    bundle = everything(client, ward.patient.id, clinician, start="2026-06-15T23:00:00Z",
                        _type="Patient,MedicationAdministration,Observation").get_json()
    kinds = [r["resourceType"] for r in resources(bundle)]
    assert kinds.count("Patient") == 1 and kinds.count("MedicationAdministration") == 1
    assert {r["id"] for r in resources(bundle, "Observation")} == {r["id"] for r in resources(bundle, "Observation")
                                                                  if r["id"].startswith("checkin-")}
    later = everything(client, ward.patient.id, clinician, _since="2026-06-16T01:00:00Z").get_json()
    assert {r["resourceType"] for r in resources(later)} <= {"Patient", "Device", "MedicationRequest"}


def test_transaction_form_links_entries_by_urn_and_updates_conditionally(client, ward, rosas_day, clinician) -> None:  # type: ignore[no-untyped-def]
    bundle = everything(client, ward.patient.id, clinician, bundle="transaction").get_json()
    get_fhir_model_class("Bundle").model_validate(bundle)
    assert bundle["type"] == "transaction"
    urns = {e["fullUrl"] for e in bundle["entry"]}
    assert all(u.startswith("urn:uuid:") for u in urns)
    for ref in references([e["resource"] for e in bundle["entry"]]):
        assert ref in urns, ref
    patient_entry = bundle["entry"][0]
    assert patient_entry["request"] == {"method": "PUT",
                                        "url": f"Patient?identifier={BASE}/sid/Patient|{ward.patient.id}"}
    again = everything(client, ward.patient.id, clinician, bundle="transaction").get_json()
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in bundle["entry"]]


@pytest.mark.parametrize("query", [{"start": "yesterday"}, {"_type": "Encounter"}, {"_sinse": "2026-06-01T00:00:00Z"},
                                   {"start": "2026-06-16T00:00:00Z", "end": "2026-06-15T00:00:00Z"},
                                   {"bundle": "batch"}])
def test_a_bad_query_is_a_422_problem(client, ward, clinician, query) -> None:  # type: ignore[no-untyped-def]
    response = everything(client, ward.patient.id, clinician, **query)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


# -- who may read the record -----------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [("admin", 200), ("own", 403), ("other", 404), ("none", 401),
                                                 ("unknown", 401)])
def test_only_admin_and_clinician_tokens_read_the_record(client, ward, personas, persona, status) -> None:  # type: ignore[no-untyped-def]
    assert everything(client, ward.patient.id, personas[persona]).status_code == status


def test_a_clinician_reads_only_the_patients_on_their_panel(client, ward, clinician) -> None:  # type: ignore[no-untyped-def]
    assert everything(client, ward.patient.id, clinician).status_code == 200
    # Not on the panel is answered as not there: a token learns nothing of other patients.
    assert everything(client, ward.other.id, clinician).status_code == 404
    assert everything(client, 999_999, clinician).status_code == 404


def test_a_device_token_cannot_read_the_record(client, ward, device_token) -> None:  # type: ignore[no-untyped-def]
    assert everything(client, ward.patient.id, device_token).status_code == 403


def test_a_clinician_token_cannot_post_doses_or_manage_patients(client, ward, clinician) -> None:  # type: ignore[no-untyped-def]
    with freeze_time(NOW):
        posted = client.post(f"/v1/patients/{ward.patient.id}/doses", json={"taken_at": "2026-06-15T11:55:00Z"},
                             headers=clinician)
    assert posted.status_code == 403
    assert client.get("/v1/admin/patients", headers=clinician).status_code == 403


def test_an_admin_issues_a_clinician_token_for_a_panel_and_it_reads_only_that_panel(client, ward, personas) -> None:  # type: ignore[no-untyped-def]
    refused = client.post("/v1/admin/tokens", headers=personas["admin"], json={"name": "Dr Kim", "role": "clinician"})
    assert refused.status_code == 422  # a clinician token needs its panel
    issued = client.post("/v1/admin/tokens", headers=personas["admin"],
                         json={"name": "Dr Kim", "role": "clinician", "patient_ids": [ward.other.id]})
    assert issued.status_code == 201 and issued.get_json()["role"] == "clinician"
    token = bearer(issued.get_json()["token"])
    assert everything(client, ward.other.id, token).status_code == 200
    assert everything(client, ward.patient.id, token).status_code == 404


def test_every_export_is_recorded_for_audit(client, ward, clinician, caplog, db) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level("INFO", logger="dosewatch.audit"):
        everything(client, ward.patient.id, clinician)
    [line] = [r.getMessage() for r in caplog.records if r.name == "dosewatch.audit"]
    assert "action=fhir.everything" in line and f"patient={ward.patient.id}" in line and "role=clinician" in line
    assert ward.patient.name not in line
    # ... and as a row of the append-only audit log admins read in the console.
    with db.sessionmaker() as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "fhir.everything")).all()
    assert (event.patient_id, event.role) == (ward.patient.id, "clinician")
    assert event.actor.startswith("API token ") and event.details["counts"]["Patient"] == 1


# -- doses in --------------------------------------------------------------------------------------


def administration(taken_at: str = "2026-06-15T17:54:00Z", id_: str = "ma-1", **extra: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration", "id": id_, "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                                  "code": "1292", "display": "baclofen"}]},
        "subject": {"reference": "Patient/ehr-77"}, "effectiveDateTime": taken_at,
        "dosage": {"dose": {"value": 10, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}},
    }
    resource.update(extra)
    return resource


def post_doses(client, pid: int, document: Any, headers: dict[str, str]) -> Any:  # type: ignore[no-untyped-def]
    with freeze_time(TAKEN_DUE):
        return client.post(f"/v1/patients/{pid}/doses/fhir", json=document, headers=headers)


def test_a_medication_administration_is_a_dose_taken_matched_to_the_scheduled_dose(client, ward, device_token, db) -> None:  # type: ignore[no-untyped-def]
    response = post_doses(client, ward.patient.id, administration(), device_token)
    assert response.status_code == 201
    [recorded] = response.get_json()["recorded"]
    [dose] = read(db, select(Dose).where(Dose.id == recorded["matched_dose_id"]))
    assert dose.status == "taken" and dose.local_time == "14:00"
    [event] = read(db, select(DoseEvent))
    assert event.taken_at == datetime(2026, 6, 15, 17, 54, tzinfo=UTC) and event.dose_mg == 10
    assert event.source == "fhir"


def test_the_same_administration_sent_twice_is_one_dose(client, ward, device_token, count) -> None:  # type: ignore[no-untyped-def]
    post_doses(client, ward.patient.id, administration(), device_token)
    again = post_doses(client, ward.patient.id, {"resourceType": "Bundle", "type": "collection",
                                                 "entry": [{"resource": administration()}]}, device_token)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert count(DoseEvent) == 1


def test_the_same_id_with_another_time_of_the_same_dose_is_refused_not_stored_twice(client, ward, device_token, count) -> None:  # type: ignore[no-untyped-def]
    post_doses(client, ward.patient.id, administration(), device_token)
    changed = administration()
    changed["dosage"]["dose"]["value"] = 20
    assert post_doses(client, ward.patient.id, changed, device_token).status_code == 422
    assert count(DoseEvent) == 1


def test_a_second_dose_too_soon_reads_the_toxicity_rules_as_any_dose(client, ward, device_token, db) -> None:  # type: ignore[no-untyped-def]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": administration("2026-06-15T17:50:00Z", "a")},
        {"resource": administration("2026-06-15T17:58:00Z", "b")}]}
    assert post_doses(client, ward.patient.id, bundle, device_token).status_code == 201
    from alerts.models import Alert
    kinds = {a.kind for a in read(db, select(Alert))}
    assert "toxicity_risk" in kinds


def test_a_medication_statement_with_a_precise_time_is_a_dose_taken(client, ward, personas, count) -> None:  # type: ignore[no-untyped-def]
    statement = {"resourceType": "MedicationStatement", "id": "ms-1", "status": "completed",
                 "medicationCodeableConcept": {"text": "Baclofen 10 mg tablet"},
                 "subject": {"reference": "Patient/ehr-77"}, "effectiveDateTime": "2026-06-15T13:53:00-04:00"}
    response = post_doses(client, ward.patient.id, statement, personas["own"])
    assert response.status_code == 201
    assert response.get_json()["recorded"][0]["taken_at"] == "2026-06-15T17:53:00Z"
    assert count(DoseEvent) == 1


def test_what_cannot_be_placed_is_skipped_with_the_reason_and_the_rest_stored(client, ward, device_token, count) -> None:  # type: ignore[no-untyped-def]
    vancomycin = json.loads((FIXTURES / "MedicationAdministration-medadmin0301.json").read_text())
    vancomycin["status"] = "completed"  # the specification's example, given: only its medication is wrong
    daily = json.loads((FIXTURES / "MedicationStatement-example003.json").read_text())
    daily["medicationCodeableConcept"] = {"text": "baclofen"}
    not_done = administration(id_="nd", status="not-done")
    observation = json.loads((FIXTURES / "Observation-heart-rate.json").read_text())
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": r} for r in (vancomycin, daily, not_done, observation, administration())]}
    response = post_doses(client, ward.patient.id, bundle, device_token)
    assert response.status_code == 201
    body = response.get_json()
    reasons = {s["loc"]: s["reason"] for s in body["skipped"]}
    assert "not baclofen" in reasons["entry.0.resource"]
    assert "no time of day" in reasons["entry.1.resource"]
    assert "status not-done" in reasons["entry.2.resource"]
    assert "Observation is not a MedicationAdministration" in reasons["entry.3.resource"]
    assert [r["loc"] for r in body["recorded"]] == ["entry.4.resource"]
    assert count(DoseEvent) == 1


@pytest.mark.parametrize("bad", [
    administration(effectiveDateTime="2026-06-15T17:54:00"),  # no offset: the models refuse it
    administration(status="taken"),  # not a MedicationAdministration status
    administration("2026-06-16T17:54:00Z"),  # tomorrow
    administration("2026-05-01T17:54:00Z"),  # weeks ago
    {k: v for k, v in administration().items() if k != "effectiveDateTime"},
    administration(dosage={"dose": {"value": 5000, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}),
    {"resourceType": "Observation"},
])
def test_bad_medication_events_are_422_and_nothing_is_stored(client, ward, device_token, count, bad) -> None:  # type: ignore[no-untyped-def]
    bundle = {"resourceType": "Bundle", "type": "collection",
              "entry": [{"resource": administration(id_="good")}, {"resource": copy.deepcopy(bad)}]}
    document = bad if bad.get("resourceType") == "Observation" else bundle
    response = post_doses(client, ward.patient.id, document, device_token)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"]
    assert count(DoseEvent) == 0


def test_malformed_json_is_a_400_problem(client, ward, device_token) -> None:  # type: ignore[no-untyped-def]
    with freeze_time(NOW):
        response = client.post(f"/v1/patients/{ward.patient.id}/doses/fhir", data=b"{", headers=device_token,
                               content_type="application/fhir+json")
    assert response.status_code == 400


@pytest.mark.parametrize(("persona", "status"), [("own", 201), ("admin", 201), ("other", 404), ("none", 401)])
def test_who_may_post_doses_as_fhir(client, ward, personas, persona, status) -> None:  # type: ignore[no-untyped-def]
    assert post_doses(client, ward.patient.id, administration(), personas[persona]).status_code == status


# -- round trip ------------------------------------------------------------------------------------


def test_vitals_exported_and_posted_to_a_fresh_database_are_the_same_readings(  # type: ignore[no-untyped-def]
        client, ward, rosas_day, clinician, tmp_path, make_patient) -> None:
    from alerts import create_app
    from alerts.app import get_db
    from alerts.models import Base, Patient
    from alerts.services.tokens import issue_token

    bundle = everything(client, ward.patient.id, clinician, _type="Observation").get_json()
    vitals = [e for e in bundle["entry"] if e["resource"]["id"].startswith("reading-")]
    assert len(vitals) == 7

    fresh = create_app({"TESTING": True, "DOSEWATCH_DATA_DIR": str(tmp_path / "fresh"),
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "CELERY_BROKER_URL": "memory://",
                        "NOTIFIER": "console", "CONSOLE_NOTIFIER_ECHO": False,
                        "PUBLIC_BASE_URL": "https://other.example.org"})
    fresh_db = get_db(fresh)
    Base.metadata.create_all(fresh_db.engine)
    with fresh_db.sessionmaker() as s:
        patient = Patient(name="Rosa", timezone="America/New_York", phone=None)
        s.add(patient)
        s.flush()
        secret = issue_token(s, "EHR", "client", [patient])
        new_id = patient.id
        s.commit()
    with freeze_time(MISSED_DUE + timedelta(hours=1)):
        posted = fresh.test_client().post(f"/v1/patients/{new_id}/readings/fhir",
                                          json={"resourceType": "Bundle", "type": "collection", "entry": vitals},
                                          headers=bearer(secret))
    assert posted.status_code == 201, posted.get_json()
    assert posted.get_json()["skipped"] == []

    def readings(database: Database) -> set[tuple[str, float, datetime]]:
        return {(r.kind, r.value, r.measured_at) for r in read(database, select(Reading))}

    assert readings(fresh_db) == readings(get_db(client.application))
    fresh_db.dispose()

"""POST /v1/patients/{id}/doses with several medicines: a dose is matched to its own medicine's due
dose, named by id, name or RxNorm code; unnamed, the patient's only medicine or, among several, the
due dose nearest in time, and the answer says which way it was decided.

Rosa takes baclofen at 08:00, 14:00 and 20:00 (the ward's schedule, adopted as her baclofen row) and
metformin 500 mg at 14:30 (RxNorm 6809).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select, update

from alerts.models import Dose, DoseEvent, DoseSchedule, Medication
from tests.api.conftest import read
from tests.conftest import NOW
from tests.services.support import add_second_medicine

BACLOFEN_DUE = NOW + timedelta(hours=6)  # 14:00 New York
METFORMIN_DUE = BACLOFEN_DUE + timedelta(minutes=30)


def iso(at) -> str:  # type: ignore[no-untyped-def]
    return at.isoformat().replace("+00:00", "Z")


@pytest.fixture
def meds(ward, session):  # type: ignore[no-untyped-def]
    baclofen, metformin = add_second_medicine(session, ward.patient, ward.schedule, ["14:30"], now=NOW,
                                              name="Metformin", strength="500 mg tablet", rxnorm_code="6809")
    return {"baclofen": baclofen.id, "metformin": metformin.id}


def post(client, ward, personas, at, **body):  # type: ignore[no-untyped-def]
    with freeze_time(at):
        return client.post(f"/v1/patients/{ward.patient.id}/doses", headers=personas["own"],
                           json={"taken_at": iso(at), **body})


@pytest.mark.parametrize("ref", [{"name": "  metformin "}, {"rxnorm_code": "6809"}, "id"])
def test_a_dose_naming_its_medicine_is_matched_to_that_medicines_due_dose(
        client, ward, personas, meds, ref) -> None:  # type: ignore[no-untyped-def]
    ref = {"id": meds["metformin"]} if ref == "id" else ref
    # 14:05: the baclofen 14:00 dose is nearer, but the report says metformin.
    response = post(client, ward, personas, BACLOFEN_DUE + timedelta(minutes=5), medication=ref)

    assert response.status_code == 201, response.json
    body = response.json
    assert (body["medication_id"], body["medication_name"], body["medication_basis"]) == (
        meds["metformin"], "Metformin", "given")
    assert body["matched_dose"]["local_time"] == "14:30"


def test_an_unnamed_dose_among_several_medicines_is_the_due_dose_nearest_in_time_and_says_so(
        client, ward, personas, meds) -> None:  # type: ignore[no-untyped-def]
    response = post(client, ward, personas, METFORMIN_DUE - timedelta(minutes=5))

    body = response.json
    assert (body["medication_id"], body["medication_basis"]) == (meds["metformin"], "nearest_due")
    assert body["matched_dose"]["local_time"] == "14:30"

    again = post(client, ward, personas, BACLOFEN_DUE - timedelta(minutes=20))
    assert (again.json["medication_id"], again.json["medication_basis"]) == (meds["baclofen"], "nearest_due")
    assert again.json["matched_dose"]["local_time"] == "14:00"


def test_an_unnamed_dose_of_a_patient_with_one_medicine_is_that_medicine(
        client, ward, personas, session) -> None:  # type: ignore[no-untyped-def]
    baclofen = Medication(patient_id=ward.patient.id, name="baclofen", route="oral")
    session.add(baclofen)
    session.flush()
    session.execute(update(DoseSchedule).values(medication_id=baclofen.id))
    session.commit()

    # Nothing is due at 10:00 (unscheduled), yet the patient takes one medicine: it is that one.
    response = post(client, ward, personas, NOW + timedelta(hours=2))

    body = response.json
    assert body["matched_dose"] is None
    assert (body["medication_id"], body["medication_basis"]) == (baclofen.id, "only")


def test_an_unnamed_dose_no_medicine_was_due_for_is_left_unattributed_among_several(
        client, ward, personas, meds, db) -> None:  # type: ignore[no-untyped-def]
    response = post(client, ward, personas, NOW + timedelta(hours=2, minutes=30))

    assert (response.json["medication_id"], response.json["medication_basis"]) == (None, "unknown")
    assert read(db, select(DoseEvent.medication_id)) == [None]


def test_the_medicine_is_read_back_in_the_dose_history(client, ward, personas, meds) -> None:  # type: ignore[no-untyped-def]
    post(client, ward, personas, METFORMIN_DUE, medication={"name": "metformin"})

    with freeze_time(METFORMIN_DUE + timedelta(minutes=1)):
        listed = client.get(f"/v1/patients/{ward.patient.id}/doses", headers=personas["own"]).json["doses"]

    assert [(d["medication_name"], d["medication_basis"]) for d in listed] == [("Metformin", "given")]


@pytest.mark.parametrize("ref", [{"name": "aspirin"}, {"rxnorm_code": "1191"}, {"id": 999999},
                                 {"name": "metformin", "rxnorm_code": "6809"}, {}])
def test_a_medicine_the_patient_does_not_take_is_refused_and_nothing_stored(
        client, ward, personas, meds, db, ref) -> None:  # type: ignore[no-untyped-def]
    response = post(client, ward, personas, BACLOFEN_DUE, medication=ref)

    assert response.status_code in (400, 422)
    assert response.content_type == "application/problem+json"
    assert read(db, select(DoseEvent)) == []


def test_another_patients_medication_is_refused(client, ward, personas, meds, session, db) -> None:  # type: ignore[no-untyped-def]
    theirs = Medication(patient_id=ward.other.id, name="metformin", route="oral")
    session.add(theirs)
    session.commit()

    response = post(client, ward, personas, BACLOFEN_DUE, medication={"id": theirs.id})

    assert response.status_code == 422
    assert read(db, select(DoseEvent)) == []


def test_a_fhir_baclofen_administration_is_the_baclofen_dose_even_when_the_metformin_is_nearer(
        client, ward, personas, meds, db) -> None:  # type: ignore[no-untyped-def]
    at = METFORMIN_DUE - timedelta(minutes=5)  # 14:25: metformin 5 min away, baclofen 25 min
    document = {
        "resourceType": "MedicationAdministration", "id": "ma-1", "status": "completed",
        "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                                  "code": "1292", "display": "baclofen"}]},
        "subject": {"reference": "Patient/ehr-77"}, "effectiveDateTime": iso(at),
    }
    with freeze_time(at):
        response = client.post(f"/v1/patients/{ward.patient.id}/doses/fhir", json=document, headers=personas["own"])

    assert response.status_code == 201, response.json
    assert read(db, select(DoseEvent.medication_id)) == [meds["baclofen"]]
    [recorded] = response.json["recorded"]
    assert read(db, select(Dose.local_time).where(Dose.id == recorded["matched_dose_id"])) == ["14:00"]

"""Admin API: a patient's medications, and schedules attached to them."""

from __future__ import annotations

from sqlalchemy import select

from alerts.models import AuditEvent, Dose, DoseSchedule, Medication, Notification
from tests.api.conftest import read

PROBLEM = "application/problem+json"


def test_admin_adds_a_medication_and_lists_it_beside_the_baclofen_a_schedule_implied(
        client, personas, ward, frozen) -> None:  # type: ignore[no-untyped-def]
    admin, pid = personas["admin"], ward.patient.id
    client.post(f"/v1/admin/patients/{pid}/schedules", headers=admin, json={"times": ["22:00"], "dose_mg": 5})

    added = client.post(f"/v1/admin/patients/{pid}/medications", headers=admin,
                        json={"name": "Levetiracetam", "strength": "500 mg tablet", "rxnorm_code": "114477"})
    listed = client.get(f"/v1/admin/patients/{pid}/medications", headers=admin)

    assert added.status_code == 201
    assert {k: added.json[k] for k in ("name", "strength", "route", "rxnorm_code", "active", "clinical_rules")} == {
        "name": "Levetiracetam", "strength": "500 mg tablet", "route": "oral", "rxnorm_code": "114477",
        "active": True, "clinical_rules": False}
    assert [(m["name"], m["clinical_rules"]) for m in listed.json["medications"]] == [
        ("baclofen", True), ("Levetiracetam", False)]


def test_a_schedule_added_for_a_medication_names_it(client, personas, ward, db, frozen) -> None:  # type: ignore[no-untyped-def]
    admin, pid = personas["admin"], ward.patient.id
    med = client.post(f"/v1/admin/patients/{pid}/medications", headers=admin, json={"name": "metformin"}).json

    response = client.post(f"/v1/admin/patients/{pid}/schedules", headers=admin,
                           json={"times": ["09:00"], "dose_mg": 50, "medication_id": med["id"]})

    assert response.status_code == 201 and response.json["medication_id"] == med["id"]
    assert read(db, select(DoseSchedule.medication_id).where(DoseSchedule.id == response.json["id"])) == [med["id"]]


def test_a_schedule_for_another_patients_medication_is_refused_and_nothing_stored(
        client, personas, ward, count, frozen) -> None:  # type: ignore[no-untyped-def]
    admin = personas["admin"]
    omars = client.post(f"/v1/admin/patients/{ward.other.id}/medications", headers=admin,
                        json={"name": "metformin"}).json
    before = count(DoseSchedule)

    response = client.post(f"/v1/admin/patients/{ward.patient.id}/schedules", headers=admin,
                           json={"times": ["09:00"], "dose_mg": 50, "medication_id": omars["id"]})

    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert response.json["errors"][0]["loc"] == "medication_id"
    assert count(DoseSchedule) == before


def test_moving_a_schedule_stops_it_and_starts_a_copy_from_the_next_dose(
        client, personas, ward, db, frozen) -> None:  # type: ignore[no-untyped-def]
    admin = personas["admin"]
    med = client.post(f"/v1/admin/patients/{ward.patient.id}/medications", headers=admin,
                      json={"name": "tizanidine"}).json

    response = client.put(f"/v1/admin/schedules/{ward.schedule.id}/medication", headers=admin,
                          json={"medication_id": med["id"]})

    assert response.status_code == 200
    moved = response.json
    assert moved["id"] != ward.schedule.id and moved["medication_id"] == med["id"]
    assert moved["times"] == ["08:00", "14:00", "20:00"] and moved["next_dose_at"] is not None
    statuses = {(d.schedule_id, d.status) for d in read(db, select(Dose))}
    assert (ward.schedule.id, "cancelled") in statuses and (moved["id"], "pending") in statuses


def test_bad_medications_are_refused_with_problem_json(client, personas, ward, count) -> None:  # type: ignore[no-untyped-def]
    admin, pid = personas["admin"], ward.patient.id
    for body, field in [({"name": ""}, "name"), ({"name": "x", "route": "iv"}, "route"),
                        ({"name": "x", "rxnorm_code": "RX12"}, "rxnorm_code"), ({"name": "x\u0000"}, "name")]:
        response = client.post(f"/v1/admin/patients/{pid}/medications", headers=admin, json=body)
        assert response.status_code == 422 and response.mimetype == PROBLEM, body
        assert field in str(response.json["errors"]), body
    assert count(Medication) == 0


def test_medication_routes_need_an_admin_token(client, personas, ward) -> None:  # type: ignore[no-untyped-def]
    url = f"/v1/admin/patients/{ward.patient.id}/medications"
    assert [client.get(url, headers=personas[p]).status_code for p in ("own", "other", "none", "unknown")] == [
        403, 403, 401, 401]


def test_medications_are_added_listed_and_attached_from_the_shell(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from alerts.cli_admin import admin
    from alerts.db import Database
    from alerts.models import Base

    database = Database(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    Base.metadata.create_all(database.engine)
    env = {"DATABASE_URL": database.url, "DOSEWATCH_DATA_DIR": str(tmp_path), "CELERY_BROKER_URL": "memory://",
           "NOTIFIER": "console", "REDIS_URL": ""}

    def run(*args: str) -> str:
        result = CliRunner().invoke(admin, list(args), env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run("create-patient", "--name", "Rosa", "--timezone", "America/New_York")
    run("add-schedule", "--patient-id", "1", "--time", "08:00", "--dose-mg", "10")
    assert run("add-medication", "--patient-id", "1", "--name", "metformin", "--strength", "500 mg") == (
        "medication 2: metformin (oral)\n")
    run("add-schedule", "--patient-id", "1", "--time", "09:00", "--dose-mg", "50", "--medication-id", "2")
    moved = run("attach-schedule", "--schedule-id", "1", "--medication-id", "2")

    assert moved.startswith("schedule 3: 08:00 now medication 2")
    assert run("list-medications", "--patient-id", "1").splitlines() == [
        "1\tbaclofen\t-\toral\tactive\tno schedule", "2\tmetformin\t500 mg\toral\tactive\t08:00, 09:00"]
    refused = CliRunner().invoke(admin, ["attach-schedule", "--schedule-id", "3", "--medication-id", "9"], env=env)
    assert refused.exit_code != 0 and "has no medication 9" in refused.output
    database.dispose()


def test_admin_counts_a_medicines_supply_and_reads_how_long_it_lasts_and_doses_take_it_down(
        client, personas, ward, frozen) -> None:  # type: ignore[no-untyped-def]
    admin, pid = personas["admin"], ward.patient.id
    med = client.post(f"/v1/admin/patients/{pid}/medications", headers=admin, json={"name": "metformin"}).json
    client.post(f"/v1/admin/patients/{pid}/schedules", headers=admin,
                json={"times": ["08:00", "20:00"], "dose_mg": 50, "medication_id": med["id"]})
    assert med["supply"]["on_hand"] is None  # nobody has counted it yet

    counted = client.patch(f"/v1/admin/medications/{med['id']}/supply", headers=admin,
                           json={"on_hand": 30, "units_per_dose": 1.5, "refill_date": "2026-06-30"})
    client.post(f"/v1/patients/{pid}/doses", headers=personas["own"],
                json={"taken_at": "2026-06-15T12:00:00Z", "medication": {"id": med["id"]}})
    after = client.get(f"/v1/admin/medications/{med['id']}", headers=admin)

    assert counted.status_code == 200
    assert {k: counted.json["supply"][k] for k in ("on_hand", "units_per_dose", "units_per_day", "days_left",
                                                   "runs_out_on", "refill_date", "low", "low_reason")} == {
        "on_hand": 30.0, "units_per_dose": 1.5, "units_per_day": 3.0, "days_left": 10, "runs_out_on": "2026-06-25",
        "refill_date": "2026-06-30", "low": False, "low_reason": None}
    assert after.json["supply"]["on_hand"] == 28.5
    listed = client.get(f"/v1/patients/{pid}/medications", headers=personas["own"]).json["medications"]
    assert [m["supply"]["on_hand"] for m in listed if m["id"] == med["id"]] == [28.5]


def test_a_bad_supply_edit_is_refused_as_a_problem_and_changes_nothing(
        client, personas, ward, frozen) -> None:  # type: ignore[no-untyped-def]
    admin, pid = personas["admin"], ward.patient.id
    med = client.post(f"/v1/admin/patients/{pid}/medications", headers=admin, json={"name": "metformin"}).json
    path = f"/v1/admin/medications/{med['id']}/supply"

    answers = [client.patch(path, headers=admin, json=body) for body in
               ({"on_hand": -1}, {}, {"units_per_dose": None}, {"units_per_dose": 0})]
    unknown = client.patch("/v1/admin/medications/999999/supply", headers=admin, json={"on_hand": 3})
    not_admin = client.patch(path, headers=personas["own"], json={"on_hand": 3})

    assert [(a.status_code, a.mimetype) for a in answers] == [(422, PROBLEM)] * 4
    assert (unknown.status_code, not_admin.status_code) == (404, 403)
    assert client.get(f"/v1/admin/medications/{med['id']}", headers=admin).json["supply"]["on_hand"] is None


def test_a_schedules_own_units_a_dose_count_for_its_doses_and_its_daily_use(
        client, personas, ward, frozen) -> None:  # type: ignore[no-untyped-def]
    admin, pid = personas["admin"], ward.patient.id
    med = client.post(f"/v1/admin/patients/{pid}/medications", headers=admin, json={"name": "metformin"}).json
    morning = client.post(f"/v1/admin/patients/{pid}/schedules", headers=admin, json={
        "times": ["09:00"], "dose_mg": 50, "medication_id": med["id"], "units_per_dose": 2}).json
    client.post(f"/v1/admin/patients/{pid}/schedules", headers=admin,
                json={"times": ["21:00"], "dose_mg": 25, "medication_id": med["id"]})
    client.patch(f"/v1/admin/medications/{med['id']}/supply", headers=admin, json={"on_hand": 30})

    # 08:00: the 09:00 dose (two tablets) taken early.
    client.post(f"/v1/patients/{pid}/doses", headers=personas["own"],
                json={"taken_at": "2026-06-15T12:00:00Z", "medication": {"id": med["id"]}})
    supply = client.get(f"/v1/admin/medications/{med['id']}", headers=admin).json["supply"]

    assert morning["units_per_dose"] == 2
    assert (supply["on_hand"], supply["units_per_day"], supply["days_left"]) == (28.0, 3.0, 9)


# -- correcting and stopping a medication -----------------------------------------------------------


def test_admin_corrects_a_medication_and_the_clinical_rules_follow_the_new_name(
        client, personas, ward, db, frozen) -> None:  # type: ignore[no-untyped-def]
    admin, pid = personas["admin"], ward.patient.id
    med = client.post(f"/v1/admin/patients/{pid}/medications", headers=admin,
                      json={"name": "metformin", "strength": "500 mg"}).json

    renamed = client.patch(f"/v1/admin/medications/{med['id']}", headers=admin,
                           json={"name": "Baclofen", "strength": "10 mg tablet", "rxnorm_code": "1292"})
    cleared = client.patch(f"/v1/admin/medications/{med['id']}", headers=admin, json={"strength": None})

    assert renamed.status_code == 200, renamed.get_data(as_text=True)
    assert {k: renamed.json[k] for k in ("name", "strength", "rxnorm_code", "clinical_rules", "active")} == {
        "name": "Baclofen", "strength": "10 mg tablet", "rxnorm_code": "1292", "clinical_rules": True, "active": True}
    assert (cleared.json["strength"], cleared.json["name"]) == (None, "Baclofen")
    assert client.get(f"/v1/admin/medications/{med['id']}", headers=admin).json == cleared.json
    assert read(db, select(AuditEvent.target).where(AuditEvent.patient_id == pid)) == [
        f"medication {med['id']}", f"medication {med['id']}"]


def test_a_bad_medication_edit_is_a_problem_and_changes_nothing(
        client, personas, ward, db, frozen) -> None:  # type: ignore[no-untyped-def]
    admin = personas["admin"]
    med = client.post(f"/v1/admin/patients/{ward.patient.id}/medications", headers=admin,
                      json={"name": "metformin"}).json
    for body in [{}, {"name": None}, {"name": ""}, {"route": "iv"}, {"rxnorm_code": "RX12"}, {"active": False}]:
        response = client.patch(f"/v1/admin/medications/{med['id']}", headers=admin, json=body)
        assert response.status_code == 422 and response.mimetype == PROBLEM, body
    missing = client.patch("/v1/admin/medications/99999", headers=admin, json={"name": "x"})

    assert missing.status_code == 404 and missing.mimetype == PROBLEM
    assert [(m.name, m.route, m.active) for m in read(db, select(Medication))] == [("metformin", "oral", True)]
    assert read(db, select(AuditEvent.id)) == []


def test_stopping_a_medication_ends_its_schedule_from_the_next_dose_sends_nothing_and_is_audited(
        client, personas, ward, db, count, frozen) -> None:  # type: ignore[no-untyped-def]
    admin, pid = personas["admin"], ward.patient.id
    med = client.post(f"/v1/admin/patients/{pid}/medications", headers=admin, json={"name": "metformin"}).json
    schedule = client.post(f"/v1/admin/patients/{pid}/schedules", headers=admin,
                           json={"times": ["22:00"], "dose_mg": 50, "medication_id": med["id"]}).json
    sent_before = count(Notification)

    stopped = client.post(f"/v1/admin/medications/{med['id']}/stop", headers=admin, json={})
    again = client.post(f"/v1/admin/medications/{med['id']}/stop", headers=admin, json={})

    assert stopped.status_code == 200 and stopped.json["active"] is False
    assert read(db, select(DoseSchedule.active).where(DoseSchedule.id == schedule["id"])) == [False]
    assert read(db, select(Dose.status).where(Dose.schedule_id == schedule["id"])) == ["cancelled"]
    assert read(db, select(DoseSchedule.active).where(DoseSchedule.id == ward.schedule.id)) == [True]  # baclofen's
    assert count(Notification) == sent_before
    assert read(db, select(AuditEvent.target)) == [f"medication {med['id']} stopped"]
    assert again.status_code == 409 and again.mimetype == PROBLEM


def test_baclofen_is_not_stopped_without_the_prescribers_order(
        client, personas, ward, db, frozen) -> None:  # type: ignore[no-untyped-def]
    admin = personas["admin"]
    med = client.post(f"/v1/admin/patients/{ward.patient.id}/medications", headers=admin,
                      json={"name": "baclofen"}).json

    refused = client.post(f"/v1/admin/medications/{med['id']}/stop", headers=admin, json={})
    unconfirmed = client.post(f"/v1/admin/medications/{med['id']}/stop", headers=admin,
                              json={"confirm_prescriber_ordered": False})
    still = read(db, select(Medication.active).where(Medication.id == med["id"]))
    confirmed = client.post(f"/v1/admin/medications/{med['id']}/stop", headers=admin,
                            json={"confirm_prescriber_ordered": True})

    assert refused.status_code == unconfirmed.status_code == 422 and refused.mimetype == PROBLEM
    assert refused.json["errors"][0]["loc"] == "confirm_prescriber_ordered"
    assert "never be stopped abruptly" in refused.json["detail"] and "prescriber" in refused.json["detail"]
    assert still == [True]
    assert confirmed.status_code == 200 and confirmed.json["active"] is False

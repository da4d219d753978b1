"""Admin API: setting up patients, caregivers, schedules and tokens, and refusing what is invalid."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from alerts.models import ApiToken, Caregiver, Dose, DoseSchedule, Patient
from tests.api.conftest import read
from tests.conftest import NOW

PROBLEM = "application/problem+json"
RAMON = {"name": "Ramón", "timezone": "Europe/Madrid", "phone": "+34 612 34 56 78", "language": "es",
         "renal_impairment": True, "escalation_minutes": 20}


@pytest.fixture
def admin(personas) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return personas["admin"]


# -- patients --------------------------------------------------------------------------------------


def test_admin_creates_a_patient_with_the_phone_normalised_to_e164(client, admin, db, frozen) -> None:
    response = client.post("/v1/admin/patients", headers=admin, json=RAMON)

    assert response.status_code == 201
    body = response.json
    assert body["phone"] == "+34612345678"
    assert response.headers["Location"] == f"/v1/admin/patients/{body['id']}"
    stored = read(db, select(Patient).where(Patient.id == body["id"]))[0]
    assert (stored.timezone, stored.phone, stored.language, stored.renal_impairment, stored.escalation_minutes) == (
        "Europe/Madrid", "+34612345678", "es", True, 20)


def test_escalation_minutes_default_to_the_configured_value(client, admin, app) -> None:
    response = client.post("/v1/admin/patients", headers=admin, json={"name": "Ivy", "timezone": "UTC"})

    assert response.json["escalation_minutes"] == app.config["DEFAULT_ESCALATION_MINUTES"]


BAD_PATIENTS = [
    ("invalid_phone", {"phone": "+1 555 0100"}, "phone"),
    ("national_phone", {"phone": "612345678"}, "phone"),
    ("unknown_timezone", {"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ("utc_offset_not_a_zone", {"timezone": "+02:00"}, "timezone"),
    ("unsupported_language", {"language": "fr"}, "language"),
    ("escalation_too_slow", {"escalation_minutes": 600}, "escalation_minutes"),
    ("policy_bad_target", {"escalation_policy": [{"target": "neighbour"}]}, "escalation_policy"),
    ("policy_caregiver_without_position", {"escalation_policy": [{"target": "caregiver"}]}, "escalation_policy"),
    ("renal_flag_as_text", {"renal_impairment": "yes"}, "renal_impairment"),
    ("unknown_clinical_setting", {"clinical_settings": {"no_dose_hours": 12}}, "clinical_settings"),
    ("clinical_window_not_positive", {"clinical_settings": {"no_dose_window_hours": 0}}, "clinical_settings"),
    ("fractional_missed_dose_count", {"clinical_settings": {"consecutive_missed_threshold": 2.5}},
     "clinical_settings"),
    ("prompt_time_not_hh_mm", {"checkin_prompt_time": "7pm"}, "checkin_prompt_time"),
    ("prompt_time_out_of_range", {"checkin_prompt_time": "24:00"}, "checkin_prompt_time"),
]


# Zone names IANA keeps for compatibility are zones like any other: stored as given.
LEGACY_ZONES = ["US/Eastern", "EST", "Asia/Calcutta", "Europe/Kiev", "Etc/GMT+12", "UTC"]
# Names the zone database on this server would open but that are not IANA zones: "localtime" is
# whatever the server's zone is (the patient's doses would move with the server), "right/..." counts
# leap seconds (every instant 27 s off), "posix/..." is a second copy, "Factory" means "zone not set".
NOT_ZONES = [
    ("utc_offset", "+05:00"), ("empty", ""), ("lower_case", "america/new_york"),
    ("server_localtime", "localtime"), ("leap_seconds", "right/UTC"),
    ("posix_copy", "posix/America/New_York"), ("factory", "Factory"), ("a_path", "../../etc/passwd"),
    ("nul", "Europe/\x00Dublin"), ("too_long", "America/" + "X" * 80),
]


@pytest.mark.parametrize("zone", LEGACY_ZONES)
def test_a_legacy_zone_name_iana_still_knows_is_accepted(client, admin, ward, db, zone) -> None:
    response = client.post("/v1/admin/patients", headers=admin, json={**RAMON, "timezone": zone})

    assert response.status_code == 201
    assert read(db, select(Patient.timezone).where(Patient.id == response.json["id"])) == [zone]


@pytest.mark.parametrize("zone", [z[1] for z in NOT_ZONES], ids=[z[0] for z in NOT_ZONES])
def test_a_name_that_is_not_an_iana_zone_is_refused_on_create_and_change_and_nothing_stored(
        client, admin, ward, db, count, zone) -> None:
    before = count(Patient)

    created = client.post("/v1/admin/patients", headers=admin, json={**RAMON, "timezone": zone})
    changed = client.patch(f"/v1/admin/patients/{ward.patient.id}", headers=admin, json={"timezone": zone})

    for response in (created, changed):
        assert response.status_code == 422
        assert response.mimetype == PROBLEM
        assert [e["loc"] for e in response.json["errors"]] == ["timezone"]
    assert count(Patient) == before
    assert read(db, select(Patient.timezone).where(Patient.id == ward.patient.id)) == ["America/New_York"]


@pytest.mark.parametrize(("change", "loc"), [b[1:] for b in BAD_PATIENTS], ids=[b[0] for b in BAD_PATIENTS])
def test_invalid_patient_is_refused_and_nothing_stored(client, admin, ward, count, change, loc) -> None:
    before = count(Patient)

    response = client.post("/v1/admin/patients", headers=admin, json={**RAMON, **change})

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert [e["loc"] for e in response.json["errors"]] == [loc]
    assert count(Patient) == before


def test_a_daily_check_in_prompt_time_is_local_and_its_next_instant_is_planned_in_utc(
        client, admin, frozen) -> None:
    response = client.post("/v1/admin/patients", headers=admin, json={**RAMON, "checkin_prompt_time": "21:30"})

    # NOW is 12:00 UTC, 14:00 in Madrid (CEST, UTC+2): tonight's 21:30 is 19:30 UTC.
    assert (response.json["checkin_prompt_time"], response.json["checkin_prompt_at"]) == (
        "21:30", "2026-06-15T19:30:00Z")


def test_changing_or_clearing_the_prompt_time_replans_it(client, admin, ward, frozen) -> None:
    path = f"/v1/admin/patients/{ward.patient.id}"
    moved = client.patch(path, headers=admin, json={"checkin_prompt_time": "07:00"}).json
    # 08:00 in New York now: 07:00 has passed, so tomorrow's (11:00 UTC).
    assert (moved["checkin_prompt_time"], moved["checkin_prompt_at"]) == ("07:00", "2026-06-16T11:00:00Z")
    rezoned = client.patch(path, headers=admin, json={"timezone": "America/Los_Angeles"}).json
    assert rezoned["checkin_prompt_at"] == "2026-06-15T14:00:00Z"  # 05:00 in Los Angeles: 07:00 today
    cleared = client.patch(path, headers=admin, json={"checkin_prompt_time": None}).json
    assert (cleared["checkin_prompt_time"], cleared["checkin_prompt_at"]) == (None, None)


def test_patient_detail_lists_caregivers_in_order_and_schedules(client, admin, ward) -> None:
    response = client.get(f"/v1/admin/patients/{ward.patient.id}", headers=admin)

    assert response.status_code == 200
    body = response.json
    assert [(c["name"], c["position"]) for c in body["caregivers"]] == [("Ann", 1), ("Bob", 2)]
    [schedule] = body["schedules"]
    assert schedule["times"] == ["08:00", "14:00", "20:00"]
    assert schedule["next_dose_at"] == "2026-06-15T18:00:00Z"  # 14:00 in New York


def test_unknown_patient_is_404(client, admin, ward) -> None:
    for method, path in (("GET", "/v1/admin/patients/999"), ("PATCH", "/v1/admin/patients/999"),
                         ("POST", "/v1/admin/patients/999/caregivers"), ("POST", "/v1/admin/patients/999/schedules")):
        response = client.open(path, method=method, headers=admin, json={})
        assert response.status_code == 404, path
        assert response.mimetype == PROBLEM


def test_patch_changes_only_the_fields_sent(client, admin, ward, db) -> None:
    response = client.patch(f"/v1/admin/patients/{ward.patient.id}", headers=admin,
                            json={"renal_impairment": True, "phone": None})

    assert response.status_code == 200
    stored = read(db, select(Patient).where(Patient.id == ward.patient.id))[0]
    assert (stored.renal_impairment, stored.phone, stored.name, stored.escalation_minutes) == (True, None, "Rosa", 10)


def test_clinician_sets_and_clears_a_patients_clinical_thresholds(client, admin, ward, db) -> None:
    url = f"/v1/admin/patients/{ward.patient.id}"
    response = client.patch(url, headers=admin,
                            json={"clinical_settings": {"no_dose_window_hours": 12, "consecutive_missed_threshold": 3}})

    assert response.status_code == 200
    assert response.json["clinical_settings"] == {"no_dose_window_hours": 12.0, "consecutive_missed_threshold": 3}
    stored = read(db, select(Patient).where(Patient.id == ward.patient.id))[0]
    assert stored.clinical_settings == {"no_dose_window_hours": 12.0, "consecutive_missed_threshold": 3}

    assert client.patch(url, headers=admin, json={"clinical_settings": None}).status_code == 200
    assert read(db, select(Patient).where(Patient.id == ward.patient.id))[0].clinical_settings is None


def test_patch_cannot_null_a_required_field(client, admin, ward, db) -> None:
    response = client.patch(f"/v1/admin/patients/{ward.patient.id}", headers=admin, json={"timezone": None})

    assert response.status_code == 422
    assert read(db, select(Patient.timezone).where(Patient.id == ward.patient.id)) == ["America/New_York"]


def test_new_timezone_replans_the_pending_dose(client, admin, ward, db, frozen) -> None:
    response = client.patch(f"/v1/admin/patients/{ward.patient.id}", headers=admin,
                            json={"timezone": "America/Los_Angeles"})

    assert response.status_code == 200
    pending = read(db, select(Dose).where(Dose.schedule_id == ward.schedule.id, Dose.status == "pending"))
    # NOW is 08:00 in New York, 05:00 in Los Angeles. The dose owed is today's 14:00, now 14:00 in
    # Los Angeles (21:00 UTC); not 08:00 there, a time this local day already had in New York.
    assert [(d.local_date.isoformat(), d.local_time, d.due_at) for d in pending] == [
        ("2026-06-15", "14:00", NOW + timedelta(hours=9))]
    assert response.json["schedules"][0]["next_dose_at"] == "2026-06-15T21:00:00Z"


def test_zone_change_to_the_same_offset_still_leaves_one_pending_dose(client, admin, ward, db, frozen) -> None:
    """New York -> Toronto gives the same instants; the schedule must not be left without a pending dose."""
    before = read(db, select(Dose.due_at).where(Dose.status == "pending", Dose.schedule_id == ward.schedule.id))

    client.patch(f"/v1/admin/patients/{ward.patient.id}", headers=admin, json={"timezone": "America/Toronto"})

    after = read(db, select(Dose.due_at).where(Dose.status == "pending", Dose.schedule_id == ward.schedule.id))
    assert after == before
    assert len(after) == 1


# -- caregivers ------------------------------------------------------------------------------------


def test_caregiver_is_added_after_the_last_by_default(client, admin, ward) -> None:
    response = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                           json={"name": "Cy", "phone": "+1 (415) 555-0199", "language": "es"})

    assert response.status_code == 201
    assert (response.json["position"], response.json["phone"]) == (3, "+14155550199")


def test_two_caregivers_at_one_position_is_a_conflict(client, admin, ward, count) -> None:
    before = count(Caregiver)

    response = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                           json={"name": "Cy", "phone": "+14155550199", "position": 1})

    assert response.status_code == 409
    assert response.mimetype == PROBLEM
    assert "Ann" in response.json["detail"]
    assert count(Caregiver) == before


def test_the_same_phone_twice_for_one_patient_is_a_conflict(client, admin, ward, count) -> None:
    response = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                           json={"name": "Ann again", "phone": ward.ann.phone})

    assert response.status_code == 409
    assert count(Caregiver) == 2


BAD_CAREGIVERS = [
    # id, body, the field the problem names
    ("phone_not_a_number", {"name": "Cy", "phone": "not a phone"}, "phone"),
    ("phone_without_country_code", {"name": "Cy", "phone": "4155550199"}, "phone"),
    ("phone_with_00_instead_of_plus", {"name": "Cy", "phone": "00 1 415 555 0199"}, "phone"),
    ("phone_too_short_for_its_country", {"name": "Cy", "phone": "+1 555 0100"}, "phone"),
    ("phone_too_long", {"name": "Cy", "phone": "+1415555019999999"}, "phone"),
    ("phone_unknown_country_code", {"name": "Cy", "phone": "+999 1234567"}, "phone"),
    ("phone_with_an_extension_sms_cannot_reach", {"name": "Cy", "phone": "+1 415 555 0199 ext. 5"}, "phone"),
    ("phone_as_a_number", {"name": "Cy", "phone": 14155550199}, "phone"),
    ("phone_missing", {"name": "Cy"}, "phone"),
    ("name_empty", {"name": "", "phone": "+14155550199"}, "name"),
    ("position_zero", {"name": "Cy", "phone": "+14155550199", "position": 0}, "position"),
]


@pytest.mark.parametrize(("body", "loc"), [b[1:] for b in BAD_CAREGIVERS], ids=[b[0] for b in BAD_CAREGIVERS])
def test_invalid_caregiver_is_refused_with_a_problem_naming_the_field_and_nothing_stored(
        client, admin, ward, count, body, loc) -> None:
    response = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin, json=body)

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert [e["loc"] for e in response.json["errors"]] == [loc]
    assert count(Caregiver) == 2


def test_caregiver_phone_is_stored_in_e164_whatever_the_spacing(client, admin, ward, db) -> None:
    response = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                           json={"name": "Pia", "phone": "+44 (0)20 7946 0958"})

    assert response.status_code == 201, response.json
    assert read(db, select(Caregiver.phone).where(Caregiver.name == "Pia")) == ["+442079460958"]


def test_caregiver_added_at_a_free_position_takes_that_place_in_the_escalation_list(
        client, admin, ward, make_patient) -> None:
    response = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                           json={"name": "Cy", "phone": "+14155550199", "position": 5})
    assert (response.status_code, response.json["position"]) == (201, 5)
    client.delete(f"/v1/admin/caregivers/{ward.ann.id}", headers=admin)
    client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                json={"name": "Dee", "phone": "+14155550198", "position": 1})

    detail = client.get(f"/v1/admin/patients/{ward.patient.id}", headers=admin).json

    assert [(c["name"], c["position"]) for c in detail["caregivers"]] == [("Dee", 1), ("Bob", 2), ("Cy", 5)]


def test_caregivers_quiet_hours_are_set_on_add_kept_by_a_language_change_and_cleared_with_nulls(
        client, admin, ward, db) -> None:
    added = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                        json={"name": "Cy", "phone": "+14155550199", "quiet_start": "22:00", "quiet_end": "07:00"})
    assert added.status_code == 201, added.json
    assert (added.json["quiet_start"], added.json["quiet_end"]) == ("22:00", "07:00")
    url = f"/v1/admin/caregivers/{added.json['id']}"

    language = client.patch(url, headers=admin, json={"language": "es"})
    assert (language.status_code, language.json["language"], language.json["quiet_end"]) == (200, "es", "07:00")
    moved = client.patch(url, headers=admin, json={"quiet_start": "13:00", "quiet_end": "15:00"})
    assert (moved.json["quiet_start"], moved.json["quiet_end"], moved.json["language"]) == ("13:00", "15:00", "es")
    cleared = client.patch(url, headers=admin, json={"quiet_start": None, "quiet_end": None})

    assert cleared.status_code == 200
    # The outbox reads these columns (services.outbox), as it reads the console's.
    with db.sessionmaker() as s:
        assert s.execute(select(Caregiver.quiet_start, Caregiver.quiet_end)
                         .where(Caregiver.name == "Cy")).one() == (None, None)


BAD_QUIET_HOURS = [
    ("start_without_end", {"quiet_start": "22:00"}),
    ("end_without_start", {"quiet_start": None, "quiet_end": "07:00"}),
    ("same_start_and_end", {"quiet_start": "22:00", "quiet_end": "22:00"}),
    ("not_a_time", {"quiet_start": "25:00", "quiet_end": "07:00"}),
    ("a_number", {"quiet_start": 22, "quiet_end": 7}),
]


@pytest.mark.parametrize("quiet", [b[1] for b in BAD_QUIET_HOURS], ids=[b[0] for b in BAD_QUIET_HOURS])
def test_bad_quiet_hours_are_a_problem_on_add_and_change_and_nothing_is_stored(
        client, admin, ward, db, count, quiet) -> None:
    added = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                        json={"name": "Cy", "phone": "+14155550199", **quiet})
    changed = client.patch(f"/v1/admin/caregivers/{ward.ann.id}", headers=admin, json={"language": "es", **quiet})

    assert [(r.status_code, r.mimetype) for r in (added, changed)] == [(422, PROBLEM)] * 2
    assert count(Caregiver) == 2
    with db.sessionmaker() as s:
        assert s.execute(select(Caregiver.language, Caregiver.quiet_start, Caregiver.quiet_end)
                         .where(Caregiver.id == ward.ann.id)).one() == ("en", None, None)


def test_a_caregivers_own_zone_is_set_on_add_shown_kept_by_other_changes_and_cleared_with_null(
        client, admin, ward, db) -> None:
    added = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                        json={"name": "Cy", "phone": "+14155550199", "timezone": "America/Los_Angeles",
                              "quiet_start": "22:00", "quiet_end": "07:00"})
    assert added.status_code == 201, added.json
    assert added.json["timezone"] == "America/Los_Angeles"
    url = f"/v1/admin/caregivers/{added.json['id']}"
    detail = client.get(f"/v1/admin/patients/{ward.patient.id}", headers=admin).json
    assert {c["name"]: c["timezone"] for c in detail["caregivers"]} == {
        "Ann": None, "Bob": None, "Cy": "America/Los_Angeles"}

    kept = client.patch(url, headers=admin, json={"language": "es", "quiet_start": "23:00", "quiet_end": "06:00"})
    assert (kept.status_code, kept.json["timezone"]) == (200, "America/Los_Angeles")
    moved = client.patch(url, headers=admin, json={"timezone": "Europe/London"})
    assert (moved.json["timezone"], moved.json["quiet_start"], moved.json["language"]) == ("Europe/London", "23:00", "es")
    cleared = client.patch(url, headers=admin, json={"timezone": None})

    assert (cleared.status_code, cleared.json["timezone"]) == (200, None)
    # The outbox reads this column (services.outbox): null is the patient's zone.
    with db.sessionmaker() as s:
        assert s.execute(select(Caregiver.timezone, Caregiver.quiet_start)
                         .where(Caregiver.name == "Cy")).one() == (None, "23:00")


BAD_ZONES = [
    ("not_a_zone", "Mars/Olympus_Mons"),
    ("an_offset", "UTC+05:00"),  # does not follow daylight saving time
    ("a_leap_second_file", "right/UTC"),  # ZoneInfo opens it; it is 27 s off
    ("empty", ""),
    ("a_number", 5),
]


@pytest.mark.parametrize("zone", [b[1] for b in BAD_ZONES], ids=[b[0] for b in BAD_ZONES])
def test_a_caregiver_zone_that_is_not_iana_is_a_problem_on_add_and_change_and_nothing_is_stored(
        client, admin, ward, db, count, zone) -> None:
    added = client.post(f"/v1/admin/patients/{ward.patient.id}/caregivers", headers=admin,
                        json={"name": "Cy", "phone": "+14155550199", "timezone": zone})
    changed = client.patch(f"/v1/admin/caregivers/{ward.ann.id}", headers=admin, json={"timezone": zone})

    assert [(r.status_code, r.mimetype) for r in (added, changed)] == [(422, PROBLEM)] * 2
    assert count(Caregiver) == 2
    with db.sessionmaker() as s:
        assert s.scalar(select(Caregiver.timezone).where(Caregiver.id == ward.ann.id)) is None


def test_a_caregiver_change_that_changes_nothing_or_an_unknown_caregiver_is_refused(client, admin, ward) -> None:
    assert client.patch(f"/v1/admin/caregivers/{ward.ann.id}", headers=admin, json={}).status_code == 422
    assert client.patch(f"/v1/admin/caregivers/{ward.ann.id}", headers=admin, json={"language": None}).status_code == 422
    assert client.patch("/v1/admin/caregivers/999", headers=admin, json={"language": "es"}).status_code == 404


def test_removed_caregiver_is_gone(client, admin, ward, db) -> None:
    assert client.delete(f"/v1/admin/caregivers/{ward.bob.id}", headers=admin).status_code == 204
    assert read(db, select(Caregiver.name)) == ["Ann"]
    assert client.delete(f"/v1/admin/caregivers/{ward.bob.id}", headers=admin).status_code == 404


# -- schedules -------------------------------------------------------------------------------------


def test_schedule_is_created_with_its_first_pending_dose(client, admin, ward, db, frozen) -> None:
    response = client.post(f"/v1/admin/patients/{ward.other.id}/schedules", headers=admin,
                           json={"times": ["21:00", "09:00"], "dose_mg": 7.5, "grace_minutes": 45})

    assert response.status_code == 201
    body = response.json
    assert (body["times"], body["dose_mg"], body["grace_minutes"], body["active"]) == (
        ["09:00", "21:00"], 7.5, 45, True)
    [dose] = read(db, select(Dose).where(Dose.schedule_id == body["id"]))
    assert (dose.status, dose.local_time, dose.check_at - dose.due_at) == ("pending", "09:00", timedelta(minutes=45))
    assert body["next_dose_at"] == "2026-06-15T13:00:00Z"  # 09:00 in New York


@pytest.mark.parametrize("body", [
    {"times": ["8am"], "dose_mg": 10},
    {"times": ["24:00"], "dose_mg": 10},
    {"times": [], "dose_mg": 10},
    {"times": ["08:00"], "dose_mg": 0},
    {"times": ["08:00"], "dose_mg": -5},
    {"times": ["08:00"], "dose_mg": 10, "grace_minutes": 721},
    {"times": ["08:00"], "dose_mg": 10, "every": "day"},
], ids=["am_pm", "hour_24", "no_times", "zero_dose", "negative_dose", "grace_too_long", "unknown_field"])
def test_invalid_schedule_is_refused_and_nothing_stored(client, admin, ward, count, body) -> None:
    before = (count(DoseSchedule), count(Dose))

    response = client.post(f"/v1/admin/patients/{ward.patient.id}/schedules", headers=admin, json=body)

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert (count(DoseSchedule), count(Dose)) == before


def test_first_dose_of_a_new_schedule_does_not_depend_on_the_servers_zone(
        client, admin, ward, db, frozen, server_timezone) -> None:  # type: ignore[no-untyped-def]
    # NOW is 08:00 on 15 June in New York but already 02:00 on 16 June on a server in Kiritimati (UTC+14).
    server_timezone("Pacific/Kiritimati")

    response = client.post(f"/v1/admin/patients/{ward.other.id}/schedules", headers=admin,
                           json={"times": ["09:00"], "dose_mg": 10})

    assert response.json["next_dose_at"] == "2026-06-15T13:00:00Z"  # 09:00 in New York, the same day
    [dose] = read(db, select(Dose).where(Dose.schedule_id == response.json["id"]))
    assert (dose.local_date.isoformat(), dose.local_time) == ("2026-06-15", "09:00")


def test_stopped_schedule_has_no_pending_dose(client, admin, ward, db) -> None:
    response = client.delete(f"/v1/admin/schedules/{ward.schedule.id}", headers=admin)

    assert response.status_code == 204
    assert read(db, select(DoseSchedule.active)) == [False]
    assert read(db, select(Dose.status)) == ["cancelled"]


def test_a_schedule_is_changed_from_its_next_dose_and_the_old_version_is_kept(client, admin, ward, db, frozen) -> None:  # type: ignore[no-untyped-def]
    # 08:00 in New York: the 08:00 dose is due; the new schedule's second dose (15:00) is next.
    response = client.patch(f"/v1/admin/schedules/{ward.schedule.id}", headers=admin,
                            json={"times": ["21:00", "09:00", "15:00"], "dose_mg": 12.5})

    assert response.status_code == 200
    body = response.json
    assert (body["times"], body["dose_mg"], body["grace_minutes"], body["replaces_id"]) == (
        ["09:00", "15:00", "21:00"], 12.5, 30, ward.schedule.id)
    assert body["effective_from"] == body["next_dose_at"] == "2026-06-15T19:00:00Z"  # 15:00 EDT
    assert read(db, select(DoseSchedule.active).order_by(DoseSchedule.id)) == [False, True]
    assert read(db, select(Dose.schedule_id).where(Dose.status == "pending")) == [body["id"]]
    # The old version cannot be changed again: the answer names the conflict.
    again = client.patch(f"/v1/admin/schedules/{ward.schedule.id}", headers=admin, json={"times": ["10:00"]})
    assert again.status_code == 409


@pytest.mark.parametrize("body", [{}, {"times": None}, {"times": ["8am"]}, {"dose_mg": 0}, {"grace_minutes": 721},
                                  {"every": "day"}],
                         ids=["empty", "null_times", "am_pm", "zero_dose", "grace_too_long", "unknown_field"])
def test_an_invalid_schedule_change_is_refused_and_nothing_stored(client, admin, ward, count, body) -> None:  # type: ignore[no-untyped-def]
    before = (count(DoseSchedule), count(Dose))
    response = client.patch(f"/v1/admin/schedules/{ward.schedule.id}", headers=admin, json=body)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert (count(DoseSchedule), count(Dose)) == before


def test_changing_an_unknown_schedule_is_404(client, admin, ward) -> None:  # type: ignore[no-untyped-def]
    assert client.patch("/v1/admin/schedules/999", headers=admin, json={"times": ["09:00"]}).status_code == 404


# -- tokens ----------------------------------------------------------------------------------------


def test_issued_token_is_returned_once_and_works_for_its_patient_only(client, admin, ward, db, frozen) -> None:
    response = client.post("/v1/admin/tokens", headers=admin,
                           json={"name": "Rosa's pill bottle", "patient_ids": [ward.patient.id]})

    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    secret = response.json["token"]
    assert secret.startswith("dw_")
    assert response.json["patient_ids"] == [ward.patient.id]
    assert secret not in read(db, select(ApiToken.token_hash))
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"/v1/patients/{ward.patient.id}/alerts", headers=bearer).status_code == 200
    assert client.get(f"/v1/patients/{ward.other.id}/alerts", headers=bearer).status_code == 404
    assert client.get("/v1/admin/patients", headers=bearer).status_code == 403


def test_a_token_issued_to_a_caregiver_is_a_client_token_for_their_patient(
        client, admin, ward, db, frozen) -> None:
    response = client.post("/v1/admin/tokens", headers=admin, json={"name": "Ann's tablet", "caregiver_id": ward.ann.id})

    assert response.status_code == 201
    assert (response.json["role"], response.json["patient_ids"], response.json["caregiver_id"]) == (
        "client", [ward.patient.id], ward.ann.id)
    assert read(db, select(ApiToken.caregiver_id).where(ApiToken.name == "Ann's tablet")) == [ward.ann.id]


@pytest.mark.parametrize(("body", "loc"), [
    ({"name": "phone", "caregiver_id": 999}, "caregiver_id"),
    ({"name": "phone", "caregiver_id": 1, "role": "device", "patient_ids": [1]}, "role"),
    ({"name": "phone"}, "patient_ids"),
    ({"name": "phone", "patient_ids": [999]}, "patient_ids"),
    ({"name": "phone", "role": "root", "patient_ids": [1]}, "role"),
], ids=["unknown_caregiver", "caregiver_device", "client_without_patients", "unknown_patient", "unknown_role"])
def test_invalid_token_request_is_refused(client, admin, ward, count, body, loc) -> None:
    before = count(ApiToken)

    response = client.post("/v1/admin/tokens", headers=admin, json=body)

    assert response.status_code == 422
    assert [e["loc"] for e in response.json["errors"]] == [loc]
    assert count(ApiToken) == before

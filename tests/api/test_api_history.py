"""Reading back what was written: paged lists per patient, newest first by (time, id)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.conftest import NOW
from tests.support.settings import TICK

PROBLEM = "application/problem+json"
MINUTE = timedelta(minutes=1)


def _checkin(client, ward, headers, at: datetime) -> int:  # type: ignore[no-untyped-def]
    response = client.post(f"/v1/patients/{ward.patient.id}/checkins", headers=headers,
                           json={"recorded_at": at.isoformat(), "symptoms": {"tremor": 1}})
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def _pages(client, url: str, headers, key: str, **params: Any) -> list[list[int]]:  # type: ignore[no-untyped-def]
    pages, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(url, headers=headers, query_string=query)
        assert response.status_code == 200, response.json
        pages.append([row["id"] for row in response.json[key]])
        cursor = response.json["next_cursor"]
        if cursor is None:
            return pages


def test_a_dose_posted_is_read_back_with_the_scheduled_dose_it_satisfied(
        client, ward, personas, frozen) -> None:  # type: ignore[no-untyped-def]
    own = personas["own"]
    frozen.move_to(NOW + timedelta(hours=6))  # Rosa's 14:00 dose
    posted = client.post(f"/v1/patients/{ward.patient.id}/doses", headers=own,
                         json={"taken_at": (NOW + timedelta(hours=6)).isoformat(), "dose_mg": 10}).json

    listed = client.get(f"/v1/patients/{ward.patient.id}/doses", headers=own).json

    assert listed == {"doses": [posted], "next_cursor": None}
    assert listed["doses"][0]["matched_dose"]["local_time"] == "14:00"


def test_checkins_come_newest_first_in_pages_that_cover_every_row_once(
        client, ward, personas, frozen) -> None:  # type: ignore[no-untyped-def]
    own = personas["own"]
    ids = [_checkin(client, ward, own, NOW - i * MINUTE) for i in range(7)]  # ids[0] is the newest

    pages = _pages(client, f"/v1/patients/{ward.patient.id}/checkins", own, "checkins", limit=3)

    assert pages == [ids[0:3], ids[3:6], ids[6:7]]


def test_rows_at_the_same_instant_are_ordered_by_id_and_never_split_wrongly(
        client, ward, personas, frozen) -> None:  # type: ignore[no-untyped-def]
    own = personas["own"]
    ids = [_checkin(client, ward, own, NOW - MINUTE) for _ in range(5)]

    pages = _pages(client, f"/v1/patients/{ward.patient.id}/checkins", own, "checkins", limit=2)

    assert [i for page in pages for i in page] == sorted(ids, reverse=True)


def test_rows_written_between_pages_never_repeat_or_hide_a_row(
        client, ward, personas, frozen) -> None:  # type: ignore[no-untyped-def]
    own = personas["own"]
    url = f"/v1/patients/{ward.patient.id}/checkins"
    ids = [_checkin(client, ward, own, NOW - 10 * i * MINUTE) for i in range(1, 6)]  # 10 ... 50 min ago
    first = client.get(url, headers=own, query_string={"limit": 2}).json

    newer = _checkin(client, ward, own, NOW)  # above the first page: not in this walk
    older = _checkin(client, ward, own, NOW - 35 * MINUTE)  # between pages still to come: in it
    rest = _pages(client, url, own, "checkins", limit=2, cursor=first["next_cursor"])

    walked = [c["id"] for c in first["checkins"]] + [i for page in rest for i in page]
    assert walked == ids[:3] + [older] + ids[3:]
    assert len(walked) == len(set(walked)) and newer not in walked


def test_since_and_until_bound_the_listing(client, ward, personas, frozen) -> None:  # type: ignore[no-untyped-def]
    own = personas["own"]
    ids = [_checkin(client, ward, own, NOW - i * MINUTE) for i in range(5)]

    response = client.get(f"/v1/patients/{ward.patient.id}/checkins", headers=own, query_string={
        "since": (NOW - 3 * MINUTE).isoformat(), "until": (NOW - MINUTE).isoformat()})

    assert [c["id"] for c in response.json["checkins"]] == [ids[2], ids[3]]  # since inclusive, until exclusive


def test_readings_and_device_events_are_read_back(client, ward, personas, device_token, frozen) -> None:  # type: ignore[no-untyped-def]
    pid = ward.patient.id
    client.post(f"/v1/patients/{pid}/readings", headers=device_token, json={"readings": [
        {"kind": "heart_rate", "value": 70 + i, "unit": "/min", "device_id": "wrist-1",
         "measured_at": (NOW - i * MINUTE).isoformat()} for i in range(3)]})
    event = client.post(f"/v1/patients/{pid}/device-events", headers=device_token,
                        json={"kind": "fall", "occurred_at": (NOW - MINUTE).isoformat(), "device_id": "wrist-1"}).json

    readings = client.get(f"/v1/patients/{pid}/readings", headers=personas["own"]).json
    events = client.get(f"/v1/patients/{pid}/device-events", headers=personas["own"]).json

    assert [(r["kind"], r["value"]) for r in readings["readings"]] == [
        ("heart_rate", 70), ("heart_rate", 71), ("heart_rate", 72)]
    assert events == {"device_events": [event], "next_cursor": None}


def test_alerts_are_paged_and_filtered_by_status_as_before(client, ward, personas, db, frozen) -> None:  # type: ignore[no-untyped-def]
    from alerts.services.tick import run_tick

    own, pid = personas["own"], ward.patient.id
    run_tick(db.sessionmaker, NOW + timedelta(hours=6, minutes=31), **TICK)  # the 14:00 dose is missed
    _checkin(client, ward, own, NOW)
    client.post(f"/v1/patients/{pid}/checkins", headers=own,
                json={"recorded_at": NOW.isoformat(), "symptoms": {"seizure": 1}})

    everything = _pages(client, f"/v1/patients/{pid}/alerts", own, "alerts", limit=1)
    opened = client.get(f"/v1/patients/{pid}/alerts", headers=own, query_string={"status": "open"}).json

    assert len(everything) == 2 and all(len(p) == 1 for p in everything)
    assert sorted(a["kind"] for a in opened["alerts"]) == ["emergency", "missed_dose"]


def test_medications_and_schedules_are_readable_by_the_patients_token(
        client, ward, personas, frozen) -> None:  # type: ignore[no-untyped-def]
    admin, own, pid = personas["admin"], personas["own"], ward.patient.id
    med = client.post(f"/v1/admin/patients/{pid}/medications", headers=admin, json={"name": "metformin"}).json
    client.post(f"/v1/admin/patients/{pid}/schedules", headers=admin,
                json={"times": ["09:00"], "dose_mg": 50, "medication_id": med["id"]})

    meds = client.get(f"/v1/patients/{pid}/medications", headers=own).json["medications"]
    schedules = client.get(f"/v1/patients/{pid}/schedules", headers=own).json["schedules"]

    assert [(m["name"], m["clinical_rules"]) for m in meds] == [("metformin", False)]
    assert [(s["times"], s["medication_id"]) for s in schedules] == [
        (["08:00", "14:00", "20:00"], None), (["09:00"], med["id"])]
    assert all(s["next_dose_at"] for s in schedules)


LISTS = ["doses", "checkins", "readings", "device-events", "alerts", "medications", "schedules"]


@pytest.mark.parametrize("listing", LISTS)
@pytest.mark.parametrize(("persona", "expected"), [("own", 200), ("admin", 200), ("other", 404), ("none", 401),
                                                   ("unknown", 401)])
def test_each_persona_reads_only_what_its_token_allows(client, ward, personas, listing, persona, expected) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/v1/patients/{ward.patient.id}/{listing}", headers=personas[persona])

    assert response.status_code == expected
    if expected != 200:
        assert response.mimetype == PROBLEM


@pytest.mark.parametrize("listing", LISTS)
def test_a_patient_that_does_not_exist_is_404(client, ward, personas, listing) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/v1/patients/999999/{listing}", headers=personas["admin"])

    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_a_device_token_reads_nothing(client, ward, device_token) -> None:  # type: ignore[no-untyped-def]
    assert client.get(f"/v1/patients/{ward.patient.id}/readings", headers=device_token).status_code == 403


@pytest.mark.parametrize(("query", "field"), [
    ({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"limit": "ten"}, "limit"),
    ({"cursor": "not-a-cursor"}, "cursor"), ({"since": "2026-06-15T08:00:00"}, "since"),
    ({"since": NOW.isoformat(), "until": (NOW - MINUTE).isoformat()}, "until"),
])
def test_bad_queries_are_422_problems(client, ward, personas, query, field) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/v1/patients/{ward.patient.id}/checkins", headers=personas["own"], query_string=query)

    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert field in response.get_data(as_text=True)


def test_a_cursor_from_another_listing_is_refused(client, ward, personas, frozen) -> None:  # type: ignore[no-untyped-def]
    own = personas["own"]
    for i in range(2):
        _checkin(client, ward, own, NOW - i * MINUTE)
    cursor = client.get(f"/v1/patients/{ward.patient.id}/checkins", headers=own,
                        query_string={"limit": 1}).json["next_cursor"]

    response = client.get(f"/v1/patients/{ward.patient.id}/doses", headers=own, query_string={"cursor": cursor})

    assert response.status_code == 422 and "cursor" in response.json["detail"]

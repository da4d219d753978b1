"""Ids no row can have, on PostgreSQL: in paths, bodies and query strings they are 4xx, never 500.

Every id column is a PostgreSQL ``integer``. An id past it (``2**31``, ``2**63``, ``10**30``) used to
reach a query and fail it, a 500 answered before the token was even checked. Now the token comes
first (401 without one), then the id is refused by its range (404 in a path, 422 in a body). And
a patient who is not the token's is answered exactly as one who does not exist (404): a 403 told
any token holder which patient ids exist.
"""

from __future__ import annotations

import pytest
from flask import Flask

from alerts.models import Alert, ApiToken, CheckIn, DoseEvent
from tests.api.conftest import Ward
from tests.conftest import NOW

pytestmark = pytest.mark.integration
PROBLEM = "application/problem+json"
HUGE = [2**31, 2**63, 10**30]


@pytest.fixture
def app(pg_app: Flask) -> Flask:
    return pg_app


# (method, path with {id}, body, token persona): every route with an id in its path.
ROUTES = [
    ("post", "/v1/patients/{id}/doses", {"taken_at": NOW.isoformat()}, "own"),
    ("post", "/v1/patients/{id}/checkins", {"recorded_at": NOW.isoformat(), "symptoms": {"tremor": 1}}, "own"),
    ("get", "/v1/patients/{id}/alerts", None, "own"),
    ("post", "/v1/patients/{id}/readings", {"readings": []}, "own"),
    ("post", "/v1/patients/{id}/readings/openmhealth", [], "own"),
    ("post", "/v1/patients/{id}/readings/fhir", {"resourceType": "Bundle"}, "own"),
    ("post", "/v1/patients/{id}/device-events", {"kind": "fall", "occurred_at": NOW.isoformat()}, "own"),
    ("post", "/v1/patients/1/device-events/{id}/cancel", None, "own"),
    ("post", "/v1/patients/{id}/device-events/1/cancel", None, "own"),
    ("post", "/v1/alerts/{id}/acknowledge", {"caregiver_id": 1}, "own"),
    ("get", "/v1/admin/patients/{id}", None, "admin"),
    ("patch", "/v1/admin/patients/{id}", {"name": "X"}, "admin"),
    ("post", "/v1/admin/patients/{id}/caregivers", {"name": "X", "phone": "+14155550199"}, "admin"),
    ("post", "/v1/admin/patients/{id}/schedules", {"times": ["08:00"], "dose_mg": 5}, "admin"),
    ("patch", "/v1/admin/caregivers/{id}", {"language": "es"}, "admin"),
    ("delete", "/v1/admin/caregivers/{id}", None, "admin"),
    ("delete", "/v1/admin/schedules/{id}", None, "admin"),
    ("patch", "/v1/admin/medications/{id}", {"name": "X"}, "admin"),
    ("post", "/v1/admin/medications/{id}/stop", {}, "admin"),
    ("put", "/v1/admin/patients/{id}/devices", {"external_id": "w", "kind": "watch"}, "admin"),
    ("get", "/v1/admin/patients/{id}/devices", None, "admin"),
]
CASES = [(m, p, b, who, n) for (m, p, b, who) in ROUTES for n in HUGE]


@pytest.mark.parametrize(("method", "path", "body", "persona", "ident"), CASES,
                         ids=[f"{m}-{p}-{n:.0e}" for m, p, _b, _w, n in CASES])
def test_an_id_past_the_column_is_401_without_a_token_and_404_with_one(
        client, ward: Ward, personas, frozen, method, path, body, persona, ident) -> None:
    url = path.format(id=ident)

    anonymous = client.open(url, method=method.upper(), json=body)
    with_token = client.open(url, method=method.upper(), json=body, headers=personas[persona])

    assert anonymous.status_code == 401, anonymous.get_data(as_text=True)
    assert with_token.status_code == 404, with_token.get_data(as_text=True)
    assert with_token.mimetype == PROBLEM and with_token.json["status"] == 404


@pytest.mark.parametrize("path", ["/v1/patients/-1/doses", "/v1/admin/patients/-5", "/v1/alerts/-1/acknowledge"])
def test_a_negative_id_in_a_path_is_not_found(client, ward: Ward, personas, path: str) -> None:
    response = client.post(path, json={}, headers=personas["admin"])

    assert response.status_code in (404, 405)
    assert response.mimetype == PROBLEM


@pytest.mark.parametrize("ident", [*HUGE, 0, -1])
def test_an_impossible_caregiver_id_in_an_acknowledgement_is_a_422(client, ward: Ward, personas, db, frozen,
                                                                   ident: int) -> None:
    from tests.api.test_api_permissions import _open_alert

    alert_id = _open_alert(ward, db)
    response = client.post(f"/v1/alerts/{alert_id}/acknowledge", json={"caregiver_id": ident},
                           headers=personas["own"])

    assert response.status_code == 422
    assert [e["loc"] for e in response.json["errors"]] == ["caregiver_id"]


@pytest.mark.parametrize("ident", [*HUGE, 0, -1])
def test_an_impossible_patient_id_in_a_token_request_is_a_422_and_issues_nothing(
        client, ward: Ward, personas, count, ident: int) -> None:
    tokens = count(ApiToken)

    response = client.post("/v1/admin/tokens", json={"name": "x", "patient_ids": [ident]}, headers=personas["admin"])

    assert response.status_code == 422
    assert count(ApiToken) == tokens


@pytest.mark.parametrize("limit", ["2147483648", "9223372036854775808", "1" + "0" * 30, "-1"])
def test_an_impossible_limit_on_the_alert_list_is_a_422(client, ward: Ward, personas, limit: str) -> None:
    response = client.get(f"/v1/patients/{ward.patient.id}/alerts?limit={limit}", headers=personas["own"])

    assert response.status_code == 422


def test_someone_elses_patient_and_no_patient_get_the_same_answer(client, ward: Ward, personas, count,
                                                                  frozen) -> None:
    """Omar's token asks for Rosa (who exists) and for patient 424242 (who does not): a token must
    not be able to tell the two apart, by status or by anything but the id it sent."""
    body = {"taken_at": NOW.isoformat()}
    exists = client.post(f"/v1/patients/{ward.patient.id}/doses", json=body, headers=personas["other"])
    missing = client.post("/v1/patients/424242/doses", json=body, headers=personas["other"])

    assert exists.status_code == missing.status_code == 404
    assert exists.json["detail"].replace(str(ward.patient.id), "N") == missing.json["detail"].replace("424242", "N")
    assert exists.json["title"] == missing.json["title"]
    assert count(DoseEvent) == count(CheckIn) == 0


def test_someone_elses_alert_and_no_alert_get_the_same_answer(client, ward: Ward, personas, db, count,
                                                              frozen) -> None:
    from tests.api.test_api_permissions import _open_alert

    alert_id = _open_alert(ward, db)
    theirs = client.post(f"/v1/alerts/{alert_id}/acknowledge", json={"caregiver_id": ward.ann.id},
                         headers=personas["other"])
    missing = client.post("/v1/alerts/424242/acknowledge", json={"caregiver_id": ward.ann.id},
                          headers=personas["other"])

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json["detail"].replace(str(alert_id), "N") == missing.json["detail"].replace("424242", "N")
    assert count(Alert) == 1

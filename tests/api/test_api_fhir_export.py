"""FHIR Bulk Data ``$export``: kick-off, status polling, NDJSON files, deletion, and who may do what.

The worker's part is run here as the Celery task runs it (``run_job`` with the app's sessions and
data directory); the kick-off's message to the broker is recorded instead of sent.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from freezegun import freeze_time
from sqlalchemy import select, update

from alerts.clock import utcnow
from alerts.fhir.bulk import job_folder, run_job
from alerts.models import ExportJob
from tests.api.conftest import MISSED_DUE, bearer, read

AT = MISSED_DUE + timedelta(hours=1)
ASYNC = {"Prefer": "respond-async", "Accept": "application/fhir+json"}


def kickoff(client, headers: dict[str, str], path: str = "/fhir/$export", **query: str) -> Any:  # type: ignore[no-untyped-def]
    with freeze_time(AT):
        return client.get(path, headers={**ASYNC, **headers}, query_string=query)


def job_id(response: Any) -> str:
    return response.headers["Content-Location"].rsplit("/", 1)[1]


def poll(client, headers: dict[str, str], job: str, at=AT) -> Any:  # type: ignore[no-untyped-def]
    with freeze_time(at):
        return client.get(f"/fhir/$export-status/{job}", headers=headers)


def work(app, job: str, **kw: Any) -> Any:  # type: ignore[no-untyped-def]
    from alerts.app import get_db
    with freeze_time(AT):
        return run_job(get_db(app).sessionmaker, app.config["DOSEWATCH_DATA_DIR"], job, utcnow, **kw)


def download(client, headers: dict[str, str], url: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    response = client.get(url.removeprefix("https://dosewatch.example.org"), headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+ndjson"
    return [json.loads(line) for line in response.get_data(as_text=True).splitlines()]


def test_system_export_runs_in_the_background_and_ends_with_a_manifest_of_ndjson_files(  # type: ignore[no-untyped-def]
        app, client, ward, rosas_day, personas, export_kicks) -> None:
    started = kickoff(client, personas["admin"])
    assert started.status_code == 202
    location = started.headers["Content-Location"]
    assert location.startswith("https://dosewatch.example.org/fhir/$export-status/")
    job = job_id(started)
    assert export_kicks == [job]

    waiting = poll(client, personas["admin"], job)
    assert waiting.status_code == 202 and waiting.headers["X-Progress"]
    assert work(app, job).status == "completed"

    done = poll(client, personas["admin"], job)
    assert done.status_code == 200
    manifest = done.get_json()
    assert manifest["requiresAccessToken"] is True and manifest["error"] == []
    assert manifest["transactionTime"] and manifest["request"].endswith("/fhir/$export")
    types = [o["type"] for o in manifest["output"]]
    assert len(types) == len(set(types))  # one file per resource type
    assert {"Patient", "MedicationAdministration", "Observation", "Communication"} <= set(types)
    for output in manifest["output"]:
        lines = download(client, personas["admin"], output["url"])
        assert len(lines) == output["count"]
        for resource in lines:
            assert resource["resourceType"] == output["type"]
            get_fhir_model_class(output["type"]).model_validate(resource)
    patients = download(client, personas["admin"], next(o["url"] for o in manifest["output"] if o["type"] == "Patient"))
    assert {p["id"] for p in patients} == {str(ward.patient.id), str(ward.other.id)}


def test_a_clinicians_group_export_holds_only_the_patients_on_their_panel(  # type: ignore[no-untyped-def]
        app, client, ward, rosas_day, clinician, export_kicks, make_schedule) -> None:
    make_schedule(ward.other)  # Omar has a record too
    job = job_id(kickoff(client, clinician, "/fhir/Group/all/$export", _type="Patient,MedicationRequest"))
    work(app, job)
    manifest = poll(client, clinician, job).get_json()
    assert [o["type"] for o in manifest["output"]] == ["Patient", "MedicationRequest"]
    for output in manifest["output"]:
        for resource in download(client, clinician, output["url"]):
            subject = resource.get("subject", {}).get("reference", f"Patient/{resource['id']}")
            assert subject == f"Patient/{ward.patient.id}"


def test_since_exports_only_what_was_recorded_after_it(app, client, ward, rosas_day, personas, export_kicks) -> None:  # type: ignore[no-untyped-def]
    job = job_id(kickoff(client, personas["admin"], _type="MedicationAdministration,Observation",
                         _since="2026-06-16T00:35:00Z"))
    work(app, job)
    [output] = poll(client, personas["admin"], job).get_json()["output"]
    [checkin] = download(client, personas["admin"], output["url"])
    assert checkin["id"].startswith("checkin-")


@pytest.mark.parametrize(("persona", "path", "status"), [
    ("admin", "/fhir/$export", 202), ("admin", "/fhir/Group/all/$export", 202),
    ("clinician", "/fhir/Group/all/$export", 202), ("clinician", "/fhir/$export", 403),
    ("own", "/fhir/Group/all/$export", 403), ("own", "/fhir/$export", 403), ("none", "/fhir/$export", 401),
    ("admin", "/fhir/Group/cardiology/$export", 404),
])
def test_who_may_start_an_export(client, ward, personas, clinician, export_kicks, persona, path, status) -> None:  # type: ignore[no-untyped-def]
    headers = clinician if persona == "clinician" else personas[persona]
    response = kickoff(client, headers, path)
    assert response.status_code == status
    if status != 202:
        assert response.mimetype == "application/problem+json"


def test_a_kickoff_without_prefer_respond_async_is_refused_and_starts_nothing(client, ward, personas, export_kicks, count) -> None:  # type: ignore[no-untyped-def]
    with freeze_time(AT):
        response = client.get("/fhir/$export", headers=personas["admin"])
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert count(ExportJob) == 0 and export_kicks == []


@pytest.mark.parametrize("query", [{"_type": "Encounter"}, {"_since": "last week"}, {"_outputFormat": "text/csv"}])
def test_a_bad_kickoff_query_is_a_422_and_starts_nothing(client, ward, personas, export_kicks, count, query) -> None:  # type: ignore[no-untyped-def]
    assert kickoff(client, personas["admin"], **query).status_code == 422
    assert count(ExportJob) == 0


def test_only_the_token_that_started_an_export_or_an_admin_sees_it(  # type: ignore[no-untyped-def]
        app, client, ward, personas, clinician, make_token, export_kicks) -> None:
    other_clinician = bearer(make_token(ward.other, role="clinician", name="Dr Ortiz"))
    job = job_id(kickoff(client, clinician, "/fhir/Group/all/$export"))
    work(app, job)
    assert poll(client, other_clinician, job).status_code == 404
    assert poll(client, personas["own"], job).status_code == 403
    assert poll(client, personas["admin"], job).status_code == 200
    assert poll(client, clinician, job).status_code == 200
    assert poll(client, clinician, "0" * 32).status_code == 404
    assert poll(client, clinician, "not-a-job\x00").status_code == 404


def test_delete_removes_the_files_and_the_job(app, client, ward, rosas_day, personas, export_kicks) -> None:  # type: ignore[no-untyped-def]
    job = job_id(kickoff(client, personas["admin"]))
    work(app, job)
    url = poll(client, personas["admin"], job).get_json()["output"][0]["url"]
    assert job_folder(app.config["DOSEWATCH_DATA_DIR"], job).is_dir()
    assert client.delete(f"/fhir/$export-status/{job}", headers=personas["admin"]).status_code == 202
    assert not job_folder(app.config["DOSEWATCH_DATA_DIR"], job).exists()
    assert poll(client, personas["admin"], job).status_code == 404
    assert client.get(url.removeprefix("https://dosewatch.example.org"), headers=personas["admin"]).status_code == 404


def test_an_export_deleted_while_it_runs_stops_and_leaves_no_files(app, db, client, ward, rosas_day, personas, export_kicks) -> None:  # type: ignore[no-untyped-def]
    job = job_id(kickoff(client, personas["admin"]))
    calls = iter(range(1000))

    def now_then_delete() -> Any:
        if next(calls) == 2:  # the worker is writing: a user deletes the export
            with freeze_time(AT):
                client.delete(f"/fhir/$export-status/{job}", headers=personas["admin"])
        return AT

    from alerts.app import get_db
    report = run_job(get_db(app).sessionmaker, app.config["DOSEWATCH_DATA_DIR"], job, now_then_delete, progress_every=1)
    assert report.status == "cancelled"
    assert not job_folder(app.config["DOSEWATCH_DATA_DIR"], job).exists()
    [row] = read(db, select(ExportJob))
    assert row.status == "cancelled"


def test_a_job_runs_once_however_often_its_message_is_delivered(app, client, ward, rosas_day, personas, export_kicks) -> None:  # type: ignore[no-untyped-def]
    job = job_id(kickoff(client, personas["admin"]))
    assert work(app, job).status == "completed"
    assert work(app, job).status == "not claimed"


def test_a_lost_start_message_is_sent_again_when_the_status_is_polled(app, db, client, ward, personas, export_kicks) -> None:  # type: ignore[no-untyped-def]
    job = job_id(kickoff(client, personas["admin"]))
    assert poll(client, personas["admin"], job, at=AT + timedelta(seconds=30)).status_code == 202
    assert export_kicks == [job]  # the kick-off's own message may still be on its way
    assert poll(client, personas["admin"], job, at=AT + timedelta(minutes=2)).status_code == 202
    assert export_kicks == [job, job]


def test_a_job_whose_worker_died_is_claimed_again(app, db, client, ward, rosas_day, personas, export_kicks) -> None:  # type: ignore[no-untyped-def]
    job = job_id(kickoff(client, personas["admin"]))
    with db.sessionmaker() as s, s.begin():
        s.execute(update(ExportJob).values(status="in-progress", updated_at=AT - timedelta(minutes=10)))
    (Path(app.config["DOSEWATCH_DATA_DIR"]) / "fhir-export" / job).mkdir(parents=True)
    assert work(app, job).status == "completed"
    assert poll(client, personas["admin"], job).status_code == 200


def test_every_export_step_is_recorded_for_audit(app, client, ward, rosas_day, personas, export_kicks, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level("INFO", logger="dosewatch.audit"):
        job = job_id(kickoff(client, personas["admin"], _type="Patient"))
        work(app, job)
        [output] = poll(client, personas["admin"], job).get_json()["output"]
        download(client, personas["admin"], output["url"])
        client.delete(f"/fhir/$export-status/{job}", headers=personas["admin"])
    actions = [r.getMessage().split()[1] for r in caplog.records if r.name == "dosewatch.audit"]
    assert actions == ["action=fhir.export.kickoff", "action=fhir.export.download", "action=fhir.export.delete"]


"""The FHIR bulk export task: takes a job id, the database says what to do (``alerts.fhir.bulk``)."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import Flask, current_app

from alerts.db import get_db
from alerts.clock import utcnow
from alerts.fhir.bulk import run_job

log = logging.getLogger("dosewatch.tasks")


@shared_task(name="workers.export_tasks.fhir_export", ignore_result=True)
def fhir_export(job_id: str) -> dict[str, object]:
    app = current_app._get_current_object()
    report = run_job(get_db(app).sessionmaker, app.config["DOSEWATCH_DATA_DIR"], job_id, utcnow)
    return {"status": report.status, "resources": report.resources}


def kick_export(app: Flask, job_id: str) -> None:
    """Ask a worker to run the job. Call only after the commit that made the job visible; a lost
    message is noticed by the next status poll (``needs_a_worker``) and sent again."""
    try:
        fhir_export.apply_async((job_id,), retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure is the same to us
        log.warning("could not reach the broker (%s); the export starts when its status is next polled", exc)

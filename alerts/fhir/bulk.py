"""FHIR Bulk Data ``$export`` jobs: start one, run it (the worker), report on it, delete it.

The job is a row (``ExportJob``). The worker claims it with a compare-and-set, streams each resource
type into ``<data dir>/fhir-export/<job id>/<Type>.ndjson`` a batch of rows at a time (memory stays
flat however many patients the export covers), and writes its progress to the row as it goes; that
write is also its heartbeat and the place it learns that the job was deleted meanwhile.
"""

from __future__ import annotations

import logging
import secrets
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from alerts.db import READ_ONLY
from alerts.fhir.export import Scope, Window, ndjson
from alerts.models import ApiToken, ExportJob, token_patient

log = logging.getLogger("dosewatch.fhir.bulk")

# The one Group dosewatch defines: "all patients of the service" as the caller may see them (an admin
# token: every patient; a clinician token: the patients on its panel).
ALL_PATIENTS = "all"
# A job in progress whose worker has not written for this long has lost it and may be claimed again.
STALE_AFTER = timedelta(minutes=5)
# A job accepted this long ago and not started: its Celery message was lost; a status poll re-sends it.
UNSTARTED_AFTER = timedelta(minutes=1)
PROGRESS_EVERY = 20_000


def job_folder(data_dir: str | Path, job_id: str) -> Path:
    return Path(data_dir) / "fhir-export" / job_id


def new_job(session: Session, token: ApiToken, *, level: str, group_id: str | None, types: Sequence[str],
            since: datetime | None, request_url: str, now: datetime) -> ExportJob:
    """Add an accepted job (flushed, not committed)."""
    job = ExportJob(id=secrets.token_hex(16), status="accepted", level=level, group_id=group_id, token_id=token.id,
                    types=list(types), since=since, request_url=request_url, created_at=now, updated_at=now)
    session.add(job)
    session.flush()
    return job


def needs_a_worker(job: ExportJob, now: datetime) -> bool:
    """Whether the job waits for a worker that will not come (lost message, dead worker)."""
    if job.status == "accepted":
        return job.updated_at < now - UNSTARTED_AFTER
    return job.status == "in-progress" and job.updated_at < now - STALE_AFTER


def scope_of(session: Session, job: ExportJob) -> Scope:
    """The patients a job exports: a clinician's panel, or every patient for an admin token."""
    role = session.scalar(select(ApiToken.role).where(ApiToken.id == job.token_id))
    if role == "admin":
        return None
    return select(token_patient.c.patient_id).where(token_patient.c.token_id == job.token_id)


@dataclass(frozen=True)
class RunReport:
    status: str
    resources: int = 0


def run_job(sessions: sessionmaker[Session], data_dir: str | Path, job_id: str, now: Callable[[], datetime],
            *, progress_every: int = PROGRESS_EVERY) -> RunReport:
    """Claim the job and write its files; do nothing if it is not (or no longer) waiting for a worker."""
    started = now()
    with sessions() as s, s.begin():
        claimed = _changed(s.execute(
            update(ExportJob).where(ExportJob.id == job_id, or_(
                ExportJob.status == "accepted",
                (ExportJob.status == "in-progress") & (ExportJob.updated_at < started - STALE_AFTER)))
            .values(status="in-progress", started_at=started, updated_at=started, resources_written=0)
            .execution_options(synchronize_session=False)))
    if not claimed:
        return RunReport("not claimed")
    folder = job_folder(data_dir, job_id)
    shutil.rmtree(folder, ignore_errors=True)  # a previous worker's half-written files
    folder.mkdir(parents=True)
    written = 0
    output: list[dict[str, Any]] = []
    try:
        with sessions() as s:
            # One snapshot for every file (a dose recorded mid-export is in all of them or none),
            # taken without blocking the writers the export runs beside.
            if s.get_bind().dialect.name == "postgresql":
                s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            else:
                s.connection(execution_options={READ_ONLY: True})
            job = s.get(ExportJob, job_id)
            assert job is not None
            scope, types, window = scope_of(s, job), list(job.types), Window(since=job.since)
            for type_ in types:
                count = 0
                path = folder / f"{type_}.ndjson"
                with open(path, "w", encoding="utf-8") as out:
                    for line in ndjson(s, type_, scope, window):
                        out.write(line)
                        out.write("\n")
                        count += 1
                        if (written + count) % progress_every == 0 and not _beat(sessions, job_id, written + count, now()):
                            shutil.rmtree(folder, ignore_errors=True)
                            return RunReport("cancelled", written + count)
                written += count
                if count:
                    output.append({"type": type_, "count": count})
                else:
                    path.unlink()  # the Bulk Data manifest lists only files with resources in them
    except Exception as exc:
        log.exception("export %s failed", job_id)
        _finish(sessions, job_id, now(), status="failed", resources_written=written,
                error=f"{type(exc).__name__} while exporting (see the worker log)")
        return RunReport("failed", written)
    if not _finish(sessions, job_id, now(), status="completed", resources_written=written, output=output):
        shutil.rmtree(folder, ignore_errors=True)  # deleted while the last file was written
        return RunReport("cancelled", written)
    log.info("export %s completed: %d resources", job_id, written)
    return RunReport("completed", written)


def _beat(sessions: sessionmaker[Session], job_id: str, written: int, at: datetime) -> bool:
    """Write progress; False if the job was deleted meanwhile (the worker then stops)."""
    with sessions() as s, s.begin():
        return _changed(s.execute(update(ExportJob).where(ExportJob.id == job_id, ExportJob.status == "in-progress")
                                  .values(resources_written=written, updated_at=at)
                                  .execution_options(synchronize_session=False)))


def _finish(sessions: sessionmaker[Session], job_id: str, at: datetime, **values: Any) -> bool:
    with sessions() as s, s.begin():
        return _changed(s.execute(update(ExportJob).where(ExportJob.id == job_id, ExportJob.status == "in-progress")
                                  .values(updated_at=at, finished_at=at, **values)
                                  .execution_options(synchronize_session=False)))


def _changed(result: Any) -> bool:
    """Whether a compare-and-set UPDATE matched its row."""
    return bool(cast(CursorResult[Any], result).rowcount)


def delete_job(session: Session, job: ExportJob, data_dir: str | Path, now: datetime) -> None:
    """Cancel the job and delete its files (a running worker notices at its next progress write)."""
    job.status = "cancelled"
    job.updated_at = now
    job.output = None
    shutil.rmtree(job_folder(data_dir, job.id), ignore_errors=True)

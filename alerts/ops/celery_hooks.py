"""Operations wiring for the Celery worker and beat, connected by ``workers/main.py``.

- Logging: Celery's own set-up is replaced by :func:`alerts.ops.logs.configure` (same format and
  scrubbing as the API).
- ``task`` and ``task_id`` bound for everything a task logs (Celery's own "received" and
  "succeeded in" records are the task's events).
- Beat stamps the ``beat`` heartbeat each time it publishes the tick, so ``/readyz`` can tell a
  dead beat from a dead worker.
- With ``WORKER_METRICS_PORT`` set, the worker's main process serves its metrics (all its pool
  processes added up) for Prometheus to scrape where the worker does not share the API's
  ``PROMETHEUS_MULTIPROC_DIR`` (a container of its own).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import structlog
from celery import signals
from flask import Flask

from alerts.clock import utcnow
from alerts.ops import heartbeat, logs

TICK_TASK = "workers.tasks.tick"

log = logs.get_logger("dosewatch.tasks")


def connect(app: Flask) -> None:
    from alerts.db import get_db

    sessions = get_db(app).sessionmaker

    def _setup_logging(loglevel: Any = None, **_: Any) -> None:
        logs.configure(app.config)

    def _prerun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(task=getattr(task, "name", None), task_id=task_id)

    def _postrun(**_: Any) -> None:
        structlog.contextvars.clear_contextvars()

    def _beat_init(**_: Any) -> None:
        signals.before_task_publish.connect(_published, weak=False)

    def _published(sender: str | None = None, **_: Any) -> None:
        if sender == TICK_TASK:
            heartbeat.stamp(sessions, "beat", utcnow())

    def _worker_init(**_: Any) -> None:
        # A fresh multiprocess folder per worker start: files of a previous run's pids would add up.
        folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if folder and os.environ.get("WORKER_METRICS_PORT"):
            shutil.rmtree(folder, ignore_errors=True)
            Path(folder).mkdir(parents=True, exist_ok=True)

    def _worker_ready(**_: Any) -> None:
        port = os.environ.get("WORKER_METRICS_PORT")
        if not port:
            return
        from prometheus_client import CollectorRegistry, start_http_server

        from alerts.ops.metrics import multiprocess

        registry: Any = None
        if multiprocess():
            from prometheus_client import multiprocess as mp

            registry = CollectorRegistry()
            mp.MultiProcessCollector(registry)
        start_http_server(int(port), addr=os.environ.get("WORKER_METRICS_HOST", "0.0.0.0"),
                          **({"registry": registry} if registry is not None else {}))
        log.info("worker metrics served", port=int(port))

    signals.setup_logging.connect(_setup_logging, weak=False)
    signals.task_prerun.connect(_prerun, weak=False)
    signals.task_postrun.connect(_postrun, weak=False)
    signals.beat_init.connect(_beat_init, weak=False)
    signals.worker_init.connect(_worker_init, weak=False)
    signals.worker_ready.connect(_worker_ready, weak=False)

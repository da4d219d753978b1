"""Housekeeping tasks beat runs besides the tick (``workers/beat.py``)."""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

from alerts.db import get_db
from alerts.clock import utcnow
from alerts.ops.metrics import RETENTION_DELETED
from alerts.ops.retention import purge

log = logging.getLogger("dosewatch.retention")


@shared_task(name="workers.maintenance.apply_retention", ignore_result=True)
def apply_retention() -> dict[str, int]:
    """Delete readings and messages older than their retention setting (nothing when both are 0)."""
    app = current_app._get_current_object()
    report = purge(get_db(app).sessionmaker, utcnow(), readings_days=app.config["READINGS_RETENTION_DAYS"],
                   messages_days=app.config["MESSAGES_RETENTION_DAYS"])
    counts = {"readings": report.readings, "notifications": report.notifications,
              "inbound_messages": report.inbound_messages}
    for table, count in counts.items():
        if count:
            RETENTION_DELETED.labels(table).inc(count)
    if any(counts.values()):
        log.info("retention applied", extra=counts)
    return counts

"""Celery tasks: thin. They take ids (or nothing), reload state from the database, and call services.

Every task is safe to run twice or concurrently: the work it does is claimed in the database.
"""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

from alerts.clock import utcnow
from alerts.db import get_db
from alerts.ops.loop import outbox_drained, watch_tick
from alerts.services.clinical import ClinicalPolicy
from alerts.services.outbox import deliver_due
from alerts.services.tick import run_tick
from workers.dispatch import DELIVER_OUTBOX, kick_outbox, notifier_for, sender_options

log = logging.getLogger("dosewatch.tasks")


@shared_task(name="workers.tasks.tick", ignore_result=True)
def tick() -> dict[str, int]:
    app = current_app._get_current_object()
    # Heartbeat, metrics, the tick's log event and the HEARTBEAT_URL pings (alerts/ops/loop.py).
    with watch_tick(get_db(app).sessionmaker, utcnow, app.config["HEARTBEAT_URL"]) as watch:
        report = run_tick(get_db(app).sessionmaker, utcnow(), batch_size=app.config["TICK_BATCH_SIZE"],
                          policy=ClinicalPolicy.from_config(app.config))
        watch.report = report
    # Always nudge the sender: besides this tick's messages, retries whose backoff has passed and
    # rows whose nudge was lost (a Redis flush) are only found by looking.
    kick_outbox(app)
    return {"missed_doses": report.missed_doses, "steps_run": report.steps_run}


@shared_task(name=DELIVER_OUTBOX, ignore_result=True)
def deliver_outbox() -> dict[str, int]:
    app = current_app._get_current_object()
    batches = 20
    report = deliver_due(get_db(app).sessionmaker, notifier_for(app), utcnow, max_batches=batches,
                         **sender_options(app))
    outbox_drained(get_db(app).sessionmaker, report, utcnow())  # the send heartbeat and its metrics
    if report.sent + report.failed + report.cancelled + report.retried >= batches * app.config["OUTBOX_BATCH_SIZE"]:
        kick_outbox(app)  # more than one task's share: continue in a fresh task
    return {"sent": report.sent, "failed": report.failed, "retried": report.retried, "cancelled": report.cancelled}

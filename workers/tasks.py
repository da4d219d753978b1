"""Celery tasks: thin. They take ids (or nothing), reload state from the database, and call services.

Every task is safe to run twice or concurrently: the work it does is claimed in the database.
"""

from __future__ import annotations

import logging

from celery import shared_task
from flask import current_app

from alerts.db import get_db
from alerts.domain.delivery import URGENT
from alerts.ops.loop import outbox_drained, watch_tick
from alerts.services.clinical import ClinicalPolicy
from alerts.services.db_clock import database_clock
from alerts.services.sender import DeliveryReport, deliver_due
from alerts.services.tick import run_tick
from workers.dispatch import DELIVER_OUTBOX, DELIVER_URGENT, drain_slot, kick_outbox, notifier_for, sender_options

log = logging.getLogger("dosewatch.tasks")


@shared_task(name="workers.tasks.tick", ignore_result=True)
def tick() -> dict[str, int]:
    app = current_app._get_current_object()
    sessions = get_db(app).sessionmaker
    clock = database_clock(sessions)  # due work is decided on the database's clock, not this process's
    # Heartbeat, metrics, the tick's log event and the HEARTBEAT_URL pings (alerts/ops/loop.py).
    with watch_tick(sessions, clock, app.config["HEARTBEAT_URL"]) as watch:
        report = run_tick(sessions, clock(), batch_size=app.config["TICK_BATCH_SIZE"],
                          policy=ClinicalPolicy.from_config(app.config),
                          low_supply_days=app.config["SUPPLY_LOW_DAYS"])
        watch.report = report
    # Always nudge the sender: besides this tick's messages, retries whose backoff has passed and
    # rows whose nudge was lost (a Redis flush) are only found by looking.
    kick_outbox(app)
    return {"missed_doses": report.missed_doses, "steps_run": report.steps_run,
            "clock_drift_ms": round(clock.drift_seconds * 1000)}


@shared_task(name=DELIVER_OUTBOX, ignore_result=True)
def deliver_outbox() -> dict[str, int]:
    """Drain the outbox, most pressing rows first (the claim orders by priority).

    At most ``OUTBOX_ROUTINE_DRAINS`` of these run at once: a backlog of routine messages would
    otherwise fill every worker slot (each tick and each finished drain queues another), and a
    seizure's messages, on the urgent queue, would wait for a slot for as long as a drain takes.
    A task that finds every drain slot taken returns at once: the drains running will reach its
    rows.
    """
    app = current_app._get_current_object()
    db = get_db(app)
    with drain_slot(db.engine, app.config["OUTBOX_ROUTINE_DRAINS"]) as slot:
        if slot is None:
            return {"sent": 0, "failed": 0, "retried": 0, "cancelled": 0, "expired": 0, "settled": 0, "busy": 1}
        batches = 20
        clock = database_clock(db.sessionmaker)
        report = deliver_due(db.sessionmaker, notifier_for(app), clock, max_batches=batches,
                             **sender_options(app))
    outbox_drained(db.sessionmaker, report, clock())  # the send heartbeat and its metrics
    if report.sent + report.failed + report.cancelled + report.retried + report.expired >= batches * app.config[
            "OUTBOX_BATCH_SIZE"]:
        kick_outbox(app)  # more than one task's share: continue in a fresh task
    return _summary(report)


@shared_task(name=DELIVER_URGENT, ignore_result=True)
def deliver_urgent() -> dict[str, int]:
    """Send only emergency and urgent rows (routed to the urgent queue: ``workers.celery_app``)."""
    app = current_app._get_current_object()
    sessions = get_db(app).sessionmaker
    clock = database_clock(sessions)
    report = deliver_due(sessions, notifier_for(app), clock, max_priority=URGENT, **sender_options(app))
    outbox_drained(sessions, report, clock())  # the send heartbeat and its metrics
    return _summary(report)


def _summary(report: DeliveryReport) -> dict[str, int]:
    return {"sent": report.sent, "failed": report.failed, "retried": report.retried, "cancelled": report.cancelled,
            "expired": report.expired, "settled": report.settled}

"""Handing work to the worker after a commit, and the per-process notifier."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import Engine, func, select

from alerts.domain.rate_limit import RateLimit
from alerts.models import Notification
from alerts.notify import Notifier, make_notifier
from alerts.ops.loop import ObservedNotifier

log = logging.getLogger("dosewatch.dispatch")

DELIVER_OUTBOX = "workers.tasks.deliver_outbox"  # the task's registered name (workers/tasks.py)
DELIVER_URGENT = "workers.tasks.deliver_urgent"  # emergency and urgent rows only, on the urgent queue


def kick_outbox(app: Flask) -> None:
    """Ask a worker to drain the outbox now. Call only after the commit that wrote the rows.

    Two nudges: one on the urgent queue, whose task sends only emergency and urgent rows (none
    waiting: one indexed query), and one on the routine queue for everything. An emergency then
    never waits behind routine tasks, and the caller need not know what it queued.

    Losing these (broker down, Redis flushed) delays delivery until the next tick; it never loses
    the message itself, which is a row in the database. So publishing must not block or fail the
    request that made the decision.
    """
    try:
        # By name, through the app's own Celery app: no import of the task module, whose tasks
        # import this one. ``task_routes`` puts the urgent one on its own queue.
        celery = app.extensions["celery"]
        celery.send_task(DELIVER_URGENT, retry=False)
        celery.send_task(DELIVER_OUTBOX, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure is the same to us
        log.warning("could not reach the broker (%s); the next tick will deliver", exc)


# PostgreSQL advisory lock keys of the routine drain slots: DRAIN_LOCK_BASE + slot number.
DRAIN_LOCK_BASE = 0x646F7365_0000  # "dose"


@contextmanager
def drain_slot(engine: Engine, slots: int) -> Iterator[int | None]:
    """One of ``slots`` routine drain slots, or None if all are taken (by any worker).

    A session-level advisory lock on a connection held for the drain: a worker killed mid-drain
    loses its connection and with it the slot, so no slot outlives its holder. On SQLite (one
    process writes at a time anyway, ``dosewatch up``) every drain may run.
    """
    if engine.dialect.name != "postgresql":
        yield 0
        return
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        for slot in range(slots):
            if conn.execute(select(func.pg_try_advisory_lock(DRAIN_LOCK_BASE + slot))).scalar_one():
                try:
                    yield slot
                finally:
                    with suppress(Exception):  # a dead connection has released it already
                        conn.execute(select(func.pg_advisory_unlock(DRAIN_LOCK_BASE + slot)))
                return
        yield None


def notifier_for(app: Flask) -> Notifier:
    notifier = app.extensions.get("dosewatch.notifier")
    if notifier is None:
        # Every send counted, timed and logged (alerts/ops/loop.py), whichever notifier it is.
        notifier = ObservedNotifier(make_notifier(app.config))
        app.extensions["dosewatch.notifier"] = notifier
    return notifier


def callback_urls(app: Flask) -> tuple[Callable[[Notification], str | None], Callable[[Notification], str | None]]:
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")

    def status(n: Notification) -> str:
        # The row's id rides along: a callback then finds its row even when the send timed out
        # before Twilio's answer (with the SID) reached us.
        return f"{base}/twilio/status?n={n.id}"

    def voice(n: Notification) -> str | None:
        return f"{base}/twilio/voice/{n.id}" if n.channel == "voice" else None

    return status, voice


def sender_options(app: Flask) -> dict[str, Any]:
    """``deliver_due``'s settings from the app's configuration: one place for the worker and the CLI."""
    status_url, voice_url = callback_urls(app)
    return {
        "batch_size": app.config["OUTBOX_BATCH_SIZE"], "lease_seconds": app.config["SEND_LEASE_SECONDS"],
        "max_attempts": app.config["SEND_MAX_ATTEMPTS"], "callback_url": status_url, "voice_url": voice_url,
        "rate_limit": RateLimit(app.config["SMS_LIMIT_COUNT"],
                                timedelta(minutes=app.config["SMS_LIMIT_WINDOW_MINUTES"])),
    }

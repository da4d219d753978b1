"""What the alerting loop reports about itself after each tick and each drain of the outbox.

The tick and send tasks (``workers/tasks.py``), ``dosewatch tick`` and ``dosewatch demo`` call these,
so a tick run by any of them leaves the same traces: a heartbeat row, the metrics, one log event,
and the dead man's switch pinged.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from alerts.notify.base import Notifier, OutgoingMessage, SendResult, TransportError
from alerts.ops import heartbeat, metrics
from alerts.ops.deadman import Pinger
from alerts.ops.logs import get_logger, mask_phone

log = get_logger("dosewatch.loop")


@dataclass
class TickWatch:
    sessions: sessionmaker[Session]
    now: Callable[[], datetime]
    pinger: Pinger
    started: float = field(default_factory=time.perf_counter)
    report: Any = None


@contextmanager
def watch_tick(sessions: sessionmaker[Session], now: Callable[[], datetime],
               heartbeat_url: str | None = None) -> Iterator[TickWatch]:
    """Around one tick: ping ``/start``; then, if the block finishes, stamp the ``tick`` heartbeat,
    count the tick's work, log it and ping success; if it raises, count and log the failure and ping
    ``/fail`` with the exception's class (never its text), and let the exception go on."""
    watch = TickWatch(sessions, now, Pinger(heartbeat_url))
    watch.pinger.start()
    try:
        yield watch
    except BaseException as exc:
        seconds = time.perf_counter() - watch.started
        metrics.TICK_FAILURES.inc()
        log.error("tick failed", error=exc.__class__.__name__, duration_ms=round(seconds * 1000, 1))
        watch.pinger.fail(f"tick raised {exc.__class__.__name__}")
        raise
    seconds = time.perf_counter() - watch.started
    heartbeat.stamp(sessions, "tick", now())
    metrics.observe_tick(watch.report, seconds)
    summary = _tick_summary(watch.report)
    # Every tick is an event; one that found nothing is only worth a line when debugging.
    busy = any(summary.values())
    (log.info if busy else log.debug)("tick done", duration_ms=round(seconds * 1000, 1), **summary)
    watch.pinger.success(" ".join(f"{k}={v}" for k, v in summary.items()))


def _tick_summary(report: Any) -> dict[str, int]:
    if report is None:
        return {}
    names = ("missed_doses", "alerts_opened", "clinical_checks", "steps_run", "seizures_raised",
             "devices_offline", "refill_reminders", "supply_checks", "stale_sends", "checkin_prompts")
    summary = {n: int(getattr(report, n, 0)) for n in names}
    summary["messages_queued"] = len(getattr(report, "notification_ids", ()))
    return summary


def outbox_drained(sessions: sessionmaker[Session], report: Any, now: datetime) -> None:
    """After the sender drained the outbox: stamp the ``send`` heartbeat and time the emergencies
    whose first message just left (decision to first send)."""
    heartbeat.stamp(sessions, "send", now)
    sent_ids = list(getattr(report, "sent_ids", []))
    if sent_ids:
        with sessions() as session:
            metrics.observe_emergency_first_sends(session, sent_ids)
    if any(getattr(report, n, 0) for n in ("sent", "failed", "retried", "cancelled", "deferred")):
        log.info("outbox drained", sent=report.sent, failed=report.failed, retried=report.retried,
                 cancelled=report.cancelled, deferred=getattr(report, "deferred", 0))


class ObservedNotifier:
    """A notifier that counts, times and logs every send of the one it wraps: one event per
    message, with its outbox id, channel, masked number, MessageSid (or CallSid) and result."""

    def __init__(self, inner: Notifier) -> None:
        self.inner = inner
        self.name = inner.name

    def __getattr__(self, name: str) -> Any:
        # find_sent (the look-up after a timeout) and anything else the sender asks of the notifier.
        return getattr(self.inner, name)

    def send(self, message: OutgoingMessage) -> SendResult:
        started = time.perf_counter()
        try:
            result = self.inner.send(message)
        except TransportError as exc:
            seconds = time.perf_counter() - started
            outcome = "ambiguous" if exc.ambiguous else "permanent" if exc.permanent else "retryable"
            metrics.observe_send(message.channel, outcome, exc.code, seconds)
            log.warning("message not sent", outbox_id=message.notification_id, channel=message.channel,
                        to=mask_phone(message.to), result=outcome, error_code=exc.code, http_status=exc.status,
                        duration_ms=round(seconds * 1000, 1))
            raise
        seconds = time.perf_counter() - started
        outcome = "recorded" if result.status == "recorded" else "sent"
        metrics.observe_send(message.channel, outcome, None, seconds)
        log.info("message sent", outbox_id=message.notification_id, channel=message.channel,
                 to=mask_phone(message.to), message_sid=result.provider_sid, result=outcome,
                 duration_ms=round(seconds * 1000, 1))
        return result


def inbound_handled(message_sid: str, from_number: str, outcome: str, replayed: bool) -> None:
    """One inbound SMS handled: counted by outcome and logged with its MessageSid (never its text)."""
    if not replayed:
        metrics.observe_inbound(outcome)
    log.info("sms received", message_sid=message_sid, sender=mask_phone(from_number), outcome=outcome,
             replayed=replayed)

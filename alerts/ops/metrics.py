"""Prometheus metrics: what an on-call engineer graphs and alerts on.

Events are counted where they happen (a tick, a send, a request, a reply, an acknowledgement); the
state of the queues (outbox depth, oldest due message, open alerts, heartbeat ages) is read from the
database when ``/metrics`` is scraped (:class:`DatabaseCollector`), so it is true even when the
worker that would have updated it is dead.

Under gunicorn, Celery prefork and ``dosewatch up`` several processes count; prometheus-client's
multiprocess mode adds them up. It is on when ``PROMETHEUS_MULTIPROC_DIR`` is set before this
module is first imported: ``deploy/gunicorn.conf.py`` and ``dosewatch up`` set it (and empty the
folder at start). Without it (tests, one process) the default registry is used.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from alerts.domain.delivery import PRIORITY_NAMES
from alerts.models import Alert, Notification
from alerts.ops import heartbeat

__all__ = ["CONTENT_TYPE_LATEST"]

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # prometheus-client writes one file per process there and needs the folder to exist.
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

TICK_DURATION = Histogram(
    "dosewatch_tick_duration_seconds", "Wall time of one tick (all phases).",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
TICK_ITEMS = Counter(
    "dosewatch_tick_items_total",
    "Work the tick found due, by item: missed_doses (due doses past their grace), steps_run, alerts_opened, ...",
    ["item"])
TICK_FAILURES = Counter("dosewatch_tick_failures_total", "Ticks that raised.")
SENDS = Counter(
    "dosewatch_sends_total",
    "Messages handed to the provider, by channel, result (sent, recorded, retryable, permanent, "
    "ambiguous) and provider error code ('' when none).",
    ["channel", "result", "error_code"])
SEND_DURATION = Histogram(
    "dosewatch_send_duration_seconds", "Round trip of one send to the provider.", ["channel"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30))
EMERGENCY_FIRST_SEND = Histogram(
    "dosewatch_emergency_first_send_seconds",
    "From an emergency's decision (its alert opening) to its first message leaving.",
    buckets=(0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600))
ACKNOWLEDGEMENT = Histogram(
    "dosewatch_acknowledgement_seconds", "From an alert opening to a caregiver acknowledging it, by kind.",
    ["kind"], buckets=(30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200))
INBOUND_SMS = Counter("dosewatch_inbound_sms_total", "Inbound SMS by what the parser made of it.", ["outcome"])
HTTP_REQUESTS = Counter("dosewatch_http_requests_total", "HTTP requests by route, method and status.",
                        ["route", "method", "status"])
HTTP_DURATION = Histogram("dosewatch_http_request_duration_seconds", "HTTP request latency by route and method.",
                          ["route", "method"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
RETENTION_DELETED = Counter("dosewatch_retention_deleted_total", "Rows deleted by the retention task.", ["table"])


def multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("prometheus_multiproc_dir"))


# -- events ----------------------------------------------------------------------------------------


def observe_tick(report: Any, seconds: float) -> None:
    TICK_DURATION.observe(seconds)
    for item in ("missed_doses", "alerts_opened", "clinical_checks", "steps_run", "seizures_raised",
                 "devices_offline", "refill_reminders", "supply_checks", "stale_sends", "checkin_prompts"):
        value = getattr(report, item, 0)
        if value:
            TICK_ITEMS.labels(item).inc(value)


def observe_send(channel: str, result: str, error_code: int | None, seconds: float) -> None:
    SENDS.labels(channel, result, "" if error_code is None else str(error_code)).inc()
    SEND_DURATION.labels(channel).observe(seconds)


def observe_emergency_first_sends(session: Session, sent_ids: list[int]) -> int:
    """For each emergency alert whose first message is among ``sent_ids``: decision to first send.

    Returns how many were observed. One query over the rows just sent.
    """
    if not sent_ids:
        return 0
    rows = session.execute(
        select(Alert.id, Alert.opened_at, func.min(Notification.sent_at))
        .join(Notification, Notification.alert_id == Alert.id)
        .where(Alert.kind == "emergency", Notification.sent_at.is_not(None),
               Alert.id.in_(select(Notification.alert_id).where(Notification.id.in_(sent_ids))))
        .group_by(Alert.id, Alert.opened_at)
    ).all()
    firsts = {aid: first for aid, _, first in rows}
    just_sent = dict(session.execute(
        select(Notification.alert_id, func.min(Notification.sent_at))
        .where(Notification.id.in_(sent_ids), Notification.alert_id.in_(list(firsts)))
        .group_by(Notification.alert_id)).all()) if firsts else {}
    observed = 0
    for alert_id, opened_at, first in rows:
        if just_sent.get(alert_id) == first:
            EMERGENCY_FIRST_SEND.observe(max((first - opened_at).total_seconds(), 0.0))
            observed += 1
    return observed


def observe_acknowledgement(kind: str, opened_at: datetime, now: datetime) -> None:
    ACKNOWLEDGEMENT.labels(kind).observe(max((now - opened_at).total_seconds(), 0.0))


def observe_inbound(outcome: str) -> None:
    INBOUND_SMS.labels(outcome or "unknown").inc()


# Every request updates both request metrics. ``labels()`` builds the child's key anew each time
# (each value converted to ``str``, a lock taken, a dict looked up): a third of the metrics' cost per
# request (callgrind). The children for a (route, method, status) are the same objects every time,
# and the routes, methods and statuses a process serves are few, so they are kept here. The cache
# holds references only: every update still goes to the child, in multiprocess mode to its file.
_REQUEST_CHILDREN: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    key = (route, method, status)
    children = _REQUEST_CHILDREN.get(key)
    if children is None:
        children = _REQUEST_CHILDREN[key] = (HTTP_REQUESTS.labels(route, method, str(status)),
                                             HTTP_DURATION.labels(route, method))
    requests, duration = children
    requests.inc()
    duration.observe(seconds)


# -- state, read at scrape time --------------------------------------------------------------------


class DatabaseCollector(Collector):
    """Gauges read from the database at each scrape (a few grouped counts on partial indexes)."""

    def __init__(self, sessions: sessionmaker[Session], now: Any) -> None:
        self.sessions = sessions
        self.now = now

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self.now()
        depth = GaugeMetricFamily("dosewatch_outbox_depth", "Messages waiting (queued or sending) by kind and priority.",
                                  labels=["kind", "priority", "status"])
        oldest = GaugeMetricFamily("dosewatch_outbox_oldest_due_age_seconds",
                                   "How long the oldest due queued message has waited, by kind and priority.",
                                   labels=["kind", "priority"])
        alerts = GaugeMetricFamily("dosewatch_open_alerts", "Open alerts by kind.", labels=["kind"])
        beats = GaugeMetricFamily("dosewatch_heartbeat_age_seconds",
                                  "Seconds since beat published a tick (beat), a worker finished one (tick) "
                                  "or drained the outbox (send).", labels=["name"])
        up = GaugeMetricFamily("dosewatch_database_up", "1 when the scrape could read the database.")
        try:
            with self.sessions() as session:
                for kind, priority, status, count in session.execute(
                        select(Notification.kind, Notification.priority, Notification.status, func.count())
                        .where(Notification.status.in_(("queued", "sending")))
                        .group_by(Notification.kind, Notification.priority, Notification.status)):
                    depth.add_metric([kind, _priority(priority), status], count)
                for kind, priority, first in session.execute(
                        select(Notification.kind, Notification.priority, func.min(Notification.next_attempt_at))
                        .where(Notification.status == "queued", Notification.next_attempt_at <= now)
                        .group_by(Notification.kind, Notification.priority)):
                    oldest.add_metric([kind, _priority(priority)], max((now - first).total_seconds(), 0.0))
                for kind, count in session.execute(
                        select(Alert.kind, func.count()).where(Alert.status == "open").group_by(Alert.kind)):
                    alerts.add_metric([kind], count)
                for name, at in heartbeat.read(session).items():
                    beats.add_metric([name], max((now - at).total_seconds(), 0.0))
            up.add_metric([], 1)
        except Exception:  # noqa: BLE001 - a scrape with the database down still says so
            up.add_metric([], 0)
        yield from (depth, oldest, alerts, beats, up)


def _priority(priority: int) -> str:
    return PRIORITY_NAMES.get(priority, str(priority))


def exposition(sessions: sessionmaker[Session] | None = None, now: Any = None) -> bytes:
    """The text exposition of every process's counters plus, given ``sessions``, the database gauges."""
    if multiprocess():
        from prometheus_client import multiprocess as mp

        registry = CollectorRegistry()
        mp.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Everything())
    if sessions is not None:
        registry.register(DatabaseCollector(sessions, now))
    return generate_latest(registry)


class _Everything(Collector):
    """The default registry's metrics, re-yielded, so one request can add the database gauges."""

    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()


def timer() -> float:
    return time.perf_counter()

"""The outbox, sending half: queued notifications delivered at most once each.

:func:`deliver_due` claims a batch of due rows, most pressing priority first (``FOR UPDATE SKIP
LOCKED`` on PostgreSQL), marks them ``sending`` under a lease and commits; only then sends. A row is
sent only by the worker that moved it out of ``queued``, so it leaves at most once. Just before each
send the alert is re-checked: an acknowledged or resolved alert sends no more escalation messages.
Rows are written by the queueing half (:mod:`alerts.services.outbox`).

Crashes: the attempt is marked, not the batch. Just before its request is handed to the provider a
row gets ``attempted_at`` (in a statement that also checks the claim is still this worker's). A
worker killed mid-batch leaves most of its claimed rows never attempted: after the lease they are
simply queued again (:func:`expire_stale_leases`). Only the few whose request may have left are
looked up at the provider before anything else is done with them (:func:`_settle_earlier_attempt`).

Timeouts: a send whose answer never came may or may not have reached the provider. It is looked up
at once; not found, it becomes ``unknown`` and the escalation moves on (never re-sent blindly: a
caregiver texted twice is confused). That first look can come too soon (a provider slow under load
may not have recorded the message yet), so a lease later, when whatever request left has long been
answered or dropped, :func:`recheck_unknown` asks again and records what the provider says.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, bindparam, exists, false, func, null, select, true, type_coerce, union_all, update
from sqlalchemy.orm import Session, sessionmaker

from alerts.domain.delivery import ROUTINE, expired, max_age
from alerts.domain.rate_limit import RateLimit, wait_until
from alerts.models import Alert, Notification, OptOut
from alerts.notify.base import Notifier, OutgoingMessage, SendResult, TransportError
from alerts.services.sql import skip_locked
from alerts.services.unreachable import not_reached

log = logging.getLogger("dosewatch.outbox")


# Messages in flight at once per drain. Twilio's default rate for a long code is about one message
# a second per number, but its API accepts (and queues) far more; the limit here is our round trips.
SEND_THREADS = 8


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    cancelled: int = 0
    # Non-urgent rows held back by the per-recipient limit (back in the queue for later).
    deferred: int = 0
    # Rows older than their kind's maximum age (``alerts.domain.delivery.MAX_AGE``): not sent.
    expired: int = 0
    # ``unknown`` rows found at the provider on the second look (:func:`recheck_unknown`): sent.
    settled: int = 0
    sent_ids: list[int] = field(default_factory=list)
    # Rows queued while delivering (a call instead of a failed text, the care team told of an
    # unreachable number): the drain goes round again for them.
    followup_ids: list[int] = field(default_factory=list)


def backoff(attempts: int, rng: Callable[[], float] = random.random) -> timedelta:
    """Exponential backoff with full jitter: 5 s, 10 s, 20 s ... capped at 10 min."""
    ceiling = min(5 * 2 ** max(attempts - 1, 0), 600)
    return timedelta(seconds=ceiling * (0.5 + rng() / 2))


def claim_due(session: Session, now: datetime, limit: int, lease_seconds: int,
              max_priority: int = ROUTINE) -> list[Notification]:
    """Move up to ``limit`` due ``queued`` rows of priority ``max_priority`` or more pressing to
    ``sending`` and return them, most pressing first (``ix_notification_queued_priority``).
    Caller commits."""
    ids = list(
        session.scalars(
            select(Notification.id)
            .where(Notification.status == "queued", Notification.next_attempt_at <= now,
                   Notification.priority <= max_priority)
            .order_by(Notification.priority, Notification.next_attempt_at, Notification.id)
            .limit(limit)
            .with_for_update(**skip_locked(session))
        )
    )
    if not ids:
        return []
    session.execute(
        update(Notification)
        .where(Notification.id.in_(ids), Notification.status == "queued")
        .values(status="sending", lease_until=now + timedelta(seconds=lease_seconds), updated_at=now)
    )
    return list(session.scalars(select(Notification).where(Notification.id.in_(ids))
                                .order_by(Notification.priority, Notification.next_attempt_at, Notification.id)))


def expire_stale_leases(session: Session, now: datetime) -> int:
    """Rows left ``sending`` by a worker that died go back to the queue, due now. Returns how many.

    Most were never handed to the provider (a worker claims a batch and sends a few at a time) and
    simply go out. A row marked ``attempted_at`` may have reached the provider: the sender looks
    it up before anything else (:func:`_settle_earlier_attempt`), so it is not sent twice.
    """
    return session.execute(
        update(Notification)
        .where(Notification.status == "sending", Notification.lease_until < now)
        .values(status="queued", lease_until=None, next_attempt_at=now, updated_at=now,
                last_error="worker lost its lease; queued again")
        .execution_options(synchronize_session=False)
    ).rowcount or 0


def deliver_due(
    sessions: sessionmaker[Session],
    notifier: Notifier,
    now: Callable[[], datetime],
    *,
    batch_size: int,
    lease_seconds: int,
    max_attempts: int,
    max_batches: int | None = None,
    callback_url: Callable[[Notification], str | None] = lambda n: None,
    voice_url: Callable[[Notification], str | None] = lambda n: None,
    send_threads: int = SEND_THREADS,
    rate_limit: RateLimit | None = None,
    max_priority: int = ROUTINE,
) -> DeliveryReport:
    """Drain the outbox: claim, send, record. Safe to run in several workers at once.

    A claimed batch is sent by up to ``send_threads`` threads, each with its own session, taking
    disjoint slices of the batch: a provider round trip and a commit per message no longer add up
    one after the other. Each row still belongs to exactly one thread, which alone moves it out of
    ``sending``, so every message still leaves at most once. ``notifier`` must be thread-safe.

    ``batch_size``, ``lease_seconds`` and ``max_attempts`` are the configured ones
    (``OUTBOX_BATCH_SIZE``, ``SEND_LEASE_SECONDS``, ``SEND_MAX_ATTEMPTS``: ``workers.dispatch.sender_options``).
    ``rate_limit`` holds back non-urgent messages to a number that has had its share (urgent ones
    never wait); threads sending to one number at the same moment may each take the last place.
    ``max_priority`` leaves less pressing rows to another drain (the urgent queue's task).
    """
    report = DeliveryReport()
    batches = 0
    can_look_up = getattr(notifier, "find_sent", None) is not None
    # The second look at a timed-out send waits a lease: by then its request has surely ended.
    recheck_after = timedelta(seconds=lease_seconds) if can_look_up else None
    if can_look_up:
        report.settled += recheck_unknown(sessions, notifier, now, lease_seconds=lease_seconds, limit=batch_size)
    bind = sessions.kw.get("bind")
    if bind is not None and bind.dialect.name == "sqlite":
        # SQLite has one writer and each send holds it: more threads would only queue for the lock.
        send_threads = 1

    def send_slice(rows: Sequence[Notification]) -> DeliveryReport:
        part = DeliveryReport()
        with _statement_session(sessions) as quick:
            for row in rows:
                _deliver_one(quick, sessions, notifier, row, now, max_attempts, callback_url, voice_url, part,
                             rate_limit, recheck_after)
        return part

    with ThreadPoolExecutor(max_workers=max(1, send_threads), thread_name_prefix="outbox-send") as pool:
        while max_batches is None or batches < max_batches:
            batches += 1
            with sessions() as session:
                claimed = claim_due(session, now(), batch_size, lease_seconds, max_priority)
                session.commit()
            if not claimed:
                break
            threads = max(1, min(send_threads, len(claimed)))
            # Round-robin slices keep the oldest messages first in every thread.
            followups = len(report.followup_ids)
            for part in pool.map(send_slice, [claimed[i::threads] for i in range(threads)]):
                _merge(report, part)
            if len(claimed) < batch_size and len(report.followup_ids) == followups:
                break
    return report


def _merge(report: DeliveryReport, part: DeliveryReport) -> None:
    report.sent += part.sent
    report.failed += part.failed
    report.retried += part.retried
    report.cancelled += part.cancelled
    report.deferred += part.deferred
    report.expired += part.expired
    report.settled += part.settled
    report.sent_ids += part.sent_ids
    report.followup_ids += part.followup_ids


@contextmanager
def _statement_session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session for the sender's one-row statements, each committed on its own.

    On PostgreSQL its connection is in autocommit: the last-moment check and the row's final
    UPDATE are one round trip each, with no BEGIN and COMMIT around them (four round trips a message
    become two). Nothing is lost by it: each of those statements is atomic alone, and the paths that
    write more than one row (a failure that moves the escalation on) take a transaction of their
    own from ``sessions``. On SQLite (one writer) it is a plain session, committed after each step.
    """
    bind = sessions.kw.get("bind")
    if bind is None or bind.dialect.name == "sqlite":
        with sessions() as session:
            yield session
        return
    with bind.connect() as conn, Session(bind=conn.execution_options(isolation_level="AUTOCOMMIT"),
                                         expire_on_commit=False) as session:
        yield session


def _deliver_one(quick: Session, sessions: sessionmaker[Session], notifier: Notifier, row: Notification,
                 now: Callable[[], datetime], max_attempts: int, callback_url: Callable[[Notification], str | None],
                 voice_url: Callable[[Notification], str | None], report: DeliveryReport,
                 rate_limit: RateLimit | None = None, recheck_after: timedelta | None = None) -> None:
    """Check, send and record one claimed row. ``quick`` runs the one-statement steps (see
    :func:`_statement_session`); anything writing more than one row commits in a session of its own."""
    if row.attempted_at is None and expired(row.kind, row.held_until or row.created_at, now()):
        # After an outage: sent now it would read as current ("your 08:00 dose" two days on).
        # (A row that may have reached the provider is looked up below instead: it may be sent.)
        _finish(quick, row.id, now(), status="expired",
                last_error=f"not sent: older than {max_age(row.kind)}, the most a {row.kind} message waits")
        quick.commit()
        report.expired += 1
        return
    limit = None if row.urgent else rate_limit  # urgent messages are never held back
    check = _last_moment_check(quick, row, now(), limit)
    quick.commit()  # SQLite: no write lock held while the message is sent
    reason = check.cancel_reason
    if reason == OPTED_OUT:
        with sessions.begin() as session:
            _finish(session, row.id, now(), status="cancelled", last_error=reason)
            report.followup_ids += not_reached(session, row.id, "opted_out", now())
        report.cancelled += 1
        return
    if reason:
        _finish(quick, row.id, now(), status="cancelled", last_error=reason)
        quick.commit()
        report.cancelled += 1
        return
    if limit is not None and _held_back(quick, row, check, now(), limit, report):
        quick.commit()
        return
    message = OutgoingMessage(
        notification_id=row.id, to=row.to_number, channel=row.channel,  # type: ignore[arg-type]
        body=row.body, status_callback=callback_url(row), voice_url=voice_url(row),
    )
    if row.attempted_at is not None and _settle_earlier_attempt(quick, sessions, notifier, row, message, now(),
                                                                report):
        return
    attempted_at = now()
    if not _mark_attempt(quick, row, attempted_at):
        # The lease ran out while this worker was busy (a slow provider): the row is someone
        # else's now, or will be. Sending it here could deliver it twice.
        quick.commit()
        log.warning("notification %s: lease lost before sending; left to the next claim", row.id)
        return
    quick.commit()
    try:
        result: SendResult = notifier.send(message)
    except TransportError as exc:
        found = _look_up(notifier, message, attempted_at) if exc.ambiguous else None
        if found is None:
            with sessions.begin() as session:
                _record_failure(session, row, exc, now(), max_attempts, report, recheck_after)
            return
        # The send timed out but the provider has the message: it was sent, once.
        log.info("notification %s: send timed out, found at the provider as %s", row.id, found.provider_sid)
        result = found
    _record_sent(quick, row, now(), provider_sid=result.provider_sid,
                 status=result.status if result.status == "recorded" else "sent")
    quick.commit()
    report.sent += 1
    report.sent_ids.append(row.id)


# How long after the timed-out attempt the second look keeps trying while the look-up itself fails.
# Past it the provider's page of recent messages to the number may no longer hold the message.
RECHECK_FOR = timedelta(hours=6)


def recheck_unknown(sessions: sessionmaker[Session], notifier: Notifier, now: Callable[[], datetime], *,
                    lease_seconds: int, limit: int) -> int:
    """Ask the provider again about ``unknown`` rows whose second look is due. Returns how many it
    has after all, now recorded ``sent`` with its id (so its status callbacks are matched).

    The first look came straight after the timeout and may have been too early; this one comes a
    lease later, when whatever request left has long been answered or dropped, so "not there"
    means not sent: the row stays ``unknown`` (the escalation moved on when the send failed) with
    the finding in ``last_error``, and is never re-sent. Claimed like a send, ``FOR UPDATE SKIP
    LOCKED`` and a lease, so two drains never ask about one row and a worker dying here only delays
    the look. Cost follows the rows due (``ix_notification_recheck``).
    """
    find_sent = getattr(notifier, "find_sent", None)
    if find_sent is None:
        return 0
    with sessions() as session:
        at = now()
        rows = list(session.scalars(
            select(Notification).where(Notification.recheck_at <= at, Notification.status == "unknown")
            .order_by(Notification.recheck_at).limit(limit).with_for_update(**skip_locked(session))))
        if not rows:
            return 0
        session.execute(update(Notification).where(Notification.id.in_([r.id for r in rows]))
                        .values(recheck_at=at + timedelta(seconds=lease_seconds))
                        .execution_options(synchronize_session=False))
        session.commit()
    settled = 0
    for row in rows:
        message = OutgoingMessage(notification_id=row.id, to=row.to_number, channel=row.channel,  # type: ignore[arg-type]
                                  body=row.body)
        since = row.attempted_at or row.updated_at or row.created_at
        try:
            found: SendResult | None = find_sent(message, since)
        except TransportError as exc:
            # Asked again after as long again as it has been (at most ten minutes), for a while.
            at = now()
            again = at + min(max(at - since, timedelta(seconds=30)), timedelta(minutes=10))
            log.warning("notification %s: second look-up failed: %s", row.id, exc)
            _settle_unknown(sessions, row.id, at, recheck_at=again if again - since < RECHECK_FOR else None)
            continue
        at = now()
        if found is None:
            _settle_unknown(sessions, row.id, at, recheck_at=None,
                            last_error=f"{row.last_error}; not at the provider a lease later: not sent")
            continue
        log.info("notification %s: timed out, found at the provider on a second look as %s", row.id,
                 found.provider_sid)
        _settle_unknown(sessions, row.id, at, recheck_at=None, status="sent", provider_sid=found.provider_sid,
                        sent_at=since, last_error=f"{row.last_error}; found at the provider a lease later")
        settled += 1
    return settled


def _settle_unknown(sessions: sessionmaker[Session], notification_id: int, now: datetime, **values: Any) -> None:
    with sessions.begin() as session:
        session.execute(update(Notification)
                        .where(Notification.id == notification_id, Notification.status == "unknown")
                        .values(updated_at=now, **values).execution_options(synchronize_session=False))


def _mark_attempt(session: Session, row: Notification, at: datetime) -> bool:
    """Record that a request for ``row`` is about to leave, if the claim is still this worker's
    (same lease, not run out). One statement; False if the row must not be sent."""
    return bool(session.execute(_MARK_ATTEMPT, {"row_id": row.id, "at": at, "lease": row.lease_until}).rowcount)


_MARK_ATTEMPT = (update(Notification.__table__)
                 .where(Notification.__table__.c.id == bindparam("row_id"),
                        Notification.__table__.c.status == "sending",
                        Notification.__table__.c.lease_until == bindparam("lease"),
                        Notification.__table__.c.lease_until > bindparam("at"))
                 .values(attempted_at=bindparam("at")))


def _settle_earlier_attempt(quick: Session, sessions: sessionmaker[Session], notifier: Notifier, row: Notification,
                            message: OutgoingMessage, now: datetime, report: DeliveryReport) -> bool:
    """A claimed row whose earlier attempt may have reached the provider (its worker died, or its
    lease ran out, after marking it). True if that settled it; False if it is to be sent now.

    The provider is asked by the look-up a timed-out send uses. Found: it was sent, once, and is
    recorded so. Not found: it is sent now. That is safe here, unlike straight after a timeout,
    because the lease (minutes) is far longer than a request can take (``TWILIO_HTTP_TIMEOUT``):
    whatever request left earlier has long been answered or dropped. A notifier that cannot look
    up leaves the row ``unknown`` and the escalation moves on, as after a timeout.
    """
    if getattr(notifier, "find_sent", None) is None:
        with sessions.begin() as session:
            _finish(session, row.id, now, status="unknown", last_error="worker lost during send; not re-sent")
            report.followup_ids += not_reached(session, row.id, "unknown", now)
        report.failed += 1
        return True
    find_sent = notifier.find_sent  # type: ignore[attr-defined]
    try:
        found: SendResult | None = find_sent(message, row.attempted_at)
    except TransportError as exc:
        log.warning("notification %s: look-up of an earlier attempt failed: %s", row.id, exc)
        _finish(quick, row.id, now, status="queued", next_attempt_at=now + backoff(row.attempts + 1),
                last_error=f"look-up of an earlier attempt failed: {exc}")
        quick.commit()
        report.retried += 1
        return True
    if found is None:
        return False
    log.info("notification %s: an earlier attempt reached the provider as %s", row.id, found.provider_sid)
    _record_sent(quick, row, now, provider_sid=found.provider_sid)
    quick.commit()
    report.sent += 1
    report.sent_ids.append(row.id)
    return True


def _held_back(session: Session, row: Notification, check: _Checked, now: datetime, limit: RateLimit,
               report: DeliveryReport) -> bool:
    """Coalesce reminders and apply the per-recipient limit to a non-urgent row. True if it does not
    go now (cancelled as superseded, or back in the queue until the limit allows it)."""
    if row.kind == "reminder" and check.newer_reminder:
        # A newer reminder for this phone is on its way: one text says it all.
        _finish(session, row.id, now, status="cancelled", last_error="superseded by a newer reminder")
        report.cancelled += 1
        return True
    later = wait_until(check.sent_recently, now, limit)
    if later is None:
        return False
    _finish(session, row.id, now, status="queued", next_attempt_at=later,
            last_error=f"held back: {limit.count} non-urgent messages to this number within {limit.window}")
    report.deferred += 1
    return True


def _look_up(notifier: Notifier, message: OutgoingMessage, since: datetime) -> SendResult | None:
    """After a send that timed out: did the provider get the message after all? None if it cannot
    say (no look-up for this notifier or channel, or the look-up itself failed)."""
    find_sent = getattr(notifier, "find_sent", None)
    if find_sent is None:
        return None
    try:
        return find_sent(message, since)  # type: ignore[no-any-return]
    except TransportError as exc:
        log.warning("notification %s: look-up after a timeout failed: %s", message.notification_id, exc)
        return None


@dataclass(frozen=True)
class _Checked:
    """What the last moment before a send found (one round trip, :func:`_last_moment_check`)."""

    cancel_reason: str | None
    # Only read for a non-urgent row under a per-recipient limit:
    newer_reminder: bool = False  # a newer reminder to this phone is queued or sending
    sent_recently: list[datetime] = field(default_factory=list)  # newest non-urgent sends to it, within the window


def _last_moment_check(session: Session, row: Notification, now: datetime, limit: RateLimit | None) -> _Checked:
    """Why this row must not go out any more, and, under ``limit``, what the per-recipient limit
    needs to know: all in one statement, run for every message just before it is sent."""
    check_alert = row.alert_id is not None and not row.send_when_closed
    params = {"alert_id": row.alert_id if check_alert else None, "phone": row.to_number}
    if limit is None:
        status, opted_out = session.execute(_LAST_MOMENT_CHECK, params).one()
        return _Checked(_cancel_reason(check_alert, status, opted_out))
    rows = session.execute(_LAST_MOMENT_CHECK_LIMITED, {
        **params, "row_id": row.id, "since": now - limit.window, "now": now, "count": limit.count}).all()
    head = next(r for r in rows if r.head)
    return _Checked(_cancel_reason(check_alert, head.alert_status, head.opted_out), bool(head.newer_reminder),
                    [r.sent_at for r in rows if not r.head])


def _cancel_reason(check_alert: bool, alert_status: str | None, opted_out: bool | None) -> str | None:
    if check_alert and alert_status != "open":
        return f"alert {alert_status} before send"
    if opted_out:
        # Urgent or not: the carrier rules (and Twilio, with error 21610) allow no text to a number
        # that replied STOP until it replies START. The escalation moves on to someone else instead.
        return OPTED_OUT
    return None


OPTED_OUT = "recipient opted out (STOP)"

_N = Notification.__table__
_ALERT_STATUS = select(Alert.__table__.c.status).where(Alert.__table__.c.id == bindparam("alert_id")).scalar_subquery()
_OPTED_OUT = select(OptOut.__table__.c.active).where(OptOut.__table__.c.phone == bindparam("phone")).scalar_subquery()

# Both last-moment checks in one statement, built once (the sender runs it for every message).
_LAST_MOMENT_CHECK = select(_ALERT_STATUS, _OPTED_OUT)

# The same, for a non-urgent row under the per-recipient limit, with what the limit reads: whether
# a newer reminder to this phone is on its way, and the newest non-urgent messages sent to it within
# the window (no more than the limit's count: only they can decide). The first row (``head``)
# carries the checks, one more row per message sent; ix_notification_to_sent serves both lookups.
_RECENT_SENDS = (select(_N.c.sent_at)
                 .where(_N.c.to_number == bindparam("phone"), _N.c.urgent.is_(False),
                        _N.c.sent_at > bindparam("since"), _N.c.sent_at <= bindparam("now"))
                 .order_by(_N.c.sent_at.desc()).limit(bindparam("count", type_=Integer)).subquery())
_LAST_MOMENT_CHECK_LIMITED = union_all(
    select(true().label("head"), _ALERT_STATUS.label("alert_status"), _OPTED_OUT.label("opted_out"),
           exists().where(_N.c.to_number == bindparam("phone"), _N.c.kind == "reminder",
                          _N.c.status.in_(("queued", "sending")), _N.c.id > bindparam("row_id"))
           .label("newer_reminder"),
           type_coerce(null(), _N.c.sent_at.type).label("sent_at")),
    select(false(), null(), null(), null(), _RECENT_SENDS.c.sent_at),
)


def _record_failure(session: Session, row: Notification, exc: TransportError, now: datetime,
                    max_attempts: int, report: DeliveryReport, recheck_after: timedelta | None = None) -> None:
    attempts = row.attempts + 1
    detail = f"{exc} (code {exc.code})" if exc.code else str(exc)
    if exc.ambiguous:
        # The provider may have the message, and a look-up did not find it: never re-send blindly
        # (a caregiver texted twice is confused; one never texted is covered by moving on). Asked
        # again a lease later (``recheck_unknown``), when the answer no longer depends on timing.
        _finish(session, row.id, now, status="unknown", attempts=attempts, last_error=detail, error_code=exc.code,
                recheck_at=now + recheck_after if recheck_after is not None else None)
        report.failed += 1
        report.followup_ids += not_reached(session, row.id, "unknown", now)
    elif exc.permanent or attempts >= max_attempts:
        _finish(session, row.id, now, status="failed", attempts=attempts, last_error=detail, error_code=exc.code)
        report.failed += 1
        log.warning("notification %s failed permanently: %s", row.id, detail)
        report.followup_ids += not_reached(session, row.id, "failed", now, exc.code)
    else:
        # The provider answered (429, 5xx) or was never reached: it holds no message, so the next
        # attempt needs no look-up first.
        _finish(session, row.id, now, status="queued", attempts=attempts, last_error=detail,
                error_code=exc.code, next_attempt_at=now + backoff(attempts), attempted_at=None)
        report.retried += 1


def _finish(session: Session, notification_id: int, now: datetime, *, status: str, sent: bool = False,
            **values: Any) -> bool:
    """Move a row out of ``sending`` (only the thread that claimed it does, so only once). False if
    it was no longer ``sending``."""
    values.update(status=status, updated_at=now, lease_until=None)
    if sent:
        values["sent_at"] = now
    result = session.execute(_finish_statement(frozenset(values)),
                             {"notification_id": notification_id, **{f"new_{k}": v for k, v in values.items()}})
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _record_sent(session: Session, row: Notification, now: datetime, *, provider_sid: str | None,
                 status: str = "sent") -> None:
    """The provider has the message: record the send on the row this worker claimed."""
    if not _finish(session, row.id, now, status=status, provider_sid=provider_sid, attempts=row.attempts + 1,
                   sent=True):
        _record_overtaken_send(session, row.id, now, provider_sid=provider_sid, attempts=row.attempts + 1)


def _record_overtaken_send(session: Session, notification_id: int, now: datetime, *, provider_sid: str | None,
                           attempts: int) -> None:
    """A send whose status callback overtook the provider's answer to it: Twilio may post "sent" or
    "delivered" (the callback names the row, ``?n=``) before the API call returns to this worker,
    and ``record_status`` has already moved the row on. Its status stays what the provider said;
    the send itself is recorded (``sent_at``, which the per-recipient limit counts; the attempt; the
    lease let go), once: only while no send is recorded and the row is past ``sending``."""
    session.execute(update(Notification)
                    .where(Notification.id == notification_id, Notification.sent_at.is_(None),
                           Notification.status.not_in(("queued", "sending", "unknown")))
                    .values(sent_at=now, attempts=attempts, lease_until=None, updated_at=now,
                            provider_sid=func.coalesce(Notification.provider_sid, provider_sid))
                    .execution_options(synchronize_session=False))


@lru_cache(maxsize=None)
def _finish_statement(columns: frozenset[str]) -> Any:
    """The UPDATE for one set of columns, built once: a Core statement with bound values, so each
    message sent reuses its compiled form instead of building and caching a new one."""
    table = Notification.__table__
    return (update(table).where(table.c.id == bindparam("notification_id"), table.c.status == "sending")
            .values({name: bindparam(f"new_{name}") for name in sorted(columns)}))

"""Twilio status callbacks: move a notification's status forward, never back; act on failures.

Twilio posts a callback per status change, and they arrive late, twice and out of order
("delivered" before "sent"). ``alerts.models.STATUS_RANK`` orders the statuses; a callback only
applies if it ranks strictly higher than what is stored, so a repeat is a no-op and a final status
(delivered, failed, completed ...) is never overwritten by an earlier one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from alerts.models import STATUS_RANK, Notification
from alerts.services.unreachable import not_reached

# Statuses that mean the message did not reach the person: keep the provider's error with them.
_FAILED = frozenset({"failed", "undelivered", "busy", "no-answer", "canceled"})


def apply_status(session: Session, *, provider_sid: str, status: str, error_code: int | None,
                 now: datetime, notification_id: int | None = None) -> bool:
    """Record ``status`` for the notification Twilio knows as ``provider_sid``. Caller commits.

    Returns True when the row changed; False for an unknown SID, an unknown status, a repeat or a
    status that would move backwards. A single conditional UPDATE (compare-and-set on the current
    status), so two callbacks processed at once cannot both win. ``notification_id``, when the
    callback names its row, narrows the update to that row.
    """
    status = status.strip().lower()
    rank = STATUS_RANK.get(status)
    if rank is None or not provider_sid:
        return False
    lower = [name for name, r in STATUS_RANK.items() if r < rank]
    values: dict[str, object] = {"status": status, "updated_at": now}
    if error_code is not None:
        values["error_code"] = error_code
    if status in _FAILED:
        values["last_error"] = f"twilio reported {status}" + (f" (error {error_code})" if error_code else "")
    which = [Notification.provider_sid == provider_sid]
    if notification_id is not None:
        which.append(Notification.id == notification_id)
    result = session.execute(
        update(Notification)
        .where(*which, Notification.status.in_(lower))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


# What a final status says about reaching the person (for ``alerts.services.unreachable``).
_NOT_REACHED = {"failed": "failed", "undelivered": "failed", "busy": "no_answer", "no-answer": "no_answer"}


def record_status(session: Session, *, provider_sid: str, status: str, error_code: int | None, now: datetime,
                  notification_id: int | None = None) -> list[int]:
    """A status callback: :func:`apply_status`, then, the first time a message or call is known not
    to have reached its person, move the escalation on (``unreachable.not_reached``). Returns outbox
    ids queued. Caller commits.

    ``notification_id`` is the ``n`` query parameter of our StatusCallback URL. It names the row even
    when its send timed out before Twilio's answer (and SID) reached us: the first callback then
    tells us the message did leave, and its SID.
    """
    if notification_id is not None and provider_sid:
        session.execute(update(Notification)
                        .where(Notification.id == notification_id, Notification.provider_sid.is_(None))
                        .values(provider_sid=provider_sid).execution_options(synchronize_session=False))
    if not apply_status(session, provider_sid=provider_sid, status=status, error_code=error_code, now=now,
                        notification_id=notification_id):
        return []  # a repeat, a step backwards or a stranger: already handled, or nothing to do
    reason = _NOT_REACHED.get(status.strip().lower())
    if reason is None:
        return []
    row_id = notification_id or session.scalar(
        select(Notification.id).where(Notification.provider_sid == provider_sid).limit(1))
    if row_id is None:
        return []
    return not_reached(session, row_id, reason, now, error_code)  # type: ignore[arg-type]

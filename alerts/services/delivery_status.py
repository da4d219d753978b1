"""Twilio status callbacks: move a notification's status forward, never back.

Twilio posts a callback per status change, and they arrive late, twice and out of order
("delivered" before "sent"). ``alerts.models.STATUS_RANK`` orders the statuses; a callback only
applies if it ranks strictly higher than what is stored, so a repeat is a no-op and a final status
(delivered, failed, completed ...) is never overwritten by an earlier one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from alerts.models import STATUS_RANK, Notification

# Statuses that mean the message did not reach the person: keep the provider's error with them.
_FAILED = frozenset({"failed", "undelivered", "busy", "no-answer", "canceled"})


def apply_status(session: Session, *, provider_sid: str, status: str, error_code: int | None,
                 now: datetime) -> bool:
    """Record ``status`` for the notification Twilio knows as ``provider_sid``. Caller commits.

    Returns True when the row changed; False for an unknown SID, an unknown status, a repeat or a
    status that would move backwards. A single conditional UPDATE (compare-and-set on the current
    status), so two callbacks processed at once cannot both win.
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
    result = session.execute(
        update(Notification)
        .where(Notification.provider_sid == provider_sid, Notification.status.in_(lower))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)

"""Per-recipient limit on non-urgent messages: no storms of texts to one phone. Pure.

At most ``count`` non-urgent messages to one number in any ``window``; one more waits until the
oldest of those leaves the window. Emergencies and urgent alerts never wait: the caller does not
ask for them (``Notification.urgent``). Reminders are coalesced by the sender before this is
asked: of several reminders queued for one phone, only the newest goes out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RateLimit:
    count: int = 5
    window: timedelta = timedelta(hours=1)


def wait_until(sent_at: Sequence[datetime], now: datetime, limit: RateLimit) -> datetime | None:
    """When one more non-urgent message may go to a number that had non-urgent messages at
    ``sent_at``; None if it may go now."""
    recent = sorted(t for t in sent_at if now - limit.window < t <= now)
    if len(recent) < limit.count:
        return None
    # The message that must leave the window before another fits.
    return recent[len(recent) - limit.count] + limit.window

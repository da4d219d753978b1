"""Delivery policy for outbox messages: how soon each goes, and whether the per-recipient limit applies. Pure.

Priorities are small integers so the sender's claim can order by them on an index (lower first):

* emergency - a red flag (a seizure, slowed breathing): caregivers told to call 911 now;
* urgent - serious signs, and the brief's two risks, withdrawal and toxicity, which ask for a
  call to the prescriber today: they never wait for routine traffic nor for the per-recipient
  limit (issue 10 found risk alerts held back by it for up to an hour);
* routine - dose reminders, missed-dose escalations, refill reminders, prompts and replies.
"""

from __future__ import annotations

from typing import Final

EMERGENCY: Final = 0
URGENT: Final = 1
ROUTINE: Final = 2
PRIORITY_NAMES: Final = {EMERGENCY: "emergency", URGENT: "urgent", ROUTINE: "routine"}

# Alert kinds whose messages are not routine, by priority.
_ALERT_PRIORITY: Final = {
    "emergency": EMERGENCY,
    "urgent": URGENT,
    "withdrawal_risk": URGENT,
    "toxicity_risk": URGENT,
}


def priority_for_alert(alert_kind: str) -> int:
    """The priority of every message an alert of ``alert_kind`` sends (its steps, its calls)."""
    return _ALERT_PRIORITY.get(alert_kind, ROUTINE)


def rate_limited(priority: int) -> bool:
    """Whether the per-recipient limit may hold a message back: routine ones only."""
    return priority >= ROUTINE

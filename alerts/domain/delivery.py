"""Delivery policy for outbox messages: how soon each goes, and whether the per-recipient limit applies. Pure.

Priorities are small integers so the sender's claim can order by them on an index (lower first):

* emergency - a red flag (a seizure, slowed breathing): caregivers told to call 911 now;
* urgent - serious signs, and the brief's two risks, withdrawal and toxicity, which ask for a
  call to the prescriber today: they never wait for routine traffic nor for the per-recipient
  limit (issue 10 found risk alerts held back by it for up to an hour);
* routine - dose reminders, missed-dose escalations, refill reminders, prompts and replies.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
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


# -- how long a message stays worth sending ---------------------------------------------------------

# After an outage (workers down, Twilio refusing for hours) the queue holds messages written for a
# moment that has passed. Sent late they mislead: "your 08:00 dose has not been recorded" two days
# on reads as today's 08:00. Each kind has a maximum age from when it was queued; an older row is
# recorded ``expired`` and not sent. Escalations that are still open carry on with fresh messages
# (their next steps), which say what is true now.
MAX_AGE: Final[dict[str, timedelta]] = {
    # Repeated every few minutes until acknowledged: only the latest repeat is worth a phone call.
    "emergency": timedelta(minutes=30),
    "urgent": timedelta(hours=6),
    # "Call the prescriber today": still true for the rest of the day.
    "withdrawal_risk": timedelta(hours=12),
    "toxicity_risk": timedelta(hours=12),
    "consult_soon": timedelta(hours=12),
    # About one dose: the next dose time comes within hours and has its own reminder.
    "reminder": timedelta(hours=2),
    "escalation": timedelta(hours=2),
    "all_clear": timedelta(hours=6),
    "unreachable": timedelta(hours=6),
    "checkin_prompt": timedelta(hours=6),
    "device_offline": timedelta(hours=6),
    # A test text staff asked for from the console: late, it only confuses.
    "test_message": timedelta(minutes=30),
}
DEFAULT_MAX_AGE: Final = timedelta(hours=24)


def max_age(kind: str) -> timedelta:
    return MAX_AGE.get(kind, DEFAULT_MAX_AGE)


def expired(kind: str, queued_at: datetime, now: datetime) -> bool:
    """Whether a message of ``kind`` queued at ``queued_at`` is too old to send at ``now``."""
    return now - queued_at > max_age(kind)


# -- naming the dose a message is about -------------------------------------------------------------

_WEEKDAYS: Final = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "es": ("lun", "mar", "mie", "jue", "vie", "sab", "dom"),
}
_MONTHS: Final = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
}


def day_name(local_date: date, lang: str | None) -> str:
    """A local day as a message names it: "Fri 4 Dec", "vie 4 dic" (GSM-7, no year)."""
    lang = lang if lang in _WEEKDAYS else "en"
    return f"{_WEEKDAYS[lang][local_date.weekday()]} {local_date.day} {_MONTHS[lang][local_date.month - 1]}"


def dose_moment(local_time: str, local_date: date, today: date, lang: str | None) -> str:
    """A dose's time as a message names it: "08:00" today, with its day otherwise ("08:00
    yesterday", "08:00 on Fri 4 Dec"), so a late message is never read as about today's dose."""
    if local_date == today:
        return local_time
    if local_date == today - timedelta(days=1):
        return f"{local_time} de ayer" if lang == "es" else f"{local_time} yesterday"
    day = day_name(local_date, lang)
    return f"{local_time} del {day}" if lang == "es" else f"{local_time} on {day}"

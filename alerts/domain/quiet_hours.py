"""Quiet hours: a caregiver's night, when routine texts wait until morning. Pure.

A caregiver may set a local window ("22:00" to "07:00", crossing midnight or not), read in their
own zone when they have one, else in the patient's (:func:`quiet_zone`). A routine text to them queued inside it is held until it ends (``quiet_until``); which texts
are routine is :func:`holds`: missed-dose escalations and their all-clears, pump refill
reminders and low-supply reminders (a refill can wait for the morning). Emergencies, the brief's withdrawal and toxicity risks and every other urgent message
never wait, nor do sign-in codes, forwarded texts or "this number cannot be reached" notices.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from alerts.domain.delivery import ROUTINE
from alerts.domain.schedule import local_to_utc, parse_times, zone

# Routine messages a caregiver's quiet hours hold (``Notification.kind``).
HELD_KINDS = frozenset({"escalation", "all_clear", "pump_refill", "supply_low"})


def holds(kind: str, priority: int, urgent: bool) -> bool:
    """Whether quiet hours may hold a message of ``kind`` and ``priority`` to a caregiver."""
    return kind in HELD_KINDS and priority >= ROUTINE and not urgent


def check_quiet_hours(start: str | None, end: str | None) -> tuple[str, str] | None:
    """Validated ("HH:MM", "HH:MM"), or None for no quiet hours. Raises ValueError naming the problem."""
    if not start and not end:
        return None
    if not start or not end:
        raise ValueError("quiet hours need both a start and an end (or neither)")
    begin, finish = (parse_times([t])[0].strftime("%H:%M") for t in (start, end))
    if begin == finish:
        raise ValueError("quiet hours must start and end at different times")
    return begin, finish


def quiet_zone(caregiver_zone: str | None, patient_zone: str) -> str:
    """The zone a caregiver's quiet hours are wall-clock in: their own if set, else the patient's.

    A caregiver's night is where they sleep. Reading it in the patient's zone moved it whenever the
    patient travelled (their zone changes so doses follow them): 22:00-07:00 in Tokyo is 09:00-18:00
    in New York, so routine texts were held through the caregiver's day and sent in their night.
    None keeps the patient's zone: what a caregiver without one always meant."""
    return caregiver_zone or patient_zone


def quiet_until(start: str | None, end: str | None, tz_name: str, now: datetime) -> datetime | None:
    """When the quiet hours that hold ``now`` end (UTC); None if ``now`` is outside them (or there
    are none). Wall-clock in ``tz_name``: an end in a spring-forward gap is the first instant after it."""
    window = check_quiet_hours(start, end)
    if window is None:
        return None
    tz = zone(tz_name)
    begin, finish = parse_times([window[0]])[0], parse_times([window[1]])[0]
    local = now.astimezone(tz)
    today, at = local.date(), local.time().replace(tzinfo=None)
    if begin < finish:  # within one day: 13:00-15:00
        inside, ends_on = begin <= at < finish, today
    elif at >= begin:  # across midnight, evening part: 22:00-07:00 at 23:00
        inside, ends_on = True, today + timedelta(days=1)
    else:  # across midnight, morning part: at 05:00
        inside, ends_on = at < finish, today
    if not inside:
        return None
    until = local_to_utc(ends_on, finish, tz)
    return until if until > now else None

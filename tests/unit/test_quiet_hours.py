"""Quiet hours hold routine texts to a caregiver until they end; urgent ones never wait."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alerts.domain.delivery import EMERGENCY, ROUTINE, URGENT
from alerts.domain.quiet_hours import check_quiet_hours, holds, quiet_until

NY = "America/New_York"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_night_window_holds_the_evening_until_the_next_morning() -> None:
    # 23:00 EDT on the 15th (03:00 UTC on the 16th): quiet until 07:00 EDT on the 16th.
    assert quiet_until("22:00", "07:00", NY, utc(2026, 6, 16, 3)) == utc(2026, 6, 16, 11)


def test_a_night_window_holds_the_small_hours_until_that_morning() -> None:
    assert quiet_until("22:00", "07:00", NY, utc(2026, 6, 16, 9)) == utc(2026, 6, 16, 11)  # 05:00 EDT


def test_outside_the_window_nothing_is_held() -> None:
    assert quiet_until("22:00", "07:00", NY, utc(2026, 6, 16, 11)) is None  # 07:00 EDT: it has ended
    assert quiet_until("22:00", "07:00", NY, utc(2026, 6, 16, 1, 59)) is None  # 21:59 EDT
    assert quiet_until(None, None, NY, utc(2026, 6, 16, 3)) is None


def test_a_daytime_window_holds_only_inside_it() -> None:
    assert quiet_until("13:00", "15:00", NY, utc(2026, 6, 15, 18)) == utc(2026, 6, 15, 19)  # 14:00 EDT
    assert quiet_until("13:00", "15:00", NY, utc(2026, 6, 15, 20)) is None


def test_the_end_is_wall_clock_across_a_dst_change() -> None:
    # Night of 2026-11-01 (fall back): 07:00 EST is 12:00 UTC, not 11:00.
    assert quiet_until("22:00", "07:00", NY, utc(2026, 11, 1, 3)) == utc(2026, 11, 1, 12)
    # Spring forward (2026-03-08): an end at 02:30, which does not exist, is 03:00 EDT.
    assert quiet_until("22:00", "02:30", NY, utc(2026, 3, 8, 5)) == utc(2026, 3, 8, 7)


def test_only_routine_escalations_all_clears_and_refill_reminders_are_held() -> None:
    assert holds("escalation", ROUTINE, urgent=False)
    assert holds("pump_refill", ROUTINE, urgent=False)
    # Emergencies, the withdrawal/toxicity risks (urgent priority) and urgent rows never wait.
    assert not holds("emergency", EMERGENCY, urgent=True)
    assert not holds("withdrawal_risk", URGENT, urgent=True)
    assert not holds("toxicity_risk", URGENT, urgent=False)
    assert not holds("all_clear", URGENT, urgent=False)  # a risk alert's all-clear
    assert not holds("escalation", ROUTINE, urgent=True)
    # A sign-in code the caregiver is waiting for, a text forwarded to them: never held.
    assert not holds("sign_in_code", ROUTINE, urgent=False)
    assert not holds("sms_forward", ROUTINE, urgent=False)


@pytest.mark.parametrize(("start", "end", "message"), [
    ("22:00", None, "both a start and an end"),
    ("22:00", "22:00", "different times"),
    ("25:00", "07:00", "not HH:MM"),
])
def test_bad_quiet_hours_are_refused_with_the_reason(start, end, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        check_quiet_hours(start, end)


def test_quiet_hours_are_normalised() -> None:
    assert check_quiet_hours("22:00", "07:30") == ("22:00", "07:30")
    assert check_quiet_hours("", "") is None

"""Quiet hours hold routine texts to a caregiver until they end; urgent ones never wait."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alerts.domain.delivery import EMERGENCY, ROUTINE, URGENT
from alerts.domain.quiet_hours import check_quiet_hours, holds, quiet_until, quiet_zone

NY = "America/New_York"
TOKYO = "Asia/Tokyo"  # no daylight saving time


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


def test_a_caregivers_own_zone_is_read_and_none_means_the_patients() -> None:
    assert quiet_zone(NY, TOKYO) == NY
    assert quiet_zone(None, TOKYO) == TOKYO


def test_a_caregiver_at_home_keeps_their_night_when_the_patient_travels() -> None:
    # Rosa flew to Tokyo; Ann stayed in New York with quiet hours 22:00-07:00 in her own zone.
    # 14:00 UTC is 10:00 EDT (Ann's morning) and 23:00 JST: nothing is held.
    assert quiet_until("22:00", "07:00", quiet_zone(NY, TOKYO), utc(2026, 6, 15, 14)) is None
    # 03:00 UTC is 23:00 EDT (Ann's night) and 12:00 JST: held until 07:00 EDT.
    assert quiet_until("22:00", "07:00", quiet_zone(NY, TOKYO), utc(2026, 6, 16, 3)) == utc(2026, 6, 16, 11)
    # With no zone of her own, today's reading: Tokyo's night, Ann's day (the audit's defect, kept for NULL).
    assert quiet_until("22:00", "07:00", quiet_zone(None, TOKYO), utc(2026, 6, 15, 14)) == utc(2026, 6, 15, 22)


def test_the_caregivers_dst_change_moves_the_end_though_the_patients_zone_has_none() -> None:
    # Fall back in New York on 2026-11-01, Tokyo unchanged: 23:00 EDT on the 31st ends at 07:00 EST (12:00 UTC).
    assert quiet_until("22:00", "07:00", quiet_zone(NY, TOKYO), utc(2026, 11, 1, 3)) == utc(2026, 11, 1, 12)
    # Spring forward on 2026-03-08: 23:00 EST on the 7th ends at 07:00 EDT (11:00 UTC), one hour sooner.
    assert quiet_until("22:00", "07:00", quiet_zone(NY, TOKYO), utc(2026, 3, 8, 4)) == utc(2026, 3, 8, 11)
    # The window's start moves too: 21:30 UTC on 11-01 is 16:30 EST (not 17:30), still outside.
    assert quiet_until("17:00", "07:00", quiet_zone(NY, TOKYO), utc(2026, 11, 1, 21, 30)) is None
    assert quiet_until("17:00", "07:00", quiet_zone(NY, TOKYO), utc(2026, 11, 1, 22, 30)) == utc(2026, 11, 2, 12)

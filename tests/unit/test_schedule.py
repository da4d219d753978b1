"""Dose times are wall-clock in the patient's zone: each happens once a day, across DST too."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from alerts.domain.schedule import (
    following_occurrence,
    interval_hours,
    next_occurrence,
    occurrences_between,
    parse_times,
    rezoned_occurrence,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_next_dose_is_the_next_wall_clock_time_in_the_patients_zone() -> None:
    occ = next_occurrence(["08:00", "20:00"], "America/New_York", utc(2026, 6, 15, 13, 0))  # 09:00 EDT
    assert occ.due_at == utc(2026, 6, 16, 0, 0)  # 20:00 EDT
    assert (occ.local_date, occ.local_time) == (date(2026, 6, 15), "20:00")


def test_next_dose_is_strictly_after_the_given_instant() -> None:
    at_eight = utc(2026, 6, 15, 12, 0)  # 08:00 EDT exactly
    assert next_occurrence(["08:00", "20:00"], "America/New_York", at_eight).local_time == "20:00"


def test_dose_in_the_spring_forward_gap_happens_once_at_the_first_instant_after_the_gap() -> None:
    # 2026-03-08 02:00 EST jumps to 03:00 EDT in New York: 02:30 does not exist that day.
    occs = occurrences_between(["02:30"], "America/New_York", utc(2026, 3, 7, 12), utc(2026, 3, 9, 12))
    assert [(o.local_date, o.due_at) for o in occs] == [
        (date(2026, 3, 8), utc(2026, 3, 8, 7, 0)),  # 03:00 EDT: once, as soon as the clock jumps
        (date(2026, 3, 9), utc(2026, 3, 9, 6, 30)),  # 02:30 EDT the next day, as usual
    ]


def test_spring_forward_day_has_each_scheduled_dose_exactly_once() -> None:
    times = ["01:30", "02:30", "03:30", "08:00"]
    occs = occurrences_between(times, "America/New_York", utc(2026, 3, 8, 4, 0), utc(2026, 3, 9, 4, 0))
    assert [(o.local_time, o.due_at) for o in occs] == [
        ("01:30", utc(2026, 3, 8, 6, 30)),  # EST
        ("02:30", utc(2026, 3, 8, 7, 0)),  # nonexistent: 03:00 EDT, clear of the 03:30 dose
        ("03:30", utc(2026, 3, 8, 7, 30)),  # EDT
        ("08:00", utc(2026, 3, 8, 12, 0)),
    ]


def test_dose_in_the_repeated_fall_back_hour_happens_once_the_first_time() -> None:
    # 2026-11-01 02:00 EDT falls back to 01:00 EST in New York: 01:30 happens twice.
    occs = occurrences_between(["01:30"], "America/New_York", utc(2026, 11, 1, 0, 0), utc(2026, 11, 2, 0, 0))
    assert [o.due_at for o in occs] == [utc(2026, 11, 1, 5, 30)]  # 01:30 EDT, not 01:30 EST (06:30Z)


def test_fall_back_day_is_25_hours_and_still_has_three_doses() -> None:
    occs = occurrences_between(["08:00", "14:00", "20:00"], "America/New_York",
                               utc(2026, 11, 1, 4, 0), utc(2026, 11, 2, 5, 0))
    assert [(o.local_date.day, o.local_time, o.due_at.hour) for o in occs] == [
        (1, "08:00", 13), (1, "14:00", 19), (1, "20:00", 1),  # 20:00 EST is 01:00Z next day
    ]


def test_schedule_keeps_local_time_across_both_transitions() -> None:
    start, end = utc(2026, 3, 1, 0, 0), utc(2026, 11, 30, 0, 0)
    occs = occurrences_between(["09:00"], "America/Chicago", start, end)
    assert len(occs) == (end - start).days
    assert all(o.due_at.astimezone(__import__("zoneinfo").ZoneInfo("America/Chicago")).hour == 9 for o in occs)
    assert len({o.local_date for o in occs}) == len(occs)


def test_half_hour_offset_zone() -> None:
    # India is UTC+05:30 all year: 08:00 IST is 02:30 UTC.
    occ = next_occurrence(["08:00"], "Asia/Kolkata", utc(2026, 6, 15, 0, 0))
    assert occ.due_at == utc(2026, 6, 15, 2, 30)


def test_half_hour_offset_zone_with_dst() -> None:
    # Adelaide is +09:30 in winter, +10:30 in summer (DST starts 2026-10-04 at 02:00 local).
    before = next_occurrence(["08:00"], "Australia/Adelaide", utc(2026, 10, 2, 12, 0))
    after = next_occurrence(["08:00"], "Australia/Adelaide", utc(2026, 10, 4, 12, 0))
    assert before.due_at == utc(2026, 10, 2, 22, 30)
    assert after.due_at == utc(2026, 10, 4, 21, 30)


def test_patient_zone_not_server_zone_decides(server_timezone) -> None:  # type: ignore[no-untyped-def]
    # The server runs in Tokyo; the patient lives in Los Angeles. Only the patient's zone counts.
    server_timezone("Asia/Tokyo")
    occ = next_occurrence(["08:00"], "America/Los_Angeles", utc(2026, 1, 10, 0, 0))
    assert occ.due_at == utc(2026, 1, 10, 16, 0)  # 08:00 PST


# Both US transitions of 2026, around a New York patient's doses: the gap (02:30 on 8 March) and the
# repeated hour (01:30 on 1 November), plus an ordinary dose.
NEW_YORK_DST_DAYS = [
    (utc(2026, 3, 7, 12), utc(2026, 3, 9, 12)),
    (utc(2026, 10, 31, 12), utc(2026, 11, 2, 12)),
]


def _new_york_doses_around_dst() -> list[tuple[date, str, datetime]]:
    return [(o.local_date, o.local_time, o.due_at)
            for start, end in NEW_YORK_DST_DAYS
            for o in occurrences_between(["01:30", "02:30", "08:00"], "America/New_York", start, end)]


@pytest.mark.parametrize("server_zone", ["Asia/Tokyo", "Pacific/Chatham", "America/St_Johns",
                                         "Australia/Lord_Howe", "Europe/London"])
def test_dst_days_give_the_same_instants_whatever_zone_the_server_runs_in(
        server_timezone, server_zone: str) -> None:  # type: ignore[no-untyped-def]
    server_timezone("UTC")
    on_a_utc_server = _new_york_doses_around_dst()
    assert (date(2026, 3, 8), "02:30", utc(2026, 3, 8, 7, 0)) in on_a_utc_server  # the gap: 03:00 EDT
    assert (date(2026, 11, 1), "01:30", utc(2026, 11, 1, 5, 30)) in on_a_utc_server  # the first 01:30

    server_timezone(server_zone)

    assert _new_york_doses_around_dst() == on_a_utc_server


def test_half_hour_zone_with_dst_dose_in_the_spring_forward_gap_happens_once() -> None:
    # St. John's is UTC-03:30 (NST) / UTC-02:30 (NDT); on 2026-03-08 02:00 NST jumps to 03:00 NDT.
    occs = occurrences_between(["02:30"], "America/St_Johns", utc(2026, 3, 7, 12), utc(2026, 3, 9, 12))
    assert [(o.local_date, o.due_at) for o in occs] == [
        (date(2026, 3, 8), utc(2026, 3, 8, 5, 30)),  # 03:00 NDT: once, the first instant after the gap
        (date(2026, 3, 9), utc(2026, 3, 9, 5, 0)),  # 02:30 NDT
    ]


def test_half_hour_zone_with_dst_dose_in_the_repeated_fall_back_hour_happens_once_the_first_time() -> None:
    # On 2026-11-01 02:00 NDT falls back to 01:00 NST in St. John's: 01:30 happens twice.
    occs = occurrences_between(["01:30"], "America/St_Johns", utc(2026, 10, 31, 12), utc(2026, 11, 2, 12))
    assert [(o.local_date, o.due_at) for o in occs] == [
        (date(2026, 11, 1), utc(2026, 11, 1, 4, 0)),  # 01:30 NDT, not 01:30 NST (05:00Z)
        (date(2026, 11, 2), utc(2026, 11, 2, 5, 0)),  # 01:30 NST
    ]


def test_schedule_does_not_start_before_its_start_date() -> None:
    occ = next_occurrence(["08:00"], "UTC", utc(2026, 6, 1, 0, 0), starts_on=date(2026, 6, 10))
    assert occ.due_at == utc(2026, 6, 10, 8, 0)


@pytest.mark.parametrize("bad", [[], ["8:00"], ["24:00"], ["12:60"], ["noon"], [800]])
def test_invalid_times_are_rejected(bad: list) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValueError):
        parse_times(bad)


def test_unknown_zone_is_rejected() -> None:
    with pytest.raises(ValueError, match="time zone"):
        next_occurrence(["08:00"], "Mars/Olympus_Mons", utc(2026, 1, 1))


def test_interval_is_the_shortest_gap_including_overnight() -> None:
    assert interval_hours(["08:00", "14:00", "20:00"]) == 6
    assert interval_hours(["22:00", "06:00"]) == 8
    assert interval_hours(["09:00"]) == 24


def test_a_year_of_daily_doses_has_one_per_local_day() -> None:
    for zone in ("America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kathmandu"):
        occs = occurrences_between(["02:30"], zone, utc(2026, 1, 1), utc(2027, 1, 1))
        days = [o.local_date for o in occs]
        assert len(days) == len(set(days)), zone
        assert all(b - a == timedelta(days=1) for a, b in zip(days, days[1:], strict=False)), zone


# The first dose on a day the zone's clocks change, where the transition is not the US's "02:00, one
# hour": 30-minute DST (Lord Howe), odd offsets (Chatham +12:45/+13:45), transitions at midnight so
# 00:00 does not exist or a late-evening hour happens twice (Santiago, Asuncion, Havana, Beirut),
# negative DST in tzdata (Dublin), DST suspended for Ramadan (Casablanca), the southern hemisphere
# (Sydney, April and October), and fixed zones. Each: (local time, UTC instant) of that local day.
TRANSITION_DAYS = [
    # id, zone, times, local day, expected [(local time, due at)]
    ("lord_howe_two_times_in_a_30_minute_gap", "Australia/Lord_Howe", ["02:15", "02:30"], date(2026, 10, 4),
     [("02:15", utc(2026, 10, 3, 15, 30)), ("02:30", utc(2026, 10, 3, 15, 30))]),  # both at 02:30 +11
    ("lord_howe_repeated_half_hour", "Australia/Lord_Howe", ["01:45"], date(2026, 4, 5),
     [("01:45", utc(2026, 4, 4, 14, 45))]),  # the first 01:45 (+11), not the second (+10:30)
    ("chatham_gap_at_02_45", "Pacific/Chatham", ["03:00", "08:00"], date(2026, 9, 27),
     [("03:00", utc(2026, 9, 26, 14, 0)), ("08:00", utc(2026, 9, 26, 18, 15))]),  # 03:45 +13:45, then +13:45
    ("chatham_repeated_hour", "Pacific/Chatham", ["03:00"], date(2026, 4, 5),
     [("03:00", utc(2026, 4, 4, 13, 15))]),  # the first 03:00 (+13:45)
    ("kathmandu_plus_05_45", "Asia/Kathmandu", ["08:00", "23:59"], date(2026, 6, 15),
     [("08:00", utc(2026, 6, 15, 2, 15)), ("23:59", utc(2026, 6, 15, 18, 14))]),
    ("santiago_midnight_gap_two_times", "America/Santiago", ["00:00", "00:30", "08:00"], date(2026, 9, 6),
     [("00:00", utc(2026, 9, 6, 4, 0)), ("00:30", utc(2026, 9, 6, 4, 0)),  # both at 01:00 -03
      ("08:00", utc(2026, 9, 6, 11, 0))]),
    ("santiago_repeated_hour_before_midnight", "America/Santiago", ["23:30"], date(2026, 4, 4),
     [("23:30", utc(2026, 4, 5, 2, 30))]),  # the first 23:30 (-03)
    ("asuncion_midnight_gap", "America/Asuncion", ["00:30"], date(2023, 10, 1),
     [("00:30", utc(2023, 10, 1, 4, 0))]),  # 01:00 -03
    ("havana_midnight_gap", "America/Havana", ["00:30"], date(2026, 3, 8),
     [("00:30", utc(2026, 3, 8, 5, 0))]),  # 01:00 CDT
    ("havana_repeated_first_hour", "America/Havana", ["00:30"], date(2026, 11, 1),
     [("00:30", utc(2026, 11, 1, 4, 30))]),  # the first 00:30 (CDT)
    ("beirut_midnight_gap", "Asia/Beirut", ["00:00"], date(2026, 3, 29),
     [("00:00", utc(2026, 3, 28, 22, 0))]),  # 01:00 +03
    ("beirut_repeated_hour_before_midnight", "Asia/Beirut", ["23:30"], date(2026, 10, 24),
     [("23:30", utc(2026, 10, 24, 20, 30))]),  # the first 23:30 (+03)
    ("dublin_negative_dst_gap", "Europe/Dublin", ["01:30"], date(2026, 3, 29),
     [("01:30", utc(2026, 3, 29, 1, 0))]),  # 02:00 IST
    ("dublin_negative_dst_repeat", "Europe/Dublin", ["01:30"], date(2026, 10, 25),
     [("01:30", utc(2026, 10, 25, 0, 30))]),  # the first 01:30 (IST)
    ("casablanca_ramadan_starts", "Africa/Casablanca", ["02:30"], date(2026, 2, 15),
     [("02:30", utc(2026, 2, 15, 1, 30))]),  # the first 02:30 (+01)
    ("casablanca_ramadan_ends", "Africa/Casablanca", ["02:30"], date(2026, 3, 22),
     [("02:30", utc(2026, 3, 22, 2, 0))]),  # 03:00 +01
    ("sydney_april_repeat", "Australia/Sydney", ["02:30"], date(2026, 4, 5),
     [("02:30", utc(2026, 4, 4, 15, 30))]),  # the first 02:30 (AEDT)
    ("sydney_october_gap", "Australia/Sydney", ["02:30"], date(2026, 10, 4),
     [("02:30", utc(2026, 10, 3, 16, 0))]),  # 03:00 AEDT
    ("gmt_minus_12", "Etc/GMT+12", ["08:00"], date(2026, 6, 15), [("08:00", utc(2026, 6, 15, 20, 0))]),
    ("utc_one_minute_to_midnight", "UTC", ["23:59"], date(2026, 6, 15), [("23:59", utc(2026, 6, 15, 23, 59))]),
]


@pytest.mark.parametrize(("zone", "times", "day", "expected"), [c[1:] for c in TRANSITION_DAYS],
                         ids=[c[0] for c in TRANSITION_DAYS])
def test_each_dose_time_is_due_once_on_a_transition_day_gap_times_when_the_gap_ends(
        zone: str, times: list[str], day: date, expected: list[tuple[str, datetime]]) -> None:
    occs = occurrences_between(times, zone, utc(day.year, day.month, day.day) - timedelta(days=2),
                               utc(day.year, day.month, day.day) + timedelta(days=3))
    assert [(o.local_time, o.due_at) for o in occs if o.local_date == day] == expected
    # Around it, every local time once a local day, in order, never earlier than the one before.
    assert [(o.local_date, o.local_time) for o in occs] == sorted({(o.local_date, o.local_time) for o in occs})
    assert all(a.due_at <= b.due_at for a, b in zip(occs, occs[1:], strict=False))


def test_two_times_in_one_gap_are_two_doses_and_the_next_follows_them_by_local_time() -> None:
    first = next_occurrence(["00:00", "00:30", "08:00"], "America/Santiago", utc(2026, 9, 6, 3, 0))
    second = following_occurrence(["00:00", "00:30", "08:00"], "America/Santiago", first.local_date, first.local_time)
    third = following_occurrence(["00:00", "00:30", "08:00"], "America/Santiago", second.local_date, second.local_time)
    assert [(o.local_time, o.due_at) for o in (first, second, third)] == [
        ("00:00", utc(2026, 9, 6, 4, 0)), ("00:30", utc(2026, 9, 6, 4, 0)), ("08:00", utc(2026, 9, 6, 11, 0))]


def test_a_day_the_zone_skipped_entirely_still_has_its_dose_when_the_day_would_have_ended() -> None:
    # Samoa skipped 2011-12-30 (moving across the date line): that day's 08:00 is due at its end.
    occs = occurrences_between(["08:00"], "Pacific/Apia", utc(2011, 12, 29), utc(2011, 12, 31))
    assert [(o.local_date, o.due_at) for o in occs] == [
        (date(2011, 12, 29), utc(2011, 12, 29, 18, 0)),
        (date(2011, 12, 30), utc(2011, 12, 30, 10, 0)),  # 00:00 on the 31st, +14
        (date(2011, 12, 31), utc(2011, 12, 30, 18, 0)),
    ]


ZONE_MOVES = [
    # id, from zone's owed dose (local day, time), to zone, now, expected (local day, time, due at)
    ("west_a_dose_taken_is_not_due_again", date(2026, 6, 16), "08:00", "America/New_York",
     utc(2026, 6, 15, 20, 0), (date(2026, 6, 16), "08:00", utc(2026, 6, 16, 12, 0))),
    ("east_the_dose_owed_is_not_skipped", date(2026, 6, 15), "08:00", "Europe/London",
     utc(2026, 6, 15, 12, 0), (date(2026, 6, 15), "08:00", utc(2026, 6, 15, 7, 0))),
    ("across_the_date_line_one_overdue_dose_not_a_burst", date(2026, 6, 15), "08:00", "Pacific/Kiritimati",
     utc(2026, 6, 15, 19, 0), (date(2026, 6, 16), "08:00", utc(2026, 6, 15, 18, 0))),
]


@pytest.mark.parametrize(("owed_day", "owed_time", "new_zone", "now", "expected"), [m[1:] for m in ZONE_MOVES],
                         ids=[m[0] for m in ZONE_MOVES])
def test_a_zone_change_keeps_the_dose_owed_at_its_local_time_in_the_new_zone(
        owed_day: date, owed_time: str, new_zone: str, now: datetime, expected: tuple[date, str, datetime]) -> None:
    occ = rezoned_occurrence(["08:00", "20:00"], new_zone, owed_day, owed_time, now)
    assert (occ.local_date, occ.local_time, occ.due_at) == expected

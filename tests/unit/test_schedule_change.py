"""A schedule edit takes effect from the next dose: none doubled, none dropped, none written down
as missed before anyone asked for it (``alerts.domain.schedule.change_over``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from alerts.domain.schedule import change_over, occurrence, parse_times, previous_occurrence, zone

NY = "America/New_York"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def slots(change) -> tuple[list[tuple[date, str]], tuple[date, str]]:  # type: ignore[no-untyped-def]
    return ([(o.local_date, o.local_time) for o in change.old_still_due],
            (change.first.local_date, change.first.local_time))


def test_once_a_day_moved_later_after_todays_dose_was_due_starts_tomorrow_not_again_today() -> None:
    # 08:30 EDT: today's 08:00 is due (taken or not); 09:00 today would be a second dose today.
    change = change_over(["08:00"], ["09:00"], NY, utc(2026, 6, 15, 12, 30))
    assert slots(change) == ([], (date(2026, 6, 16), "09:00"))


def test_once_a_day_moved_earlier_to_a_time_already_past_keeps_todays_dose() -> None:
    # 07:30 EDT, 08:00 not yet due: 07:00 today is past, so today's dose stays at 08:00 and 07:00
    # starts tomorrow; no 07:00 dose is created (it would be missed at once).
    change = change_over(["08:00"], ["07:00"], NY, utc(2026, 6, 15, 11, 30))
    assert slots(change) == ([(date(2026, 6, 15), "08:00")], (date(2026, 6, 16), "07:00"))


def test_a_change_before_todays_first_dose_takes_effect_today() -> None:
    change = change_over(["08:00"], ["09:00"], NY, utc(2026, 6, 15, 10, 0))  # 06:00 EDT
    assert slots(change) == ([], (date(2026, 6, 15), "09:00"))
    assert change.first.due_at == utc(2026, 6, 15, 13, 0)


def test_three_a_day_shifted_switches_for_the_doses_still_to_come_today() -> None:
    # 08:30: one dose (08:00) due today; the new schedule's second and third (15:00, 21:00) follow.
    change = change_over(["08:00", "14:00", "20:00"], ["09:00", "15:00", "21:00"], NY, utc(2026, 6, 15, 12, 30))
    assert slots(change) == ([], (date(2026, 6, 15), "15:00"))


def test_a_next_new_time_crowding_the_last_dose_keeps_today_on_the_old_times() -> None:
    # 08:01: 08:00 is due; the new second time 08:05 is 5 minutes after it (less than half the new
    # schedule's own 65-minute interval): today stays 08:00 + 20:00, the new times start tomorrow.
    change = change_over(["08:00", "20:00"], ["07:00", "08:05"], NY, utc(2026, 6, 15, 12, 1))
    assert slots(change) == ([(date(2026, 6, 15), "20:00")], (date(2026, 6, 16), "07:00"))


def test_fewer_doses_a_day_after_todays_are_due_finishes_today_as_it_was() -> None:
    # Two of three due at 15:00; the new schedule has one a day: today's 20:00 is still given.
    change = change_over(["08:00", "14:00", "20:00"], ["09:00"], NY, utc(2026, 6, 15, 19, 0))
    assert slots(change) == ([(date(2026, 6, 15), "20:00")], (date(2026, 6, 16), "09:00"))


def test_same_times_hand_over_at_the_next_dose_not_yet_due() -> None:
    change = change_over(["08:00", "20:00"], ["08:00", "20:00"], NY, utc(2026, 6, 15, 12, 10))
    assert slots(change) == ([], (date(2026, 6, 15), "20:00"))
    late = change_over(["08:00", "20:00"], ["08:00", "20:00"], NY, utc(2026, 6, 16, 1, 0))  # 21:00 EDT
    assert slots(late) == ([], (date(2026, 6, 16), "08:00"))


def test_a_schedule_not_started_yet_starts_on_its_first_day_with_the_new_times() -> None:
    change = change_over(["08:00"], ["09:00"], NY, utc(2026, 6, 15, 12, 30), starts_on=date(2026, 6, 20))
    assert slots(change) == ([], (date(2026, 6, 20), "09:00"))


def test_fall_back_edit_in_the_repeated_hour_keeps_the_days_count() -> None:
    # 2026-11-01 01:00-02:00 happens twice in New York. At the second 01:40 (EST, 06:40 UTC) the
    # 01:30 dose (first 01:30, 05:30 UTC) is due: 01:45 today would be a second dose today.
    change = change_over(["01:30"], ["01:45"], NY, utc(2026, 11, 1, 6, 40))
    assert slots(change) == ([], (date(2026, 11, 2), "01:45"))


def test_spring_forward_edit_to_a_time_in_the_gap_is_due_when_the_clock_jumps() -> None:
    # 2026-03-08 02:30 does not exist in New York; at 01:00 EST the new 02:30 is due at 03:00 EDT.
    change = change_over(["08:00"], ["02:30"], NY, utc(2026, 3, 8, 6, 0))
    assert slots(change) == ([], (date(2026, 3, 8), "02:30"))
    assert change.first.due_at == utc(2026, 3, 8, 7, 0)


def test_previous_dose_is_the_last_due_at_or_before_the_instant() -> None:
    assert previous_occurrence(["08:00", "20:00"], NY, utc(2026, 6, 15, 12, 0)).local_time == "08:00"
    prev = previous_occurrence(["08:00", "20:00"], NY, utc(2026, 6, 15, 11, 59))
    assert (prev.local_date, prev.local_time) == (date(2026, 6, 14), "20:00")


def test_no_day_ever_gets_more_or_fewer_doses_than_one_of_its_two_schedules() -> None:
    """Every edit instant of a day, every pair of small schedules: the transition day has the old
    or the new count, and the doses it gets are in order, all after the ones already due."""
    tz = zone(NY)
    schedules = [["08:00"], ["07:00"], ["09:00"], ["08:00", "20:00"], ["07:00", "19:00"], ["06:00", "12:00", "18:00"],
                 ["23:30"], ["00:15", "12:15"]]
    day = date(2026, 6, 15)
    for old in schedules:
        for new in schedules:
            for minute in range(0, 24 * 60, 20):
                now = occurrence(day, parse_times([f"{minute // 60:02d}:{minute % 60:02d}"])[0], tz).due_at
                change = change_over(old, new, NY, now)
                due_today = [occurrence(day, t, tz) for t in parse_times(old)]
                given = [o for o in due_today if o.due_at <= now] + list(change.old_still_due)
                if change.first.local_date == day:  # the new version's doses from its first on
                    new_times = [t.strftime("%H:%M") for t in parse_times(new)]
                    given += [occurrence(day, t, tz) for t in parse_times(new_times[new_times.index(change.first.local_time):])]
                assert len(given) in (len(old), len(new)), (old, new, minute)
                instants = [o.due_at for o in given]
                assert instants == sorted(instants)
                assert change.first.due_at > now
                assert all(o.due_at > now for o in change.old_still_due)


def test_a_day_still_on_the_times_before_an_earlier_change_is_finished_before_the_new_times_start() -> None:
    # 20:00 -> 07:00 at 06:00 kept today's 20:00 (07:00 today would be 11 h after yesterday's 20:00);
    # then 07:00 -> 21:00 at 06:30: 21:00 today would come an hour after that 20:00.
    first = change_over(["20:00"], ["07:00"], NY, utc(2026, 6, 15, 10, 0))
    assert slots(first) == ([(date(2026, 6, 15), "20:00")], (date(2026, 6, 16), "07:00"))
    second = change_over(["07:00"], ["21:00"], NY, utc(2026, 6, 15, 10, 30), earlier_still_due=first.old_still_due)
    assert slots(second) == ([], (date(2026, 6, 16), "21:00"))

"""Which scheduled dose a dose-taken report satisfies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.domain.doses import DoseSlot, match_dose

EARLY, LATE = timedelta(hours=2), timedelta(hours=12)


def at(h: int, m: int = 0) -> datetime:
    return datetime(2026, 6, 15, h, m, tzinfo=UTC)


def match(slots: list[DoseSlot], taken: datetime) -> int | None:
    chosen = match_dose(slots, taken, early_window=EARLY, late_window=LATE)
    return chosen.id if chosen else None


def test_dose_taken_on_time_matches_its_scheduled_dose() -> None:
    assert match([DoseSlot(1, at(8), "pending")], at(8, 5)) == 1


def test_dose_taken_a_little_early_still_counts() -> None:
    assert match([DoseSlot(1, at(8), "pending")], at(6, 0)) == 1
    assert match([DoseSlot(1, at(8), "pending")], at(5, 59)) is None


def test_late_dose_matches_the_missed_dose() -> None:
    assert match([DoseSlot(1, at(8), "missed")], at(9, 20)) == 1


def test_between_a_missed_dose_and_the_next_one_the_nearest_wins() -> None:
    slots = [DoseSlot(1, at(8), "missed"), DoseSlot(2, at(14), "pending")]
    assert match(slots, at(9, 0)) == 1
    assert match(slots, at(13, 50)) == 2


def test_taken_doses_are_never_matched_twice() -> None:
    assert match([DoseSlot(1, at(8), "taken")], at(8)) is None


def test_dose_long_after_the_late_window_is_unscheduled() -> None:
    assert match([DoseSlot(1, at(8), "missed")], at(8) + LATE + timedelta(minutes=1)) is None

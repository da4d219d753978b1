"""How long a count lasts, and when it is low (``alerts.domain.supply``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from alerts.domain.supply import amount_left, outlook, taken_down, units_per_day

DAY = date(2026, 6, 15)


def test_daily_use_is_every_active_schedules_dose_times_its_units_a_dose() -> None:
    # Two tablets at 08:00 and 20:00 (the schedule's), the medication's 1.5 at 14:00.
    assert units_per_day([(["08:00", "20:00"], Decimal(2)), (["14:00"], None)], Decimal("1.5")) == Decimal("5.5")


def test_a_count_is_low_below_the_threshold_in_whole_days_and_never_counts_below_zero() -> None:
    assert (outlook(Decimal(21), Decimal(3), 7, DAY).low, outlook(Decimal(20), Decimal(3), 7, DAY).low) == (False, True)
    assert outlook(Decimal(20), Decimal(3), 7, DAY).runs_out_on == date(2026, 6, 21)
    assert taken_down(Decimal(1), Decimal(2)) == 0


def test_a_medicine_no_schedule_uses_is_low_only_once_it_is_gone() -> None:
    assert (outlook(Decimal(1), Decimal(0), 7, DAY).low, outlook(Decimal(0), Decimal(0), 7, DAY).low) == (False, True)


@pytest.mark.parametrize(("on_hand", "per_day", "english", "spanish"), [
    ("27", "4", "27 left, enough for about 6 days", "27, para unos 6 dias"),
    ("3", "2", "3 left, enough for about 1 day", "3, para un dia"),
    ("1", "2", "1 left, less than a day's doses", "1, para menos de un dia"),
    ("0", "2", "none left", "ya no queda nada"),
    ("12", "0", "12 left", "12"),  # no schedule uses it: nothing says how fast it goes
])
def test_the_reminder_says_how_much_is_left_in_words_never_about_0_days(
        on_hand: str, per_day: str, english: str, spanish: str) -> None:
    view = outlook(Decimal(on_hand), Decimal(per_day), 7, date(2026, 6, 15))
    assert amount_left(view, "en") == english
    assert amount_left(view, "es") == spanish

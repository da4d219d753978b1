"""How long a count lasts, and when it is low (``alerts.domain.supply``), the next refill day
included. The clock is injected: ``today`` is the patient's local day."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo
from decimal import Decimal

import pytest

from alerts.domain.supply import amount_left, outlook, overdue_check_at, reminder, taken_down, units_per_day

DAY = date(2026, 6, 15)  # a Monday


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


# -- the next refill day ------------------------------------------------------------------------------
# Metformin at 4 tablets a day (or baclofen), threshold 7 days, today Mon 15 Jun.


def _reason(on_hand: int, refill: date | None, counted_on: date | None = DAY, per_day: int = 4) -> str | None:
    view = outlook(Decimal(on_hand), Decimal(per_day), 7, DAY, refill_date=refill, counted_on=counted_on)
    assert view.low is (view.reason is not None)
    return view.reason


def test_a_count_that_runs_out_before_the_refill_day_is_low_from_the_threshold_before_it_runs_out() -> None:
    refill = date(2026, 6, 30)
    # 28 tablets: 7 days, to Mon 22 Jun, 8 days short of the refill, and still a week to act: not yet.
    assert _reason(28, refill) is None
    # 24: 6 days, runs out Sun 21 Jun. Low now, a week before the refill day would have said so.
    assert _reason(24, refill) == "before_refill"
    assert outlook(Decimal(24), Decimal(4), 7, DAY, refill_date=refill).runs_out_on == date(2026, 6, 21)


def test_a_count_that_lasts_to_the_refill_day_is_not_nagged_about() -> None:
    # 20 tablets: 5 days (low without a refill day), running out Sat 20 Jun.
    assert _reason(20, None) == "low"
    assert (_reason(20, date(2026, 6, 20)), _reason(20, date(2026, 6, 19))) == (None, None)
    assert _reason(20, date(2026, 6, 21)) == "before_refill"  # one day short
    assert _reason(1, DAY) is None  # the refill is today: less than a day's doses is enough until then
    assert _reason(0, date(2026, 6, 16)) == "out"  # nothing left is never "enough until the refill"


def test_a_refill_day_gone_by_with_no_count_since_asks_whatever_the_old_count_says() -> None:
    yesterday = date(2026, 6, 14)
    assert _reason(100, yesterday, counted_on=date(2026, 6, 1)) == "refill_overdue"  # 25 days by the old count
    assert _reason(100, yesterday, counted_on=None) == "refill_overdue"
    assert _reason(12, yesterday, counted_on=date(2026, 6, 1), per_day=0) == "refill_overdue"  # unscheduled too
    # A count recorded on the refill day or after it is the new count: the old day no longer matters.
    assert _reason(100, yesterday, counted_on=yesterday) is None
    assert _reason(20, yesterday, counted_on=yesterday) == "low"
    assert _reason(100, DAY, counted_on=date(2026, 6, 1)) is None  # due today: not overdue until it has passed


BEFORE_REFILL = outlook(Decimal(24), Decimal(4), 7, DAY, refill_date=date(2026, 6, 30))
OVERDUE = outlook(Decimal(12), Decimal(4), 7, date(2026, 6, 16), refill_date=DAY, counted_on=date(2026, 6, 1))
NEARLY_OUT_BEFORE_REFILL = outlook(Decimal(2), Decimal(4), 7, DAY, refill_date=date(2026, 6, 17))


@pytest.mark.parametrize(("view", "kind", "language", "baclofen", "text"), [
    (BEFORE_REFILL, "patient", "en", False,
     ("dosewatch: Rosa, your metformin supply is low: 24 left, enough for about 6 days: it runs out about Sun 21 Jun, "
     "before the refill due Tue 30 Jun. Please arrange a refill with your pharmacy or prescriber.")),
    (BEFORE_REFILL, "caregiver", "en", True,
     ("dosewatch: Rosa's baclofen supply is low: 24 left, enough for about 6 days: it runs out about Sun 21 Jun, "
     "before the refill due Tue 30 Jun. Please help arrange a refill with the pharmacy or prescriber: baclofen "
     "should never be stopped suddenly.")),
    (BEFORE_REFILL, "patient", "es", True,
     ("dosewatch: Rosa, le queda poco baclofeno: 24, para unos 6 dias: se acaba hacia el dom 21 jun, antes de la "
     "reposicion del mar 30 jun. Pida ya la reposicion a su farmacia o medico: el baclofeno nunca debe dejarse "
     "de golpe.")),
    (NEARLY_OUT_BEFORE_REFILL, "patient", "en", False,
     ("dosewatch: Rosa, your metformin supply is low: 2 left, less than a day's doses: it runs out today, before the "
     "refill due Wed 17 Jun. Please arrange a refill with your pharmacy or prescriber.")),
    (OVERDUE, "patient", "en", True,
     ("dosewatch: Rosa, your baclofen refill was due Mon 15 Jun and no new count was recorded (last count: 12 left, "
     "enough for about 3 days). If you have it, please tell your care team the new count; if not, please contact "
     "your pharmacy or prescriber today: baclofen should never be stopped suddenly.")),
    (OVERDUE, "caregiver", "en", False,
     ("dosewatch: Rosa's metformin refill was due Mon 15 Jun and no new count was recorded (last count: 12 left, "
     "enough for about 3 days). If it came, please tell the care team the new count; if not, please help arrange "
     "it with the pharmacy or prescriber.")),
    (OVERDUE, "caregiver", "es", False,
     ("dosewatch: la reposicion de metformin de Rosa era el lun 15 jun y no se ha anotado un nuevo conteo (ultimo "
     "conteo: 12, para unos 3 dias). Si ya la recogieron, diga al equipo de salud cuantas quedan; si no, ayude a "
     "pedirla a la farmacia o al medico.")),
], ids=["before_refill_patient", "before_refill_caregiver_baclofen", "before_refill_es_baclofen",
        "runs_out_today_before_refill", "overdue_patient_baclofen", "overdue_caregiver", "overdue_caregiver_es"])
def test_the_reminder_names_the_run_out_day_and_the_refill_day_in_the_patients_days(
        view, kind: str, language: str, baclofen: bool, text: str) -> None:  # type: ignore[no-untyped-def]
    assert reminder(view, kind, language, patient_name="Rosa", medication="metformin", baclofen=baclofen) == text


# Advice about the dose itself, in either language. "never be stopped suddenly" is baclofen's
# warning, not advice to stop: it is taken out before looking.
DOSE_ADVICE = re.compile(
    r"\b(skip|miss|ration|stretch|half|halve|double|extra|fewer|less often|take less|cut|save|spread|space|"
    r"make (it|them) last|stop|reduce|lower|wait|salte|omita|racion|mitad|doble|tome menos|menos dosis|deje|reduzca|ahorre|"
    r"espere)\w*", re.IGNORECASE)
BACLOFEN_WARNING = {"en": "baclofen should never be stopped suddenly", "es": "el baclofeno nunca debe dejarse de golpe"}


@pytest.mark.parametrize("view", [
    outlook(Decimal(0), Decimal(4), 7, DAY), outlook(Decimal(20), Decimal(4), 7, DAY), BEFORE_REFILL,
    NEARLY_OUT_BEFORE_REFILL, OVERDUE, outlook(Decimal(0), Decimal(4), 7, DAY, refill_date=date(2026, 6, 1)),
], ids=["out", "low", "before_refill", "runs_out_today", "overdue", "out_and_overdue"])
def test_no_supply_reminder_advises_changing_skipping_rationing_or_stopping_a_dose(view) -> None:  # type: ignore[no-untyped-def]
    for language in ("en", "es"):
        for kind in ("patient", "caregiver"):
            for baclofen in (True, False):
                text = reminder(view, kind, language, patient_name="Rosa", medication="metformin", baclofen=baclofen)
                assert (BACLOFEN_WARNING[language] in text) is baclofen
                rest = text.replace(BACLOFEN_WARNING[language], "").replace("less than a day's doses", "")
                assert not DOSE_ADVICE.search(rest), (language, kind, text)


# -- when a refill day gone by is checked, with nothing recorded ------------------------------------


NEW_YORK = ZoneInfo("America/New_York")  # clocks go forward at 02:00 on Sun 8 Mar 2026


def test_an_overdue_refill_is_checked_at_09_00_local_the_morning_after_either_side_of_a_dst_change() -> None:
    # Fri 6 Mar: checked Sat 7 Mar 09:00 EST (14:00 UTC). Sat 7 Mar: Sun 8 Mar 09:00 EDT (13:00 UTC).
    assert overdue_check_at(date(2026, 3, 6), date(2026, 3, 1), NEW_YORK) == datetime(2026, 3, 7, 14, tzinfo=UTC)
    assert overdue_check_at(date(2026, 3, 7), None, NEW_YORK) == datetime(2026, 3, 8, 13, tzinfo=UTC)
    # On that local day the outlook calls it overdue; on the refill day itself, not yet.
    views = [outlook(Decimal(100), Decimal(4), 7, today, refill_date=date(2026, 3, 7), counted_on=date(2026, 3, 1))
             for today in (date(2026, 3, 7), date(2026, 3, 8))]
    assert [v.reason for v in views] == [None, "refill_overdue"]


def test_no_check_is_planned_without_a_refill_day_or_once_a_count_on_or_after_it_replaced_it() -> None:
    assert overdue_check_at(None, date(2026, 6, 1), NEW_YORK) is None
    assert overdue_check_at(DAY, DAY, NEW_YORK) is None  # counted on the refill day: the refill's count
    assert overdue_check_at(DAY, date(2026, 6, 20), NEW_YORK) is None

"""Vital-sign rules: canonical units, impossible values, and conditions sustained over a window."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from alerts.domain.clinical.assessment import assess
from alerts.domain.clinical.history import DEFAULT_SETTINGS, ClinicalProfile, Finding
from alerts.domain.vitals import (
    CONDITIONS,
    ImplausibleReading,
    VitalReading,
    due_refill_reminder,
    evaluate_vitals,
    next_refill_reminder,
    normalise,
    refill_reminders,
    sustained_episodes,
)

T0 = datetime(2026, 6, 15, 7, 0, tzinfo=UTC)  # 03:00 in New York: the night a wearable is for
SLOW_BREATHING = next(c for c in CONDITIONS if c.key == "slow_breathing")


def rr(*minutes_and_values: tuple[float, float]) -> list[VitalReading]:
    return [VitalReading("respiratory_rate", v, T0 + timedelta(minutes=m)) for m, v in minutes_and_values]


# -- units and plausibility ------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "value", "unit", "canonical"), [
    ("body_temperature", 98.6, "[degF]", 37.0),
    ("body_temperature", 102.2, "F", 39.0),
    ("body_temperature", 310.15, "K", 37.0),
    ("body_temperature", 36.6, "Cel", 36.6),
    ("bp_systolic", 16.0, "kPa", 120.01),
    ("bp_systolic", 120, "mmHg", 120.0),
    ("heart_rate", 72, "bpm", 72.0),
    ("respiratory_rate", 7, "breaths/min", 7.0),
    ("spo2", 95, None, 95.0),
    # UCUM annotations (in braces) carry no meaning: every device's label for "per minute" is /min.
    ("heart_rate", 72, "{beat}/min", 72.0),
    ("heart_rate", 72, "{Beats}/min", 72.0),
    ("respiratory_rate", 7, "{Breaths}/min", 7.0),
    ("motion_index", 12, "{score}", 12.0),
])
def test_readings_are_stored_in_the_canonical_unit(kind: str, value: float, unit: str | None, canonical: float) -> None:
    assert normalise(kind, value, unit) == canonical


@pytest.mark.parametrize(("kind", "value", "unit", "words"), [
    ("heart_rate", 900, "/min", "physiologically impossible"),
    ("spo2", 140, "%", "physiologically impossible"),
    ("body_temperature", 98.6, "Cel", "physiologically impossible"),  # Fahrenheit sent as Celsius
    ("respiratory_rate", -1, "/min", "physiologically impossible"),
    ("heart_rate", 60, "beat/min", "not a unit of heart_rate"),
    ("spo2", 0.97, "{fraction}", "not a unit of spo2"),  # an annotation alone is 1, not %
    ("pulse_pressure", 40, "mm[Hg]", "unknown measure"),
])
def test_impossible_values_and_unknown_units_are_refused(kind: str, value: float, unit: str, words: str) -> None:
    with pytest.raises(ImplausibleReading, match=words):
        normalise(kind, value, unit)


# -- sustained windows (default: 3 readings within 5 minutes) ---------------------------------------


def test_three_slow_readings_exactly_five_minutes_apart_are_sustained() -> None:
    episodes = sustained_episodes(rr((0, 7), (2.5, 6), (5, 8)), SLOW_BREATHING, DEFAULT_SETTINGS)

    assert [(e.at, e.value, e.emergency) for e in episodes] == [(T0 + timedelta(minutes=5), 6, True)]


def test_two_slow_readings_are_one_short_of_sustained() -> None:
    assert sustained_episodes(rr((0, 7), (1, 6)), SLOW_BREATHING, DEFAULT_SETTINGS) == []


def test_three_slow_readings_spread_over_six_minutes_are_one_minute_outside_the_window() -> None:
    assert sustained_episodes(rr((0, 7), (3, 6), (6, 8)), SLOW_BREATHING, DEFAULT_SETTINGS) == []


def test_a_fourth_slow_reading_completes_a_later_window() -> None:
    episodes = sustained_episodes(rr((0, 7), (3, 6), (6, 8), (7, 7)), SLOW_BREATHING, DEFAULT_SETTINGS)

    assert [e.at for e in episodes] == [T0 + timedelta(minutes=7)]


def test_one_normal_reading_breaks_the_run() -> None:
    assert sustained_episodes(rr((0, 7), (1, 14), (2, 6), (3, 7)), SLOW_BREATHING, DEFAULT_SETTINGS) == []


def test_a_noisy_single_reading_never_counts() -> None:
    assert sustained_episodes(rr((0, 3)), SLOW_BREATHING, DEFAULT_SETTINGS) == []


def test_readings_out_of_order_are_read_in_time_order() -> None:
    episodes = sustained_episodes(rr((4, 6), (0, 7), (2, 8)), SLOW_BREATHING, DEFAULT_SETTINGS)

    assert [e.at for e in episodes] == [T0 + timedelta(minutes=4)]


def test_a_run_that_stays_abnormal_is_one_episode() -> None:
    series = rr(*[(m, 7) for m in range(30)])

    assert len(sustained_episodes(series, SLOW_BREATHING, DEFAULT_SETTINGS)) == 1


def test_the_window_and_count_are_a_clinicians_settings() -> None:
    settings = dataclasses.replace(DEFAULT_SETTINGS, sustained_readings=2, sustained_window_minutes=10)

    assert sustained_episodes(rr((0, 7), (9, 6)), SLOW_BREATHING, settings) != []
    assert sustained_episodes(rr((0, 7), (11, 6)), SLOW_BREATHING, settings) == []


def test_nine_breaths_a_minute_is_above_the_news2_band() -> None:
    assert sustained_episodes(rr((0, 9), (1, 9), (2, 9)), SLOW_BREATHING, DEFAULT_SETTINGS) == []


def test_a_clinician_can_raise_the_slow_breathing_threshold() -> None:
    settings = dataclasses.replace(DEFAULT_SETTINGS, resp_rate_emergency_max=10)

    assert sustained_episodes(rr((0, 9), (1, 9), (2, 9)), SLOW_BREATHING, settings) != []


# -- what a batch calls for ------------------------------------------------------------------------


def test_sustained_slow_breathing_now_is_an_emergency() -> None:
    now = T0 + timedelta(minutes=6)
    decision = evaluate_vitals(rr((0, 7), (2, 6), (4, 7)), T0, now, DEFAULT_SETTINGS)

    assert [e.key for e in decision.emergency] == ["slow_breathing"]


def test_sustained_low_spo2_is_an_emergency() -> None:
    series = [VitalReading("spo2", v, T0 + timedelta(minutes=m)) for m, v in ((0, 91), (1, 89), (2, 90))]
    decision = evaluate_vitals(series, T0, T0 + timedelta(minutes=3), DEFAULT_SETTINGS)

    assert [(e.key, e.value) for e in decision.emergency] == [("low_oxygen", 89)]


def test_last_nights_slow_breathing_synced_this_morning_is_history_not_a_911_call() -> None:
    decision = evaluate_vitals(rr((0, 7), (2, 6), (4, 7)), T0, T0 + timedelta(hours=5), DEFAULT_SETTINGS)

    assert decision.emergency == ()
    assert [f.key for f in decision.findings] == ["slow_breathing"]


def test_an_episode_completed_before_the_new_batch_is_not_decided_again() -> None:
    decision = evaluate_vitals(rr((0, 7), (2, 6), (4, 7), (6, 7)), T0 + timedelta(minutes=5),
                               T0 + timedelta(minutes=7), DEFAULT_SETTINGS)

    assert decision.findings == ()


@pytest.mark.parametrize(("kind", "values", "key"), [
    ("body_temperature", (39.2, 39.4, 39.1), "fever"),
    ("heart_rate", (135, 140, 131), "fast_heart_rate"),
    ("body_temperature", (34.9, 35.0, 34.5), "low_temperature"),
    ("bp_systolic", (88, 90, 85), "low_blood_pressure"),
    ("heart_rate", (38, 40, 39), "slow_heart_rate"),
])
def test_withdrawal_and_toxicity_signs_are_findings_not_emergencies(kind: str, values: tuple[float, ...],
                                                                    key: str) -> None:
    series = [VitalReading(kind, v, T0 + timedelta(minutes=i)) for i, v in enumerate(values)]
    decision = evaluate_vitals(series, T0, T0 + timedelta(minutes=3), DEFAULT_SETTINGS)

    assert [f.key for f in decision.findings] == [key]
    assert decision.emergency == ()


def test_wrist_skin_temperature_is_never_read_as_fever() -> None:
    series = [VitalReading("skin_temperature", 40, T0 + timedelta(minutes=i)) for i in range(5)]

    assert evaluate_vitals(series, T0, T0 + timedelta(minutes=5), DEFAULT_SETTINGS).findings == ()


# -- pump refill reminders on the patient's local days ---------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")
NINE = time(9, 0)


def test_refill_reminders_are_at_nine_local_seven_days_two_days_and_on_the_day_across_dst() -> None:
    # US clocks go back on 1 November 2026: the 7-day reminder is in EDT, the other two in EST.
    reminders = refill_reminders(date(2026, 11, 3), NEW_YORK, NINE)

    assert reminders == [
        (datetime(2026, 10, 27, 13, 0, tzinfo=UTC), 7),
        (datetime(2026, 11, 1, 14, 0, tzinfo=UTC), 2),
        (datetime(2026, 11, 3, 14, 0, tzinfo=UTC), 0),
    ]
    assert all(at.astimezone(NEW_YORK).time() == NINE for at, _ in reminders)


def test_the_next_reminder_skips_those_already_past() -> None:
    after = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)

    assert next_refill_reminder(date(2026, 11, 3), NEW_YORK, NINE, after) == (
        datetime(2026, 11, 1, 14, 0, tzinfo=UTC), 2)
    assert next_refill_reminder(date(2026, 11, 3), NEW_YORK, NINE, datetime(2026, 11, 3, 14, 0, tzinfo=UTC)) is None


def test_after_a_pause_only_the_latest_due_reminder_is_sent() -> None:
    late = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # both the 7- and the 2-day reminders have passed

    assert due_refill_reminder(date(2026, 11, 3), NEW_YORK, NINE, late) == 2


def test_no_reminder_once_the_refill_day_is_over_locally() -> None:
    # 04:30 UTC on the 4th is still the 3rd in New York; 05:30 UTC is the 4th there.
    assert due_refill_reminder(date(2026, 11, 3), NEW_YORK, NINE, datetime(2026, 11, 4, 4, 30, tzinfo=UTC)) == 0
    assert due_refill_reminder(date(2026, 11, 3), NEW_YORK, NINE, datetime(2026, 11, 4, 5, 30, tzinfo=UTC)) is None


# -- the assessment reads what devices saw ---------------------------------------------------------


@pytest.mark.parametrize(("keys", "verdict"), [
    (("fever", "fast_heart_rate"), "possible_withdrawal"),
    (("low_temperature", "low_blood_pressure", "slow_heart_rate"), "possible_toxicity"),
    (("slow_breathing", "low_oxygen"), "possible_toxicity"),
    (("pump_failure",), "possible_withdrawal"),
])
def test_sustained_vital_findings_feed_the_withdrawal_vs_toxicity_assessment(keys: tuple[str, ...],
                                                                              verdict: str) -> None:
    profile = ClinicalProfile(renal_impairment=False, intrathecal_pump=False, daily_total_mg=0,
                              dose_interval_hours=None, timezone="America/New_York")
    findings = [Finding(k, "wearable", T0) for k in keys]

    assert assess(profile, [], [], findings, T0 + timedelta(minutes=1)).verdict == verdict

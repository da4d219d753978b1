"""The patient page's charts as plain values: bands from the rules, buckets folded into local days,
gaps kept as gaps, symptoms per day, and each alert's assessment in words."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from alerts.domain.clinical.history import DEFAULT_SETTINGS
from alerts.domain.vitals import CONDITIONS, alert_bands
from alerts.web.assessment import assessment_view
from alerts.web.charts import (
    DEFAULT_PERIOD,
    Bucket,
    band_words,
    period_of,
    period_start,
    symptom_chart,
    vital_chart,
    y_domain,
)

NY = "America/New_York"
NOW = datetime(2026, 6, 15, 16, 0, tzinfo=UTC)  # Monday 15 June, 12:00 in New York
START = period_start(NY, NOW, 7)


def test_the_period_starts_at_local_midnight_and_an_unknown_period_is_the_default() -> None:
    assert START == datetime(2026, 6, 9, 4, 0, tzinfo=UTC)  # Tuesday 9 June, 00:00 EDT
    assert period_of("90") == 90 and period_of("30") == 30
    assert period_of("5") == period_of("abc") == period_of(None) == DEFAULT_PERIOD


def test_the_bands_are_the_rules_own_limits_and_follow_a_clinicians_override() -> None:
    bands = alert_bands(DEFAULT_SETTINGS)
    assert [(b.key, b.limit, b.below, b.emergency) for b in bands["respiratory_rate"]] == [
        ("slow_breathing", DEFAULT_SETTINGS.resp_rate_emergency_max, True, True)]
    assert {b.key for b in bands["heart_rate"]} == {"fast_heart_rate", "slow_heart_rate"}
    assert set(bands) == {c.kind for c in CONDITIONS}
    mine = alert_bands(dataclasses.replace(DEFAULT_SETTINGS, fever_min_c=38.5))
    assert next(b for b in mine["body_temperature"] if b.key == "fever").limit == 38.5
    # The band is what the rule tests: at the limit counts, on both sides.
    fever = next(c for c in CONDITIONS if c.key == "fever")
    assert fever.test(DEFAULT_SETTINGS.fever_min_c, DEFAULT_SETTINGS)
    assert not fever.test(DEFAULT_SETTINGS.fever_min_c - 0.1, DEFAULT_SETTINGS)


def test_a_band_is_said_in_words_with_its_limit_and_unit() -> None:
    rr, = alert_bands(DEFAULT_SETTINGS)["respiratory_rate"]
    assert band_words(rr, "/min").words == "slow breathing: emergency at 8 /min or less"
    fever = next(b for b in alert_bands(DEFAULT_SETTINGS)["body_temperature"] if b.key == "fever")
    assert band_words(fever, "°C").words == "fever: alert at 39.1 °C or more"


def rr_chart(buckets: list[Bucket], hours: int = 1) -> object:
    return vital_chart("respiratory_rate", "Respiratory rate", alert_bands(DEFAULT_SETTINGS)["respiratory_rate"],
                       buckets, start=START, days=7, bucket_hours=hours, tz=NY)


def test_buckets_fold_into_local_days_with_a_weighted_average() -> None:
    # Hour 0 and hour 23 of Tuesday 9 June (local) and hour 24 = Wednesday's first.
    chart = rr_chart([Bucket(0, 12, 16, 14 * 60, 60), Bucket(23, 7, 9, 8 * 30, 30), Bucket(24, 15, 15, 15, 1)])
    tue, wed, thu = chart.rows[0], chart.rows[1], chart.rows[2]  # type: ignore[attr-defined]
    assert (tue.day, tue.low, tue.high, tue.count) == (date(2026, 6, 9), 7, 16, 90)
    assert tue.mean == pytest.approx((14 * 60 + 8 * 30) / 90)
    assert tue.bands == ("slow breathing: emergency at 8 /min or less",)
    assert (wed.low, wed.high, wed.count, wed.bands) == (15, 15, 1, ())
    assert (thu.count, thu.low, thu.mean) == (0, None, None)  # no reading: no value, not a zero
    assert chart.days_in_band == 1  # type: ignore[attr-defined]
    assert chart.summary == ("91 readings over 7 days: lowest 7 /min, average 12 /min, highest 16 /min. "  # type: ignore[attr-defined]
                             "Reached an alert band on 1 day.")


def test_a_missing_bucket_breaks_the_line_instead_of_joining_across_it() -> None:
    chart = rr_chart([Bucket(0, 14, 14, 14, 1), Bucket(1, 15, 15, 15, 1), Bucket(5, 16, 16, 16, 1)])
    assert chart.mean_path.count("M") == 2  # type: ignore[attr-defined]
    assert chart.range_path.count("Z") == 2  # type: ignore[attr-defined]


def test_the_band_is_always_on_the_chart_so_far_from_it_reads_as_far() -> None:
    chart = rr_chart([Bucket(0, 14, 18, 16, 1)])
    band, = chart.bands  # type: ignore[attr-defined]
    assert band.height > 0 and band.y + band.height <= 190
    bottom, top, _step = y_domain([14, 18], [8], "respiratory_rate")
    assert bottom < 8 < 14 <= 18 < top
    # Never outside what a body can show (SpO2 stops at 100).
    assert y_domain([97, 100], [91], "spo2")[1] == 100


def test_no_readings_draw_nothing_and_say_so() -> None:
    chart = rr_chart([])
    assert chart.count == 0 and chart.mean_path == ""  # type: ignore[attr-defined]
    assert chart.summary == "No respiratory rate readings in the last 7 days."  # type: ignore[attr-defined]


def test_a_day_bucket_moved_by_a_dst_change_stays_on_its_own_day() -> None:
    # 1 November 2026: New York falls back. Day buckets are 24 h from 25 October's midnight, so
    # after the change each starts at 23:00 the evening before; its middle is still its own day.
    start = datetime(2026, 10, 25, 4, 0, tzinfo=UTC)
    chart = vital_chart("heart_rate", "Heart rate", alert_bands(DEFAULT_SETTINGS)["heart_rate"],
                        [Bucket(i, 70, 80, 75, 1) for i in range(30)], start=start, days=30, bucket_hours=24, tz=NY)
    assert [r.count for r in chart.rows] == [1] * 30
    assert chart.rows[7].day == date(2026, 11, 1)


def test_the_symptom_trend_keeps_each_days_highest_and_leaves_unreported_days_empty() -> None:
    day = timedelta(days=1)
    checkins = [
        (START + timedelta(hours=10), {"twitching": 2, "drowsiness": 0}),
        (START + day + timedelta(hours=9), {"twitching": 3}),
        (START + day + timedelta(hours=20), {"twitching": 6}),
        (START - day, {"twitching": 9}),  # before the period: not shown
    ]
    chart = symptom_chart(checkins, start=START, days=7, tz=NY)
    assert [r.key for r in chart.rows] == ["twitching", "drowsiness"]  # the catalogue's order
    twitching, drowsiness = chart.rows
    assert twitching.values == [2, 6, None, None, None, None, None]
    assert drowsiness.values == [0, None, None, None, None, None, None]
    assert drowsiness.bars[0].height > 0  # reported as none: a sliver, not nothing
    assert [d for d, _ in chart.reported_days] == [date(2026, 6, 9), date(2026, 6, 10)]
    assert chart.summary == ("Over 7 days, Muscle twitches: highest 6 of 10; "
                             "Drowsiness, sleepiness or sedation: highest 0 of 10.")


@pytest.mark.parametrize(("kind", "details", "headline"), [
    ("urgent", {"verdict": "possible_toxicity", "assessment": {"toxicity": ["mental status: drowsiness"]}},
     "Assessment: possible toxicity"),
    ("emergency", {"verdict": "unclear"}, "Assessment: unclear - needs a clinician"),
    ("withdrawal_risk", {"reasons": ["3 doses missed in a row"]}, "Assessment: possible withdrawal, from the dose pattern"),
    ("toxicity_risk", {"reasons": ["a dose 2 h after the last one"]}, "Assessment: possible toxicity, from the dose pattern"),
    ("missed_dose", {"dose_time": "08:00"}, "Assessment: none for a single missed dose. Doses missed in a row, or none "
                                            "for a day, are read as a withdrawal risk and raise their own alert."),
    ("device_offline", None, "Assessment: none recorded for this alert."),
])
def test_every_alert_kind_states_its_assessment_in_words(kind: str, details: dict | None, headline: str) -> None:  # type: ignore[type-arg]
    assert assessment_view(kind, details).headline == headline


def test_the_assessment_gives_its_reasons_by_column_of_the_comparison_table() -> None:
    view = assessment_view("urgent", {"verdict": "possible_withdrawal", "reasons": ["fever, severity 6"],
                                      "assessment": {"withdrawal": ["accompanying symptoms: fever"], "toxicity": [],
                                                     "shared": ["muscle signs: twitching"]}})
    assert view.why == [("Why this alert", ["fever, severity 6"]),
                        ("Points to withdrawal", ["accompanying symptoms: fever"]),
                        ("In both columns (these never decide)", ["muscle signs: twitching"])]

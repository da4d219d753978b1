"""What the clinical rules refuse, and in which words: every value record and every setting a
clinician can change says exactly what is wrong with it, at exactly the boundary."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from alerts.domain.clinical.history import (
    DEFAULT_SETTINGS,
    CheckInRecord,
    ClinicalProfile,
    ClinicalSettings,
    DoseRecord,
    DoseTaken,
    Finding,
    SupplyReport,
    findings_from_checkins,
    validate_overrides,
)
from alerts.domain.clinical.patterns import checkin_risks

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
NAIVE = datetime(2026, 6, 15, 12, 0)


def refused(message: str) -> pytest.RaisesExc:  # type: ignore[name-defined]
    return pytest.raises(ValueError, match=f"^{re.escape(message)}$")


# -- settings: each bound, and the words -----------------------------------------------------------------

POSITIVE = ("sustained_window_minutes", "vital_alert_max_age_minutes", "no_dose_window_hours",
            "symptom_lookback_hours", "history_lookback_hours", "event_lookback_hours", "supply_lookback_hours")


def _longest(name: str) -> int:
    return 24 * 90 * (60 if name.endswith("_minutes") else 1)


@pytest.mark.parametrize(("field", "ok", "bad", "message"), [
    ("consecutive_missed_threshold", 1, 0, "consecutive_missed_threshold must be at least 1"),
    ("too_soon_fraction", 1.0, 0.0, "too_soon_fraction must be in (0, 1]"),
    ("too_soon_fraction", 0.01, 1.01, "too_soon_fraction must be in (0, 1]"),
    ("reduction_fraction", 1.0, 0.0, "reduction_fraction must be in (0, 1]"),
    ("reduction_fraction", 0.01, 1.01, "reduction_fraction must be in (0, 1]"),
    ("sustained_readings", 1, 0, "sustained_readings must be at least 1"),
    ("seizure_cancel_seconds", 0, -1, "seizure_cancel_seconds must be 0-300"),
    ("seizure_cancel_seconds", 300, 301, "seizure_cancel_seconds must be 0-300"),
    *[(name, 0.01, 0.0, f"{name} must be positive and at most {_longest(name)} (90 days)") for name in POSITIVE],
    # Bounded above: 90 days (a window of 1e308 hours would overflow every rule's date arithmetic).
    *[(name, _longest(name), _longest(name) + 1, f"{name} must be positive and at most {_longest(name)} (90 days)")
      for name in POSITIVE],
], ids=lambda v: str(v))
def test_each_setting_is_refused_past_its_bound_in_words_that_name_it(field: str, ok: float, bad: float,
                                                                      message: str) -> None:
    assert getattr(ClinicalSettings(**{field: ok}), field) == ok
    with refused(message):
        ClinicalSettings(**{field: bad})


def test_overrides_are_checked_converted_and_returned() -> None:
    assert validate_overrides({"no_dose_window_hours": 12, "consecutive_missed_threshold": 3.0}) == {
        "no_dose_window_hours": 12.0, "consecutive_missed_threshold": 3}
    assert isinstance(validate_overrides({"consecutive_missed_threshold": 3.0})["consecutive_missed_threshold"], int)
    assert isinstance(validate_overrides({"no_dose_window_hours": 12})["no_dose_window_hours"], float)
    assert validate_overrides({}) == {}


@pytest.mark.parametrize(("raw", "message"), [
    ({"no_such": 1}, "unknown clinical setting 'no_such'; known: "
                     + ", ".join(sorted(f for f in DEFAULT_SETTINGS.__dataclass_fields__))),
    ({"no_dose_window_hours": True}, "no_dose_window_hours must be a number"),
    ({"no_dose_window_hours": "12"}, "no_dose_window_hours must be a number"),
    ({"consecutive_missed_threshold": 2.5}, "consecutive_missed_threshold must be a whole number"),
    ({"consecutive_missed_threshold": 0}, "consecutive_missed_threshold must be at least 1"),
], ids=lambda v: str(v))
def test_bad_overrides_are_refused_naming_the_field(raw: dict[str, object], message: str) -> None:
    with refused(message):
        validate_overrides(raw)


# -- value records ---------------------------------------------------------------------------------------


def test_records_refuse_naive_datetimes_naming_the_field() -> None:
    with refused(f"due_at must be timezone-aware (UTC), got {NAIVE!r}"):
        DoseRecord(NAIVE, "pending", None, 20.0)
    with refused(f"taken_at must be timezone-aware (UTC), got {NAIVE!r}"):
        DoseRecord(NOW, "taken", NAIVE, 20.0)
    with refused(f"taken_at must be timezone-aware (UTC), got {NAIVE!r}"):
        DoseTaken(NAIVE, None, True)
    with refused(f"recorded_at must be timezone-aware (UTC), got {NAIVE!r}"):
        CheckInRecord(NAIVE, {})
    with refused(f"reported_at must be timezone-aware (UTC), got {NAIVE!r}"):
        SupplyReport(NAIVE, "ran_out")
    with refused(f"at must be timezone-aware (UTC), got {NAIVE!r}"):
        Finding("fever", "checkin", NAIVE)


def test_an_instant_with_a_zone_but_no_offset_is_refused() -> None:
    from datetime import tzinfo

    class Broken(tzinfo):
        def utcoffset(self, dt: datetime | None) -> None:
            return None

    with pytest.raises(ValueError, match="must be timezone-aware"):
        DoseTaken(NAIVE.replace(tzinfo=Broken()), None, True)


def test_records_refuse_unknown_values_in_words() -> None:
    with refused("unknown dose status 'skipped'"):
        DoseRecord(NOW, "skipped", None, 20.0)  # type: ignore[arg-type]
    with refused("unknown symptom 'sneezing'"):
        CheckInRecord(NOW, {"sneezing": 3})
    with refused("severity of 'fever' must be 0-10, got 11"):
        CheckInRecord(NOW, {"fever": 11})
    with refused("severity of 'fever' must be 0-10, got -1"):
        CheckInRecord(NOW, {"fever": -1})
    assert CheckInRecord(NOW, {"fever": 10, "tremor": 0}).symptoms == {"fever": 10, "tremor": 0}
    with refused("unknown supply report 'lost'"):
        SupplyReport(NOW, "lost")  # type: ignore[arg-type]


def test_a_profile_refuses_impossible_values_in_words() -> None:
    def profile(**kw: object) -> ClinicalProfile:
        values: dict[str, object] = {"renal_impairment": False, "intrathecal_pump": False, "daily_total_mg": 0.0,
                                     "dose_interval_hours": None, "timezone": "UTC", **kw}
        return ClinicalProfile(**values)  # type: ignore[arg-type]

    assert profile(daily_total_mg=0.0).daily_total_mg == 0.0
    assert profile(dose_interval_hours=0.5).dose_interval_hours == 0.5
    with refused("daily_total_mg cannot be negative"):
        profile(daily_total_mg=-1.0)
    with refused("dose_interval_hours must be positive"):
        profile(dose_interval_hours=0.0)
    with refused("unknown time zone 'Mars/Olympus'"):
        profile(timezone="Mars/Olympus")


def test_findings_keep_the_reported_severity() -> None:
    found = findings_from_checkins([CheckInRecord(NOW, {"fever": 3, "tremor": 0, "drowsiness": 5})])
    assert [(f.key, f.source, f.at, f.severity) for f in found] == [("fever", "checkin", NOW, 3),
                                                                    ("drowsiness", "checkin", NOW, 5)]


# -- what a check-in alone is evidence for ---------------------------------------------------------------


def test_a_check_in_is_evidence_of_a_supply_problem_and_of_worsening_twitches() -> None:
    earlier = CheckInRecord(NOW - timedelta(hours=4), {"tremor": 2})
    latest = CheckInRecord(NOW, {"tremor": 6})
    risks = checkin_risks([SupplyReport(NOW, "ran_out")], [earlier, latest], NOW)

    assert [(r.kind, r.condition_key, r.codes) for r in risks] == [
        ("withdrawal_risk", "withdrawal_risk:supply", ("ran_out",)),
        ("consult_soon", "consult_soon:worsening_twitches", ("worse_tremor",)),
    ]
    assert risks[1].reasons == ("tremor worse: severity 2 -> 6 (brief: 'especially if they are new or "
                                "worsening ... seek medical advice promptly')",)


def test_a_supply_report_counts_from_the_instant_it_is_made_until_the_look_back_ends() -> None:
    window = timedelta(hours=DEFAULT_SETTINGS.supply_lookback_hours)
    assert checkin_risks([SupplyReport(NOW - window, "no_refill")], [], NOW)[0].codes == ("no_refill",)
    assert checkin_risks([SupplyReport(NOW - window - timedelta(seconds=1), "no_refill")], [], NOW) == []
    assert checkin_risks([SupplyReport(NOW + timedelta(seconds=1), "no_refill")], [], NOW) == []
    assert checkin_risks([SupplyReport(NOW, "no_refill")], [], NOW)[0].reasons == (
        "reported: no refill; without baclofen the dose stops suddenly (brief: 'it should never be stopped "
        "suddenly')",)

"""Each dose-pattern risk, whole: its key, the words it records, its template and the facts its
message is filled with. And the dose arithmetic at its exact bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.domain.clinical import dosing
from alerts.domain.clinical.history import ClinicalProfile, DoseRecord, DoseTaken
from alerts.domain.clinical.patterns import RiskDecision, dose_pattern_risks

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
MIN = timedelta(minutes=1)
PROFILE = ClinicalProfile(False, False, 60.0, 8.0, "America/New_York")


def test_two_missed_doses_in_a_row_is_the_withdrawal_risk_in_these_words() -> None:
    doses = [DoseRecord(NOW - 16 * H, "taken", NOW - 16 * H, 20.0), DoseRecord(NOW - 8 * H, "missed", None, 20.0),
             DoseRecord(NOW, "missed", None, 20.0)]
    assert dose_pattern_risks(PROFILE, doses, [DoseTaken(NOW - 16 * H, 20.0, True)], [], [], NOW) == [RiskDecision(
        "withdrawal_risk", "withdrawal_risk:missed_doses",
        ("2 scheduled doses missed in a row: stopping suddenly risks withdrawal (brief: 'it should never be "
         "stopped suddenly')",),
        "withdrawal_risk_caregiver", None, ("missed_doses",), {"count": "2"})]


def test_no_dose_for_a_day_is_the_withdrawal_risk_in_these_words() -> None:
    doses = [DoseRecord(NOW - 24 * H, "taken", NOW - 24 * H, 20.0)]
    assert dose_pattern_risks(PROFILE, doses, [DoseTaken(NOW - 24 * H, 20.0, True)], [], [], NOW) == [RiskDecision(
        "withdrawal_risk", "withdrawal_risk:no_dose", ("no dose taken for 24 h (table, Onset: 'abrupt cessation')",),
        "withdrawal_risk_caregiver", None, ("no_dose",), {"gap": "24 h"})]


def test_doses_too_soon_and_over_the_daily_total_are_toxicity_risks_in_these_words() -> None:
    taken = [DoseTaken(NOW - 2 * H, 20.0, True), DoseTaken(NOW - H, 20.0, False), DoseTaken(NOW - 30 * MIN, 40.0, False)]
    doses = [DoseRecord(NOW - 2 * H, "taken", NOW - 2 * H, 20.0)]
    within = "within 0.5 of the 8 h interval (table, Onset: 'a single high dose or accumulation')"
    assert dose_pattern_risks(PROFILE, doses, taken, [], [], NOW) == [
        RiskDecision("toxicity_risk", "toxicity_risk:too_soon",
                     (f"dose taken 1 h after the previous one, {within}",
                      f"dose taken 30 min after the previous one, {within}"),
                     "toxicity_risk_caregiver", None, ("too_soon",), {"gap": "30 min"}),
        RiskDecision("toxicity_risk", "toxicity_risk:over_daily_total",
                     ("80 mg taken today (2026-06-15, America/New_York), above the prescribed 60 mg (table, Onset: "
                      "'accumulation over time')",),
                     "toxicity_risk_caregiver", None, ("over_daily_total",), {"taken_mg": "80", "daily_mg": "60"}),
    ]


def test_a_dose_taken_after_now_counts_toward_nothing_yet() -> None:
    taken = [DoseTaken(NOW - H, 20.0, False), DoseTaken(NOW + MIN, 60.0, False)]
    assert dose_pattern_risks(PROFILE, [], taken, [], [], NOW) == []


def test_a_dose_taken_exactly_now_counts() -> None:
    taken = [DoseTaken(NOW - H, 20.0, False), DoseTaken(NOW, 60.0, False)]
    assert [r.condition_key for r in dose_pattern_risks(PROFILE, [], taken, [], [], NOW)] == [
        "toxicity_risk:too_soon", "toxicity_risk:over_daily_total"]


def test_exactly_the_daily_total_is_not_over_it() -> None:
    taken = [DoseTaken(NOW - 9 * H, 30.0, False), DoseTaken(NOW - H, 30.0, False)]
    assert dose_pattern_risks(PROFILE, [], taken, [], [], NOW) == []


def test_a_profile_with_no_known_daily_total_is_never_over_it() -> None:
    profile = ClinicalProfile(False, False, 0.0, None, "UTC")
    assert dose_pattern_risks(profile, [], [DoseTaken(NOW - H, 500.0, False)], [], [], NOW) == []
    one_mg_a_day = ClinicalProfile(False, False, 1.0, None, "UTC")
    assert [r.codes for r in dose_pattern_risks(one_mg_a_day, [], [DoseTaken(NOW - H, 1.5, False)], [], [], NOW)] == [
        ("over_daily_total",)]


# -- the arithmetic, at its bounds -------------------------------------------------------------------------


def test_a_missed_dose_due_exactly_now_is_missed_and_one_due_later_is_not() -> None:
    doses = [DoseRecord(NOW - 8 * H, "missed", None, 20.0), DoseRecord(NOW, "missed", None, 20.0),
             DoseRecord(NOW + H, "missed", None, 20.0), DoseRecord(NOW - 4 * H, "pending", None, 20.0)]
    assert [len(r) for r in dosing.missed_runs(doses, [], NOW)] == [2]
    assert dosing.current_missed_streak(doses, [], NOW) == 2


def test_a_dose_taken_exactly_at_a_missed_doses_time_ends_the_run_before_it() -> None:
    doses = [DoseRecord(NOW - 8 * H, "missed", None, 20.0), DoseRecord(NOW - 4 * H, "missed", None, 20.0),
             DoseRecord(NOW, "missed", None, 20.0)]
    taken = [DoseTaken(NOW - 4 * H, 20.0, False)]
    assert [[d.due_at for d in r] for r in dosing.missed_runs(doses, taken, NOW)] == [
        [NOW - 8 * H, NOW - 4 * H], [NOW]]
    assert dosing.current_missed_streak(doses, taken, NOW) == 1
    assert dosing.current_missed_streak(doses, [DoseTaken(NOW, 20.0, False)], NOW) == 0


def test_a_scheduled_dose_marked_taken_without_an_instant_counts_at_its_due_time() -> None:
    doses = [DoseRecord(NOW - 8 * H, "taken", None, 20.0), DoseRecord(NOW, "missed", None, 20.0)]
    assert dosing.time_without_dose(doses, [], NOW) == 8 * H
    assert dosing.current_missed_streak(doses, [], NOW) == 1


def test_time_without_a_dose_counts_from_the_last_one_taken_at_or_before_now() -> None:
    assert dosing.time_without_dose([], [DoseTaken(NOW, 20.0, False)], NOW) == timedelta(0)
    assert dosing.time_without_dose([DoseRecord(NOW, "pending", None, 20.0)], [], NOW) == timedelta(0)
    assert dosing.time_without_dose([DoseRecord(NOW + H, "pending", None, 20.0)], [], NOW) is None


def test_too_soon_is_judged_from_the_look_back_start_inclusive() -> None:
    taken = [DoseTaken(NOW - 2 * H, 20.0, False), DoseTaken(NOW - H, 20.0, False)]
    assert len(dosing.too_soon_doses(taken, 8.0, 0.5, NOW - H)) == 1
    assert dosing.too_soon_doses(taken, 8.0, 0.5, NOW - H + MIN) == []
    assert dosing.too_soon_doses(taken, None, 0.5, NOW - 24 * H) == []


def test_milligrams_between_two_instants_leave_out_the_start_and_keep_the_end() -> None:
    taken = [DoseTaken(NOW - 24 * H, 20.0, False), DoseTaken(NOW, None, False)]
    assert dosing.taken_mg_between(taken, NOW - 24 * H, NOW, 15.0) == 15.0


def test_amounts_and_gaps_are_written_short() -> None:
    assert [dosing.fmt_mg(v) for v in (12.5, 20.0, 12.25, 7.04)] == ["12.5", "20", "12.2", "7"]
    assert [dosing.fmt_gap(g) for g in (45 * MIN, 3 * H, 80 * MIN, timedelta(seconds=119))] == [
        "45 min", "3 h", "1 h 20 min", "1 min"]

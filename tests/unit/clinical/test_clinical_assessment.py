"""Withdrawal vs toxicity, one test per row and column of the brief's comparison table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from alerts.domain.clinical.assessment import TABLE, assess
from alerts.domain.clinical.history import (
    VITAL_FINDING_KEYS,
    ClinicalProfile,
    DoseRecord,
    DoseTaken,
    Finding,
    SupplyReport,
)
from alerts.domain.clinical.wording import ASSESSMENT_TEXT
from alerts.domain.symptoms import SYMPTOMS

NOW = datetime(2024, 6, 5, 16, 0, tzinfo=UTC)
H = timedelta(hours=1)


def found(*keys: str, ago: timedelta = H) -> list[Finding]:
    return [Finding(k, "checkin", NOW - ago, 5) for k in keys]


def steady(hours: int = 72, mg: float = 20.0) -> tuple[list[DoseRecord], list[DoseTaken]]:
    """Doses every 8 h, all taken on time, the last one 4 h ago: nothing unusual about the onset."""
    doses = [DoseRecord(NOW - H * (4 + 8 * i), "taken", NOW - H * (4 + 8 * i), mg) for i in range(hours // 8)]
    return doses, [DoseTaken(d.due_at, mg, True) for d in doses]


# -- Onset ---------------------------------------------------------------------------------------


def test_onset_withdrawal_missed_doses_in_a_row_point_to_withdrawal(
    make_profile: Callable[..., ClinicalProfile], schedule: Callable[..., list[DoseRecord]], taken_from
) -> None:
    # Table, Onset, withdrawal: "Occurs after abrupt cessation or rapid dose reduction."
    doses = schedule("TTTMM", last_due=NOW - H)
    result = assess(make_profile(), doses, taken_from(doses), found("spasms"), NOW)
    assert result.verdict == "possible_withdrawal"
    assert any(
        r.startswith("onset:") and "2 scheduled doses missed in a row" in r for r in result.withdrawal_reasons
    )
    assert result.toxicity_reasons == ()


def test_onset_withdrawal_running_out_points_to_withdrawal(make_profile) -> None:
    doses, taken = steady()
    result = assess(
        make_profile(), doses, taken, [], NOW, supply_reports=[SupplyReport(NOW - 2 * H, "ran_out")]
    )
    assert result.verdict == "possible_withdrawal"
    assert result.withdrawal_reasons == ("onset: reported they ran out of baclofen (abrupt cessation)",)


def test_onset_withdrawal_a_day_without_a_dose_points_to_withdrawal(make_profile) -> None:
    taken = [DoseTaken(NOW - 30 * H, 20.0, False)]
    result = assess(make_profile(), [], taken, [], NOW)
    assert result.verdict == "possible_withdrawal"
    assert result.withdrawal_reasons == ("onset: no dose taken for 30 h (abrupt cessation)",)


def test_onset_withdrawal_rapid_dose_reduction_points_to_withdrawal(make_profile) -> None:
    # Every dose taken on time, but only 5 mg of the prescribed 20: a rapid dose reduction.
    doses, _ = steady(mg=20.0)
    taken = [DoseTaken(d.due_at, 5.0, True) for d in doses]
    result = assess(make_profile(), doses, taken, [], NOW)
    assert result.verdict == "possible_withdrawal"
    assert any("rapid dose reduction" in r for r in result.withdrawal_reasons)


def test_onset_toxicity_a_dose_taken_again_too_soon_points_to_toxicity(make_profile) -> None:
    # Table, Onset, toxicity: "Can occur with a single high dose or accumulation over time."
    doses, taken = steady()
    taken.append(DoseTaken(NOW - 3 * H, 20.0, False))  # one hour after the 4-hours-ago dose
    result = assess(make_profile(), doses, taken, [], NOW)
    assert result.verdict == "possible_toxicity"
    assert result.toxicity_reasons == ("onset: a dose taken 1 h after the previous one (extra dose)",)


def test_onset_toxicity_a_single_high_dose_points_to_toxicity(make_profile) -> None:
    doses, taken = steady()
    taken[0] = DoseTaken(taken[0].taken_at, 40.0, True)
    result = assess(make_profile(daily_total_mg=120.0), doses, taken, [], NOW)  # daily total not exceeded
    assert result.verdict == "possible_toxicity"
    assert any("single high dose" in r for r in result.toxicity_reasons)


def test_onset_toxicity_more_than_the_daily_total_points_to_toxicity(make_profile) -> None:
    doses, taken = steady()
    result = assess(make_profile(daily_total_mg=30.0), doses, taken, [], NOW)
    assert result.verdict == "possible_toxicity"
    assert any("(accumulation)" in r for r in result.toxicity_reasons)


def test_a_steady_history_and_no_findings_is_unclear_with_no_reasons(make_profile) -> None:
    doses, taken = steady()
    result = assess(make_profile(), doses, taken, [], NOW)
    assert (result.verdict, result.withdrawal_reasons, result.toxicity_reasons) == ("unclear", (), ())
    assert result.summary == "unclear - needs a clinician"


# -- Muscle Twitches, Mental Status, Accompanying Symptoms ----------------------------------------


@pytest.mark.parametrize(
    "key, row, verdict",
    [
        # Muscle Twitches | "rebound spasticity, tremors, and twitching" | "myoclonus ... and seizures"
        pytest.param(
            "spasms", "muscle signs", "possible_withdrawal", id="muscle withdrawal: rebound spasticity"
        ),
        pytest.param("tremor", "muscle signs", "possible_withdrawal", id="muscle withdrawal: tremors"),
        pytest.param("myoclonus", "muscle signs", "possible_toxicity", id="muscle toxicity: myoclonus"),
        # Mental Status | "agitation, anxiety, hallucinations, and confusion" |
        #                 "profound sedation, lethargy, ... coma"
        pytest.param(
            "agitation", "mental status", "possible_withdrawal", id="mental withdrawal: agitation, anxiety"
        ),
        pytest.param(
            "hallucinations", "mental status", "possible_withdrawal", id="mental withdrawal: hallucinations"
        ),
        pytest.param(
            "drowsiness", "mental status", "possible_toxicity", id="mental toxicity: profound sedation"
        ),
        pytest.param("unresponsive", "mental status", "possible_toxicity", id="mental toxicity: coma"),
        # Accompanying | "Increased heart rate, fever, and paranoia" |
        #                "Respiratory depression, low BP, hypothermia"
        pytest.param(
            "fast_heart_rate",
            "accompanying symptoms",
            "possible_withdrawal",
            id="accompanying withdrawal: increased heart rate",
        ),
        pytest.param(
            "fever", "accompanying symptoms", "possible_withdrawal", id="accompanying withdrawal: fever"
        ),
        pytest.param(
            "paranoia", "accompanying symptoms", "possible_withdrawal", id="accompanying withdrawal: paranoia"
        ),
        pytest.param(
            "breathing_difficulty",
            "accompanying symptoms",
            "possible_toxicity",
            id="accompanying toxicity: respiratory depression",
        ),
        pytest.param(
            "slow_breathing",
            "accompanying symptoms",
            "possible_toxicity",
            id="accompanying toxicity: respiratory depression from a vital sign",
        ),
        pytest.param(
            "low_blood_pressure",
            "accompanying symptoms",
            "possible_toxicity",
            id="accompanying toxicity: low blood pressure",
        ),
        pytest.param(
            "feeling_cold",
            "accompanying symptoms",
            "possible_toxicity",
            id="accompanying toxicity: hypothermia reported",
        ),
        pytest.param(
            "low_temperature",
            "accompanying symptoms",
            "possible_toxicity",
            id="accompanying toxicity: hypothermia from a vital sign",
        ),
    ],
)
def test_a_sign_in_one_column_points_to_that_column(make_profile, key: str, row: str, verdict: str) -> None:
    doses, taken = steady()
    result = assess(make_profile(), doses, taken, found(key), NOW)
    assert result.verdict == verdict
    reasons = result.withdrawal_reasons if verdict == "possible_withdrawal" else result.toxicity_reasons
    assert len(reasons) == 1 and reasons[0].startswith(f"{row}:")


@pytest.mark.parametrize(
    "key",
    [
        pytest.param("seizure", id="seizures are in both columns of Muscle Twitches"),
        pytest.param("confusion", id="confusion is in both columns of Mental Status"),
        pytest.param("twitching", id="a twitch may be either a withdrawal twitch or a toxic jerk"),
    ],
)
def test_a_sign_in_both_columns_does_not_decide(make_profile, key: str) -> None:
    doses, taken = steady()
    result = assess(make_profile(), doses, taken, found(key), NOW)
    assert result.verdict == "unclear"
    assert result.withdrawal_reasons == result.toxicity_reasons == ()
    assert len(result.shared_reasons) == 1


def test_a_shared_sign_follows_the_onset(make_profile, schedule, taken_from) -> None:
    doses = schedule("TTMMM", last_due=NOW - H)
    result = assess(make_profile(), doses, taken_from(doses), found("seizure", "confusion"), NOW)
    assert result.verdict == "possible_withdrawal"


def test_signs_from_both_columns_are_unclear(make_profile) -> None:
    doses, taken = steady()
    result = assess(make_profile(), doses, taken, found("spasms", "drowsiness"), NOW)
    assert result.verdict == "unclear"
    assert result.withdrawal_reasons and result.toxicity_reasons


# -- Risk Factors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile_kw, verdict, words",
    [
        pytest.param(
            {"intrathecal_pump": True},
            "possible_withdrawal",
            "intrathecal pump",
            id="risk withdrawal: intrathecal pump tips a shared sign to withdrawal",
        ),
        pytest.param(
            {"renal_impairment": True},
            "possible_toxicity",
            "renal impairment",
            id="risk toxicity: renal impairment tips a shared sign to toxicity",
        ),
        pytest.param(
            {"daily_total_mg": 90.0},
            "possible_toxicity",
            "high dose administration",
            id="risk toxicity: a high prescribed dose tips a shared sign to toxicity",
        ),
    ],
)
def test_risk_factors_weigh_in_when_something_is_going_on(
    make_profile, profile_kw: dict, verdict: str, words: str
) -> None:
    doses, taken = steady(mg=profile_kw.get("daily_total_mg", 60.0) / 3)
    result = assess(make_profile(**profile_kw), doses, taken, found("seizure"), NOW)
    assert result.verdict == verdict
    reasons = result.withdrawal_reasons + result.toxicity_reasons
    assert len(reasons) == 1 and reasons[0].startswith("risk factors:") and words in reasons[0]


@pytest.mark.parametrize(
    "profile_kw",
    [
        pytest.param({"intrathecal_pump": True}, id="a pump alone is not possible withdrawal"),
        pytest.param({"renal_impairment": True}, id="renal impairment alone is not possible toxicity"),
    ],
)
def test_risk_factors_alone_decide_nothing(make_profile, profile_kw: dict) -> None:
    doses, taken = steady()
    result = assess(make_profile(**profile_kw), doses, taken, [], NOW)
    assert (result.verdict, result.withdrawal_reasons, result.toxicity_reasons) == ("unclear", (), ())


def test_renal_impairment_makes_a_withdrawal_picture_unclear(make_profile, schedule, taken_from) -> None:
    # Renal impairment raises toxicity suspicion ("the drug is primarily eliminated by the kidneys"):
    # with withdrawal signs as well, the service does not guess; a clinician decides.
    doses = schedule("TTMMM", last_due=NOW - H)
    result = assess(make_profile(renal_impairment=True), doses, taken_from(doses), found("spasms"), NOW)
    assert result.verdict == "unclear"
    assert result.summary == "unclear - needs a clinician"


# -- Inputs --------------------------------------------------------------------------------------


def test_findings_older_than_the_lookback_are_ignored(make_profile, settings) -> None:
    doses, taken = steady()
    old = found("drowsiness", ago=timedelta(hours=settings.symptom_lookback_hours, minutes=1))
    assert assess(make_profile(), doses, taken, old, NOW).verdict == "unclear"


def test_an_unknown_finding_fails_loudly(make_profile) -> None:
    with pytest.raises(ValueError, match="comparison table"):
        assess(make_profile(), [], [], found("sneezing"), NOW)


@pytest.mark.parametrize(
    "verdict, summary",
    [
        ("possible_withdrawal", "possible withdrawal"),
        ("possible_toxicity", "possible toxicity"),
        ("unclear", "unclear - needs a clinician"),
    ],
)
def test_the_summary_never_says_more_than_possible(verdict: str, summary: str) -> None:
    assert ASSESSMENT_TEXT["en"][verdict] == summary  # type: ignore[index]


def test_the_table_agrees_with_the_symptom_catalogue() -> None:
    for key, symptom in SYMPTOMS.items():
        _, column, _ = TABLE[key]
        expected = "both" if len(symptom.signs_of) == 2 else next(iter(symptom.signs_of))
        assert column == expected, key
    assert set(TABLE) == set(SYMPTOMS) | VITAL_FINDING_KEYS

"""Who is told, and how urgently: the response table (``alerts.domain.clinical.response``), row by row.

Every row is asked with a situation that reaches it, and every row's sentence is found in the
brief. The end-to-end tests (API, SMS, devices) are in tests/api/test_api_who_is_told.py.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alerts.domain.clinical import response as table
from alerts.domain.clinical.assessment import assess
from alerts.domain.clinical.history import ClinicalSettings, Finding
from alerts.domain.clinical.redflags import classify_findings, classify_symptoms
from alerts.domain.clinical.response import (
    EMERGENCY,
    RECORDED,
    TOXICITY_RISK,
    URGENT,
    WITHDRAWAL_RISK,
    Situation,
    marked_signs,
    respond,
    row_for,
    situation,
)

BRIEF = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_8fc7b851bcf3b98d.txt"
if not BRIEF.exists():
    BRIEF = Path("/work/shared/seed/000_8fc7b851bcf3b98d.txt")
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


# (situation, response, what it stands for). One case per row of the table, in the table's order.
ROWS = [
    (Situation("emergency", "unclear"), EMERGENCY, "one of the four emergency signs, whatever the verdict"),
    (Situation("emergency", "possible_toxicity", risk_factor=True, marked=True), EMERGENCY,
     "an emergency sign with toxicity evidence is still an emergency, not a toxicity risk"),
    (Situation("urgent", "possible_withdrawal"), URGENT, "fever, fast heart rate, hallucinations..."),
    (Situation("urgent", "unclear"), URGENT, "serious signs without a verdict still reach caregivers"),
    (Situation("routine", "possible_toxicity", risk_factor=True), TOXICITY_RISK,
     "drowsiness short of profound in a patient with renal impairment"),
    (Situation("routine", "possible_toxicity", marked=True), TOXICITY_RISK, "heavy drowsiness or muscle jerks"),
    (Situation("routine", "possible_withdrawal", risk_factor=True), WITHDRAWAL_RISK,
     "a tremor in a patient with an intrathecal pump"),
    (Situation("routine", "possible_withdrawal", marked=True), WITHDRAWAL_RISK, "a moderate tremor"),
    (Situation("routine", "possible_withdrawal"), RECORDED, "a mild tremor, nothing behind it"),
    (Situation("routine", "possible_toxicity"), RECORDED, "mild sleepiness-level signs, nothing behind them"),
    (Situation("routine", "unclear", risk_factor=True, marked=True), RECORDED,
     "shared signs (twitches) with both columns: prompted as new or worse twitches, not alerted"),
    (Situation("none", "possible_withdrawal", risk_factor=True), RECORDED, "nothing reported"),
]


@pytest.mark.parametrize(("given", "expected", "meaning"), ROWS, ids=[r[2] for r in ROWS])
def test_each_row_of_the_response_table(given: Situation, expected: table.Response, meaning: str) -> None:
    assert respond(given) == expected


def test_every_row_of_the_table_is_asked_by_a_case_above() -> None:
    assert {row_for(given) for given, _, _ in ROWS} == set(table.TABLE)


@pytest.mark.parametrize("row", table.TABLE, ids=lambda r: f"{r.level}/{r.verdict}/{r.response.kind}")
def test_every_row_rests_on_a_sentence_of_the_brief(row: table.Row) -> None:
    brief = _words(BRIEF.read_text(encoding="utf-8"))
    if row.level == "none":
        return  # nothing reported: no sentence needed to do nothing
    for part in row.source.split(" / "):
        for fragment in part.split("..."):
            fragment = _words(fragment).strip(" |")
            if fragment:
                assert fragment in brief, fragment


def test_an_emergency_tells_every_caregiver_by_text_and_call_and_the_patient_to_call_911() -> None:
    # Brief: "If you experience a seizure, profound drowsiness, difficulty breathing, or severe
    # confusion, call 911 or seek emergency medical help immediately."
    assert (EMERGENCY.kind, EMERGENCY.caregivers, EMERGENCY.channels, EMERGENCY.patient_call_911) == (
        "emergency", True, ("sms", "voice"), True)


@pytest.mark.parametrize("response", [URGENT, WITHDRAWAL_RISK, TOXICITY_RISK], ids=lambda r: str(r.kind))
def test_serious_signs_and_both_risks_reach_every_caregiver_by_text_without_911(response: table.Response) -> None:
    assert (response.caregivers, response.channels, response.patient_call_911) == (True, ("sms",), False)


def test_recorded_tells_nobody() -> None:
    assert (RECORDED.kind, RECORDED.caregivers, RECORDED.channels) == (None, False, ())


# -- from a report to the table's inputs ----------------------------------------------------------------


@pytest.mark.parametrize(("symptoms", "kind"), [
    # The brief's four emergency signs: "a seizure, profound drowsiness, difficulty breathing, or
    # severe confusion" (plus hard to wake, the far end of profound drowsiness).
    ({"seizure": 1}, "emergency"),
    ({"drowsiness": 8}, "emergency"),
    ({"unresponsive": 1}, "emergency"),
    ({"breathing_difficulty": 1}, "emergency"),
    ({"confusion": 7}, "emergency"),
    # Withdrawal signs: "Increased heart rate, fever"; "Worsening muscle spasms"; "hallucinations, and paranoia".
    ({"fever": 3}, "urgent"),
    ({"fast_heart_rate": 3}, "urgent"),
    ({"spasms": 7}, "urgent"),
    ({"hallucinations": 2}, "urgent"),
    ({"paranoia": 2}, "urgent"),
    # Toxicity signs: "low blood pressure, and hypothermia".
    ({"low_blood_pressure": 3}, "urgent"),
    ({"feeling_cold": 3}, "urgent"),
    # Toxicity: "Excessive drowsiness and sedation"; "Myoclonus".
    ({"drowsiness": 6}, "toxicity_risk"),
    ({"myoclonus": 5}, "toxicity_risk"),
    # Withdrawal: "Tremors and twitches".
    ({"tremor": 5}, "withdrawal_risk"),
    # Mild, or the baseline spasticity baclofen treats: recorded.
    ({"tremor": 2}, None),
    ({"drowsiness": 4}, None),
    ({"spasms": 5}, None),
    ({"twitching": 6}, None),
], ids=lambda v: str(v))
def test_a_check_in_with_no_risk_factor_is_told_by_its_signs(make_profile, symptoms: dict[str, int],
                                                             kind: str | None) -> None:
    triage = classify_symptoms(symptoms)
    findings = [Finding(k, "checkin", NOW, v) for k, v in symptoms.items()
                if v >= (5 if k == "drowsiness" else 1)]
    assessment = assess(make_profile(), [], [], findings, NOW)
    assert respond(situation(triage.level, assessment, symptoms)).kind == kind


def test_renal_impairment_makes_drowsiness_short_of_profound_a_toxicity_risk(make_profile) -> None:
    # Brief: "Patients with impaired renal function are at an increased risk of baclofen toxicity".
    # Drowsiness 5 is "excessive" (a toxicity finding), not "profound" (an emergency). The marked
    # threshold is raised out of the way so that the risk factor alone decides.
    settings = ClinicalSettings(new_symptom_min=9)
    symptoms = {"drowsiness": 5}
    findings = [Finding("drowsiness", "checkin", NOW, 5)]
    plain = assess(make_profile(), [], [], findings, NOW, settings)
    kidneys = assess(make_profile(renal_impairment=True), [], [], findings, NOW, settings)

    assert respond(situation("routine", plain, symptoms, settings)).kind is None
    assert respond(situation("routine", kidneys, symptoms, settings)).kind == "toxicity_risk"


def test_an_intrathecal_pump_makes_a_mild_tremor_a_withdrawal_risk(make_profile) -> None:
    # Table, Risk Factors (withdrawal): "Long-term use, especially with intrathecal pumps."
    findings = [Finding("tremor", "checkin", NOW, 2)]
    plain = assess(make_profile(), [], [], findings, NOW)
    pump = assess(make_profile(intrathecal_pump=True), [], [], findings, NOW)

    assert respond(situation("routine", plain, {"tremor": 2})).kind is None
    assert respond(situation("routine", pump, {"tremor": 2})).kind == "withdrawal_risk"


def test_missed_doses_behind_a_mild_tremor_make_it_a_withdrawal_risk(make_profile, schedule) -> None:
    # Table, Onset (withdrawal): "Occurs after abrupt cessation or rapid dose reduction."
    doses = schedule("TMM", last_due=NOW - timedelta(hours=1))
    assessment = assess(make_profile(), doses, [], [Finding("tremor", "checkin", NOW, 2)], NOW)

    assert respond(situation("routine", assessment, {"tremor": 2})).kind == "withdrawal_risk"


def test_spasms_are_never_marked_they_are_the_baseline_baclofen_treats() -> None:
    assert marked_signs({"spasms": 6, "tremor": 6}, "possible_withdrawal") == ["tremor"]


def test_only_signs_of_the_verdicts_own_column_are_marked() -> None:
    assert marked_signs({"tremor": 6, "drowsiness": 6, "twitching": 9}, "possible_toxicity") == ["drowsiness"]
    assert marked_signs({"tremor": 6}, "unclear") == []


@pytest.mark.parametrize(("keys", "level", "codes"), [
    (["slow_breathing"], "emergency", ("slow_breathing",)),
    (["low_oxygen"], "emergency", ("low_oxygen",)),
    (["seizure"], "emergency", ("seizure_detected",)),
    (["fever"], "urgent", ("fever",)),
    (["fast_heart_rate"], "urgent", ("fast_heart_rate",)),
    (["low_blood_pressure"], "urgent", ("low_blood_pressure",)),
    (["low_temperature"], "urgent", ("low_temperature",)),
    (["slow_heart_rate"], "urgent", ("slow_heart_rate",)),
    (["fever", "slow_breathing"], "emergency", ("slow_breathing",)),
    (["pump_failure"], "routine", ()),
    ([], "none", ()),
], ids=lambda v: str(v))
def test_a_devices_findings_are_triaged_as_a_check_in_would_be(keys: list[str], level: str,
                                                               codes: tuple[str, ...]) -> None:
    triage = classify_findings(keys)
    assert (triage.level, triage.codes) == (level, codes)


@pytest.mark.parametrize(("symptoms", "renal", "pump", "expected"), [
    ({"tremor": 2, "spasms": 6}, False, False, False),
    ({"tremor": 4}, False, False, True),
    ({"drowsiness": 4}, False, False, True),
    ({"twitching": 9}, False, False, False),
    ({"twitching": 1}, True, False, True),
    ({"twitching": 1}, False, True, True),
], ids=lambda v: str(v))
def test_only_signs_that_could_reach_a_risk_row_pay_for_the_assessment(
        symptoms: dict[str, int], renal: bool, pump: bool, expected: bool) -> None:
    assert table.may_be_a_risk(symptoms, renal_impairment=renal, intrathecal_pump=pump) is expected


def test_the_shortcut_never_hides_a_risk_row_for_a_patient_with_no_risk_factor(make_profile) -> None:
    # Every single sign at every severity: if the shortcut says "no", the table says "recorded".
    for key in ("twitching", "spasms", "tremor", "myoclonus", "drowsiness", "agitation", "confusion"):
        for severity in range(1, 11):
            symptoms = {key: severity}
            triage = classify_symptoms(symptoms)
            if triage.level != "routine" or table.may_be_a_risk(symptoms, renal_impairment=False,
                                                                 intrathecal_pump=False):
                continue
            findings = [Finding(key, "checkin", NOW, severity)]
            assessment = assess(make_profile(), [], [], findings, NOW)
            assert respond(situation("routine", assessment, symptoms)).kind is None, symptoms

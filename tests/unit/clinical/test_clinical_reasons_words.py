"""The plain-language reasons every clinical alert records, word for word, with the brief's sentence
each one quotes: a caregiver or clinician reading an alert's record reads these."""

from __future__ import annotations

import pytest

from alerts.domain.clinical.history import ClinicalSettings
from alerts.domain.clinical.redflags import classify_findings, classify_symptoms


@pytest.mark.parametrize(("symptoms", "previous", "level", "reasons", "codes"), [
    ({"agitation": 5}, None, "urgent",
     ("new or worsening agitation (table, Mental Status, withdrawal: 'agitation, anxiety')",), ("new_agitation",)),
    ({"spasms": 7}, None, "urgent",
     ("severe muscle spasms, severity 7 (brief, withdrawal: 'Worsening muscle spasms ... significantly more "
      "severe')",), ("severe_spasms",)),
    ({"spasms": 5}, {"spasms": 2}, "urgent",
     ("new or worsening muscle spasms (brief, withdrawal: 'Worsening muscle spasms')",), ("worsening_spasms",)),
    ({"hallucinations": 2}, None, "urgent",
     ("hallucinations (brief, withdrawal: 'Confusion, hallucinations, and paranoia are also serious withdrawal "
      "effects')",), ("hallucinations",)),
    ({"tremor": 2, "twitching": 1}, None, "routine",
     ("tremor, shaking or trembling recorded, no red flag", "muscle twitches recorded, no red flag"), ()),
    ({"tremor": 0}, None, "none", (), ()),
], ids=["agitation", "severe spasms", "worsening spasms", "hallucinations", "routine", "nothing"])
def test_each_triage_records_its_reasons_in_the_briefs_words(symptoms, previous, level, reasons, codes) -> None:  # type: ignore[no-untyped-def]
    triage = classify_symptoms(symptoms, previous)
    assert (triage.level, triage.reasons, triage.codes) == (level, reasons, codes)


def test_agitation_is_new_from_the_new_symptom_threshold_when_there_was_none_before() -> None:
    # Absent before: new from ``new_symptom_min`` (4); present before: worse by ``worsening_delta`` (2).
    assert classify_symptoms({"agitation": 3}, {"tremor": 1}).level == "routine"
    assert classify_symptoms({"agitation": 4}, {"tremor": 1}).level == "urgent"
    assert classify_symptoms({"agitation": 3}, {"agitation": 1}).level == "urgent"
    assert classify_symptoms({"agitation": 2}, {"agitation": 1}).level == "routine"


def test_absent_agitation_or_spasms_never_count_even_with_the_lowest_thresholds() -> None:
    settings = ClinicalSettings(new_symptom_min=1, urgent_spasm_severity=1)
    assert classify_symptoms({"tremor": 1}, {"tremor": 1}, settings=settings).level == "routine"


def test_spasms_absent_before_count_as_new_from_the_new_symptom_threshold() -> None:
    assert classify_symptoms({"spasms": 4}, {"tremor": 1}).codes == ("worsening_spasms",)
    assert classify_symptoms({"spasms": 3}, {"tremor": 1}).level == "routine"


@pytest.mark.parametrize(("keys", "level", "reasons"), [
    (["fever"], "urgent", ("sustained fever on a device (table, Accompanying Symptoms, withdrawal: 'fever')",)),
    (["slow_breathing"], "emergency",
     ("slow breathing on a device (brief, What to Do: 'If you experience a seizure, profound drowsiness, "
      "difficulty breathing, or severe confusion, call 911')",)),
    (["pump_failure"], "routine", ("pump failure recorded",)),
    ([], "none", ()),
], ids=["fever", "slow breathing", "pump", "nothing"])
def test_each_device_triage_records_its_reasons(keys: list[str], level: str, reasons: tuple[str, ...]) -> None:
    triage = classify_findings(keys)
    assert (triage.level, triage.reasons) == (level, reasons)

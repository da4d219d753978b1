"""TEST ONLY - an example rule pack for a made-up drug, "testolinum". Not clinical guidance.

It exists to show that a pack is one folder plus one registration line: the services find it by
the medication, its red flag raises its alert, and its words fill the alert. Its rules are invented
for the test and say so in their source (``SOURCE.md`` beside this file); it is registered only
inside a test (``registry.registered(PACK)``) and is not importable from ``alerts``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from alerts.domain.clinical.assessment import Assessment
from alerts.domain.clinical.history import (
    CheckInRecord,
    ClinicalProfile,
    ClinicalSettings,
    DoseRecord,
    DoseTaken,
    Finding,
    SupplyReport,
)
from alerts.domain.clinical.patterns import RiskDecision
from alerts.domain.clinical.redflags import Level, Triage
from alerts.domain.clinical.response import EMERGENCY, RECORDED, URGENT, Response
from alerts.domain.packs.pack import Document, Drug, Rule, RulePack, Source

# Not a real RXCUI (those are digits only), so it can never match a real medication's code.
RXNORM_TESTOLINUM = "TEST-0001"
SOURCE = Document("Test-only source for the example pack", "tests/support/packs/example_pack/SOURCE.md")
TEST_RULES = "Test rules"


def _triage_symptoms(symptoms: Mapping[str, int], previous: Mapping[str, int] | None,
                     settings: ClinicalSettings) -> Triage:
    if symptoms.get("tremor", 0) > 0:
        return Triage("urgent", ("TEST ONLY: tremor while taking testolinum",), ("example_tremor",))
    return Triage("routine", ()) if any(symptoms.values()) else Triage("none", ())


def _triage_findings(keys: Iterable[str]) -> Triage:
    return Triage("none", ())


def _assess(profile: ClinicalProfile, doses: Sequence[DoseRecord], taken: Sequence[DoseTaken],
            findings: Sequence[Finding], now: datetime, settings: ClinicalSettings,
            supply: Sequence[SupplyReport]) -> Assessment:
    return Assessment("unclear", (), (), "TEST ONLY: no assessment")


def _respond(level: Level, found: Assessment, symptoms: Mapping[str, int] | None,
             settings: ClinicalSettings) -> Response:
    return {"emergency": EMERGENCY, "urgent": URGENT}.get(level, RECORDED)


def _no_risk(symptoms: Mapping[str, int], renal_impairment: bool, intrathecal_pump: bool,
             settings: ClinicalSettings) -> bool:
    return False


def _no_marked_signs(symptoms: Mapping[str, int], verdict: str, settings: ClinicalSettings) -> list[str]:
    return []


def _no_dose_patterns(profile: ClinicalProfile, doses: Sequence[DoseRecord], taken: Sequence[DoseTaken],
                      supply: Sequence[SupplyReport], checkins: Sequence[CheckInRecord], now: datetime,
                      settings: ClinicalSettings) -> list[RiskDecision]:
    return []


def _no_checkin_risks(supply: Sequence[SupplyReport], checkins: Sequence[CheckInRecord], now: datetime,
                      settings: ClinicalSettings) -> list[RiskDecision]:
    return []


PACK = RulePack(
    key="testolinum",
    drug=Drug(rxnorm=frozenset({RXNORM_TESTOLINUM}), names=frozenset({"testolinum"})),
    document=SOURCE,
    rules=(
        Rule("red_flag:example_tremor", "TEST ONLY: any tremor is urgent.",
             (Source(TEST_RULES, "TEST ONLY: a tremor reported while taking testolinum is urgent for the care team."),)),
        Rule("assessment:none", "TEST ONLY: no assessment.",
             (Source(TEST_RULES, "TEST ONLY: the example pack makes no withdrawal or toxicity assessment."),)),
    ),
    triage_symptoms=_triage_symptoms,
    triage_findings=_triage_findings,
    assess=_assess,
    respond=_respond,
    may_be_a_risk=_no_risk,
    marked_signs=_no_marked_signs,
    dose_pattern_risks=_no_dose_patterns,
    checkin_risks=_no_checkin_risks,
    rules_read_on={},
    templates=frozenset({"urgent_caregiver"}),
    short_reasons={"en": {"example_tremor": "TEST-ONLY example tremor flag"}},
    assessment_text={"en": {"possible_withdrawal": "TEST-ONLY n/a", "possible_toxicity": "TEST-ONLY n/a",
                            "unclear": "TEST-ONLY no assessment"}},
)

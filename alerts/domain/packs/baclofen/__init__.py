"""The baclofen pack: the clinical brief's rules, as the services call them.

The rules themselves live in ``alerts.domain.clinical`` (red flags, the withdrawal-vs-toxicity
table, dose patterns, the response table, the words); this folder says which drug they belong to
and where each comes from (``sources.RULES``), and adapts them to :class:`RulePack`'s positional
signatures. Nothing here decides anything the clinical modules do not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from alerts.domain.clinical import assessment, patterns, redflags, response, wording
from alerts.domain.clinical.history import (
    ClinicalProfile,
    ClinicalSettings,
    DoseRecord,
    DoseTaken,
    Finding,
    SupplyReport,
)
from alerts.domain.clinical.redflags import Level, Triage
from alerts.domain.packs.baclofen.sources import BRIEF, RULES
from alerts.domain.packs.pack import Drug, RulePack

# RxNorm ingredient concept (RXCUI) for baclofen, as the FHIR import reads it.
RXNORM_BACLOFEN = "1292"


def _triage_symptoms(symptoms: Mapping[str, int], previous: Mapping[str, int] | None,
                     settings: ClinicalSettings) -> Triage:
    return redflags.classify_symptoms(symptoms, previous, settings=settings)


def _assess(profile: ClinicalProfile, doses: Sequence[DoseRecord], taken: Sequence[DoseTaken],
            findings: Sequence[Finding], now: datetime, settings: ClinicalSettings,
            supply: Sequence[SupplyReport]) -> assessment.Assessment:
    return assessment.assess(profile, doses, taken, findings, now, settings, supply_reports=supply)


def _respond(level: Level, found: assessment.Assessment, symptoms: Mapping[str, int] | None,
             settings: ClinicalSettings) -> response.Response:
    return response.respond(response.situation(level, found, symptoms, settings))


def _may_be_a_risk(symptoms: Mapping[str, int], renal_impairment: bool, intrathecal_pump: bool,
                   settings: ClinicalSettings) -> bool:
    return response.may_be_a_risk(symptoms, renal_impairment=renal_impairment, intrathecal_pump=intrathecal_pump,
                                  settings=settings)


PACK = RulePack(
    key="baclofen",
    drug=Drug(rxnorm=frozenset({RXNORM_BACLOFEN}), names=frozenset({"baclofen"})),
    document=BRIEF,
    rules=RULES,
    triage_symptoms=_triage_symptoms,
    triage_findings=redflags.classify_findings,
    assess=_assess,
    respond=_respond,
    may_be_a_risk=_may_be_a_risk,
    marked_signs=response.marked_signs,
    dose_pattern_risks=patterns.dose_pattern_risks,
    checkin_risks=patterns.checkin_risks,
    # Each dose-pattern rule is re-read only by its own kind of evidence: an acknowledged "too soon"
    # alert re-arms, and is raised again by another dose taken too soon, not by the same dose read
    # again at the next tick.
    rules_read_on={
        "checkin": ("withdrawal_risk:supply", "consult_soon:worsening_twitches"),
        "dose": ("toxicity_risk:too_soon", "toxicity_risk:over_daily_total"),
        "tick": ("withdrawal_risk:missed_doses", "withdrawal_risk:no_dose"),
    },
    # A dose taken ends these: the doses have not stopped after all.
    closed_by_a_dose=("withdrawal_risk:missed_doses", "withdrawal_risk:no_dose"),
    joined_kinds=("withdrawal_risk", "toxicity_risk"),
    templates=frozenset(wording.TEMPLATE_PLACEHOLDERS),
    short_reasons=wording.SHORT_REASONS,
    assessment_text=wording.ASSESSMENT_TEXT,
)

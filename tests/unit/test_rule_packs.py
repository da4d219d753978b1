"""Rule packs: every rule traced to its source's own words, the lookup by drug, the registry, and
what is said about a patient with no pack. Pure: no database."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from pathlib import Path

import pytest

from alerts.domain.clinical.history import ClinicalSettings
from alerts.domain.clinical.safety import advice_violations
from alerts.domain.messages import TEMPLATE_DIR, render
from alerts.domain.packs import registry, reported
from alerts.domain.packs.pack import Document, Rule, RulePack, Source
from tests.support.packs import example_pack

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = registry.SHIPPED
EVERY_PACK = (*SHIPPED, example_pack.PACK)


def _words(text: str) -> str:
    return " ".join(text.split())


def _document(pack: RulePack, source: Source) -> str:
    document = source.document or pack.document
    return _words((ROOT / document.path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("pack", EVERY_PACK, ids=lambda p: p.key)
def test_every_rule_quotes_its_source_word_for_word(pack: RulePack) -> None:
    missing = [(rule.id, source.quote) for rule in pack.rules for source in rule.sources
               if _words(source.quote) not in _document(pack, source)]
    assert missing == []


@pytest.mark.parametrize("pack", EVERY_PACK, ids=lambda p: p.key)
def test_every_dose_pattern_rule_a_pack_reads_is_listed_with_its_source(pack: RulePack) -> None:
    read = {key for keys in pack.rules_read_on.values() for key in keys} | set(pack.closed_by_a_dose)
    assert read <= {rule.id for rule in pack.rules}


@pytest.mark.parametrize("pack", EVERY_PACK, ids=lambda p: p.key)
def test_every_template_a_pack_names_exists_in_english(pack: RulePack) -> None:
    assert [t for t in pack.templates if not (TEMPLATE_DIR / "en" / f"{t}.txt").is_file()] == []


def test_every_threshold_of_the_baclofen_pack_has_a_sourced_rule() -> None:
    ids = {rule.id for rule in registry.LEGACY.rules}
    assert {f"threshold:{f.name}" for f in dataclasses.fields(ClinicalSettings)} <= ids


def test_the_baclofen_pack_s_thresholds_the_brief_does_not_give_say_so() -> None:
    # "The brief gives no numbers": each number is marked as the author's, for a clinician to sign off.
    rules = {rule.id: rule for rule in registry.LEGACY.rules}
    for name in ("consecutive_missed_threshold", "no_dose_window_hours", "too_soon_fraction", "high_daily_dose_mg"):
        assert any(s.note for s in rules[f"threshold:{name}"].sources), name


# -- the lookup ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, code", [("baclofen", None), ("  Baclofen ", None), ("BACLOFEN", ""),
                                        ("Lioresal", "1292"), ("baclofen 10 mg tablet product", "1292"),
                                        (None, None)])
def test_baclofen_is_found_by_its_rxnorm_ingredient_code_or_its_name(name: str | None, code: str | None) -> None:
    assert registry.pack_for(name, code) is registry.LEGACY


@pytest.mark.parametrize("name, code", [("metformin", None), ("Levetiracetam", "114477"), ("Lioresal", None),
                                        ("baclofen-like", None), ("", "1293")])
def test_a_medicine_without_a_pack_has_none(name: str, code: str | None) -> None:
    assert registry.pack_for(name, code) is None


def test_a_patient_s_packs_are_those_of_their_active_medicines() -> None:
    assert registry.packs_for([("metformin", None, True)]) == ()
    assert registry.packs_for([("baclofen", None, False), ("metformin", None, True)]) == ()
    assert registry.packs_for([("metformin", None, True), ("Baclofen", None, True)]) == (registry.LEGACY,)
    assert registry.packs_for([("baclofen", None, True), ("x", "1292", True)]) == (registry.LEGACY,)


def test_a_patient_with_no_medicine_recorded_is_the_legacy_baclofen_patient() -> None:
    # Enrolled before medications were data: the service watched baclofen only.
    assert registry.packs_for([]) == (registry.LEGACY,)


# -- the registry ----------------------------------------------------------------------------------


def test_dosewatch_ships_the_baclofen_pack_alone() -> None:
    assert [p.key for p in registry.all_packs()] == ["baclofen"]
    assert registry.pack_for("testolinum", example_pack.RXNORM_TESTOLINUM) is None


def test_a_pack_registered_in_a_test_is_found_by_its_drug_and_gone_after() -> None:
    with registry.registered(example_pack.PACK):
        assert registry.pack_for("Testolinum", None) is example_pack.PACK
        assert registry.pack_for("anything", example_pack.RXNORM_TESTOLINUM) is example_pack.PACK
        assert registry.packs_for([("testolinum", None, True), ("baclofen", None, True)]) == (
            registry.LEGACY, example_pack.PACK)
        assert registry.named("testolinum") is example_pack.PACK
    assert registry.pack_for("testolinum", None) is None
    assert registry.named("testolinum") is None


def test_a_pack_key_cannot_be_registered_twice() -> None:
    with pytest.raises(ValueError, match="already registered"):
        with registry.registered(registry.LEGACY):
            pass
    assert registry.all_packs() == SHIPPED


def test_the_test_pack_is_not_shipped() -> None:
    assert importlib.util.find_spec("alerts.domain.packs.example_pack") is None
    assert importlib.util.find_spec("alerts.domain.packs.testolinum") is None
    shipped_code = [p for p in (ROOT / "alerts").rglob("*.py") if re.search(r"\btests\b[./]support|example_pack",
                                                                             p.read_text(encoding="utf-8"))]
    assert shipped_code == []


@pytest.mark.parametrize("change, message", [
    ({"rules": ()}, "rules must be listed"),
    ({"rules": (Rule("r", "x", ()),)}, "without a quoted source: r"),
    ({"rules": (Rule("r", "x", (Source("s", "  "),)),)}, "without a quoted source: r"),
    ({"rules": (Rule("r", "x", (Source("s", "q"),)),) * 2}, "each id once"),
    ({"key": "Testolinum"}, "normalised"),
    ({"short_reasons": {"es": {}}}, "English"),
    ({"rules_read_on": {"sms": ()}}, "unknown evidence"),
])
def test_a_pack_without_sources_or_english_words_is_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(example_pack.PACK, **change)  # type: ignore[arg-type]


def test_a_pack_s_words_fall_back_to_english() -> None:
    pack = example_pack.PACK
    assert pack.reasons(["example_tremor"], "es") == "TEST-ONLY example tremor flag"
    assert pack.verdict_text("unclear", "fr") == "TEST-ONLY no assessment"
    assert registry.LEGACY.reasons(["seizure"], "es") == "una convulsion"


def test_a_document_path_is_read_from_the_repository() -> None:
    for pack in EVERY_PACK:
        documents = {pack.document} | {s.document for r in pack.rules for s in r.sources if s.document}
        assert all(isinstance(d, Document) and (ROOT / d.path).is_file() for d in documents), pack.key


# -- no pack: reported, never interpreted -----------------------------------------------------------


@pytest.mark.parametrize("symptoms, codes", [
    ({"seizure": 1}, ("seizure",)),
    ({"drowsiness": 8}, ("profound_drowsiness",)),
    ({"unresponsive": 2, "twitching": 3}, ("unresponsive",)),
    ({"breathing_difficulty": 1}, ("breathing_difficulty",)),
    ({"confusion": 7}, ("severe_confusion",)),
])
def test_without_a_pack_an_emergency_sign_is_still_an_emergency(symptoms: dict[str, int],
                                                                 codes: tuple[str, ...]) -> None:
    triage = reported.triage_symptoms(symptoms)
    assert (triage.level, triage.codes) == ("emergency", codes)


@pytest.mark.parametrize("symptoms", [{"hallucinations": 9}, {"fever": 8}, {"spasms": 10}, {"drowsiness": 7},
                                      {"confusion": 6}, {"tremor": 5}])
def test_without_a_pack_other_signs_are_recorded_and_raise_nothing(symptoms: dict[str, int]) -> None:
    assert reported.triage_symptoms(symptoms).level == "routine"


def test_without_a_pack_a_device_emergency_is_an_emergency_and_other_findings_are_recorded() -> None:
    assert reported.triage_findings(["fever", "slow_breathing"]).codes == ("slow_breathing",)
    assert reported.triage_findings(["fever", "low_blood_pressure"]).level == "routine"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("template", sorted(reported.TEMPLATE_PLACEHOLDERS))
def test_the_reported_messages_make_no_drug_claim_and_say_911(template: str, lang: str) -> None:
    text = render(template, lang, patient_name="Maria-Jose Fernandez", code="K7Q2",
                  reasons=", ".join(reported.WORDS[lang][c] for c in ("seizure", "breathing_difficulty")))
    lowered = text.lower()
    assert "911" in text and "OK K7Q2" in text
    for claim in ("withdrawal", "toxicity", "abstinencia", "toxicidad", "possible", "posible", "baclofen",
                  "dose", "dosis"):
        assert not re.search(rf"\b{claim}\b", lowered), claim
    assert advice_violations(text) == []

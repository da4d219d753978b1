"""The services find the rules by the medication: the baclofen pack for baclofen, a registered
pack for its drug, and no clinical claim for a medicine without one.

Tom takes metformin (no pack), Rosa baclofen and metformin, Tess testolinum - a made-up drug whose
pack (``tests/support/packs/example_pack``) is registered by the ``testolinum`` fixture only.
NOW is 08:00 in New York. Every test asserts on the outbox: who is told what.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.domain.packs import registry
from alerts.domain.packs.pack import RulePack
from alerts.models import Alert, Medication, Patient
from alerts.services.checkins import record_checkin
from alerts.services.inbound import handle_sms
from alerts.services.tick import TickReport, run_tick
from alerts.services.wearables import record_device_event
from tests.conftest import NOW
from tests.services.support import MINUTE, bodies, pending_dose, read, sent
from tests.support.packs import example_pack
from tests.support.settings import POLICY, REFILL_TIME, TICK, WINDOWS

HOUR = timedelta(hours=1)

# Words that would be a clinical claim about a drug.
CLAIMS = re.compile(r"withdrawal|toxicity|possible|baclofen|prescrib|unclear", re.IGNORECASE)


@pytest.fixture
def testolinum() -> Iterator[RulePack]:
    """The test-only pack, registered for one test: the registration line a shipped pack has in
    ``alerts.domain.packs.registry.SHIPPED``."""
    with registry.registered(example_pack.PACK) as pack:
        yield pack


@pytest.fixture
def patient_on(session: Session, make_patient, make_caregiver, make_schedule) -> Callable[..., Patient]:  # type: ignore[no-untyped-def]
    """A patient taking these medicines (name or (name, RxNorm code)), each at 08:00 and 20:00, with
    one caregiver, Uma."""

    def make(*medicines: str | tuple[str, str], name: str = "Tom") -> Patient:
        patient = make_patient(name=name, escalation_minutes=10)
        make_caregiver(patient, name="Uma")
        for medicine in medicines:
            drug, code = medicine if isinstance(medicine, tuple) else (medicine, None)
            medication = Medication(patient_id=patient.id, name=drug, route="oral", rxnorm_code=code)
            session.add(medication)
            session.commit()
            make_schedule(patient, ["08:00", "20:00"], medication_id=medication.id, now=NOW - MINUTE)
        return patient

    return make


@pytest.fixture
def check_in(session: Session) -> Callable[..., list[int]]:
    def post(patient: Patient, at: datetime = NOW, **symptoms: int) -> list[int]:
        result = record_checkin(session, patient, recorded_at=at, symptoms=symptoms, note=None, source="app",
                                now=at, policy=POLICY)
        session.commit()
        return list(result.notification_ids)

    return post


@pytest.fixture
def tick(sessions) -> Callable[[datetime], TickReport]:  # type: ignore[no-untyped-def]
    return lambda now: run_tick(sessions, now, **TICK)


def alerts_of(session: Session, patient: Patient) -> list[Alert]:
    return read(session, select(Alert).where(Alert.patient_id == patient.id).order_by(Alert.id))


# -- a medicine without a pack: adherence only ----------------------------------------------------


def test_missed_metformin_doses_get_adherence_text_only_and_never_a_withdrawal_claim(
        session: Session, patient_on, tick) -> None:  # type: ignore[no-untyped-def]
    tom = patient_on("Metformin")
    due = pending_dose(session, tom).check_at

    tick(due)
    tick(due + 10 * MINUTE)
    for hours in (12, 24, 36):  # two, three, four doses missed in a row; a day and more without a dose
        tick(due + hours * HOUR)
        tick(due + hours * HOUR + 10 * MINUTE)

    assert {a.kind for a in alerts_of(session, tom)} == {"missed_dose"}
    texts = bodies(session)
    assert texts and all("Metformin" in t for t in texts[:2])
    assert [t for t in texts if CLAIMS.search(t)] == []


@pytest.mark.parametrize("symptoms", [{"hallucinations": 9}, {"fever": 8, "fast_heart_rate": 8}, {"spasms": 10},
                                      {"tremor": 6, "twitching": 6}, {"drowsiness": 7, "low_blood_pressure": 6}])
def test_a_check_in_of_a_patient_with_no_pack_raises_no_clinical_alert(
        session: Session, patient_on, check_in, symptoms: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    tom = patient_on("Metformin")

    assert check_in(tom, **symptoms) == []
    assert alerts_of(session, tom) == []


def test_a_seizure_reported_by_a_patient_with_no_pack_is_an_emergency_told_as_reported(
        session: Session, patient_on, check_in) -> None:  # type: ignore[no-untyped-def]
    tom = patient_on("Metformin")

    check_in(tom, seizure=1, hallucinations=5)

    assert sorted(sent(session)) == sorted([("emergency", "patient", "sms", 0), ("emergency", "Uma", "sms", 0),
                                            ("emergency", "Uma", "voice", 0)])
    (alert,) = alerts_of(session, tom)
    assert alert.details["pack"] is None and "verdict" not in alert.details
    caregiver = bodies(session, recipient_kind="caregiver", channel="sms")[0]
    assert caregiver.startswith("dosewatch EMERGENCY for Tom: reported a seizure. Call 911 now")
    assert [t for t in bodies(session) if CLAIMS.search(t)] == []


def test_a_device_s_seizure_for_a_patient_with_no_pack_is_an_emergency_told_as_measured(
        session: Session, patient_on) -> None:  # type: ignore[no-untyped-def]
    tom = patient_on("Metformin")

    record_device_event(session, tom, kind="seizure", occurred_at=NOW, now=NOW, policy=POLICY, event_id="e1", windows=WINDOWS, refill_time=REFILL_TIME)
    session.commit()

    assert ("emergency", "Uma", "voice", 0) in sent(session)
    caregiver = bodies(session, recipient_kind="caregiver", channel="sms")[0]
    assert "reported a seizure detected by the wearable" in caregiver
    assert not CLAIMS.search(caregiver)


def test_a_worrying_text_from_a_patient_with_no_pack_is_urgent_without_a_verdict(
        session: Session, patient_on) -> None:  # type: ignore[no-untyped-def]
    tom = patient_on("Metformin")

    handle_sms(session, message_sid="SM" + "1" * 32, from_number=tom.phone, body="I think I might have had a fit?",
               now=NOW, policy=POLICY, windows=WINDOWS)
    session.commit()

    (alert,) = alerts_of(session, tom)
    assert (alert.kind, alert.details["pack"], alert.details["template"]) == (
        "urgent", None, "reported_urgent_caregiver")
    caregiver = bodies(session, recipient_kind="caregiver")
    assert caregiver and not any(CLAIMS.search(t) for t in caregiver)


def test_a_wearable_fever_of_a_patient_with_no_pack_is_recorded_and_raises_nothing(
        session: Session, patient_on) -> None:  # type: ignore[no-untyped-def]
    from alerts.services.clinical import raise_device_findings

    tom = patient_on("Metformin")

    assert raise_device_findings(session, tom, ["fever", "fast_heart_rate"], NOW, POLICY) == (None, [])
    assert alerts_of(session, tom) == []


# -- baclofen beside another medicine -------------------------------------------------------------


def test_check_ins_of_a_patient_on_baclofen_and_metformin_are_read_by_the_baclofen_pack(
        session: Session, patient_on, check_in) -> None:  # type: ignore[no-untyped-def]
    rosa = patient_on("Metformin", "baclofen", name="Rosa")

    check_in(rosa, hallucinations=5)

    (alert,) = alerts_of(session, rosa)
    assert (alert.kind, alert.details["pack"]) == ("urgent", "baclofen")
    assert bodies(session)[0].startswith("dosewatch URGENT: Rosa reported hallucinations (possible withdrawal).")


def test_a_medication_coded_as_baclofen_by_rxnorm_gets_the_baclofen_pack_whatever_its_name(
        session: Session, patient_on, check_in) -> None:  # type: ignore[no-untyped-def]
    rosa = patient_on(("Lioresal", "1292"), name="Rosa")

    check_in(rosa, hallucinations=5)

    assert [a.details["pack"] for a in alerts_of(session, rosa)] == ["baclofen"]


def test_a_seizure_of_a_baclofen_patient_carries_the_pack_s_verdict_and_no_second_alert(
        session: Session, patient_on, check_in) -> None:  # type: ignore[no-untyped-def]
    rosa = patient_on("baclofen", name="Rosa")

    check_in(rosa, seizure=1)

    (alert,) = alerts_of(session, rosa)
    assert (alert.kind, alert.details["pack"], alert.details["verdict"]) == ("emergency", "baclofen", "unclear")


# -- a pack added in a test: one folder, one registration line ------------------------------------


def test_a_registered_pack_s_red_flag_raises_its_alert_in_its_own_words(
        session: Session, patient_on, check_in, testolinum: RulePack) -> None:  # type: ignore[no-untyped-def]
    tess = patient_on("Testolinum", name="Tess")

    check_in(tess, tremor=2)

    (alert,) = alerts_of(session, tess)
    assert (alert.kind, alert.details["pack"]) == ("urgent", "testolinum")
    assert bodies(session) == [f"dosewatch URGENT: Tess reported TEST-ONLY example tremor flag (TEST-ONLY no "
                               f"assessment). Please check on them and call their doctor now. For a seizure, trouble "
                               f"breathing, severe confusion or if hard to wake, call 911. Reply OK {alert.code}."]


def test_the_same_sign_means_nothing_without_the_pack_or_for_another_drug(
        session: Session, patient_on, check_in) -> None:  # type: ignore[no-untyped-def]
    tess = patient_on("Testolinum", name="Tess")  # the test pack is not registered here
    rosa = patient_on("baclofen", name="Rosa")  # baclofen's rules: a mild tremor is recorded

    check_in(tess, tremor=2)
    check_in(rosa, tremor=2)

    assert alerts_of(session, tess) == alerts_of(session, rosa) == []


def test_an_emergency_sign_a_pack_does_not_flag_is_still_told_as_reported(
        session: Session, patient_on, check_in, testolinum: RulePack) -> None:  # type: ignore[no-untyped-def]
    tess = patient_on("Testolinum", name="Tess")

    check_in(tess, breathing_difficulty=3)

    (alert,) = alerts_of(session, tess)
    assert (alert.kind, alert.details["pack"]) == ("emergency", None)
    assert "reported difficulty breathing" in bodies(session, recipient_kind="caregiver", channel="sms")[0]

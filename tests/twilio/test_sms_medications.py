"""SMS with two medicines, through the signed webhook: a reminder lists what is due, "took it" covers
the doses due now and says which, naming a medicine (misspelt, in Spanish) records that one, the
missed-dose escalation names the medicine still missing, and the other medicine never brings a
clinical claim.

Rosa takes baclofen 10 mg at 08:00, 14:00 and 20:00 and metformin 500 mg at 14:00 (New York); Ann
and Bob are her caregivers, escalation every 10 minutes. Time is frozen as each message arrives.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from alerts.domain.clinical.safety import advice_violations
from alerts.models import Alert, Dose, DoseEvent, DoseSchedule, Medication, Notification
from tests.conftest import NOW
from tests.services.support import MINUTE, Ward, add_second_medicine, read
from tests.twilio.conftest import CLINICAL_WORDS
from tests.twilio.test_twilio_webhooks import message_of, tick

Post = Callable[..., TestResponse]


@pytest.fixture
def meds(session: Session, ward: Ward) -> dict[str, int]:
    """Rosa's ward schedule becomes her baclofen; metformin 500 mg at 14:00 is added beside it."""
    baclofen, metformin = add_second_medicine(session, ward.patient, ward.schedule, ["14:00"], now=NOW,
                                              strength="500 mg tablet")
    return {"baclofen": baclofen.id, "metformin": metformin.id}


def taken(session: Session) -> list[tuple[str, str]]:
    """(medicine, local time) of every dose taken, by medicine name."""
    session.commit()
    rows = session.execute(select(Medication.name, Dose.local_time)
                           .join(DoseSchedule, DoseSchedule.medication_id == Medication.id)
                           .join(Dose, Dose.schedule_id == DoseSchedule.id).where(Dose.status == "taken")
                           .order_by(Medication.name)).all()
    session.commit()
    return [(name, time) for name, time in rows]


def texts(session: Session, recipient_kind: str | None = None) -> list[str]:
    rows = read(session, select(Notification).order_by(Notification.id))
    return [n.body for n in rows if recipient_kind in (None, n.recipient_kind)]


def clinical_alerts(session: Session) -> list[str]:
    return [a.kind for a in read(session, select(Alert)) if a.kind in ("withdrawal_risk", "toxicity_risk")]


def test_took_it_with_two_due_records_both_and_says_which(
        session: Session, ward: Ward, meds: dict[str, int], sms: Post) -> None:
    with freeze_time(ward.due + 5 * MINUTE):
        reply = message_of(sms(ward.patient.phone, "took it"))

    assert reply == "dosewatch: thanks. Recorded at 14:05: baclofen 10 mg 14:00 and metformin 500 mg 14:00."
    assert taken(session) == [("baclofen", "14:00"), ("metformin", "14:00")]
    events = read(session, select(DoseEvent.medication_id).order_by(DoseEvent.id))
    assert events == [meds["baclofen"], meds["metformin"]]


@pytest.mark.parametrize("body, medicine", [
    ("took the baclofen", "baclofen"),
    ("Took my bacolfen", "baclofen"),
    ("tomé la metformina", "metformin"),
    ("just had the metformn", "metformin"),
])
def test_naming_one_medicine_records_that_one_only(
        session: Session, ward: Ward, meds: dict[str, int], sms: Post, body: str, medicine: str) -> None:
    with freeze_time(ward.due + 5 * MINUTE):
        reply = message_of(sms(ward.patient.phone, body))

    assert taken(session) == [(medicine, "14:00")]
    if medicine == "baclofen":
        assert reply == "dosewatch: thanks, your 14:00 dose is recorded at 14:05."
    else:
        assert reply == "dosewatch: thanks. Recorded at 14:05: metformin 500 mg 14:00."


def test_one_reminder_lists_both_medicines_and_the_escalation_names_them(
        app: Flask, session: Session, ward: Ward, meds: dict[str, int]) -> None:
    tick(app, ward.t0)
    tick(app, ward.t0 + 10 * MINUTE)

    reminder, escalation = texts(session)
    assert reminder.startswith("dosewatch: Rosa, your 14:00 doses have not been recorded yet: baclofen and metformin.")
    assert escalation.startswith("dosewatch: Rosa's 14:00 doses have not been recorded (40 min overdue): "
                                 "baclofen and metformin.")
    assert [a.kind for a in read(session, select(Alert))] == ["missed_dose"]


def test_after_the_baclofen_alone_the_escalation_goes_on_until_the_metformin_is_taken(
        app: Flask, session: Session, ward: Ward, meds: dict[str, int], sms: Post) -> None:
    tick(app, ward.t0)
    with freeze_time(ward.t0 + 2 * MINUTE):
        sms(ward.patient.phone, "took the baclofen")
    assert [a.status for a in read(session, select(Alert))] == ["open"]

    with freeze_time(ward.t0 + 5 * MINUTE):
        reply = message_of(sms(ward.patient.phone, "took my metformin too"))

    assert reply == "dosewatch: thanks. Recorded at 14:35: metformin 500 mg 14:00."
    assert [(a.status, a.close_reason) for a in read(session, select(Alert))] == [("resolved", "dose_taken")]
    assert taken(session) == [("baclofen", "14:00"), ("metformin", "14:00")]


def test_the_metformin_missed_alone_names_it_and_claims_nothing_clinical(
        app: Flask, session: Session, ward: Ward, meds: dict[str, int], sms: Post) -> None:
    with freeze_time(ward.due):
        sms(ward.patient.phone, "took the baclofen")
    tick(app, ward.t0)
    tick(app, ward.t0 + 10 * MINUTE)
    tick(app, ward.t0 + 20 * MINUTE)

    reminder, *to_caregivers = texts(session)
    assert reminder.startswith("dosewatch: Rosa, your 14:00 metformin dose has not been recorded yet.")
    assert to_caregivers and all(t.startswith("dosewatch: Rosa's 14:00 metformin dose has not been recorded")
                                 for t in to_caregivers)
    everything = " ".join(texts(session)).lower()
    assert not any(word in everything for word in CLINICAL_WORDS)
    assert clinical_alerts(session) == []


def test_took_it_twice_with_both_due_is_an_extra_baclofen_for_the_toxicity_rules(
        session: Session, ward: Ward, meds: dict[str, int], sms: Post) -> None:
    with freeze_time(ward.due):
        sms(ward.patient.phone, "TAKEN")
    with freeze_time(ward.due + 10 * MINUTE):
        reply = message_of(sms(ward.patient.phone, "oops I took it twice"))

    assert advice_violations(reply) == []
    extra = read(session, select(DoseEvent.medication_id).where(DoseEvent.dose_id.is_(None)))
    assert extra == [meds["baclofen"]]
    assert clinical_alerts(session) == ["toxicity_risk"]


def test_a_spanish_patient_naming_the_metformin_is_answered_in_spanish(
        session: Session, ward: Ward, meds: dict[str, int], sms: Post) -> None:
    session.execute(update(type(ward.patient)).where(type(ward.patient).id == ward.patient.id).values(language="es"))
    session.commit()
    with freeze_time(ward.due + 5 * MINUTE):
        reply = message_of(sms(ward.patient.phone, "ya tome la metformina"))

    assert reply == "dosewatch: gracias. Registrado a las 14:05: metformin 500 mg 14:00."
    assert taken(session) == [("metformin", "14:00")]


@pytest.mark.parametrize("body", ["I ran out of metformin", "se me acabó la metformina",
                                  "pharmacy didnt have my metformin"])
def test_running_out_of_the_other_medicine_tells_the_caregivers_and_claims_nothing_clinical(
        session: Session, ward: Ward, meds: dict[str, int], sms: Post, body: str) -> None:
    with freeze_time(NOW + MINUTE):
        reply = message_of(sms(ward.patient.phone, body))

    assert reply.startswith("dosewatch: thanks, we told the care team that Rosa cannot get metformin.")
    forwarded = texts(session, "caregiver")
    assert len(forwarded) == 2 and all(body in t for t in forwarded)
    assert clinical_alerts(session) == []
    assert not any(word in (reply + " ".join(forwarded)).lower() for word in CLINICAL_WORDS)


def test_running_out_of_the_baclofen_beside_another_medicine_still_warns_of_withdrawal(
        session: Session, ward: Ward, meds: dict[str, int], sms: Post) -> None:
    with freeze_time(NOW + MINUTE):
        reply = message_of(sms(ward.patient.phone, "ran out of baclofen"))

    assert "cannot get baclofen" in reply
    assert clinical_alerts(session) == ["withdrawal_risk"]

"""SMS conversations in people's own words, through the signed webhook: what each reply records,
which alerts it opens, and what the sender is told.

Rosa's 14:00 (New York) dose is due; Ann and Bob are her caregivers. Time is frozen as each
message arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from alerts.domain.clinical.safety import advice_violations
from alerts.models import Alert, CheckIn, DoseEvent, InboundMessage, Notification, Patient
from alerts.services import checkin_prompts
from tests.conftest import NOW
from tests.services.support import MINUTE, Outgoing, Ward, outbox, read, ward_doses
from tests.twilio.conftest import parametrize_medicines
from tests.twilio.test_twilio_webhooks import message_of, tick

# Every scenario with one medicine (baclofen) and with two (baclofen and metformin): baclofen's
# behaviour must not change, and the second medicine must never bring a clinical claim.
pytest_generate_tests = parametrize_medicines

Post = Callable[..., TestResponse]


def alerts(session: Session) -> list[tuple[str, str, str]]:
    return [(a.kind, a.condition_key, a.status) for a in read(session, select(Alert).order_by(Alert.id))]


def outcomes(session: Session) -> list[str | None]:
    return [m.outcome for m in read(session, select(InboundMessage).order_by(InboundMessage.received_at))]


def test_forgot_records_nothing_and_the_kind_reply_gives_no_dose_advice(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    tick(app, ward.t0)
    with freeze_time(ward.t0 + MINUTE):
        response = sms(ward.patient.phone, "Oops I forgot my dose")

    reply = message_of(response)
    assert reply.startswith("dosewatch: thanks for letting us know, nothing is recorded as taken.")
    assert advice_violations(reply) == []
    assert read(session, select(DoseEvent)) == []
    assert alerts(session) == [("missed_dose", "missed_dose", "open")]
    assert outcomes(session) == ["dose_not_taken"]


def test_pharmacy_did_not_have_it_warns_every_caregiver_of_withdrawal_risk(
        session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(NOW + MINUTE):
        response = sms(ward.patient.phone, "the pharmacy didn't have it")

    assert "we recorded that Rosa cannot get baclofen" in message_of(response)
    [checkin] = read(session, select(CheckIn))
    assert (checkin.supply_problem, checkin.source, checkin.symptoms) == ("no_refill", "sms", {})
    assert alerts(session) == [("withdrawal_risk", "withdrawal_risk", "open")]
    assert outbox(session) == [Outgoing("withdrawal_risk", 0, "Ann", "queued"), Outgoing("withdrawal_risk", 0, "Bob", "queued")]


def test_a_caregiver_saying_the_patient_ran_out_raises_the_same_alert(
        session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(NOW + MINUTE):
        sms(ward.bob.phone, "she ran out of pills yesterday")

    [checkin] = read(session, select(CheckIn))
    assert (checkin.patient_id, checkin.supply_problem) == (ward.patient.id, "ran_out")
    assert alerts(session) == [("withdrawal_risk", "withdrawal_risk", "open")]


def test_spanish_supply_problem_is_answered_in_spanish(session: Session, make_patient, make_caregiver,  # type: ignore[no-untyped-def]
                                                      make_schedule, sms: Post) -> None:
    lucia = make_patient(name="Lucia", language="es")
    make_caregiver(lucia, name="Pedro", language="es")
    make_schedule(lucia, ["09:00"], now=NOW)
    with freeze_time(NOW + MINUTE):
        response = sms(lucia.phone, "Se me acabaron las pastillas")

    assert message_of(response).startswith("dosewatch: gracias, registramos que Lucia no puede conseguir baclofeno")
    assert alerts(session) == [("withdrawal_risk", "withdrawal_risk", "open")]


def test_took_it_twice_by_mistake_records_both_doses_and_warns_of_toxicity(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    tick(app, ward.t0)
    with freeze_time(ward.t0 + 5 * MINUTE):
        response = sms(ward.patient.phone, "took it twice by mistake", sid="SM" + "e" * 32)

    reply = message_of(response)
    assert "We recorded 2 doses for Rosa around 14:35" in reply
    assert "call 911" in reply and advice_violations(reply) == []
    events = read(session, select(DoseEvent).order_by(DoseEvent.id))
    assert [(e.taken_at, e.idempotency_key) for e in events] == [
        (ward.t0 + 5 * MINUTE, "sms:SM" + "e" * 32 + ":0"), (ward.t0 + 5 * MINUTE, "sms:SM" + "e" * 32 + ":1")]
    assert {d.local_time: d.status for d in ward_doses(session, ward)} == {"14:00": "taken", "20:00": "pending"}
    assert alerts(session) == [("missed_dose", "missed_dose", "resolved"),
                               ("toxicity_risk", "toxicity_risk", "open")]
    assert [o for o in outbox(session) if o.kind == "toxicity_risk"] == [
        Outgoing("toxicity_risk", 0, "Ann", "queued"), Outgoing("toxicity_risk", 0, "Bob", "queued")]


def test_an_extra_one_after_taken_counts_the_dose_already_reported(
        session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(ward.due):
        sms(ward.patient.phone, "TAKEN")
    with freeze_time(ward.due + 20 * MINUTE):
        response = sms(ward.patient.phone, "I think I took an extra one")

    assert "We recorded 2 doses" in message_of(response)
    assert len(read(session, select(DoseEvent))) == 2
    assert ("toxicity_risk", "toxicity_risk", "open") in alerts(session)


def test_a_patient_asking_whether_to_take_another_records_nothing_and_the_escalation_carries_on(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    tick(app, ward.t0)
    with freeze_time(ward.t0 + MINUTE):
        response = sms(ward.patient.phone, "Should I take another one?")

    assert "we sent your question to your care team" in message_of(response)
    assert advice_violations(message_of(response)) == []
    assert read(session, select(DoseEvent)) == []
    assert alerts(session) == [("missed_dose", "missed_dose", "open")]
    assert outcomes(session) == ["question_forwarded"]
    assert [(n.kind, n.body) for n in read(session, select(Notification).where(Notification.kind == "sms_forward"))] \
        == [("sms_forward", "dosewatch: Rosa wrote about Rosa: 'Should I take another one?'")] * 2


def test_a_caregiver_asking_in_their_own_words_gets_the_status(session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(NOW):
        response = sms(ward.ann.phone, "did she take her pill?")

    assert message_of(response).startswith("dosewatch: Rosa: no open alerts. Last dose taken: none recorded.")
    assert read(session, select(DoseEvent)) == []
    assert outcomes(session) == ["status"]


def test_a_red_flag_beats_taken_in_the_same_message(app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    tick(app, ward.t0)
    with freeze_time(ward.t0 + MINUTE):
        response = sms(ward.patient.phone, "yes took it, but now she had a fit")

    assert "911" in message_of(response)
    assert ("emergency", "emergency", "open") in alerts(session)
    assert outcomes(session) == ["emergency"]


def test_taken_with_milder_symptoms_records_the_dose_and_a_check_in(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    tick(app, ward.t0)
    with freeze_time(ward.t0 + MINUTE):
        response = sms(ward.patient.phone, "took it, legs jumping 7")

    assert message_of(response).startswith("dosewatch: thanks, your 14:00 dose is recorded")
    assert len(read(session, select(DoseEvent))) == 1
    assert [c.symptoms for c in read(session, select(CheckIn))] == [{"twitching": 7}]
    assert outcomes(session) == ["dose_recorded+symptoms_recorded"]


def test_a_bare_thumbs_up_is_asked_about_and_typos_record_the_dose(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    tick(app, ward.t0)
    with freeze_time(ward.t0 + MINUTE):
        response = sms(ward.patient.phone, "👍")
    # "Seen" or "taken"? A dose recorded on a guess hides a missed one: the numbered question, and
    # no "could not read it" to the caregivers (there are no words to read).
    assert "Please reply with one number: 1 I took my dose" in message_of(response)
    assert read(session, select(DoseEvent)) == []
    assert [n.body for n in read(session, select(Notification)) if n.to_number == ward.ann.phone] == []
    with freeze_time(ward.t0 + 2 * MINUTE):
        sms(ward.patient.phone, "1")
    with freeze_time(ward.t0 + 3 * MINUTE):
        sms(ward.patient.phone, "takn")

    # The third text repeats the answer: a confirmation of the 14:00 dose, not a second dose.
    assert outcomes(session) == ["asked_numbered", "dose_recorded", "dose_confirmed"]
    assert len(read(session, select(DoseEvent))) == 1


def test_status_tells_a_caregiver_the_open_alerts_last_dose_and_next_dose_in_the_patients_zone(
        app: Flask, session: Session, ward: Ward, sms: Post, medicines: str) -> None:
    with freeze_time(NOW):  # 08:00 in New York
        sms(ward.patient.phone, "took it")
    tick(app, ward.t0)  # the 14:00 dose is missed
    code = read(session, select(Alert))[0].code
    with freeze_time(ward.t0 + MINUTE):
        response = sms(ward.ann.phone, "Status?")

    after = NEXT[medicines].replace("14:00", "20:00")
    assert message_of(response) == (
        f"dosewatch: Rosa: open: missed dose {code} (reply OK + code). Last dose taken: today 08:00. "
        f"Next dose: {after}")
    assert outcomes(session)[-1] == "status"


# STATUS's next dose for the ward: with the second medicine, each medicine's next dose, named.
NEXT = {"one": "today 14:00.", "two": "today 14:00 (baclofen), today 22:00 (metformin)."}


def test_status_with_nothing_recorded_says_so(session: Session, ward: Ward, sms: Post, medicines: str) -> None:
    with freeze_time(NOW):
        response = sms(ward.bob.phone, "STATUS")
    assert message_of(response) == ("dosewatch: Rosa: no open alerts. Last dose taken: none recorded. "
                                    f"Next dose: {NEXT[medicines]}")


def test_status_from_a_patient_is_not_understood_and_changes_nothing(
        session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(NOW):
        response = sms(ward.patient.phone, "status")
    assert "Reply STOP to opt out" in message_of(response)
    assert outcomes(session) == ["not_understood:status"]


def test_help_says_who_this_is_and_how_to_stop(session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(NOW):
        reply = message_of(sms(ward.ann.phone, "HELP"))
    assert reply.startswith("dosewatch: baclofen dose reminders and alerts from your care team.")
    assert "Reply STOP to opt out" in reply and "911" in reply


# -- the daily check-in prompt ---------------------------------------------------------------------


def prompted(app: Flask, session: Session, patient_id: int, local_time: str, at: datetime) -> None:
    """Give the patient a daily prompt at ``local_time`` and run the tick when it is due."""
    patient = session.get(Patient, patient_id)
    assert patient is not None
    patient.checkin_prompt_time = local_time
    checkin_prompts.plan(patient, at - timedelta(days=1))
    session.commit()
    tick(app, at)


def test_a_number_answering_the_daily_prompt_records_the_twitches(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    evening = datetime(2026, 6, 15, 23, 0, tzinfo=UTC)  # 19:00 in New York
    prompted(app, session, ward.patient.id, "19:00", evening)
    assert [o.kind for o in outbox(session)].count("checkin_prompt") == 1
    with freeze_time(evening + 5 * MINUTE):
        response = sms(ward.patient.phone, "3")

    assert message_of(response) == "dosewatch: thanks, we recorded your twitches today as 3 out of 10. " \
                                   "In an emergency call 911."
    [checkin] = read(session, select(CheckIn))
    assert (checkin.symptoms, checkin.source) == ({"twitching": 3}, "sms")
    assert outcomes(session) == ["checkin_answer"]


def test_twitches_worse_than_yesterdays_answer_prompt_a_visit_to_the_doctor(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    evening = datetime(2026, 6, 15, 23, 0, tzinfo=UTC)
    prompted(app, session, ward.patient.id, "19:00", evening)
    with freeze_time(evening + MINUTE):
        sms(ward.patient.phone, "2/10")
    tick(app, evening + timedelta(days=1))
    with freeze_time(evening + timedelta(days=1, minutes=1)):
        sms(ward.patient.phone, "7")

    assert [c.symptoms for c in read(session, select(CheckIn).order_by(CheckIn.id))] == [
        {"twitching": 2}, {"twitching": 7}]
    # A day without doses opened a withdrawal alert: the worse twitches are more evidence of that
    # situation and join it (one alert, one text each), the prompt's reason riding on its reminder.
    (risk,) = read(session, select(Alert).where(Alert.kind == "withdrawal_risk", Alert.status == "open"))
    assert risk.details["evidence"] == ["withdrawal_risk:missed_doses", "consult_soon:worsening_twitches"]
    assert "consult_soon" not in [kind for kind, _, _ in alerts(session)]


def test_a_bare_number_with_no_prompt_sent_changes_nothing(session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(NOW):
        response = sms(ward.patient.phone, "3")
    assert "reply with one number: 1 I took my dose" in message_of(response)
    assert read(session, select(CheckIn)) == []
    assert outcomes(session) == ["asked_numbered"]


def test_the_prompt_is_in_the_patients_language(app: Flask, session: Session, make_patient) -> None:  # type: ignore[no-untyped-def]
    lucia = make_patient(name="Lucia", language="es")
    prompted(app, session, lucia.id, "09:00", datetime(2026, 6, 16, 13, 0, tzinfo=UTC))
    [prompt] = read(session, select(Notification))
    assert prompt.body.startswith("dosewatch: Como estan hoy sus contracciones musculares, de 0 a 10?")


def test_spanish_forgot_gets_the_kind_reply_in_spanish(session: Session, make_patient, make_schedule,  # type: ignore[no-untyped-def]
                                                       sms: Post) -> None:
    lucia = make_patient(name="Lucia", language="es")
    make_schedule(lucia, ["09:00"], now=NOW)
    with freeze_time(NOW + MINUTE):
        reply = message_of(sms(lucia.phone, "Se me olvidó"))
    assert reply.startswith("dosewatch: gracias por avisar, no registramos ninguna dosis.")
    assert advice_violations(reply) == []


def test_status_from_a_caregiver_of_two_patients_gives_a_line_each_in_their_language(
        session: Session, ward: Ward, make_patient, make_caregiver, make_schedule, sms: Post,  # type: ignore[no-untyped-def]
        medicines: str) -> None:
    lucia = make_patient(name="Lucia", language="es", timezone="Europe/Madrid")
    make_caregiver(lucia, name="Ana", phone=ward.ann.phone, language="es")
    make_schedule(lucia, ["21:00"], now=NOW)
    with freeze_time(NOW):
        reply = message_of(sms(ward.ann.phone, "estado"))
    assert reply.split("\n") == [
        f"dosewatch: Rosa: no open alerts. Last dose taken: none recorded. Next dose: {NEXT[medicines]}",
        "dosewatch: Lucia: sin alertas abiertas. Ultima dosis tomada: ninguna registrada. Proxima dosis: hoy 21:00.",
    ]


def test_an_extra_dose_from_a_caregiver_of_two_patients_asks_again_and_records_nothing(
        session: Session, ward: Ward, make_patient, make_caregiver, sms: Post) -> None:  # type: ignore[no-untyped-def]
    other = make_patient(name="Max")
    make_caregiver(other, name="Ann again", phone=ward.ann.phone)
    with freeze_time(NOW):
        response = sms(ward.ann.phone, "he took it twice")
    assert "Reply TAKEN" in message_of(response)
    assert read(session, select(DoseEvent)) == []

"""Twilio webhooks as Twilio calls them: signed form posts, answered with TwiML.

Time is frozen at the instant each webhook arrives; the cast is Rosa (dose due 14:00 New York),
Ann (caregiver 1) and Bob (caregiver 2), escalating every 10 minutes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from alerts.app import get_db
from alerts.models import Alert, CheckIn, DoseEvent, InboundMessage, Notification, OptOut
from alerts.services.inbound import handle_sms
from alerts.services.tick import run_tick
from tests.conftest import NOW
from tests.services.support import MINUTE, Outgoing, Ward, notifications, only_alert, outbox, read, ward_doses
from tests.twilio.conftest import PUBLIC_BASE_URL, parametrize_medicines, sign
from tests.support.settings import POLICY, TICK, WINDOWS

# Every scenario with one medicine (baclofen) and with two (baclofen and metformin): baclofen's
# behaviour must not change, and the second medicine must never bring a clinical claim.
pytest_generate_tests = parametrize_medicines

Post = Callable[..., TestResponse]


def tick(app: Flask, now: datetime) -> None:
    run_tick(get_db(app).sessionmaker, now, **TICK)


def message_of(response: TestResponse) -> str:
    """The single <Message> of a TwiML answer (asserting it is TwiML)."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/xml"
    xml = response.get_data(as_text=True)
    assert xml.count("<Message>") == 1, xml
    return xml.split("<Message>", 1)[1].split("</Message>", 1)[0]


def dose_events(session: Session) -> list[DoseEvent]:
    return read(session, select(DoseEvent).order_by(DoseEvent.id))


# -- patient: TAKEN -------------------------------------------------------------------------------


def test_patient_taken_reply_records_the_due_dose_and_sends_all_clear_to_caregivers_told(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    tick(app, ward.t0)
    tick(app, ward.t0 + 10 * MINUTE)  # Rosa reminded, Ann told; Bob not yet
    with freeze_time(ward.t0 + 12 * MINUTE):
        response = sms(ward.patient.phone, "Taken!", sid="SM" + "1" * 32)

    assert message_of(response) == "dosewatch: thanks, your 14:00 dose is recorded at 14:42."
    by_time = {d.local_time: d.status for d in ward_doses(session, ward)}
    assert by_time == {"14:00": "taken", "20:00": "pending"}
    [event] = dose_events(session)
    assert (event.source, event.idempotency_key, event.taken_at) == ("sms", "sms:SM" + "1" * 32, ward.t0 + 12 * MINUTE)
    assert only_alert(session, ward.patient).status == "resolved"
    assert outbox(session)[2:] == [Outgoing("all_clear", None, "Ann", "queued")]


def test_replayed_message_sid_records_one_dose_and_returns_the_same_reply(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    tick(app, ward.t0)
    with freeze_time(ward.t0 + 5 * MINUTE):
        first = sms(ward.patient.phone, "TAKEN", sid="SM" + "2" * 32)
    with freeze_time(ward.t0 + 6 * MINUTE):  # Twilio's retry, a minute later
        again = sms(ward.patient.phone, "TAKEN", sid="SM" + "2" * 32)

    assert message_of(again) == message_of(first)
    assert len(dose_events(session)) == 1
    assert len(read(session, select(InboundMessage))) == 1


def test_taken_with_no_dose_due_is_still_recorded_and_the_reply_says_it_was_unscheduled(
        session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(NOW + 60 * MINUTE):  # 09:00 in New York: the 14:00 dose is hours away
        response = sms(ward.patient.phone, "took it")

    assert "dose taken at 09:00" in message_of(response)
    assert "unscheduled" in message_of(response)
    [event] = dose_events(session)
    assert event.dose_id is None
    assert {d.local_time: d.status for d in ward_doses(session, ward)} == {"14:00": "pending"}


def test_spanish_speaking_patient_is_answered_in_spanish(session: Session, make_patient, make_schedule,  # type: ignore[no-untyped-def]
                                                          sms: Post) -> None:
    patient = make_patient(name="Lucia", language="es")
    make_schedule(patient, ["09:00"], now=NOW)
    with freeze_time(NOW + 60 * MINUTE):  # 09:00 in New York
        response = sms(patient.phone, "Sí, ya la tomé")
    assert message_of(response) == "dosewatch: gracias, su dosis de las 09:00 quedo registrada a las 09:00."


TWIML_MESSAGE = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>'


@pytest.mark.parametrize("word", ["TAKEN", "YES", "TOOK IT"])
def test_each_of_the_patients_taken_words_records_the_due_dose_and_answers_in_twiml(
        app: Flask, session: Session, ward: Ward, sms: Post, word: str) -> None:
    tick(app, ward.t0)
    with freeze_time(ward.t0 + 5 * MINUTE):
        response = sms(ward.patient.phone, word)

    assert response.get_data(as_text=True).startswith(TWIML_MESSAGE)
    assert message_of(response) == "dosewatch: thanks, your 14:00 dose is recorded at 14:35."
    by_time = {d.local_time: d.status for d in ward_doses(session, ward)}
    assert by_time == {"14:00": "taken", "20:00": "pending"}
    assert [e.source for e in dose_events(session)] == ["sms"]
    assert only_alert(session, ward.patient).status == "resolved"


@pytest.mark.parametrize("word", ["OK", "ACK"])
def test_each_of_the_caregivers_acknowledgement_words_acknowledges_and_answers_in_twiml(
        app: Flask, session: Session, ward: Ward, sms: Post, word: str) -> None:
    tick(app, ward.t0)
    tick(app, ward.t0 + 10 * MINUTE)  # Ann told
    with freeze_time(ward.t0 + 12 * MINUTE):
        response = sms(ward.ann.phone, word)

    assert response.get_data(as_text=True).startswith(TWIML_MESSAGE)
    assert message_of(response).startswith("dosewatch: thanks, Ann.")
    alert = only_alert(session, ward.patient)
    assert (alert.status, alert.acknowledged_by, alert.close_reason) == (
        "acknowledged", ward.ann.id, "ack_sms")
    assert dose_events(session) == []


# -- caregiver: OK --------------------------------------------------------------------------------


def test_caregiver_ok_acknowledges_the_alert_and_tells_the_others_already_told(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    for minutes in (0, 10, 20):  # Rosa, Ann, then Bob told
        tick(app, ward.t0 + minutes * MINUTE)
    with freeze_time(ward.t0 + 25 * MINUTE):
        response = sms(ward.bob.phone, "ok")

    assert message_of(response) == "dosewatch: thanks, Bob. The others have been told you are on it."
    alert = only_alert(session, ward.patient)
    assert (alert.status, alert.acknowledged_by, alert.close_reason) == ("acknowledged", ward.bob.id, "ack_sms")
    assert outbox(session)[3:] == [Outgoing("all_clear", None, "patient", "queued"),
                                   Outgoing("all_clear", None, "Ann", "queued")]
    assert dose_events(session) == []  # an acknowledgement is not a dose


def test_caregiver_with_two_open_alerts_is_asked_which_and_the_code_picks_one(
        app: Flask, session: Session, ward: Ward, make_patient, make_caregiver, make_schedule,  # type: ignore[no-untyped-def]
        sms: Post) -> None:
    # Ann also cares for Luis, whose 14:00 dose is missed at the same time as Rosa's.
    luis = make_patient(name="Luis", escalation_minutes=10)
    make_caregiver(luis, name="Ann", phone=ward.ann.phone, position=1)
    make_schedule(luis, ["14:00"], now=NOW)
    tick(app, ward.t0)
    tick(app, ward.t0 + 10 * MINUTE)
    rosa_alert, luis_alert = read(session, select(Alert).order_by(Alert.patient_id))

    with freeze_time(ward.t0 + 12 * MINUTE):
        question = message_of(sms(ward.ann.phone, "OK"))
    assert f"{rosa_alert.code} (Rosa)" in question and f"{luis_alert.code} (Luis)" in question
    assert [a.status for a in read(session, select(Alert))] == ["open", "open"]

    with freeze_time(ward.t0 + 13 * MINUTE):
        thanks = message_of(sms(ward.ann.phone, f"ok {luis_alert.code.lower()}"))
    assert thanks.startswith("dosewatch: thanks, Ann.")
    statuses = {a.id: a.status for a in read(session, select(Alert))}
    assert statuses == {rosa_alert.id: "open", luis_alert.id: "acknowledged"}


def test_caregiver_ok_with_nothing_open_is_told_so(session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(NOW):
        response = sms(ward.ann.phone, "OK")
    assert message_of(response) == "dosewatch: there is no open alert for you to acknowledge."


# -- keywords and replies we do not understand ------------------------------------------------------


def test_stop_records_an_opt_out_and_answers_nothing_then_start_lifts_it(
        session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(NOW):
        stop = sms(ward.ann.phone, "STOP")
    assert stop.status_code == 200 and "<Message>" not in stop.get_data(as_text=True)  # Twilio answers STOP
    [opt_out] = read(session, select(OptOut))
    assert (opt_out.phone, opt_out.active) == (ward.ann.phone, True)

    with freeze_time(NOW + MINUTE):
        sms(ward.ann.phone, "start")
    assert [o.active for o in read(session, select(OptOut))] == [False]


def test_a_question_goes_to_the_care_team_and_changes_nothing(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    tick(app, ward.t0)
    with freeze_time(ward.t0 + MINUTE):
        response = sms(ward.patient.phone, "what is this?")
    assert "we sent your question to your care team" in message_of(response)
    assert dose_events(session) == []
    assert only_alert(session, ward.patient).status == "open"


def test_taken_from_a_stranger_records_nothing(session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(ward.t0):
        response = sms("+14155550199", "TAKEN")
    assert "Reply TAKEN" in message_of(response)
    assert dose_events(session) == []
    assert [m.outcome for m in read(session, select(InboundMessage))] == ["unknown_sender"]


# -- signatures -----------------------------------------------------------------------------------


def _assert_forbidden_and_nothing_recorded(response: TestResponse, session: Session, ward: Ward) -> None:
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert read(session, select(InboundMessage)) == []
    assert dose_events(session) == []
    assert {d.local_time: d.status for d in ward_doses(session, ward)} == {"14:00": "pending"}


def test_forged_signature_is_rejected_and_nothing_is_recorded(session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(ward.due):
        response = sms(ward.patient.phone, "TAKEN", signature="bm90IGEgc2lnbmF0dXJlIGF0IGFsbA==")
    _assert_forbidden_and_nothing_recorded(response, session, ward)


def test_missing_signature_is_rejected_and_nothing_is_recorded(session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(ward.due):
        response = sms(ward.patient.phone, "TAKEN", signature=None)
    _assert_forbidden_and_nothing_recorded(response, session, ward)


def test_signature_made_with_another_auth_token_is_rejected(session: Session, ward: Ward, twilio_post: Post) -> None:
    params = {"MessageSid": "SM" + "3" * 32, "From": ward.patient.phone, "Body": "TAKEN"}
    forged = sign(PUBLIC_BASE_URL + "/twilio/sms", params, token="someone-elses-token")
    with freeze_time(ward.due):
        response = twilio_post("/twilio/sms", params, signature=forged)
    _assert_forbidden_and_nothing_recorded(response, session, ward)


def test_a_signed_body_cannot_be_altered(session: Session, ward: Ward, client: FlaskClient) -> None:
    signed = {"MessageSid": "SM" + "4" * 32, "From": ward.patient.phone, "Body": "HELP"}
    altered = dict(signed, Body="TAKEN")
    session.commit()
    with freeze_time(ward.due):
        response = client.post("/twilio/sms", data=altered,
                               headers={"X-Twilio-Signature": sign(PUBLIC_BASE_URL + "/twilio/sms", signed)})
    _assert_forbidden_and_nothing_recorded(response, session, ward)


def test_request_through_a_proxy_is_validated_against_the_public_url(
        session: Session, ward: Ward, sms: Post) -> None:
    # Flask's test client sees http://localhost/twilio/sms; Twilio signed the public https URL.
    with freeze_time(ward.due):
        accepted = sms(ward.patient.phone, "TAKEN", signed_url=PUBLIC_BASE_URL + "/twilio/sms")
        rejected = sms(ward.patient.phone, "TAKEN", signed_url="http://localhost/twilio/sms")
    assert accepted.status_code == 200
    assert rejected.status_code == 403
    assert len(dose_events(session)) == 1


def test_without_an_auth_token_inbound_sms_is_refused_as_not_configured(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    app.config["TWILIO_AUTH_TOKEN"] = None
    with freeze_time(ward.due):
        response = sms(ward.patient.phone, "TAKEN")
    assert "not configured" in response.get_json()["detail"]
    _assert_forbidden_and_nothing_recorded(response, session, ward)


# -- status callbacks -----------------------------------------------------------------------------


def _sent_notification(session: Session, ward: Ward, sid: str, channel: str = "sms") -> Notification:
    row = Notification(dedupe_key=f"test:{sid}", patient_id=ward.patient.id, kind="escalation",
                       recipient_kind="caregiver", recipient_id=ward.ann.id, to_number=ward.ann.phone,
                       channel=channel, body="Rosa's 14:00 dose has not been recorded.", status="sent",
                       provider_sid=sid, next_attempt_at=NOW, created_at=NOW)
    session.add(row)
    session.commit()
    return row


def _status(twilio_post: Post, signature: object = None, **params: str) -> TestResponse:
    """A status callback with ``params``; ``signature`` replaces the correct one when given."""
    extra = {} if signature is None else {"signature": signature}
    with freeze_time(NOW):
        return twilio_post("/twilio/status", {"AccountSid": "AC" + "0" * 32, **params}, **extra)


def test_status_callbacks_out_of_order_never_move_a_status_backwards(
        session: Session, ward: Ward, twilio_post: Post) -> None:
    sid = "SM" + "5" * 32
    _sent_notification(session, ward, sid)
    for status in ("delivered", "sent", "sent", "queued"):
        response = _status(twilio_post, MessageSid=sid, SmsSid=sid, MessageStatus=status, SmsStatus=status)
        assert response.status_code == 204
    assert [n.status for n in notifications(session)] == ["delivered"]


def test_failed_delivery_callback_keeps_twilios_error_code(session: Session, ward: Ward, twilio_post: Post) -> None:
    sid = "SM" + "6" * 32
    _sent_notification(session, ward, sid)
    _status(twilio_post, MessageSid=sid, MessageStatus="undelivered", ErrorCode="30006")
    _status(twilio_post, MessageSid=sid, MessageStatus="delivered")  # a final status stays final
    [row] = notifications(session)
    assert (row.status, row.error_code) == ("undelivered", 30006)


def test_call_status_callback_updates_the_voice_notification(session: Session, ward: Ward, twilio_post: Post) -> None:
    sid = "CA" + "7" * 32
    _sent_notification(session, ward, sid, channel="voice")
    _status(twilio_post, CallSid=sid, CallStatus="no-answer")
    assert [n.status for n in notifications(session)] == ["no-answer"]


def test_forged_status_callback_changes_nothing(session: Session, ward: Ward, twilio_post: Post) -> None:
    sid = "SM" + "8" * 32
    _sent_notification(session, ward, sid)
    response = _status(twilio_post, MessageSid=sid, MessageStatus="failed", signature="forged")
    assert response.status_code == 403
    assert [n.status for n in notifications(session)] == ["sent"]


# -- voice ----------------------------------------------------------------------------------------


def _voice_call_to_ann(app: Flask, session: Session, ward: Ward) -> Notification:
    tick(app, ward.t0)
    tick(app, ward.t0 + 10 * MINUTE)
    alert = only_alert(session, ward.patient)
    return _sent_notification_for_alert(session, ward, alert)


def _sent_notification_for_alert(session: Session, ward: Ward, alert: Alert) -> Notification:
    row = _sent_notification(session, ward, "CA" + "9" * 32, channel="voice")
    row.alert_id = alert.id
    session.commit()
    return row


def test_voice_twiml_speaks_the_message_and_gathers_one_key(
        app: Flask, session: Session, ward: Ward, client: FlaskClient) -> None:
    call = _voice_call_to_ann(app, session, ward)
    path = f"/twilio/voice/{call.id}"
    response = client.get(path, headers={"X-Twilio-Signature": sign(PUBLIC_BASE_URL + path, {})})

    xml = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/xml"
    assert f'action="{PUBLIC_BASE_URL}/twilio/voice/{call.id}/gather"' in xml and 'numDigits="1"' in xml
    assert "Rosa's 14:00 dose has not been recorded." in xml
    assert "Press 1 to acknowledge" in xml


def test_pressing_1_acknowledges_the_alert_for_the_caregiver_called(
        app: Flask, session: Session, ward: Ward, twilio_post: Post) -> None:
    call = _voice_call_to_ann(app, session, ward)
    with freeze_time(ward.t0 + 12 * MINUTE):
        response = twilio_post(f"/twilio/voice/{call.id}/gather", {"CallSid": call.provider_sid, "Digits": "1"})

    assert "thanks, Ann" in response.get_data(as_text=True)
    alert = only_alert(session, ward.patient)
    assert (alert.status, alert.acknowledged_by, alert.close_reason) == ("acknowledged", ward.ann.id, "ack_voice")


def test_pressing_another_key_repeats_the_message_and_acknowledges_nothing(
        app: Flask, session: Session, ward: Ward, twilio_post: Post) -> None:
    call = _voice_call_to_ann(app, session, ward)
    with freeze_time(ward.t0 + 12 * MINUTE):
        response = twilio_post(f"/twilio/voice/{call.id}/gather", {"CallSid": call.provider_sid, "Digits": "7"})

    assert "<Gather" in response.get_data(as_text=True)
    assert only_alert(session, ward.patient).status == "open"


def test_a_completed_call_is_not_an_acknowledgement(
        app: Flask, session: Session, ward: Ward, twilio_post: Post) -> None:
    call = _voice_call_to_ann(app, session, ward)
    _status(twilio_post, CallSid=call.provider_sid, CallStatus="completed")
    assert only_alert(session, ward.patient).status == "open"


def test_concurrent_retry_of_the_same_message_sid_waits_and_returns_the_first_reply(
        app: Flask, session: Session, ward: Ward, sms: Post) -> None:
    if get_db(app).dialect != "postgresql":
        pytest.skip("SQLite serialises writers with BEGIN IMMEDIATE: two handlers never overlap")
    sid = "SM" + "c" * 32
    tick(app, ward.t0)
    session.commit()
    with get_db(app).sessionmaker() as first:
        # The first delivery has claimed the MessageSid but not committed yet...
        handled = handle_sms(first, message_sid=sid, from_number=ward.patient.phone, body="TAKEN",
                             now=ward.t0 + MINUTE, policy=POLICY, windows=WINDOWS)
        with ThreadPoolExecutor(1) as pool, freeze_time(ward.t0 + MINUTE):
            # ...when Twilio's retry arrives; it blocks on the MessageSid key until the first commits.
            retry = pool.submit(sms, ward.patient.phone, "TAKEN", sid=sid)
            time.sleep(0.3)
            first.commit()
            response = retry.result(timeout=10)

    assert message_of(response) == handled.reply_text
    assert len(dose_events(session)) == 1


# -- symptoms and red flags in plain words ------------------------------------------------------------


def test_caregiver_texting_that_the_patient_had_a_fit_raises_an_emergency_at_once(
        session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(ward.t0):
        response = sms(ward.bob.phone, "she had a fit")

    assert "alerting Rosa's caregivers now" in message_of(response) and "911" in message_of(response)
    alert = only_alert(session, ward.patient)
    assert (alert.kind, alert.status) == ("emergency", "open")
    emergency = [n for n in notifications(session) if n.kind == "emergency"]
    assert sorted((n.recipient_kind, n.channel) for n in emergency) == [
        ("caregiver", "sms"), ("caregiver", "sms"), ("caregiver", "voice"), ("caregiver", "voice"),
        ("patient", "sms")]


def test_patient_texting_they_cannot_breathe_raises_an_emergency(session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(ward.t0):
        sms(ward.patient.phone, "cant breathe", sid="SM" + "7" * 32)

    assert only_alert(session, ward.patient).kind == "emergency"
    [checkin] = read(session, select(CheckIn))
    assert (checkin.source, checkin.symptoms, checkin.idempotency_key) == (
        "sms", {"breathing_difficulty": 10}, "sms:SM" + "7" * 32)


def test_a_denied_red_flag_changes_nothing_and_gets_a_kind_reply(session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(ward.t0):
        response = sms(ward.patient.phone, "no seizures today, feeling ok")

    assert message_of(response).startswith("dosewatch: thanks, glad to hear it.")
    assert read(session, select(Alert)) == [] and read(session, select(CheckIn)) == []


def test_milder_symptoms_by_sms_are_recorded_as_a_check_in(session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(ward.t0):
        response = sms(ward.patient.phone, "legs jumping 7")

    assert "we recorded how Rosa is feeling" in message_of(response)
    [checkin] = read(session, select(CheckIn))
    assert checkin.symptoms == {"twitching": 7}


def test_symptoms_from_a_stranger_record_nothing(session: Session, ward: Ward, sms: Post) -> None:
    with freeze_time(ward.t0):
        sms("+12025550199", "he had a seizure")

    assert read(session, select(CheckIn)) == [] and read(session, select(Alert)) == []

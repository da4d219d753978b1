"""A red flag end to end: the API, a real worker on Redis and PostgreSQL, and the Twilio mock.

A seizure check-in is POSTed to the API as an app would; the worker (nudged after the commit)
texts and calls every caregiver through Twilio's API, tells the patient to call 911, repeats until
someone acknowledges, and stops once a caregiver replies OK by SMS or presses 1 on the call. The
acknowledgements arrive as signed Twilio webhooks.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from alerts.clock import utcnow
from alerts.models import Alert, Caregiver, DoseSchedule, Notification, Patient
from alerts.services.doses import start_schedule
from alerts.services.tokens import issue_token
from tests.integration.conftest import Worker, wait_for
from tests.integration.test_worker import TICK, make_next_step_due, rows

pytestmark = pytest.mark.integration

CAREGIVERS = ("Ann", "Bob")


def signed_post(client: FlaskClient, worker: Worker, path: str, params: Mapping[str, str]):  # type: ignore[no-untyped-def]
    """POST as Twilio does: form-encoded and signed for the public URL with the auth token."""
    config = worker.app.config
    url = config["PUBLIC_BASE_URL"].rstrip("/") + path
    signature = RequestValidator(config["TWILIO_AUTH_TOKEN"]).compute_signature(url, dict(params))
    return client.post(path, data=dict(params), headers={"X-Twilio-Signature": signature})


@pytest.fixture
def household(live: Worker) -> tuple[Patient, str]:
    """Rosa, her caregivers Ann and Bob, a schedule, and an app token for her; returns (patient, token)."""
    with live.sessions.begin() as s:
        patient = Patient(name="Rosa", timezone="America/Denver", phone="+15005550101")
        s.add(patient)
        s.flush()
        for position, name in enumerate(CAREGIVERS, start=1):
            s.add(Caregiver(patient_id=patient.id, name=name, phone=f"+1415555{position:04d}", position=position))
        schedule = DoseSchedule(patient_id=patient.id, times=["08:00", "20:00"], dose_mg=Decimal("10"),
                                grace_minutes=30)
        s.add(schedule)
        s.flush()
        start_schedule(s, schedule, patient, utcnow())
        token = issue_token(s, "Rosa's phone", "client", [patient])
    return patient, token


def emergency_rows(worker: Worker) -> list[Notification]:
    return [n for n in rows(worker) if n.kind == "emergency"]


def caregiver_ids(worker: Worker) -> dict[str, int]:
    with worker.sessions() as s:
        return {c.name: c.id for c in s.scalars(select(Caregiver))}


def post_seizure(client: FlaskClient, patient: Patient, token: str) -> None:
    response = client.post(f"/v1/patients/{patient.id}/checkins", headers={"Authorization": f"Bearer {token}"},
                           json={"recorded_at": utcnow().isoformat(), "symptoms": {"seizure": 1}})
    assert response.status_code == 201, response.get_data(as_text=True)


def delivered(worker: Worker, step: int, expected: int, timeout: float) -> list[Notification]:
    def probe() -> list[Notification] | None:
        found = [n for n in emergency_rows(worker) if n.step == step]
        return found if len(found) == expected and all(n.status == "sent" for n in found) else None

    return wait_for(f"{expected} emergency messages of step {step} accepted by Twilio", probe, timeout=timeout)


def test_seizure_checkin_texts_and_calls_every_caregiver_at_once_without_waiting_for_a_tick(
        live: Worker, household: tuple[Patient, str]) -> None:
    """No beat runs here: only the API's nudge after its commit can bring the worker to send. How
    fast is measured in ``bench/emergency.py`` (figures, not a timed test: a loaded machine made a
    one-second bound here fail while nothing was wrong)."""
    assert live.uses_twilio, "the emergency path must go through the Twilio mock"
    patient, token = household
    client = live.app.test_client()

    post_seizure(client, patient, token)
    first = delivered(live, step=0, expected=5, timeout=10)

    ids = caregiver_ids(live)
    assert sorted((n.recipient_kind, n.recipient_id, n.channel) for n in first) == sorted(
        [("patient", patient.id, "sms")]
        + [("caregiver", ids[name], channel) for name in CAREGIVERS for channel in ("sms", "voice")])
    assert all(n.provider_sid and n.provider_sid.startswith("SM" if n.channel == "sms" else "CA") for n in first)
    # Sent by a drain the nudge queued (the urgent one or the routine one: either may get there
    # first), and no tick ran. The drain's own "succeeded" line comes just after its rows are sent.
    drains = {"workers.tasks.deliver_urgent", "workers.tasks.deliver_outbox"}
    ran = wait_for("a drain to finish", lambda: {r["task"] for r in live.results().values()} & drains and
                   {r["task"] for r in live.results().values()}, timeout=10)
    assert TICK not in ran, ran


def test_emergency_repeats_until_a_caregiver_replies_ok_by_sms(
        live: Worker, household: tuple[Patient, str]) -> None:
    patient, token = household
    client = live.app.test_client()
    post_seizure(client, patient, token)
    delivered(live, step=0, expected=5, timeout=10)

    make_next_step_due(live)
    live.run(TICK)
    repeat = delivered(live, step=1, expected=4, timeout=10)
    assert {n.recipient_kind for n in repeat} == {"caregiver"}
    assert {n.channel for n in repeat} == {"sms", "voice"}

    # A completed call is not an acknowledgement: the alert stays open.
    call = next(n for n in repeat if n.channel == "voice")
    response = signed_post(client, live, "/twilio/status", {"CallSid": call.provider_sid or "", "CallStatus": "completed"})
    assert response.status_code == 204
    with live.sessions() as s:
        assert s.scalars(select(Alert.status)).one() == "open"

    response = signed_post(client, live, "/twilio/sms", {"MessageSid": "SM" + "b" * 32, "From": "+14155550001",
                                                          "Body": "ok, calling 911"})
    assert response.status_code == 200 and "<Message>" in response.get_data(as_text=True)
    with live.sessions() as s:
        alert = s.scalars(select(Alert)).one()
        assert (alert.status, alert.acknowledged_by) == ("acknowledged", caregiver_ids(live)["Ann"])

    wait_for("the all-clear to the patient and Bob", lambda: len([n for n in rows(live) if n.kind == "all_clear"
                                                                  and n.status == "sent"]) == 2)
    make_next_step_due(live)
    live.run(TICK)
    live.run("workers.tasks.deliver_outbox")
    assert not [n for n in emergency_rows(live) if n.step == 2], "no repeat after the acknowledgement"


def test_pressing_1_on_the_emergency_call_acknowledges_it(live: Worker, household: tuple[Patient, str]) -> None:
    patient, token = household
    client = live.app.test_client()
    post_seizure(client, patient, token)
    first = delivered(live, step=0, expected=5, timeout=10)
    bob_call = next(n for n in first if n.channel == "voice" and n.recipient_id == caregiver_ids(live)["Bob"])

    twiml = signed_post(client, live, f"/twilio/voice/{bob_call.id}", {"CallSid": bob_call.provider_sid or ""})
    assert "<Gather" in twiml.get_data(as_text=True) and "911" in twiml.get_data(as_text=True)
    pressed = signed_post(client, live, f"/twilio/voice/{bob_call.id}/gather",
                          {"CallSid": bob_call.provider_sid or "", "Digits": "1"})
    assert pressed.status_code == 200

    with live.sessions() as s:
        alert = s.scalars(select(Alert)).one()
        assert (alert.status, alert.close_reason, alert.acknowledged_by) == (
            "acknowledged", "ack_voice", caregiver_ids(live)["Bob"])
    make_next_step_due(live)
    live.run(TICK)
    assert not [n for n in emergency_rows(live) if n.step == 1]

"""An end-to-end run for the metrics and log tests: a simulated day and a day's worth of API traffic.

:func:`run_day` drives what leaves traces: ``alerts.demo`` (the real tick and sender through a
simulated day), then, on the ``ops_app``'s database, API requests (good and bad), a red-flag check-in
that opens an emergency, the Celery tasks that deliver it, a caregiver acknowledging by SMS and a
patient texting symptoms. It returns every phone number and message text involved, for the log test
to look for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from alerts.app import get_db
from alerts.demo import run_demo
from alerts.models import Caregiver, CheckIn, DoseSchedule, InboundMessage, Notification, Patient
from alerts.services.doses import start_schedule
from alerts.services.tokens import issue_token
from tests.conftest import _make_app
from tests.support.schema import sqlite_url
from tests.twilio.conftest import ACCOUNT_SID, FROM_NUMBER, TWILIO_CONFIG, sign
from workers.tasks import deliver_outbox, tick

PATIENT_PHONE = "+12025550161"
CAREGIVER_PHONES = ("+12025550162", "+12025550163")
SYMPTOM_TEXT = "legs jumping 7 since lunch"


@dataclass
class Day:
    phones: set[str] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)
    responses: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def ops_app(tmp_path: Path) -> Iterator[Flask]:
    app = _make_app(tmp_path, sqlite_url(tmp_path, "ops.sqlite3"), **TWILIO_CONFIG)
    yield app
    get_db(app).dispose()


def _sms(client: Any, sid: str, from_number: str, body: str) -> int:
    params = {"MessageSid": sid, "SmsSid": sid, "AccountSid": ACCOUNT_SID, "From": from_number,
              "To": FROM_NUMBER, "Body": body, "NumMedia": "0"}
    signature = sign(TWILIO_CONFIG["PUBLIC_BASE_URL"] + "/twilio/sms", params)
    return int(client.post("/twilio/sms", data=params, headers={"X-Twilio-Signature": signature}).status_code)


def run_day(app: Flask, tmp_path: Path) -> Day:
    day = Day()
    demo = run_demo(tmp_path / "demo")
    day.phones |= {m.to for m in demo.messages}
    day.texts |= {m.body for m in demo.messages}

    sessions = get_db(app).sessionmaker
    now = datetime.now(UTC)
    with sessions.begin() as session:
        patient = Patient(name="Rosa", timezone="America/New_York", phone=PATIENT_PHONE, language="en")
        session.add(patient)
        session.flush()
        session.add_all([Caregiver(patient_id=patient.id, name=n, phone=p, position=i, language="en")
                         for i, (n, p) in enumerate(zip(("Ann", "Bob"), CAREGIVER_PHONES, strict=True), 1)])
        schedule = DoseSchedule(patient_id=patient.id, times=["08:00", "20:00"], dose_mg=Decimal(10), grace_minutes=30)
        session.add(schedule)
        session.flush()
        start_schedule(session, schedule, patient, now)
        token = issue_token(session, "Rosa's phone", "client", [patient])
        patient_id = patient.id
    day.phones |= {PATIENT_PHONE, *CAREGIVER_PHONES}
    auth = {"Authorization": f"Bearer {token}"}

    client = app.test_client()
    day.responses["healthz"] = client.get("/healthz").status_code
    day.responses["no token"] = client.post(f"/v1/patients/{patient_id}/doses", json={}).status_code
    day.responses["bad dose"] = client.post(f"/v1/patients/{patient_id}/doses", headers=auth,
                                            json={"taken_at": "yesterday-ish"}).status_code
    day.responses["unknown patient"] = client.post("/v1/patients/999999/checkins", headers=auth,
                                                   json={"symptoms": {"seizure": 10}}).status_code
    day.responses["seizure"] = client.post(f"/v1/patients/{patient_id}/checkins", headers=auth,
                                           json={"recorded_at": now.isoformat(), "symptoms": {"seizure": 9},
                                                 "note": "shaking all over, +12025550161"}
                                           ).status_code
    tick.apply()
    deliver_outbox.apply()
    day.responses["ack"] = _sms(client, "SM" + "a" * 32, CAREGIVER_PHONES[0], "OK on my way")
    day.responses["symptoms"] = _sms(client, "SM" + "b" * 32, PATIENT_PHONE, SYMPTOM_TEXT)
    day.responses["stranger"] = _sms(client, "SM" + "c" * 32, "+12025550199", "who is this? call +12025550199")
    deliver_outbox.apply()
    day.phones.add("+12025550199")
    with sessions() as session:
        day.texts |= set(session.scalars(select(Notification.body)))
        day.texts |= {b for b in session.scalars(select(InboundMessage.body)) if b}
        day.texts |= {n for n in session.scalars(select(CheckIn.note)) if n}
    return day

"""Slow breathing from a watch, end to end: the readings API, a real worker on Redis and
PostgreSQL, and the Twilio mock. The watch posts a batch; the worker, nudged after the commit,
texts and calls every caregiver through Twilio's API and tells the patient to call 911."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alerts.clock import utcnow
from alerts.models import Patient
from alerts.services.tokens import issue_token
from tests.integration.conftest import Worker
from tests.integration.test_emergency import CAREGIVERS, caregiver_ids, delivered, household  # noqa: F401

pytestmark = pytest.mark.integration


def test_a_slow_breathing_series_from_a_watch_texts_and_calls_every_caregiver_through_twilio(
        live: Worker, household: tuple[Patient, str]) -> None:  # noqa: F811
    patient, _ = household
    with live.sessions.begin() as s:
        watch = issue_token(s, "Rosa's watch", "device", [s.get(Patient, patient.id)])
    now = utcnow()
    series = [{"kind": "respiratory_rate", "value": v, "unit": "/min", "device_id": "watch-1",
               "measured_at": (now - timedelta(minutes=m)).isoformat()} for m, v in ((4, 7), (2, 6), (0, 7))]

    response = live.app.test_client().post(f"/v1/patients/{patient.id}/readings", json={"readings": series},
                                           headers={"Authorization": f"Bearer {watch}"})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.json["findings"] == ["slow_breathing"]
    first = delivered(live, step=0, expected=5, timeout=10)

    ids = caregiver_ids(live)
    assert sorted((n.recipient_kind, n.recipient_id, n.channel) for n in first) == sorted(
        [("patient", patient.id, "sms")]
        + [("caregiver", ids[name], channel) for name in CAREGIVERS for channel in ("sms", "voice")])
    assert all("slow breathing (6/min on the wearable)" in n.body for n in first
               if n.recipient_kind == "caregiver" and n.channel == "sms")
    assert all(n.provider_sid and n.provider_sid.startswith("SM" if n.channel == "sms" else "CA") for n in first)

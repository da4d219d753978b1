"""The console on PostgreSQL: its pages render there, and nothing typed into a form is a 500."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from alerts.app import get_db
from alerts.clock import utcnow
from alerts.models import Caregiver, CheckIn, DoseSchedule, Patient, User
from alerts.services.console_auth import hash_password
from alerts.services.doses import start_schedule
from tests.web.conftest import PASSWORD, Console

pytestmark = pytest.mark.integration


@pytest.fixture
def pg_console(pg_app):  # type: ignore[no-untyped-def]
    now = utcnow()
    with get_db(pg_app).session() as s:
        s.add(User(role="admin", name="Ada", email="ada@example.org", password_hash=hash_password(PASSWORD)))
        rosa = Patient(name="Rosa Diaz", timezone="America/New_York", phone="+14155550100")
        s.add(rosa)
        s.flush()
        s.add(Caregiver(patient_id=rosa.id, name="Ann", phone="+14155550111", position=1))
        schedule = DoseSchedule(patient_id=rosa.id, times=["08:00", "20:00"], dose_mg=Decimal(10), grace_minutes=30)
        s.add(schedule)
        s.flush()
        start_schedule(s, schedule, rosa, now - timedelta(days=3))
        s.add(CheckIn(patient_id=rosa.id, recorded_at=now, symptoms={"twitching": 3}, source="app"))
    return Console(pg_app.test_client()).sign_in_staff("ada@example.org"), pg_app


def test_every_page_renders_on_postgresql(pg_console) -> None:  # type: ignore[no-untyped-def]
    admin, _app = pg_console
    for path in ("/patients", "/patients/rows?q=ros", "/patients/1", "/patients/1/manage", "/alerts", "/reports",
                 "/reports.csv", "/audit", "/audit.csv", "/sandbox", "/account",
                 "/patients/1/schedules/1/edit", "/patients/1/escalation", "/patients/1/caregivers/1/edit",
                 "/patients/1/settings"):
        r = admin.get(path)
        assert r.status_code == 200, path
    assert "Rosa Diaz" in admin.get("/patients?q=ROS").get_data(as_text=True)


@pytest.mark.parametrize(("method", "path", "data"), [
    ("GET", "/patients?q=a%00b", {}),
    ("POST", "/signin", {"email": "a\x00@example.org", "password": "x\x00y"}),
    ("POST", "/signin/code", {"phone": "+1415\x00555"}),
    ("POST", "/signin/code", {"phone": "+14155550111", "code": "12\x0034"}),
    ("POST", "/invite", {"role": "clinician", "email": "x" * 300 + "\x00@example.org"}),
    ("POST", "/manage/patients/new", {"name": "A\x00", "timezone": "Mars/\x00", "phone": "\x00"}),
    ("POST", "/patients/1/caregivers", {"name": "B\x00", "phone": "+1\x00"}),
    ("POST", "/patients/1/schedules", {"times": "08:\x0000", "dose_mg": "1\x000"}),
    ("POST", "/patients/1/pause", {"days": "nan", "reason": "\x00"}),
    ("POST", "/sandbox", {"phone": "+1415\x00", "body": "taken\x00"}),
    ("POST", "/account/totp/confirm", {"code": "12\x003456"}),
    ("POST", "/alerts/acknowledge", {"alert_id": "1\x00", "note": "\x00"}),
    ("POST", "/patients/1/contacts/patient/1/test", {"nonce": "\x00" * 32}),
    ("POST", "/patients/1/clinicians", {"user_id": "1\x00"}),
    ("POST", "/patients/1/schedules/1/edit", {"times": "08:\x0000", "dose_mg": "1\x000", "grace_minutes": "²"}),
    ("POST", "/patients/1/escalation", {"escalation_minutes": "9" * 5000, "custom": "1", "target": "caregiver",
                                        "position": "²", "after_minutes": "1\x00"}),
    ("POST", "/patients/1/caregivers/order", {"order-1": "²"}),
    ("POST", "/patients/1/caregivers/order", {"order-1": "9" * 5000}),
    ("POST", "/patients/1/caregivers/1/edit", {"language": "\x00", "quiet_start": "2\x002:00", "quiet_end": "²"}),
    ("POST", "/patients/1/settings", {"language": "es\x00", "fever_min_c": "nan", "no_dose_window_hours": "inf",
                                      "consecutive_missed_threshold": "9" * 5000, "spo2_emergency_max": "1\x00"}),
    ("POST", "/patients/1/settings", {"language": "en", "fever_min_c": "1e400"}),
])
def test_nul_bytes_and_overlong_input_are_never_a_500(pg_console, method, path, data) -> None:  # type: ignore[no-untyped-def]
    admin, _app = pg_console
    r = admin.get(path) if method == "GET" else admin.post(path, data)
    assert r.status_code < 500, r.get_data(as_text=True)[:500]


def test_totp_sign_in_and_its_replay_guard_on_postgresql(pg_console) -> None:  # type: ignore[no-untyped-def]
    import re
    import time

    import pyotp

    admin, app = pg_console
    admin.post("/account/totp")
    page = admin.get("/account/totp").get_data(as_text=True)
    app_ = pyotp.TOTP(re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", ""))  # type: ignore[union-attr]
    assert admin.post("/account/totp/confirm", {"code": app_.now()}).status_code == 200
    code = app_.at(time.time() + 30)
    for expected in ("/patients", "/signin/totp"):  # the second time, the same code is refused
        c = Console(app.test_client())
        c.client.post("/signin", data={"csrf_token": c.csrf(), "email": "ada@example.org", "password": PASSWORD})
        r = c.client.post("/signin/totp", data={"csrf_token": c.csrf(), "code": code})
        assert (r.status_code, r.headers.get("Location", "/signin/totp")) == (
            (302, expected) if expected == "/patients" else (401, expected))

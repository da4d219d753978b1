"""Care console fixtures: Rosa with caregivers Ann and Bob, Omar (another family) with Oscar, an
open missed-dose alert on Rosa, and the personas every permission test asks: an admin, a
clinician, Rosa's caregiver, the other family's caregiver, and someone not signed in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.clock import utcnow
from alerts.models import Alert, Caregiver, DoseSchedule, Notification, Patient, User
from alerts.services import alerts as alert_service
from alerts.services.console_auth import assign, hash_password

PASSWORD = "a long test passphrase"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Family:
    rosa: Patient
    ann: Caregiver
    bob: Caregiver
    schedule: DoseSchedule
    alert: Alert
    omar: Patient
    oscar: Caregiver
    kim: User  # a clinician assigned to Rosa (not to Omar)


@pytest.fixture
def family(session: Session, make_patient, make_caregiver, make_schedule) -> Family:  # type: ignore[no-untyped-def]
    now = utcnow()
    rosa = make_patient(name="Rosa Diaz", escalation_minutes=10)
    ann = make_caregiver(rosa, name="Ann", phone="+14155550111")
    bob = make_caregiver(rosa, name="Bob", phone="+14155550112")
    schedule = make_schedule(rosa, now=now)
    omar = make_patient(name="Omar Khan")
    oscar = make_caregiver(omar, name="Oscar", phone="+14155550199")
    rosa = session.get(Patient, rosa.id)  # type: ignore[assignment]
    alert = alert_service.open_alert(session, rosa, rosa.caregivers, kind="missed_dose", condition_key="missed_dose",
                                     now=now - timedelta(minutes=30),
                                     details={"patient_name": rosa.name, "dose_time": "08:00",
                                              "due_at": (now - timedelta(minutes=60)).isoformat()})
    # Patient reminded, then Ann, then Bob: all three have been told.
    for _ in range(3):
        alert_service.run_step(session, alert, now)
    kim = User(role="clinician", name="Dr Kim", email="kim@clinic.example", password_hash=hash_password(PASSWORD))
    session.add(kim)
    session.flush()
    assign(session, kim, rosa.id)
    session.commit()
    return Family(rosa, ann, bob, schedule, alert, omar, oscar, kim)


@pytest.fixture
def make_staff(session: Session) -> Callable[..., User]:
    def make(role: str, email: str, name: str | None = None, patients: tuple[Patient, ...] = ()) -> User:
        """A member of staff; a clinician sees only ``patients`` (assigned to them)."""
        user = User(role=role, name=name or email.split("@")[0].title(), email=email,
                    password_hash=hash_password(PASSWORD))
        session.add(user)
        session.flush()
        for p in patients:
            assign(session, user, p.id)
        session.commit()
        return user

    return make


class Console:
    """A browser-like client: signs in through the real forms and sends the CSRF token like a page."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def csrf(self, path: str = "/signin") -> str:
        match = CSRF.search(self.client.get(path).get_data(as_text=True))
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in_staff(self, email: str) -> Console:
        r = self.client.post("/signin", data={"csrf_token": self.csrf(), "email": email, "password": PASSWORD})
        assert r.status_code == 302, r.get_data(as_text=True)
        return self

    def sign_in_caregiver(self, session: Session, phone: str) -> Console:
        r = self.client.post("/signin/code", data={"csrf_token": self.csrf("/signin/code"), "phone": phone})
        assert r.status_code == 200
        code = latest_code(session, phone)
        r = self.client.post("/signin/code", data={"csrf_token": self.csrf("/signin/code"), "phone": phone, "code": code})
        assert r.status_code == 302, r.get_data(as_text=True)
        return self

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def post(self, path: str, data: dict[str, str] | None = None, *, csrf: bool = True) -> Any:
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = self.csrf("/signin")
        return self.client.post(path, data=form)


def latest_code(session: Session, phone: str) -> str:
    # A short session of its own: the caller's session keeps its loaded objects, and on SQLite no
    # transaction of the test's may hold the write lock while the app handles the next request.
    with Session(session.get_bind()) as check:
        body = check.scalars(select(Notification.body).where(Notification.to_number == phone,
                                                             Notification.kind == "sign_in_code")
                             .order_by(Notification.id.desc())).first()
    assert body, f"no sign-in code texted to {phone}"
    match = re.search(r"\b(\d{6})\b", body)
    assert match
    return match.group(1)


@pytest.fixture
def console(app) -> Callable[[], Console]:  # type: ignore[no-untyped-def]
    return lambda: Console(app.test_client())

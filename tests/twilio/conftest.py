"""Twilio fixtures: an app that knows its auth token, signed webhook requests, the standard cast.

Webhook tests run on SQLite and PostgreSQL with the console notifier (no network). Tests that
talk to the Twilio mock override ``app`` in their module (see ``test_twilio_outbox.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from requests import PreparedRequest
from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from alerts.app import get_db
from alerts.models import Dose, Notification
from tests.conftest import NOW, _make_app
from tests.support.schema import empty_postgres, sqlite_url
from tests.services.support import Ward, add_second_medicine, read

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "test-auth-token-not-secret"
FROM_NUMBER = "+15005550006"
# tests/conftest.py's PUBLIC_BASE_URL: what Twilio signs, whatever host Flask thinks it is.
PUBLIC_BASE_URL = "https://dosewatch.example.org"

TWILIO_CONFIG: dict[str, Any] = {
    "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
    "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
    "TWILIO_FROM_NUMBER": FROM_NUMBER,
    "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
}


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """The app with Twilio credentials (still sending through the console notifier), on SQLite and
    then on PostgreSQL, where row locks and the MessageSid key behave as in production."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path)
    else:
        url = request.getfixturevalue("pg_url")
    app = _make_app(tmp_path, url, **TWILIO_CONFIG)
    if request.param == "postgresql":
        empty_postgres(get_db(app).engine)
    yield app
    get_db(app).dispose()


@pytest.fixture
def mock_app(tmp_path, twilio_mock_url: str) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """The app configured to send through Twilio, whose API is the Twilio mock (SQLite)."""
    app = _make_app(tmp_path, sqlite_url(tmp_path), **TWILIO_CONFIG,
                    NOTIFIER="twilio", TWILIO_API_BASE_URL=twilio_mock_url)
    yield app
    get_db(app).dispose()


def sign(url: str, params: Mapping[str, str], token: str = AUTH_TOKEN) -> str:
    """The X-Twilio-Signature Twilio would send for ``url`` and these POST parameters."""
    return RequestValidator(token).compute_signature(url, dict(params))


@pytest.fixture
def twilio_post(client: FlaskClient, session: Session) -> Callable[..., TestResponse]:
    """POST form ``params`` to ``path`` the way Twilio does, signed for the public URL.

    ``signature`` overrides the header (None: leave it out); ``signed_url`` the URL signed.
    The test session is committed first: on SQLite an open test transaction holds the write lock.
    """
    computed = object()

    def post(path: str, params: Mapping[str, str], *, signature: Any = computed,
             signed_url: str | None = None) -> TestResponse:
        session.commit()
        headers = {}
        if signature is computed:
            headers["X-Twilio-Signature"] = sign(signed_url or PUBLIC_BASE_URL + path, params)
        elif signature is not None:
            headers["X-Twilio-Signature"] = signature
        return client.post(path, data=dict(params), headers=headers)

    return post


@pytest.fixture
def sms(twilio_post: Callable[..., TestResponse]) -> Callable[..., TestResponse]:
    """An inbound SMS webhook from ``from_number`` saying ``body`` (MessageSid ``sid``)."""
    counter = iter(range(1, 10_000))

    def send(from_number: str, body: str, *, sid: str | None = None, **kw: Any) -> TestResponse:
        sid = sid or f"SM{next(counter):032x}"
        params = {"MessageSid": sid, "SmsSid": sid, "AccountSid": ACCOUNT_SID, "From": from_number,
                  "To": FROM_NUMBER, "Body": body, "NumMedia": "0"}
        return twilio_post("/twilio/sms", params, **kw)

    return send


@pytest.fixture
def medicines(request: pytest.FixtureRequest) -> str:
    """How many medicines the ward's patient takes: "one" (baclofen) unless a module parametrizes
    it (``parametrize_medicines``) to run its scenarios with "two" as well."""
    return str(getattr(request, "param", "one"))


def parametrize_medicines(metafunc: pytest.Metafunc) -> None:
    """Run every test of the calling module that uses the ward with one medicine and with two
    (``pytest_generate_tests = parametrize_medicines`` in the module)."""
    if "medicines" in metafunc.fixturenames:
        metafunc.parametrize("medicines", ["one", "two"], indirect=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The second medicine runs on SQLite only. What it tests (which doses a reply covers, what
    the texts name) is the same on both databases; what PostgreSQL adds (row locks, the MessageSid
    key under concurrency) every scenario already shows with one medicine. This keeps the suite
    inside its time budget."""
    def doubled(item: pytest.Item) -> bool:
        params = getattr(getattr(item, "callspec", None), "params", {})
        return params.get("medicines") == "two" and params.get("app") == "postgresql"

    dropped = [item for item in items if doubled(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not doubled(item)]


# The second medicine of the "two" ward: no clinical pack, taken at bedtime, after the times the
# scenarios exercise, so every baclofen behaviour they assert must stay exactly as with one.
SECOND_MEDICINE, SECOND_TIMES, SECOND_MG = "metformin", ["22:00"], Decimal(500)
# Words only a clinical claim uses (withdrawal, toxicity), in English and Spanish.
CLINICAL_WORDS = ("withdrawal", "more baclofen than", "abstinencia", "toxic")


@pytest.fixture
def ward(session: Session, make_patient, make_caregiver, make_schedule, medicines: str) -> Iterator[Ward]:  # type: ignore[no-untyped-def]
    """Rosa (New York; 08:00, 14:00, 20:00; escalation every 10 min), Ann (caregiver 1), Bob (caregiver 2).

    With ``medicines == "two"`` the schedule is her baclofen row's and she also takes metformin
    500 mg at 22:00."""
    patient = make_patient(name="Rosa", escalation_minutes=10)
    ann = make_caregiver(patient, name="Ann", position=1)
    bob = make_caregiver(patient, name="Bob", position=2)
    schedule = make_schedule(patient, ["08:00", "14:00", "20:00"], now=NOW)
    if medicines == "two":
        add_second_medicine(session, patient, schedule, SECOND_TIMES, now=NOW, name=SECOND_MEDICINE,
                            dose_mg=SECOND_MG, strength="500 mg tablet")
    # The 14:00 dose; also ends the factories' transaction.
    dose = read(session, select(Dose).where(Dose.schedule_id == schedule.id, Dose.status == "pending"))[0]
    yield Ward(patient, ann, bob, schedule, dose.due_at, dose.check_at)
    if medicines == "two":
        # Whatever the scenario did, no message made a clinical claim about the second medicine.
        for body in read(session, select(Notification.body)):
            text = body.lower()
            assert not (SECOND_MEDICINE in text and any(word in text for word in CLINICAL_WORDS)), body


def record_requests(notifier: Any) -> list[PreparedRequest]:
    """Every HTTP request ``notifier`` (a TwilioNotifier) sends from now on, as it left the process."""
    seen: list[PreparedRequest] = []

    def hook(response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        seen.append(response.request)
        return response

    notifier.http_client.session.hooks["response"].append(hook)
    return seen


def form_of(request: PreparedRequest) -> dict[str, str]:
    """The urlencoded body of a request to Twilio's REST API."""
    body = request.body.decode() if isinstance(request.body, bytes) else str(request.body or "")
    return dict(parse_qsl(body))

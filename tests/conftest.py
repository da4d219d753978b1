"""Fixtures shared by every test: apps on SQLite and PostgreSQL, sessions, factories, personas.

Unit tests of the domain need none of these. ``pg_url`` creates a throw-away PostgreSQL database
per test session, so the suite never touches data it did not make.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import freezegun
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from alerts import create_app
from alerts.app import get_db
from alerts.models import Caregiver, DoseSchedule, Patient
from alerts.services.doses import start_schedule
from alerts.services.tokens import issue_token
from tests.support import fast_routes, services
from tests.support.schema import empty_postgres, sqlite_url

fast_routes.install()
# freezegun swaps the clock in every loaded module, pytest's own timing included, so a frozen test
# reported a duration of decades; pytest's clock stays real (its --durations are what trimming uses).
freezegun.configure(extend_ignore_list=["_pytest.timing"])


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    return services.ensure_postgres()


@pytest.fixture(scope="session")
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session."""
    name = f"dosewatch_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = pg_server_url.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    return services.ensure_redis()


@pytest.fixture(scope="session")
def twilio_mock_url() -> str:
    return services.ensure_twilio_mock()


def _make_app(tmp_path: Any, database_url: str, **extra: Any):  # type: ignore[no-untyped-def]
    config = {
        "TESTING": True,
        "DOSEWATCH_DATA_DIR": str(tmp_path),
        "DATABASE_URL": database_url,
        # An in-memory broker: API tests never need a worker; integration tests use Redis.
        "CELERY_BROKER_URL": "memory://",
        "NOTIFIER": "console",
        "CONSOLE_NOTIFIER_ECHO": False,
        "PUBLIC_BASE_URL": "https://dosewatch.example.org",
    }
    config.update(extra)
    app = create_app(config)
    return app


@pytest.fixture
def app(tmp_path):  # type: ignore[no-untyped-def]
    """The app on a fresh SQLite database (the embedded default)."""
    app = _make_app(tmp_path, sqlite_url(tmp_path))
    yield app
    get_db(app).dispose()


@pytest.fixture
def pg_app(tmp_path, pg_url):  # type: ignore[no-untyped-def]
    """The app on PostgreSQL, tables emptied before the test."""
    app = _make_app(tmp_path, pg_url)
    empty_postgres(get_db(app).engine)
    yield app
    get_db(app).dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def db(app):  # type: ignore[no-untyped-def]
    return get_db(app)


@pytest.fixture
def session(db) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    with db.sessionmaker() as s:
        yield s


@pytest.fixture
def server_timezone() -> Iterator[Callable[[str], None]]:
    """Run the rest of the test as a server whose local zone is ``name`` (TZ + ``time.tzset``).

    Patients' dose times must not depend on where the server runs; tests call this to move the
    server somewhere else and show nothing changes. The zone in force before is restored after.
    """
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    saved = os.environ.get("TZ")

    def move_to(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()
        probe = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
        # The process's local zone really is ``name`` now (else the test would prove nothing).
        assert probe.astimezone().utcoffset() == probe.astimezone(ZoneInfo(name)).utcoffset(), name

    yield move_to
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


# -- factories -------------------------------------------------------------------------------------

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def make_patient(session: Session) -> Callable[..., Patient]:
    counter = iter(range(1, 10_000))

    def make(**kw: Any) -> Patient:
        n = next(counter)
        fields: dict[str, Any] = {"name": f"Patient {n}", "timezone": "America/New_York",
                                  "phone": f"+1500555{n:04d}", "language": "en"}
        fields.update(kw)
        patient = Patient(**fields)
        session.add(patient)
        session.commit()
        return patient

    return make


@pytest.fixture
def make_caregiver(session: Session) -> Callable[..., Caregiver]:
    counter = iter(range(1, 10_000))

    def make(patient: Patient, **kw: Any) -> Caregiver:
        n = next(counter)
        position = kw.pop("position", None) or len(patient.caregivers) + 1
        fields: dict[str, Any] = {"patient_id": patient.id, "name": f"Caregiver {n}", "phone": f"+1415555{n:04d}",
                                  "position": position, "language": "en"}
        fields.update(kw)
        caregiver = Caregiver(**fields)
        session.add(caregiver)
        session.commit()
        session.refresh(patient)
        return caregiver

    return make


@pytest.fixture
def make_schedule(session: Session) -> Callable[..., DoseSchedule]:
    def make(patient: Patient, times: list[str] | None = None, *, now: datetime = NOW, **kw: Any) -> DoseSchedule:
        fields: dict[str, Any] = {"patient_id": patient.id, "times": times or ["08:00", "14:00", "20:00"],
                                  "dose_mg": Decimal("10"), "grace_minutes": 30}
        fields.update(kw)
        schedule = DoseSchedule(**fields)
        session.add(schedule)
        session.flush()
        start_schedule(session, schedule, patient, now)
        session.commit()
        return schedule

    return make


@pytest.fixture
def make_token(session: Session) -> Callable[..., str]:
    """Create an API token; returns the bearer secret (only its hash is stored)."""

    def make(*patients: Patient, role: str = "client", name: str = "test token",
             caregiver: Caregiver | None = None) -> str:
        secret = issue_token(session, name, role, list(patients), caregiver=caregiver)
        session.commit()
        return secret

    return make

"""Backups: the README's pg_dump / pg_restore commands give back the same data, at the same schema
revision, in a new database (both throw-away, made and dropped here)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from alerts import migrate
from alerts.db import Database
from alerts.models import Caregiver, Notification, Patient

pytestmark = pytest.mark.skipif(not shutil.which("pg_dump") or not shutil.which("pg_restore"),
                                reason="the PostgreSQL client tools are not installed")


@pytest.fixture
def databases(pg_server_url: str) -> Iterator[tuple[str, str]]:
    names = [f"dosewatch_backup_{uuid.uuid4().hex[:8]}", f"dosewatch_restored_{uuid.uuid4().hex[:8]}"]
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{names[0]}"'))
    base = pg_server_url.rsplit("/", 1)[0]
    yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def test_pg_dump_then_pg_restore_into_a_new_database_gives_back_the_data(databases, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source, target = databases
    migrate.upgrade(source)
    db = Database(source)
    with db.session() as session:
        patient = Patient(name="Ana", timezone="America/New_York", phone="+12025550101")
        session.add(patient)
        session.flush()
        session.add(Caregiver(patient_id=patient.id, name="Ben", phone="+12025550102", position=1))
        session.add(Notification(dedupe_key="k", patient_id=patient.id, kind="reminder", recipient_kind="patient",
                                 recipient_id=patient.id, to_number=patient.phone, body="hello", status="sent"))
    db.dispose()
    dump = tmp_path / "dosewatch.dump"

    # The README's commands (Backups), with this test's databases.
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", _libpq(source)], check=True)
    subprocess.run(["createdb", "--maintenance-db", _libpq(source), target.rsplit("/", 1)[1]], check=True)
    subprocess.run(["pg_restore", "--no-owner", f"--dbname={_libpq(target)}", str(dump)], check=True)

    assert migrate.current(target) == migrate.current(source)
    restored = Database(target)
    with restored.session() as session:
        assert [(p.name, p.phone) for p in session.scalars(select(Patient))] == [("Ana", "+12025550101")]
        assert [c.name for c in session.scalars(select(Caregiver))] == ["Ben"]
        assert [(n.dedupe_key, n.status) for n in session.scalars(select(Notification))] == [("k", "sent")]
        # Sequences come back too: the next row gets a new id, not a duplicate key.
        session.add(Patient(name="Cy", timezone="UTC", phone="+12025550103"))
    restored.dispose()

"""The Alembic migrations build exactly the schema the models describe, on SQLite and on PostgreSQL.

If someone adds a column to ``alerts/models`` without a migration (or edits a migration by hand and
gets it wrong), ``compare_metadata`` finds the difference and this test names it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, create_engine, inspect, text

import alerts.models  # noqa: F401  (every table on Base.metadata)
from alerts import migrate
from alerts.migrate import context_options
from alerts.models import Base


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"


@pytest.fixture
def fresh_pg_url(pg_server_url: str) -> Iterator[str]:
    """An empty PostgreSQL database made for this test and dropped after it."""
    name = f"dosewatch_migrations_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield pg_server_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def rows(url: str, sql: str) -> list[tuple[object, ...]]:
    """The rows ``sql`` reads from the database at ``url``, as tuples (for tests of a migration's data)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def insert_patient(conn: Connection, pid: int, name: str, timezone: str, at: datetime) -> None:
    """A patient row as every revision since the first stores one, for seeding a database mid-history."""
    conn.execute(text(
        "INSERT INTO patient (id, name, timezone, language, renal_impairment, intrathecal_pump, "
        "escalation_minutes, created_at) VALUES (:id, :name, :tz, 'en', :f, :f, 15, :at)"),
        {"id": pid, "name": name, "tz": timezone, "f": False, "at": at})


def _differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts=context_options())
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def _partial_index_predicates(url: str) -> dict[str, str]:
    """Name -> WHERE clause of the partial indexes, as the database itself reports them."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE '%WHERE%'"))
                return {name: sql.split("WHERE", 1)[1].strip() for name, sql in rows}
            rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE indexdef LIKE '%WHERE%'"))
            return {name: sql.split("WHERE", 1)[1].strip() for name, sql in rows}
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "fresh_pg_url")


def test_upgrade_head_builds_exactly_the_models_schema(database_url: str) -> None:
    migrate.upgrade(database_url)

    assert migrate.current(database_url) is not None
    assert _tables(database_url) == set(Base.metadata.tables)
    assert _differences(database_url) == []


def test_tick_and_outbox_indexes_are_partial_after_upgrade(database_url: str) -> None:
    # The tick's cost follows due work only because these indexes hold just the live rows.
    migrate.upgrade(database_url)

    predicates = _partial_index_predicates(database_url)

    for name, status in [("ix_dose_pending_check_at", "pending"), ("ix_alert_open_next_step_at", "open"),
                         ("uq_alert_open_condition", "open"), ("ix_notification_queued_priority", "queued"),
                         ("ix_notification_sending_lease", "sending"), ("ix_notification_recheck", "recheck_at")]:
        assert status in predicates[name], name


def test_upgrade_twice_is_a_no_op(sqlite_url: str) -> None:
    migrate.upgrade(sqlite_url)
    first = migrate.current(sqlite_url)

    migrate.upgrade(sqlite_url)

    assert migrate.current(sqlite_url) == first
    assert _differences(sqlite_url) == []


def test_downgrade_base_drops_every_table(database_url: str) -> None:
    migrate.upgrade(database_url)

    migrate.downgrade(database_url, "base")

    assert _tables(database_url) == set()
    assert migrate.current(database_url) is None


def test_migrations_do_not_import_application_code() -> None:
    # A migration must replay the same way years later, whatever happened to alerts.models since.
    for script in (Path(migrate.MIGRATIONS_DIR) / "versions").glob("*.py"):
        source = script.read_text()
        assert "import alerts" not in source and "from alerts" not in source, script.name


def test_db_upgrade_and_downgrade_commands_migrate_the_configured_database(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from alerts.cli import main

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    runner = CliRunner()

    upgraded = runner.invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert _tables(sqlite_url) == set(Base.metadata.tables)
    assert f"database at revision {migrate.current(sqlite_url)}" in upgraded.output

    downgraded = runner.invoke(main, ["db", "downgrade", "base"])
    assert downgraded.exit_code == 0, downgraded.output
    assert _tables(sqlite_url) == set()

"""The connection pool on PostgreSQL: a connection the server dropped while it sat idle in the pool
is replaced before anyone uses it, without a ping on every checkout."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from alerts.db import Database

pytestmark = pytest.mark.integration

IDLE = 0.2  # seconds: the test's stand-in for PING_AFTER_IDLE_SECONDS


@pytest.fixture
def db(pg_url: str) -> Iterator[Database]:
    database = Database(pg_url, ping_after_idle=IDLE, pool_size=1, max_overflow=0)
    yield database
    database.dispose()


def backend_pid(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def kill(pg_url: str, pid: int) -> None:
    other = Database(pg_url)
    with other.engine.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    other.dispose()


def test_a_connection_dropped_while_idle_is_replaced_before_use(db: Database, pg_url: str) -> None:
    first = backend_pid(db)
    kill(pg_url, first)  # a server restart or a proxy's idle timeout, while the pool held it
    time.sleep(IDLE * 1.5)

    # No error reaches the caller: the ping found it dead and the pool connected afresh.
    assert backend_pid(db) != first


def test_a_connection_back_from_use_a_moment_ago_is_not_pinged(db: Database,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    first = backend_pid(db)
    pings: list[str] = []
    original = db.engine.dialect.do_ping

    def counting_ping(dbapi_connection):  # type: ignore[no-untyped-def]
        pings.append("ping")
        return original(dbapi_connection)

    monkeypatch.setattr(db.engine.dialect, "do_ping", counting_ping)

    assert backend_pid(db) == first  # reused at once: no ping
    assert pings == []
    time.sleep(IDLE * 1.5)
    assert backend_pid(db) == first  # idle past the window: pinged, alive, reused
    assert pings == ["ping"]

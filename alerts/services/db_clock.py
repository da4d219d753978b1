"""One clock for due work: the database's.

Every process (web, workers, beats, on however many machines) decides what is due against the
database server's clock, not its own: a worker whose clock ran 20 minutes fast once sent "dose not
recorded" 9 minutes before the dose was due (issue 11). :func:`database_clock` measures how far
this process's clock is from the database's, once per task, and returns a clock corrected by that
offset. A drift beyond ``MAX_DRIFT`` is logged as an error and counted (``drift_events``): the
work still runs, on the database's time, but an operator must fix the machine's NTP.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from alerts.clock import utcnow

log = logging.getLogger("dosewatch.clock")

# More than this between a process and the database is a broken clock, not network latency.
MAX_DRIFT = timedelta(seconds=5)

_lock = threading.Lock()
drift_events = 0  # how many times this process found its clock off by more than MAX_DRIFT


def database_now(session: Session) -> datetime:
    """The database server's current time, in UTC (SQLite's is the machine's C clock)."""
    if session.get_bind().dialect.name == "sqlite":
        value = session.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return session.execute(text("SELECT statement_timestamp()")).scalar_one().astimezone(UTC)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class DatabaseClock:
    """The process clock moved onto the database's: ``clock()`` is the database's ``now``."""

    offset: timedelta  # database time minus process time

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    @property
    def drift_seconds(self) -> float:
        return -self.offset.total_seconds()


def database_clock(sessions: sessionmaker[Session], max_drift: timedelta = MAX_DRIFT) -> DatabaseClock:
    """Read the database's clock (one query) and return this process's clock corrected onto it."""
    global drift_events
    with sessions() as session:
        before = utcnow()
        db_now = database_now(session)
        after = utcnow()
        session.rollback()
    # The query's round trip is split evenly: the server read its clock about half-way through.
    offset = db_now - (before + (after - before) / 2)
    if abs(offset) > max_drift:
        with _lock:
            drift_events += 1
        log.error("clock drift: this process's clock is %+.1f s off the database's (limit %s s); "
                  "due work is decided on the database's clock. Fix this machine's time sync.",
                  -offset.total_seconds(), max_drift.total_seconds())
    return DatabaseClock(offset)

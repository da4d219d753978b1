"""Small SQL helpers that differ by dialect."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session


def insert_ignore(session: Session, table: Table, rows: Sequence[dict[str, Any]], returning: Any = None) -> list[Any]:
    """INSERT rows, silently skipping those that violate a unique constraint (ON CONFLICT DO NOTHING).

    This is what makes decisions replay-safe: two ticks or two workers writing the same outbox row
    (same dedupe key) leave one row. Returns the ``returning`` column of the rows actually inserted.
    """
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    # Rows as executemany parameters, not ``.values(rows)``: the statement is compiled once and
    # cached, and SQLAlchemy's "insertmanyvalues" batches it into multi-row INSERTs (RETURNING
    # included). A thousand-row ``.values()`` took longer to compile than to run.
    stmt = module.insert(table).on_conflict_do_nothing()
    if returning is not None:
        return list(session.execute(stmt.returning(returning), list(rows)).scalars())
    session.execute(stmt, list(rows))
    return []


def skip_locked(session: Session) -> dict[str, Any]:
    """``with_for_update`` arguments: SKIP LOCKED on PostgreSQL; SQLite serialises writers instead."""
    if session.get_bind().dialect.name == "postgresql":
        return {"skip_locked": True}
    return {}


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


@contextmanager
def driver_errors(connection: Connection, statement: str, params: Any = None) -> Iterator[None]:
    """Work done on ``connection``'s driver connection directly (psycopg's cursor, COPY) raises
    its errors as SQLAlchemy would have: ``OperationalError``, ``IntegrityError``... wrapping the
    driver's, with the parameters hidden as the engine hides them, and a connection found dead
    invalidated (so the pool never hands it out again).

    Without this a dropped connection or a cancelled statement on such a path escaped as a raw
    ``psycopg.OperationalError``, which the API's handlers do not know as a database outage: a 500
    with a stack trace instead of the 503 with ``Retry-After`` every other path gives.
    ``statement`` names the work in the log (placeholders only, never values)."""
    dbapi_error = connection.dialect.loaded_dbapi.Error
    try:
        yield
    except dbapi_error as exc:
        disconnected = connection.dialect.is_disconnect(exc, connection.connection.dbapi_connection, None)
        if disconnected:
            connection.invalidate(exc)
        raise DBAPIError.instance(statement, params, exc, dbapi_error, hide_parameters=connection.engine.hide_parameters,
                                  connection_invalidated=disconnected, dialect=connection.dialect,
                                  ismulti=False) from exc

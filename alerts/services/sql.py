"""Small SQL helpers that differ by dialect."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
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

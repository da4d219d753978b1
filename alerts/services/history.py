"""Reading a patient's rows back a page at a time, newest first, by (time, id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

T = TypeVar("T")


@dataclass(frozen=True)
class Window:
    """Which rows: ``since`` <= time < ``until``, and older than ``after`` (the previous page's last
    row, as (time, id)); at most ``limit``."""

    since: datetime | None = None
    until: datetime | None = None
    after: tuple[datetime, int] | None = None
    limit: int = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    more: bool  # whether rows older than the last one exist in the window


def page(session: Session, stmt: Select[Any], time: InstrumentedAttribute[Any],
         ident: InstrumentedAttribute[Any], window: Window) -> Page[Any]:
    """One page of ``stmt``'s rows in ``window``, newest first.

    Keyset, not offset: the next page starts strictly after the last row's (time, id), so a row
    written meanwhile never shifts a page (no row twice, none skipped); ties on time are broken by
    id. The (patient, time) indexes of each table serve the query.
    """
    if window.since is not None:
        stmt = stmt.where(time >= window.since)
    if window.until is not None:
        stmt = stmt.where(time < window.until)
    if window.after is not None:
        at, last = window.after
        stmt = stmt.where(or_(time < at, and_(time == at, ident < last)))
    rows: list[Any] = list(session.scalars(stmt.order_by(time.desc(), ident.desc()).limit(window.limit + 1)))
    return Page(rows[: window.limit], len(rows) > window.limit)

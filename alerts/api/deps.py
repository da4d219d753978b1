"""Per-request database session."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from alerts.app import get_db


def init_request_session(app: Flask) -> None:
    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()


def db_session() -> Session:
    """The request's session (created on first use, closed at teardown; the route commits)."""
    if "db_session" not in g:
        g.db_session = get_db(current_app).sessionmaker()
    return g.db_session

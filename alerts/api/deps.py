"""Per-request database session, for routes: ``alerts.db`` holds it (see ``alerts.db.init_app``)."""

from __future__ import annotations

from alerts.db import db_session

__all__ = ["db_session"]

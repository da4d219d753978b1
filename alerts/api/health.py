from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from alerts.api.deps import db_session

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """200 when the API can reach its database (load balancers and the Quick start poll this)."""
    db_session().execute(text("SELECT 1"))
    return jsonify(status="ok")


@bp.get("/ping")
def ping():  # type: ignore[no-untyped-def]
    """No database, no auth: the benchmark's baseline for the cost of the server itself."""
    return jsonify(status="ok")

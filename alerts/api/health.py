from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from alerts.api.deps import db_session
from alerts.clock import utcnow
from alerts.ops import readiness

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """200 when the API can reach its database (load balancers and the Quick start poll this)."""
    db_session().execute(text("SELECT 1"))
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():  # type: ignore[no-untyped-def]
    """200 when alerting works end to end, 503 (with the failing checks) when it has stalled.

    Database and broker answer; beat published a tick, a worker ran it and drained the outbox, each
    within 3 tick periods; no message has been due for longer. For the monitor that pages someone
    (and ``dosewatch doctor``); load balancers keep polling ``/healthz``, which a dead worker does
    not fail: the API itself is fine then.
    """
    config = current_app.config
    broker = readiness.broker_error(config["CELERY_BROKER_URL"], current_app.extensions["celery"])
    snapshot = readiness.observe(db_session(), utcnow(), config["TICK_SECONDS"], broker)
    report = readiness.assess(snapshot)
    return jsonify(report.as_dict()), 200 if report.ok else 503


@bp.get("/ping")
def ping():  # type: ignore[no-untyped-def]
    """No database, no auth: the benchmark's baseline for the cost of the server itself."""
    return jsonify(status="ok")

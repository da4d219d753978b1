from __future__ import annotations

from flask import Blueprint, Response, current_app

from alerts.db import get_db
from alerts.clock import utcnow
from alerts.ops.metrics import CONTENT_TYPE_LATEST, exposition

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def prometheus() -> Response:
    """Prometheus text format: every process's counters (multiprocess mode under gunicorn and
    ``dosewatch up``) and the queue gauges read from the database now. Keep it off the public proxy."""
    return Response(exposition(get_db(current_app).sessionmaker, utcnow), mimetype=CONTENT_TYPE_LATEST)

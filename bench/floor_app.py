"""The floor for ``bench/ingest.py --floor``: a bare check-in endpoint, never deployed.

It validates the body with the real pydantic model and INSERTs it in one autocommit statement:
no token, no patient scope, no idempotency lookup, no clinical rules. It shows what any check-in
endpoint costs at least on this stack (gunicorn, Flask, pydantic, SQLAlchemy, psycopg, PostgreSQL),
against the same ``/ping``, under the same gunicorn configuration.

    gunicorn --config deploy/gunicorn.conf.py bench.floor_app:app     # DATABASE_URL from the environment
"""

from __future__ import annotations

import json
import os
from datetime import timedelta

from flask import Flask, Response, jsonify, request
from sqlalchemy import insert

from alerts.clock import utcnow
from alerts.db import Database
from alerts.models import CheckIn
from schemas.ingest import CheckInIn

app = Flask(__name__)
db = Database(os.environ["DATABASE_URL"])
table = CheckIn.__table__
INSERT = insert(table).returning(table.c.id)
autocommit = db.engine.execution_options(isolation_level="AUTOCOMMIT")


@app.get("/ping")
def ping():  # type: ignore[no-untyped-def]
    return jsonify(status="ok")


@app.post("/v1/patients/<int:patient_id>/checkins")
def checkin(patient_id: int) -> Response:
    now = utcnow()
    body = CheckInIn.model_validate_json(request.get_data(),
                                         context={"now": now, "max_future_skew": timedelta(minutes=5)})
    # One statement, autocommit: no BEGIN/COMMIT round trips around it (the leanest write there is).
    with autocommit.connect() as conn:
        new_id = conn.execute(INSERT, {
            "patient_id": patient_id, "recorded_at": body.recorded_at, "symptoms": body.symptoms, "note": body.note,
            "source": body.source, "idempotency_key": request.headers.get("Idempotency-Key"), "received_at": now,
        }).scalar_one()
    return Response(json.dumps({"id": new_id}), 201, mimetype="application/json")

"""Entry module for the ``celery`` command: ``celery -A workers.main worker`` / ``beat``."""

from alerts import create_app
from alerts.ops import celery_hooks

flask_app = create_app()
celery = flask_app.extensions["celery"]
# Logs, per-task events, beat's heartbeat and the worker's metrics (alerts/ops/celery_hooks.py).
celery_hooks.connect(flask_app)

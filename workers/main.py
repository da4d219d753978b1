"""Entry module for the ``celery`` command: ``celery -A workers.main worker`` / ``beat``."""

import sys

from alerts import create_app
from alerts.config import ConfigError
from alerts.ops import celery_hooks

try:
    flask_app = create_app()
except ConfigError as exc:
    sys.exit(f"dosewatch: configuration: {exc}")  # one line naming the setting, not a traceback
celery = flask_app.extensions["celery"]
# Logs, per-task events, beat's heartbeat and the worker's metrics (alerts/ops/celery_hooks.py).
celery_hooks.connect(flask_app)

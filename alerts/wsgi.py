"""WSGI entry point for gunicorn: ``gunicorn alerts.wsgi:app`` (configuration from the environment)."""

import sys

from alerts import create_app
from alerts.config import ConfigError
from alerts.ops import logs

try:
    app = create_app()
except ConfigError as exc:
    sys.exit(f"dosewatch: configuration: {exc}")  # one line naming the setting, not a traceback
logs.configure(app.config)

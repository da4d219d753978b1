"""WSGI entry point for gunicorn: ``gunicorn alerts.wsgi:app`` (configuration from the environment)."""

from alerts import create_app
from alerts.ops import logs

app = create_app()
logs.configure(app.config)

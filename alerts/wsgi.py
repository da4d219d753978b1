"""WSGI entry point for gunicorn: ``gunicorn alerts.wsgi:app`` (configuration from the environment)."""

from alerts import create_app

app = create_app()

"""Entry module for the ``celery`` command: ``celery -A workers.main worker`` / ``beat``."""

from alerts import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]

"""The Flask application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from alerts.config import load_config
from alerts.db import Database


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults in code, then the environment, then ``config`` (tests pass one).

    Nothing connects at import time; the database engine is created here and connects lazily.
    """
    app = Flask(__name__)
    app.config.update(load_config(config))
    app.extensions["dosewatch.db"] = Database(app.config["DATABASE_URL"])

    from alerts.api import register_blueprints

    register_blueprints(app)
    from alerts.web import init_console; init_console(app)  # noqa: E702 (the care console, under /)

    from workers.celery_app import celery_init_app

    celery_init_app(app)
    return app


def get_db(app: Flask) -> Database:
    return app.extensions["dosewatch.db"]

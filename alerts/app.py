"""The Flask application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from alerts.api import register_blueprints
from alerts.config import load_settings
from alerts.db import get_db, init_app
from alerts.ops import errors
from alerts.ops import web as ops_web
from workers.celery_app import celery_init_app

__all__ = ["create_app", "get_db"]  # get_db: re-exported for callers from before it moved to alerts.db


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults in code, then the environment, then ``config`` (tests pass one).

    The one place that wires things together; it imports downward only (nothing it imports
    imports it back). Nothing connects at import time; the engine is created here, connects lazily.
    The settings are built and validated here, once: a bad one raises
    :class:`alerts.config.ConfigError` (one line naming it) before anything else is set up. Keys of
    ``config`` that are not settings (``TESTING``, ...) are Flask configuration, kept as given.
    """
    settings = load_settings(config)
    app = Flask(__name__)
    app.config.update(config or {})
    app.config.update(settings.model_dump())
    init_app(app)
    register_blueprints(app)
    # Imported here, not at the top: ``alerts/__init__.py`` re-exports create_app, and the console's
    # pages import services whose schemas import ``alerts.domain`` (and so this package) back.
    from alerts.web import init_console

    init_console(app)  # the care console, under /; after the API, whose blueprints it exempts from CSRF
    ops_web.init_app(app)
    errors.init(app.config)  # Sentry, only when SENTRY_DSN is set
    celery_init_app(app)
    return app

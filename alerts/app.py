"""The Flask application factory."""

from __future__ import annotations

import multiprocessing.util
from collections.abc import Callable, Mapping
from inspect import iscoroutinefunction
from typing import Any

from flask import Flask

from alerts.api import register_blueprints
from alerts.config import load_settings
from alerts.db import forget_inherited_connections, get_db, init_app
from alerts.ops import errors
from alerts.ops import web as ops_web
from workers.celery_app import celery_init_app

__all__ = ["DosewatchFlask", "after_fork", "create_app", "get_db"]  # get_db: re-exported for callers from before it moved to alerts.db


class DosewatchFlask(Flask):
    """Flask, remembering which of the app's functions are plain ``def`` functions.

    Flask passes every view and every before-request, after-request and teardown hook through
    :meth:`ensure_sync` on every request (ten per API request here, with the console's extensions'
    hooks), and each call asks ``inspect.iscoroutinefunction`` again, unwrapping partials and bound
    methods to find out what was already known at registration. Flask documents this method as the
    one to override. A function found synchronous once is remembered (by identity: the hooks and
    views are the same objects on every request; at most ``_SYNC_KEPT``, so a caller passing new
    callables each time grows nothing) and returned as is, as Flask returns it; an ``async def`` is
    never remembered and is wrapped by Flask's ``async_to_sync`` exactly as before."""

    _SYNC_KEPT = 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync_funcs: set[Callable[..., Any]] = set()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        known = self._sync_funcs
        try:
            if func in known:
                return func
        except TypeError:  # an unhashable callable: asked every time, as Flask does
            return super().ensure_sync(func)
        if iscoroutinefunction(func):
            return self.async_to_sync(func)
        if len(known) < self._SYNC_KEPT:
            known.add(func)
        return func


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults in code, then the environment, then ``config`` (tests pass one).

    The one place that wires things together; it imports downward only (nothing it imports
    imports it back). Nothing connects at import time; the engine is created here, connects lazily.
    The settings are built and validated here, once: a bad one raises
    :class:`alerts.config.ConfigError` (one line naming it) before anything else is set up. Keys of
    ``config`` that are not settings (``TESTING``, ...) are Flask configuration, kept as given.
    """
    settings = load_settings(config)
    app = DosewatchFlask(__name__)
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


def after_fork(app: Flask) -> None:
    """In a process forked from the one that built ``app`` (gunicorn's master, ``preload_app``), before
    it serves anything: let it open connections and threads of its own instead of using its parent's.

    ``create_app`` opens no connection and starts no thread (tests/ops/test_preload.py checks the
    master), so there is normally nothing inherited to drop; this makes sure, one component each:

    - SQLAlchemy engines (the app's, and any other made by ``alerts.db.make_engine``): empty pools,
      the parent's connections left open for the parent (``forget_inherited_connections``).
    - Celery's producer pool and kombu's connection pools: dropped, by the after-fork callbacks
      Celery and kombu register with ``multiprocessing.util``. Those run by themselves only in a
      ``multiprocessing``/billiard child, not after gunicorn's ``os.fork``; Celery runs them by hand
      after its own fork the same way (``celery.platforms.DaemonContext``).
    - Sentry, when configured: a new client (transport, HTTP pool, background thread). The master
      may have sent an event (it logs a killed worker as an error) on a kept-alive connection.

    Left to their own fork handling, which needs no call: redis-py's connection pools (the rate
    limiter's storage) compare the pid before each use and start afresh in a new process;
    prometheus-client's multiprocess values do the same (a file per pid); CPython reseeds ``random``
    and re-creates ``logging``'s locks in a forked child; ``alerts.ops.deadman`` makes its executor
    per pid.
    """
    forget_inherited_connections()
    multiprocessing.util._run_after_forkers()  # type: ignore[attr-defined]
    errors.after_fork(app.config)

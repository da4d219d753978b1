"""The API's side of operations: a request id, one log event and the metrics for every request.

``X-Request-ID`` is taken from the reverse proxy when it sends a sane one (so a request can be
followed from the proxy's log into ours) or made up, bound to the log context for everything the
request logs, and returned in the response. The route is the URL rule (``/v1/patients/<int:...>``),
never the path: no ids in metric labels, no query strings (tokens) in logs.
"""

from __future__ import annotations

import re
import time
import uuid

import structlog
from flask import Flask, Response, g, request

from alerts.ops import metrics
from alerts.ops.logs import get_logger

log = get_logger("dosewatch.http")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def init_app(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()
        offered = request.headers.get("X-Request-ID", "")
        g.request_id = offered if _REQUEST_ID.match(offered) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=g.request_id)

    @app.after_request
    def _finish(response: Response) -> Response:
        started = g.pop("request_started", None)
        if started is None:  # pragma: no cover - before_request did not run (a routing failure first)
            return response
        seconds = time.perf_counter() - started
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        if route not in ("/metrics",):
            metrics.observe_request(route, request.method, response.status_code, seconds)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        level = "warning" if response.status_code >= 500 else "info"
        getattr(log, level)("request", method=request.method, route=route, status=response.status_code,
                            duration_ms=round(seconds * 1000, 1))
        return response

    @app.teardown_request
    def _forget(_exc: BaseException | None) -> None:
        structlog.contextvars.clear_contextvars()

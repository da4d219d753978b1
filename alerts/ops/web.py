"""The API's side of operations: a request id, one log event and the metrics for every request.

``X-Request-ID`` is taken from the reverse proxy when it sends a sane one (so a request can be
followed from the proxy's log into ours) or made up, bound to the log context for everything the
request logs, and returned in the response. The route is the URL rule (``/v1/patients/<int:...>``),
never the path: no ids in metric labels, no query strings (tokens) in logs.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

import structlog
from flask import Flask, Response, g, request

from alerts.ops import metrics
from alerts.ops.logs import SAFE_FIELDS, mask_phone_numbers

# The request line goes to ``logging`` directly, not through structlog's bound logger, and names its
# fields as safe (``logs.SAFE_FIELDS``), so the formatter renders it without running its processors.
# They are built here and none can carry what people wrote: the method (masked like any value, in
# case of a "+"), the URL rule (never the path), the status, a duration, and the request id, which
# ``_REQUEST_ID`` restricts to id characters (no "+" or "%": nothing the phone mask would touch).
# The line is the same (event, fields, order: tests/ops/test_logs.py); the two processor chains it
# skips ran on every request and were about 8% of a check-in's CPU (callgrind).
log = logging.getLogger("dosewatch.http")
_FIELDS = ("method", "route", "status", "duration_ms", "request_id")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def init_app(app: Flask) -> None:
    # Both hooks run on every request: each resolves Flask's ``g`` and ``request`` proxies once (a
    # context-variable lookup per attribute otherwise, a dozen per request) and reads them directly.
    @app.before_request
    def _start() -> None:
        here = g._get_current_object()  # type: ignore[attr-defined]
        here.request_started = time.perf_counter()
        # The header read from the WSGI environ, where ``request.headers.get`` looks it up (werkzeug's
        # ``EnvironHeaders``: ``HTTP_`` and the name upper-cased, dashes as underscores): the same
        # value, without the KeyError it raises and catches when the proxy sends none (most requests).
        offered = request.environ.get("HTTP_X_REQUEST_ID", "")
        here.request_id = request_id = offered if _REQUEST_ID.match(offered) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)

    @app.after_request
    def _finish(response: Response) -> Response:
        here = g._get_current_object()  # type: ignore[attr-defined]
        started = here.pop("request_started", None)
        if started is None:  # pragma: no cover - before_request did not run (a routing failure first)
            return response
        seconds = time.perf_counter() - started
        current = request._get_current_object()  # type: ignore[attr-defined]
        rule = current.url_rule
        route = rule.rule if rule is not None else "unmatched"
        method = current.method
        status = response.status_code
        if route not in ("/metrics",):
            metrics.observe_request(route, method, status, seconds)
        request_id = here.get("request_id", "")
        response.headers["X-Request-ID"] = request_id
        level = logging.WARNING if status >= 500 else logging.INFO
        if log.isEnabledFor(level):
            # The method as the client sent it (any token): masked like any value, in case of a "+".
            # A record made and handled as ``Logger.log`` would, less its look for the caller's
            # file and line, which no formatter here prints.
            log.handle(log.makeRecord(log.name, level, "", 0, "request", (), None, extra={
                "method": mask_phone_numbers(method), "route": route, "status": status,
                "duration_ms": round(seconds * 1000, 1), "request_id": request_id,
                SAFE_FIELDS: _FIELDS}))
        return response

    @app.teardown_request
    def _forget(_exc: BaseException | None) -> None:
        structlog.contextvars.clear_contextvars()

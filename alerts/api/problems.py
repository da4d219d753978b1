"""RFC 9457 problem details: every 4xx/5xx the API returns is ``application/problem+json``.

Two answers are for failures on our side, never for anything a caller sent:

- 503 with ``Retry-After`` when the database cannot be reached or does not answer in time
  (connection refused, connect or statement timeout, pool exhausted): the request may be retried
  as it is (ingest requests carry idempotency keys for exactly this).
- 500 for a bug. Logged without the exception's message: a database error's text carries the
  values of the statement (a phone number, an SMS body, a token hash), and a validator's may quote
  its input. The log names the exception types, the statement (placeholders only) and the stack.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from flask import Flask, Response, json, request
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

PROBLEM_MIME = "application/problem+json"
# Seconds a client is asked to wait after a 503: long enough for a failover or a restart to finish,
# short enough that a dose recorded during one is not recorded long after the fact.
RETRY_AFTER_SECONDS = 5

log = logging.getLogger("dosewatch.api")


class Problem(Exception):
    """Raise from a route to answer with a problem document."""

    def __init__(self, status: int, title: str, detail: str | None = None, *, type_: str = "about:blank",
                 errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type_
        self.errors = errors
        self.headers = headers or {}


def problem_response(status: int, title: str, detail: str | None = None, *, type_: str = "about:blank",
                     errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIME)
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(Problem)
    def _problem(exc: Problem) -> Response:
        return problem_response(exc.status, exc.title, exc.detail, type_=exc.type, errors=exc.errors, headers=exc.headers)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        # Werkzeug's own errors (404 route, 405 method, 413 body too large ...) as problems too.
        response = problem_response(exc.code or 500, exc.name, exc.description)
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(sa_exc.OperationalError)
    @app.errorhandler(sa_exc.TimeoutError)
    def _database_unavailable(exc: Exception) -> Response:
        # OperationalError: refused or dropped connections, connect_timeout, statement_timeout
        # (psycopg's QueryCanceled), SQLite's "database is locked". TimeoutError: no pooled
        # connection became free in time. All pass, and none is the caller's fault.
        log.warning("database unavailable on %s %s: %s", request.method, request.path, _describe(exc))
        return problem_response(503, "Service Unavailable",
                                "The database is not answering; nothing was stored. Retry the same request "
                                "(with the same Idempotency-Key) shortly.",
                                headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):  # defensive: Werkzeug's own have their handler above
            return _http(exc)
        log.error("unhandled error on %s %s: %s\n%s", request.method, request.path, _describe(exc),
                  "".join(traceback.format_tb(exc.__traceback__)).rstrip())
        return problem_response(500, "Internal Server Error",
                                "Something went wrong on our side; nothing was stored.")


def _describe(exc: BaseException) -> str:
    """The exception chain by type, and a failed statement's SQL with its placeholders: never a
    message, which may quote the values of the request (phone numbers, SMS bodies, token hashes)."""
    parts: list[str] = []
    seen: BaseException | None = exc
    while seen is not None and len(parts) < 5:
        name = f"{type(seen).__module__}.{type(seen).__qualname__}"
        if isinstance(seen, sa_exc.StatementError) and seen.statement:
            name += f" [SQL: {' '.join(seen.statement.split())[:500]}]"
        parts.append(name)
        seen = seen.__cause__ or seen.__context__
    return " <- ".join(parts)

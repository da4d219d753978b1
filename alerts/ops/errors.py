"""Errors to Sentry when ``SENTRY_DSN`` is set, with personal data scrubbed before it leaves.

:func:`scrub` is ``before_send``: a pure function of the event. It drops what Sentry would carry of
people (request bodies and cookies, headers that authenticate, the user, local variables of every
frame, breadcrumbs' messages), masks phone numbers in every string left, and redacts the fields
that hold what people wrote or were sent, as the logs do (``alerts.ops.logs``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alerts.ops.logs import REDACTED, REDACTED_KEYS, mask_phone_numbers

_SECRET_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "x-twilio-signature", "idempotency-key"})


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return mask_phone_numbers(value)
    if isinstance(value, Mapping):
        return {k: REDACTED if k in REDACTED_KEYS else _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def scrub(event: dict[str, Any], _hint: Any = None) -> dict[str, Any]:
    """Sentry's ``before_send``: the event without personal data (never None: the error still goes)."""
    event = dict(event)
    request = dict(event.get("request") or {})
    for key in ("data", "cookies", "query_string", "env"):
        if key in request:
            request[key] = REDACTED
    if isinstance(request.get("headers"), Mapping):
        request["headers"] = {k: REDACTED if k.lower() in _SECRET_HEADERS else v
                              for k, v in request["headers"].items()}
    if request:
        event["request"] = request
    event.pop("user", None)
    for exc in (event.get("exception") or {}).get("values", []) or []:
        for frame in ((exc.get("stacktrace") or {}).get("frames") or []):
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values", []) or []:
        for frame in ((thread.get("stacktrace") or {}).get("frames") or []):
            frame.pop("vars", None)
    crumbs = event.get("breadcrumbs")
    if isinstance(crumbs, Mapping) and isinstance(crumbs.get("values"), list):
        event["breadcrumbs"] = {**crumbs, "values": [{**c, "data": REDACTED} if "data" in c else c
                                                     for c in crumbs["values"]]}
    return _clean(event)  # type: ignore[no-any-return]


def init(config: Mapping[str, Any]) -> bool:
    """Start the Sentry SDK (Flask and Celery integrations) if ``SENTRY_DSN`` is set. True if started."""
    dsn = config.get("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=config.get("SENTRY_ENVIRONMENT") or "production",
        integrations=[FlaskIntegration(), CeleryIntegration()],
        # send_default_pii stays at its default (off); newer SDKs deprecate setting it.
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        before_send=scrub,
    )
    return True


def after_fork(config: Mapping[str, Any]) -> bool:
    """In a forked child of a process that ran :func:`init`: a client of its own, so the child never
    writes to a kept-alive HTTPS connection of the parent's pool, nor sends events the parent had
    queued. The parent's client is dropped, not closed (closing would flush that queue from here).
    True if Sentry is configured."""
    return init(config)

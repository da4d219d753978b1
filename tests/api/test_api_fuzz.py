"""schemathesis against ``/openapi.json``: the real app on PostgreSQL, fuzzed from its own document.

About a thousand generated requests, valid and invalid per the document, to every operation: the
API's with an admin, a client (the patient's app) or a device token, Twilio's webhooks signed as
Twilio signs them; real ids half of the time, so requests get past the 404. The test prints
``schemathesis: N requests, 0 responses >= 500`` and fails on any 5xx, and on any answer the
document does not describe: an undocumented status, a body that breaks its schema, a wrong content
type, a missing documented header.

Bounded and deterministic (``derandomize``: the same requests every run, no example database, no
shrinking), so it runs with the rest of the suite; ``FUZZ_EXAMPLES`` raises the count per operation.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select
from twilio.request_validator import RequestValidator
from werkzeug.wrappers import Request

from alerts.app import get_db
from alerts.models import Notification
from tests.api.conftest import Ward, read
from tests.api.test_api_permissions import _open_alert
from tests.conftest import _make_app
from tests.twilio.conftest import AUTH_TOKEN, PUBLIC_BASE_URL, TWILIO_CONFIG

pytestmark = pytest.mark.integration

# Examples per operation and generation mode: 27 operations x 2 modes x 19 = about 1,000 requests.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "19"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
SIGN_HEADER = "X-Test-Sign-As-Twilio"


@pytest.fixture
def app(pg_app: Flask, tmp_path, pg_url: str) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    """The app on the (emptied) PostgreSQL database, knowing its Twilio auth token."""
    app = _make_app(tmp_path, pg_url, **TWILIO_CONFIG)
    app.wsgi_app = SignAsTwilio(app.wsgi_app)  # type: ignore[method-assign]
    yield app
    get_db(app).dispose()


class SignAsTwilio:
    """WSGI middleware: a request marked with ``SIGN_HEADER`` gets the X-Twilio-Signature Twilio
    would send for it (public URL, path, query string and form exactly as they arrived)."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.pop("HTTP_" + SIGN_HEADER.upper().replace("-", "_"), None):
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            request = Request({**environ, "wsgi.input": io.BytesIO(body)})
            query = environ.get("QUERY_STRING", "")
            url = PUBLIC_BASE_URL + request.path + (f"?{query}" if query else "")
            params = request.form if request.method == "POST" else {}
            environ["HTTP_X_TWILIO_SIGNATURE"] = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
        return self.wsgi_app(environ, start_response)


def _who(path: str) -> list[str]:
    """Which credentials to try on an operation, most likely first (a wrong one is a 403)."""
    if path.startswith("/twilio/"):
        return ["twilio"]
    if path.startswith("/v1/admin/"):
        return ["admin", "admin", "client"]
    if "/readings" in path or "/device-events" in path:
        return ["device", "client", "admin"]
    return ["client", "admin", "device"]


def test_schemathesis_finds_no_server_error_and_no_undocumented_response(
        app: Flask, ward: Ward, personas: dict[str, dict[str, str]], device_token: dict[str, str], db: Any,
        capsys: pytest.CaptureFixture[str]) -> None:
    alert_id = _open_alert(ward, db)  # an open alert, and the messages (outbox rows) it queued
    notification_id = read(db, select(Notification.id).order_by(Notification.id))[0]
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    credentials = {"admin": personas["admin"], "client": personas["own"], "device": device_token,
                   "twilio": {SIGN_HEADER: "1"}}
    real_ids = {"patient_id": ward.patient.id, "caregiver_id": ward.bob.id, "schedule_id": ward.schedule.id,
                "alert_id": alert_id, "event_id": 1, "notification_id": notification_id}
    statuses: Counter[int] = Counter()
    failures: list[str] = []

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode), who=st.sampled_from(_who(operation.path)),
                   use_real_ids=st.booleans())
            def exercise(case: Any, who: str, use_real_ids: bool) -> None:
                if use_real_ids and mode is GenerationMode.POSITIVE:
                    for name in case.path_parameters or {}:
                        case.path_parameters[name] = real_ids.get(name, 1)
                headers = {**(case.headers or {}), **credentials[who]}
                response = case.call(headers=headers)
                statuses[response.status_code] += 1
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except FailureGroup as exc:  # every failure is collected, then reported together
                    failures.append(f"{case.method} {case.formatted_path} ({who}, {mode.value}) -> "
                                    f"{response.status_code}: {str(exc)[:800]}")

            try:
                exercise()
            except Unsatisfiable:
                # Nothing in the operation can be made invalid (GET /ping has no parameters).
                assert mode is GenerationMode.NEGATIVE, operation.path

    total = sum(statuses.values())
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    with capsys.disabled():
        print(f"\nschemathesis: {total} requests, {server_errors} responses >= 500 "
              f"(statuses: {dict(sorted(statuses.items()))})")
    assert total >= 900
    assert server_errors == 0, "\n\n".join(f for f in failures if "erver error" in f)[:20000]
    assert not failures, f"{len(failures)} undocumented responses:\n\n" + "\n\n".join(failures[:30])

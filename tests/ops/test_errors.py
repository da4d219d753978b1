"""Sentry's ``before_send``: an error report leaves without the people in it."""

from __future__ import annotations

from alerts.ops.errors import init, scrub


def _event() -> dict:  # type: ignore[type-arg]
    return {
        "message": "send to +12025550101 failed",
        "user": {"ip_address": "203.0.113.9", "id": "7"},
        "request": {
            "url": "https://dosewatch.example.org/twilio/sms",
            "method": "POST",
            "data": {"From": "+12025550102", "Body": "she had a fit"},
            "query_string": "n=12",
            "cookies": {"session": "abc"},
            "headers": {"Authorization": "Bearer dw_secret", "X-Twilio-Signature": "sig", "User-Agent": "Twilio"},
        },
        "exception": {"values": [{
            "type": "IntegrityError",
            "value": "duplicate key (to_number)=(+12025550103)",
            "stacktrace": {"frames": [{"function": "handle_sms", "vars": {"body": "cant breathe", "phone": "+1202"}}]},
        }]},
        "breadcrumbs": {"values": [{"category": "query", "message": "UPDATE notification SET ...",
                                    "data": {"params": ["+12025550104", "take your dose"]}}]},
        "extra": {"body": "your 08:00 dose", "patient_id": 4},
    }


def test_scrub_drops_bodies_credentials_user_and_locals_and_masks_numbers() -> None:
    scrubbed = scrub(_event())
    text = repr(scrubbed)
    for secret in ("2025550101", "2025550102", "2025550103", "2025550104", "she had a fit", "cant breathe",
                   "take your dose", "your 08:00 dose", "dw_secret", "203.0.113.9"):
        assert secret not in text, secret
    assert "user" not in scrubbed
    assert scrubbed["request"]["headers"]["User-Agent"] == "Twilio"
    assert scrubbed["request"]["headers"]["Authorization"] == "[redacted]"
    assert scrubbed["exception"]["values"][0]["type"] == "IntegrityError"
    assert scrubbed["exception"]["values"][0]["value"] == "duplicate key (to_number)=(+*******0103)"
    assert "vars" not in scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert scrubbed["extra"] == {"body": "[redacted]", "patient_id": 4}
    assert scrubbed["message"] == "send to +*******0101 failed"


def test_scrub_keeps_the_error_itself() -> None:
    assert scrub({"level": "error", "logger": "dosewatch.outbox"}) == {"level": "error", "logger": "dosewatch.outbox"}


def test_without_sentry_dsn_nothing_is_started() -> None:
    assert init({"SENTRY_DSN": None}) is False


_REPORTER = """
import sys
import sentry_sdk
from alerts.ops.errors import init

assert init({"SENTRY_DSN": sys.argv[1]})
# Built at run time: a report carries source lines, which must not be what the test finds.
body = " ".join(["she", "had", "a", "fit"])
phone = "+1202555" + "0191"
try:
    raise RuntimeError(f"could not text {phone}: {len(body)} chars")
except RuntimeError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(timeout=10)
"""


def test_an_error_reported_to_sentry_leaves_without_the_number_or_the_text() -> None:
    """The real SDK in a process of its own (it patches logging, subprocess, Flask and Celery for
    good), a local stand-in for Sentry's ingest endpoint, and an exception whose message and local
    variables carry a phone number and a message body."""
    import gzip
    import subprocess
    import sys
    import threading
    import zlib
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received: list[bytes] = []

    class Ingest(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "gzip":
                data = gzip.decompress(data)
            elif encoding == "deflate":
                data = zlib.decompress(data)
            received.append(data)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Ingest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dsn = f"http://public@127.0.0.1:{server.server_address[1]}/1"
        subprocess.run([sys.executable, "-c", _REPORTER, dsn], check=True, timeout=60)
    finally:
        server.shutdown()
        server.server_close()
    envelope = b"".join(received)
    assert b"RuntimeError" in envelope  # the error did go
    assert b"2025550191" not in envelope and b"she had a fit" not in envelope

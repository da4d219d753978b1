"""Logs: one JSON event per request, task and message, with correlation ids, and never a phone
number, a message body or symptom text, over a whole end-to-end day (``tests/ops/conftest.py``)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from alerts.ops import logs
from tests.ops.conftest import run_day
from tests.twilio.conftest import mock_app  # noqa: F401  (the app sending through the Twilio mock)


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Every log record of this process, as production writes them (LOG_FORMAT=json, level info)."""
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    handler = logs.configure({"LOG_FORMAT": "json", "LOG_LEVEL": "info"}, stream=stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def test_no_phone_number_message_body_or_symptom_text_in_any_log_line_of_a_day(ops_app, tmp_path, captured) -> None:  # type: ignore[no-untyped-def]
    day = run_day(ops_app, tmp_path)
    lines = captured.getvalue().splitlines()
    events = [json.loads(line) for line in lines]  # every line is one JSON object

    assert len(day.phones) >= 6 and len(day.texts) >= 10
    for line in lines:
        for phone in day.phones:
            assert phone not in line and phone[1:] not in line, line
        for text in day.texts:
            assert text not in line, line
        assert "legs jumping" not in line and "shaking all over" not in line, line
    # ...and the events are there, with what ties them together.
    requests = [e for e in events if e["event"] == "request"]
    assert {e["status"] for e in requests} >= {200, 201, 401, 404, 422}
    assert all(len(e["request_id"]) == 32 for e in requests)
    sent = [e for e in events if e["event"] == "message sent"]
    assert len(sent) >= 10
    assert all(e["outbox_id"] and e["message_sid"] and e["to"].startswith("+*") for e in sent)
    received = [e for e in events if e["event"] == "sms received"]
    assert {e["message_sid"] for e in received} == {"SM" + c * 32 for c in "abc"}
    assert {e["outcome"] for e in received} >= {"acknowledged", "unknown_sender"}
    ticks = [e for e in events if e["event"] == "tick done"]
    assert ticks and all("duration_ms" in e for e in ticks)


def test_a_request_id_from_the_proxy_is_kept_and_returned(ops_app, captured) -> None:  # type: ignore[no-untyped-def]
    response = ops_app.test_client().get("/healthz", headers={"X-Request-ID": "proxy-7f3a"})
    assert response.headers["X-Request-ID"] == "proxy-7f3a"
    [event] = [json.loads(line) for line in captured.getvalue().splitlines() if '"request"' in line]
    assert event["request_id"] == "proxy-7f3a" and event["route"] == "/healthz" and event["status"] == 200


def test_a_request_id_that_could_forge_log_lines_is_replaced(ops_app) -> None:  # type: ignore[no-untyped-def]
    response = ops_app.test_client().get("/healthz", headers={"X-Request-ID": "x level=error"})
    assert response.headers["X-Request-ID"] != "x level=error" and len(response.headers["X-Request-ID"]) == 32


@pytest.mark.parametrize(("raw", "masked"), [
    ("+12025550101", "+*******0101"),
    ("sent to whatsapp:+447700900123 at 2026-06-16T12:00:00Z", "sent to whatsapp:+********0123 at 2026-06-16T12:00:00Z"),
    ("duration 1234567 ms, id 99", "duration 1234567 ms, id 99"),
    ("GET /Messages.json?To=%2B12025550101&From=%2b15005550006", "GET /Messages.json?To=+*******0101&From=+*******0006"),
])
def test_phone_numbers_are_masked_and_dates_and_counts_left_alone(raw: str, masked: str) -> None:
    assert logs.mask_phone_numbers(raw) == masked


def test_message_fields_are_redacted_whatever_logged_them() -> None:
    event = logs.scrub_event(None, "info", {"event": "x", "body": "take your dose", "symptoms": {"seizure": 9},
                                            "nested": {"text": "hello", "to": "+12025550101"}})
    assert event == {"event": "x", "body": "[redacted]", "symptoms": "[redacted]",
                     "nested": {"text": "[redacted]", "to": "+*******0101"}}


def test_readable_format_is_one_line_per_event_with_the_message_last_for_library_records() -> None:
    stream = io.StringIO()
    handler = logs.configure({"LOG_FORMAT": "console"}, stream=stream)
    try:
        logging.getLogger("celery.app.trace").info("Task %s[%s] succeeded in %ss: %s", "workers.tasks.tick", "1-2",
                                                   0.01, {"missed_doses": 0})
        logs.get_logger("dosewatch.test").info("message sent", outbox_id=3, to="+12025550101")
    finally:
        logging.getLogger().removeHandler(handler)
    first, second = stream.getvalue().splitlines()
    assert first.endswith("celery.app.trace: Task workers.tasks.tick[1-2] succeeded in 0.01s: {'missed_doses': 0}")
    assert second.endswith("dosewatch.test: message sent outbox_id=3 to=+*******0101")


@pytest.mark.integration
def test_sending_through_twilio_logs_sids_and_error_codes_but_no_number_or_body(mock_app, captured) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Through the real Twilio SDK (the mock), a send that works and one refused with 21610: the
    SDK's own request logging (URLs with numbers) is held back, and our events carry the SIDs."""
    from sqlalchemy import select

    from alerts.app import get_db
    from alerts.clock import utcnow
    from alerts.domain.escalation import Recipient
    from alerts.models import Notification, Patient
    from alerts.services.outbox import Message, queue_messages
    from workers.dispatch import notifier_for
    from workers.tasks import deliver_outbox

    sessions = get_db(mock_app).sessionmaker
    with sessions.begin() as session:
        patient = Patient(name="Ana", timezone="UTC", phone="+12025550181", language="en")
        session.add(patient)
        session.flush()
        ok = Message("log-ok", Recipient("patient", patient.id, patient.phone, "Ana"), "Ana, your secret dose text",
                     "reminder")
        queue_messages(session, patient.id, None, [ok], utcnow())
    deliver_outbox.apply()
    notifier_for(mock_app).inner.http_client.session.headers["Prefer"] = "code=400, example=unsubscribed"
    with sessions.begin() as session:
        stop = Message("log-stop", Recipient("patient", patient.id, "+12025550182", "Ana"), "another secret text",
                       "reminder")
        queue_messages(session, patient.id, None, [stop], utcnow())
    deliver_outbox.apply()
    with sessions() as session:
        sids = [s for s in session.scalars(select(Notification.provider_sid)) if s]
    text = captured.getvalue()
    for secret in ("2025550181", "2025550182", "secret dose text", "another secret text"):
        assert secret not in text
    events = [json.loads(line) for line in text.splitlines()]
    assert [e["message_sid"] for e in events if e["event"] == "message sent"] == sids
    refused = [e for e in events if e["event"] == "message not sent"]
    assert [(e["result"], e["error_code"]) for e in refused] == [("permanent", 21610)]


@pytest.mark.parametrize("fmt", ["json", "console"])
def test_the_request_line_rendered_from_its_safe_fields_is_the_line_the_processors_make(fmt: str) -> None:
    """The request line skips the formatter's processors (``logs.SAFE_FIELDS``): it must come out as
    they would have made it, field for field, and a record without the marker still takes them."""
    formatter = logs.formatter(fmt)
    fields = {"method": "POST", "route": "/v1/patients/<int:patient_id>/checkins", "status": 201,
              "duration_ms": 3.2, "request_id": "a1" * 16}
    record = logging.getLogger("dosewatch.http").makeRecord(
        "dosewatch.http", logging.INFO, __file__, 1, "request", (), None,
        extra={**fields, logs.SAFE_FIELDS: tuple(fields)})
    plain = logging.makeLogRecord({k: v for k, v in record.__dict__.items() if k != logs.SAFE_FIELDS})

    def without_time(line: str) -> object:
        return {k: v for k, v in json.loads(line).items() if k != "timestamp"} if fmt == "json" else line[8:]

    assert without_time(formatter.format(record)) == without_time(formatter.format(plain))
    if fmt == "json":
        assert list(json.loads(formatter.format(record))) == ["event", "level", "logger", "timestamp", *fields]


@pytest.mark.parametrize("micros", [
    1_781_525_100_000_000,  # a whole second: no fraction, as isoformat writes it
    1_781_525_100_250_000,
    1_781_525_100_000_001,
    1_781_525_100_999_999,
    1_781_525_101_000_000,  # the next second after the one above: the cached date and time move on
    951_782_399_999_999,  # 2000-02-28T23:59:59.999999 and the leap day after it
    951_782_400_000_000,
])
def test_the_timestamp_is_the_one_structlogs_iso_utc_stamper_writes(monkeypatch: pytest.MonkeyPatch, micros: int) -> None:
    """``logs.utc_timestamp`` (the request line's and every record's) keeps the date and time of day
    for a second: it must write what ``TimeStamper(fmt="iso", utc=True)`` writes at the same instant."""
    import time
    from datetime import UTC, datetime, timedelta

    monkeypatch.setattr(time, "time_ns", lambda: micros * 1000 + 999)
    expected = (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)).isoformat().replace("+00:00", "Z")
    assert logs.utc_timestamp() == expected
    assert logs.utc_timestamp() == expected  # from the second's cached text

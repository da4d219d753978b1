"""TwilioNotifier against the Twilio mock (Twilio's own OpenAPI spec: a request that breaks it gets 422,
which would raise here) and against sockets that refuse or never answer."""

from __future__ import annotations

import http.server
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from alerts.notify.base import OutgoingMessage, TransportError
from alerts.notify.twilio import TwilioNotifier
from tests.twilio.conftest import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, PUBLIC_BASE_URL

pytestmark = pytest.mark.integration

TO = "+14155550100"
STATUS_URL = PUBLIC_BASE_URL + "/twilio/status"
SMS = OutgoingMessage(notification_id=1, to=TO, channel="sms", body="dosewatch: test",
                      status_callback=STATUS_URL)


@pytest.fixture
def notifier(twilio_mock_url: str) -> TwilioNotifier:
    return TwilioNotifier(ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, api_base_url=twilio_mock_url, timeout=5)


def sent_form(notifier: TwilioNotifier) -> dict[str, object]:
    """The form fields of the last request the notifier made (what the mock received)."""
    return dict(notifier.http_client._test_only_last_request.data)


def fail_with(notifier: TwilioNotifier, prefer: str) -> TransportError:
    """Send an SMS while asking the mock (``Prefer`` header) for one of Twilio's error answers."""
    notifier.http_client.session.headers["Prefer"] = prefer
    with pytest.raises(TransportError) as caught:
        notifier.send(SMS)
    return caught.value


def test_sms_is_accepted_by_twilios_api_and_returns_the_message_sid(notifier: TwilioNotifier) -> None:
    result = notifier.send(SMS)

    assert result.provider_sid is not None and result.provider_sid.startswith("SM")
    assert result.status == "queued"
    assert sent_form(notifier) == {"To": TO, "From": FROM_NUMBER, "Body": "dosewatch: test",
                                   "StatusCallback": STATUS_URL}


def test_voice_call_fetches_its_twiml_from_our_url_and_returns_the_call_sid(notifier: TwilioNotifier) -> None:
    call = OutgoingMessage(notification_id=2, to=TO, channel="voice", body="dosewatch emergency",
                           status_callback=STATUS_URL, voice_url=PUBLIC_BASE_URL + "/twilio/voice/2")
    result = notifier.send(call)

    assert result.provider_sid is not None and result.provider_sid.startswith("CA")
    assert sent_form(notifier) == {"To": TO, "From": FROM_NUMBER, "Url": PUBLIC_BASE_URL + "/twilio/voice/2",
                                   "StatusCallback": STATUS_URL}


def test_voice_call_without_a_url_speaks_the_body_as_inline_twiml(notifier: TwilioNotifier) -> None:
    call = OutgoingMessage(notification_id=3, to=TO, channel="voice", body="dosewatch emergency")
    assert notifier.send(call).provider_sid.startswith("CA")  # type: ignore[union-attr]
    assert sent_form(notifier)["Twiml"] == (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Say>dosewatch emergency</Say></Response>')


def test_unsubscribed_recipient_is_a_permanent_failure_with_code_21610(notifier: TwilioNotifier) -> None:
    error = fail_with(notifier, "code=400, example=unsubscribed")
    assert (error.permanent, error.ambiguous, error.code, error.status) == (True, False, 21610, 400)


def test_invalid_number_is_a_permanent_failure_with_code_21211(notifier: TwilioNotifier) -> None:
    error = fail_with(notifier, "code=400")
    assert (error.permanent, error.code) == (True, 21211)


def test_bad_credentials_are_a_permanent_failure(notifier: TwilioNotifier) -> None:
    assert fail_with(notifier, "code=401").permanent


@pytest.mark.parametrize("prefer", ["code=429", "code=500", "code=503"])
def test_rate_limit_and_server_errors_are_transient(notifier: TwilioNotifier, prefer: str) -> None:
    error = fail_with(notifier, prefer)
    assert (error.permanent, error.ambiguous) == (False, False)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def test_timeout_after_the_request_was_sent_is_ambiguous_not_retried(silent_server: int) -> None:
    notifier = TwilioNotifier(ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER,
                              api_base_url=f"http://127.0.0.1:{silent_server}", timeout=0.3)
    with pytest.raises(TransportError) as caught:
        notifier.send(SMS)
    # Twilio may have queued the message: re-sending could text the caregiver twice.
    assert (caught.value.ambiguous, caught.value.permanent) == (True, False)


def test_twilio_http_timeout_from_the_environment_bounds_every_send(silent_server: int) -> None:
    # TWILIO_HTTP_TIMEOUT was documented but read nowhere: the SDK client waited the built-in 10 s.
    import time

    from alerts.config import load_settings
    from alerts.notify.factory import make_notifier

    config = load_settings(env={"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                              "TWILIO_FROM_NUMBER": FROM_NUMBER, "TWILIO_HTTP_TIMEOUT": "0.4",
                              "TWILIO_API_BASE_URL": f"http://127.0.0.1:{silent_server}"})
    notifier = make_notifier(config.model_dump())
    assert isinstance(notifier, TwilioNotifier)
    assert notifier.http_client.timeout == 0.4
    started = time.monotonic()
    with pytest.raises(TransportError) as caught:
        notifier.send(SMS)
    assert time.monotonic() - started < 3, "gave up after the configured 0.4 s, not the default 10 s"
    assert caught.value.ambiguous


@pytest.mark.parametrize("raw", ["0", "-1", "soon"])
def test_a_twilio_http_timeout_that_is_not_a_positive_number_is_refused_at_start(raw: str) -> None:
    from alerts.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="TWILIO_HTTP_TIMEOUT"):
        load_settings(env={"TWILIO_HTTP_TIMEOUT": raw})


def test_connection_refused_is_transient_because_nothing_was_sent() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed on exit: nothing listens there
    notifier = TwilioNotifier(ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, api_base_url=f"http://127.0.0.1:{port}",
                              timeout=1)
    with pytest.raises(TransportError) as caught:
        notifier.send(SMS)
    assert (caught.value.ambiguous, caught.value.permanent) == (False, False)


def test_from_config_uses_the_configured_api_base_url(twilio_mock_url: str) -> None:
    from alerts.config import load_settings

    notifier = TwilioNotifier.from_config(load_settings(env={
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": FROM_NUMBER, "TWILIO_API_BASE_URL": twilio_mock_url,
    }).model_dump())
    notifier.send(SMS)
    last_url = notifier.http_client._test_only_last_request.url
    assert last_url.startswith(twilio_mock_url + "/2010-04-01/Accounts/")
    assert notifier.http_client.timeout is not None


class _ForwardingProxy(http.server.BaseHTTPRequestHandler):
    """An egress proxy on loopback: records each absolute-URI request, then forwards it as is."""

    seen: list[str] = []
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # not through itself

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.seen.append(f"{self.command} {self.path}")
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        forwarded = urllib.request.Request(self.path, data=body, method=self.command, headers={
            k: v for k, v in self.headers.items() if k.lower() not in ("host", "proxy-connection", "connection")})
        try:
            with self.direct.open(forwarded, timeout=5) as answer:
                status, payload, kind = answer.status, answer.read(), answer.headers.get("Content-Type", "")
        except urllib.error.HTTPError as answer:
            status, payload, kind = answer.code, answer.read(), answer.headers.get("Content-Type", "")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def egress_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """An ``HTTP(S)_PROXY`` in the environment, as on a host whose only way out is a proxy."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ForwardingProxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, url)
    _ForwardingProxy.seen = []
    yield _ForwardingProxy.seen
    server.shutdown()
    server.server_close()


def test_sends_through_the_proxy_the_environment_names(egress_proxy: list[str], twilio_mock_url: str) -> None:
    # The notifier reads the environment once when it is built (not on every send): it must still
    # honour a proxy set there, or a worker behind an egress proxy could never reach Twilio.
    notifier = TwilioNotifier(ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, api_base_url=twilio_mock_url, timeout=5)

    result = notifier.send(SMS)

    assert result.provider_sid is not None and result.provider_sid.startswith("SM")
    assert egress_proxy == [f"POST {twilio_mock_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"]

"""SMS and voice through Twilio's official SDK, with failures sorted into permanent, transient, ambiguous.

The sender (``alerts.services.sender``) decides what to do with each kind of failure; this module
only says which kind it is:

- permanent: retrying cannot help (invalid or unsubscribed number, bad credentials, a request
  Twilio refuses). The notification is marked failed.
- transient: Twilio never took the message (429, 5xx, connection refused). Retried with backoff.
- ambiguous: the request may have reached Twilio (read timeout, connection dropped mid-request).
  Re-sending could text or call a caregiver twice, so the sender looks it up first
  (:meth:`TwilioNotifier.find_sent`); not found, the row becomes ``unknown``, never re-sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse
from urllib3.exceptions import NameResolutionError, NewConnectionError

from alerts.notify.base import OutgoingMessage, SendResult, TransportError

# Twilio error codes that mean "this recipient cannot get this message", whatever the HTTP status:
# 21211 invalid To, 21610 recipient replied STOP, 21614 not a mobile number, 21408 region not
# enabled, 30003 unreachable, 30004 blocked, 30005 unknown/inactive, 30006 landline/unreachable carrier.
PERMANENT_CODES = frozenset({21211, 21610, 21614, 21408, 30003, 30004, 30005, 30006})
# HTTP statuses where the request itself is wrong or unauthorised: the same request fails again.
PERMANENT_STATUSES = frozenset({400, 401, 403, 404})
# How many of the newest messages to this number a look-up reads, and how much clock difference
# between us and Twilio it tolerates when comparing creation times.
LOOKUP_LIMIT = 20
LOOKUP_CLOCK_SKEW = timedelta(minutes=2)


class _NoRequestLog(logging.Filter):
    """Drops request/response log lines below WARNING: the SDK's (INFO) and urllib3's (DEBUG) print
    the query string of every API call, and a message look-up's query is the recipient's number."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


_NO_REQUEST_LOG = _NoRequestLog()


def silence_sdk_request_log() -> None:
    """Keep recipients' numbers out of logs whatever level an operator sets (idempotent)."""
    for name in ("twilio.http_client", "twilio.async_http_client", "urllib3.connectionpool"):
        logger = logging.getLogger(name)
        if _NO_REQUEST_LOG not in logger.filters:
            logger.addFilter(_NO_REQUEST_LOG)


class TwilioNotifier:
    """A :class:`alerts.notify.base.Notifier` that sends through Twilio's REST API.

    One SDK client per notifier, so its ``requests`` session (and TCP/TLS connections) is reused
    across sends. ``api_base_url`` replaces ``https://api.twilio.com`` (tests point it at the
    Twilio mock, whose README explains why edge and region must be cleared).
    """

    name = "twilio"

    def __init__(self, account_sid: str, auth_token: str, from_number: str, *, timeout: float,
                 api_base_url: str | None = None, http_client: TwilioHttpClient | None = None) -> None:
        self.from_number = from_number
        silence_sdk_request_log()
        self.http_client = http_client or TwilioHttpClient(timeout=timeout)
        # Without an explicit timeout a hung connection would block a worker (and its lease) forever.
        if self.http_client.timeout is None:
            self.http_client.timeout = timeout
        self.client = Client(account_sid, auth_token, http_client=self.http_client)
        if api_base_url:
            self.client.api.base_url = api_base_url.rstrip("/")
            # TWILIO_EDGE / TWILIO_REGION in the environment would otherwise rewrite the host name.
            self.client.edge = None
            self.client.region = None
        _read_environment_once(self.http_client, self.client.api.base_url)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> TwilioNotifier:
        """Build from ``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``, ``TWILIO_FROM_NUMBER`` and the
        optional ``TWILIO_API_BASE_URL``, and ``TWILIO_HTTP_TIMEOUT`` (seconds; validated at start)."""
        return cls(
            config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"], config["TWILIO_FROM_NUMBER"],
            api_base_url=config.get("TWILIO_API_BASE_URL") or None,
            timeout=config["TWILIO_HTTP_TIMEOUT"],
        )

    def send(self, message: OutgoingMessage) -> SendResult:
        """Hand one message to Twilio. Raises :class:`TransportError` saying whether to retry."""
        with _transport_errors():
            if message.channel == "voice":
                created = self._call(message)
            else:
                created = self.client.messages.create(
                    to=message.to, from_=self.from_number, body=message.body,
                    **_optional(status_callback=message.status_callback),
                )
        return SendResult(provider_sid=created.sid, status=created.status or "queued")

    def find_sent(self, message: OutgoingMessage, since: datetime) -> SendResult | None:
        """The message or call, if Twilio has it; None if there is none.

        A text: from our number to ``message.to`` with the same body, created since ``since`` (when
        the timed-out send began). A call: from our number to ``message.to``, created since then
        (the outbox never calls one number twice within seconds: one row per step and person).
        Matched on creation time, not DateSent or StartTime: a message still queued, or a call still
        ringing, has neither yet. One page of the newest records, one request. Raises
        :class:`TransportError` when the look-up itself fails.
        """
        with _transport_errors():
            if message.channel == "voice":
                recent = list(self.client.calls.page(to=message.to, from_=self.from_number, page_size=LOOKUP_LIMIT))
            else:
                recent = list(self.client.messages.page(to=message.to, from_=self.from_number,
                                                        page_size=LOOKUP_LIMIT))
        for candidate in recent:
            created = candidate.date_created
            # The SDK names the field ``from_`` on a message and ``_from`` on a call.
            sender = getattr(candidate, "from_", None) or getattr(candidate, "_from", None)
            if (candidate.to != message.to or sender != self.from_number
                    or not (candidate.direction or "").startswith("outbound")
                    or created is None or created < since - LOOKUP_CLOCK_SKEW):
                continue
            if message.channel == "voice" or (candidate.body or "") == message.body:
                return SendResult(provider_sid=candidate.sid, status=candidate.status or "sent")
        return None

    def _call(self, message: OutgoingMessage) -> Any:
        # Only the default "completed" call event is asked for: it carries the final CallStatus
        # (completed, busy, no-answer, failed), which is what the escalation needs. (The mock also
        # rejects a repeated StatusCallbackEvent form field that real Twilio accepts.)
        extra = _optional(status_callback=message.status_callback)
        if message.voice_url:
            # The webhook speaks the message and gathers the "press 1" acknowledgement.
            extra["url"] = message.voice_url
        else:
            say = VoiceResponse()
            say.say(message.body)
            extra["twiml"] = str(say)
        return self.client.calls.create(to=message.to, from_=self.from_number, **extra)


def _read_environment_once(http_client: TwilioHttpClient, base_url: str) -> None:
    """Settle the proxy and CA-bundle settings from the environment now, not on every send.

    ``requests`` reads ``HTTPS_PROXY``/``NO_PROXY``/``REQUESTS_CA_BUNDLE`` afresh for each request
    (the whole environment, a tenth of a message's sending cost). The environment of a running
    worker does not change, so ``requests``' own resolution is done once here, for the API's
    host, and the session keeps the result.
    """
    session = http_client.session
    if session is None or not session.trust_env:
        return
    settings = session.merge_environment_settings(base_url, {}, None, None, None)
    session.proxies.update(settings["proxies"])
    session.verify = settings["verify"]
    session.trust_env = False


@contextmanager
def _transport_errors() -> Iterator[None]:
    """Every failure of the SDK as a :class:`TransportError` saying whether to retry."""
    try:
        yield
    except TwilioRestException as exc:
        raise _rest_error(exc) from exc
    except requests.RequestException as exc:
        raise _network_error(exc) from exc
    except TwilioException as exc:
        raise TransportError(f"twilio client error: {exc}", permanent=False) from exc


def _optional(**values: str | None) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v}


def _rest_error(exc: TwilioRestException) -> TransportError:
    """Twilio answered with an error: permanent unless waiting could change the answer."""
    code = int(exc.code) if exc.code is not None else None
    status = int(exc.status) if exc.status is not None else None
    text = f"twilio {status}: {exc.msg}"
    if code in PERMANENT_CODES:
        permanent = True
    elif status == 429 or (status is not None and status >= 500):
        permanent = False
    else:
        # 400/401/403/404 and any other 4xx (the mock's 422 for a request that breaks the spec):
        # sending the same request again gets the same answer.
        permanent = status in PERMANENT_STATUSES or (status is not None and 400 <= status < 500)
    return TransportError(text, permanent=permanent, code=code, status=status)


def _network_error(exc: requests.RequestException) -> TransportError:
    """No answer from Twilio. Retry only when the request certainly never left."""
    if isinstance(exc, requests.ConnectTimeout) or _never_connected(exc):
        return TransportError(f"could not connect to Twilio: {exc}", permanent=False)
    # A read timeout, or a connection dropped after the request was written: Twilio may have
    # queued the message, and a retry could deliver it twice.
    return TransportError(f"no answer from Twilio, message may have been sent: {exc}", permanent=False,
                          ambiguous=True)


def _never_connected(exc: BaseException) -> bool:
    """True when the cause chain shows the TCP connection was never made (refused, DNS failure)."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, (NewConnectionError, NameResolutionError, ConnectionRefusedError)):
            return True
        stack += [current.__cause__, current.__context__, getattr(current, "reason", None)]
        stack += [a for a in current.args if isinstance(a, BaseException)]
    return False

"""A Twilio-shaped HTTP sink on loopback: records every message and call it accepts, and fails on cue.

It answers what ``TwilioNotifier`` asks of Twilio's REST API, in Twilio's JSON:

- ``POST /2010-04-01/Accounts/<sid>/Messages.json`` and ``Calls.json``: 201 with a fresh ``sid``;
- ``GET`` the same (``To``, ``From``, ``PageSize``): the newest records to that number, the look-up
  a sender makes after a timeout or a crash (``TwilioNotifier.find_sent``).

Faults, set with :meth:`TwilioSink.fail`: ``"429"`` and ``"500"`` refuse the request (nothing is
recorded: Twilio took nothing); ``"timeout"`` records the message and answers only after
``hang_seconds``, longer than the client waits, which is Twilio having the message while the
sender never hears so. Used by the fault test and ``bench/emergency.py``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Received:
    sid: str
    kind: str  # "sms" | "voice"
    to: str
    from_: str
    body: str
    at: float  # time.monotonic() when it arrived
    created: datetime


class TwilioSink:
    """Start with :meth:`start` (returns the base URL for ``TWILIO_API_BASE_URL``); stop with :meth:`stop`."""

    def __init__(self, delay_seconds: float = 0.0, hang_seconds: float = 3.0,
                 on_receive: Callable[[Received], None] | None = None) -> None:
        self.delay_seconds = delay_seconds
        self.on_receive = on_receive  # called for every message or call taken, in the server's thread
        self.hang_seconds = hang_seconds
        self.received: list[Received] = []
        self.refused: Counter[str] = Counter()
        self._fault: str | None = None
        self._fault_left: int | None = None
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    # -- control ---------------------------------------------------------------------------------

    def start(self) -> str:
        sink = self

        class Handler(_Handler):
            owner = sink

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.request_queue_size = 128
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="twilio-sink", daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def fail(self, mode: str | None, requests: int | None = None) -> None:
        """Answer the next ``requests`` sends (all, if None) with ``mode``; None: answer normally."""
        with self._lock:
            self._fault, self._fault_left = mode, requests

    def bodies(self) -> Counter[str]:
        with self._lock:
            return Counter(r.body for r in self.received)

    def first_at(self, predicate: Any) -> float | None:
        with self._lock:
            return next((r.at for r in self.received if predicate(r)), None)

    # -- what the handler calls ------------------------------------------------------------------

    def _take_fault(self) -> str | None:
        with self._lock:
            mode = self._fault
            if mode is not None and self._fault_left is not None:
                self._fault_left -= 1
                if self._fault_left <= 0:
                    self._fault, self._fault_left = None, None
            if mode is not None:
                self.refused[mode] += 1
            return mode

    def _record(self, kind: str, form: dict[str, str]) -> Received:
        with self._lock:
            sid = ("SM" if kind == "sms" else "CA") + f"{next(self._sids):032x}"
            received = Received(sid, kind, form.get("To", ""), form.get("From", ""), form.get("Body", ""),
                                time.monotonic(), datetime.now(UTC).replace(microsecond=0))
            self.received.append(received)
        if self.on_receive is not None:
            self.on_receive(received)
        return received

    def _recent(self, kind: str, to: str | None, from_: str | None, limit: int) -> list[Received]:
        with self._lock:
            found = [r for r in self.received if r.kind == kind and (to is None or r.to == to)
                     and (from_ is None or r.from_ == from_)]
        return found[::-1][:limit]


def _resource(r: Received, account: str) -> dict[str, Any]:
    created = format_datetime(r.created, usegmt=True)
    common = {"sid": r.sid, "account_sid": account, "to": r.to, "from": r.from_, "status": "queued",
              "direction": "outbound-api", "date_created": created, "date_updated": created,
              "api_version": "2010-04-01"}
    if r.kind == "sms":
        return {**common, "body": r.body, "num_segments": "1", "date_sent": None,
                "uri": f"/2010-04-01/Accounts/{account}/Messages/{r.sid}.json"}
    return {**common, "start_time": None, "end_time": None,
            "uri": f"/2010-04-01/Accounts/{account}/Calls/{r.sid}.json"}


class _Handler(BaseHTTPRequestHandler):
    owner: TwilioSink
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle on, the second waits for a delayed ACK (40 ms).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return

    def handle_one_request(self) -> None:
        # A client that timed out (or a worker killed mid-request) drops its connection.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle_one_request()

    def _route(self) -> tuple[str, str] | None:
        parts = urlsplit(self.path).path.strip("/").split("/")
        # 2010-04-01 / Accounts / <sid> / Messages.json
        if len(parts) == 4 and parts[1] == "Accounts" and parts[3] in ("Messages.json", "Calls.json"):
            return parts[2], "sms" if parts[3] == "Messages.json" else "voice"
        return None

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        # After a "timeout" the client has hung up: that is the point, not an error.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if len(raw) < length:
            # The client went away mid-request (a worker killed while writing it): an incomplete
            # request is no message, at Twilio or here.
            return
        form = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
        route = self._route()
        if route is None:
            self._answer(404, {"code": 20404, "message": "not found", "status": 404})
            return
        account, kind = route
        if kind == "sms" and not form.get("Body"):
            # What Twilio answers a message without a body (error 21602): nothing is sent.
            self._answer(400, {"code": 21602, "message": "Message body is required.", "status": 400})
            return
        if self.owner.delay_seconds:
            time.sleep(self.owner.delay_seconds)
        fault = self.owner._take_fault()
        if fault == "429":
            self._answer(429, {"code": 20429, "message": "Too Many Requests", "status": 429})
            return
        if fault == "500":
            self._answer(500, {"code": 20500, "message": "Internal Server Error", "status": 500})
            return
        received = self.owner._record(kind, form)
        if fault == "timeout":
            time.sleep(self.owner.hang_seconds)
        self._answer(201, _resource(received, account))

    def do_GET(self) -> None:
        route = self._route()
        if route is None:
            self._answer(404, {"code": 20404, "message": "not found", "status": 404})
            return
        account, kind = route
        query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
        limit = int(query.get("PageSize", "50"))
        found = self.owner._recent(kind, query.get("To"), query.get("From"), limit)
        key = "messages" if kind == "sms" else "calls"
        uri = urlsplit(self.path).path
        self._answer(200, {key: [_resource(r, account) for r in found], "first_page_uri": uri, "next_page_uri": None,
                           "previous_page_uri": None, "page": 0, "page_size": limit, "uri": uri, "start": 0,
                           "end": max(len(found) - 1, 0)})

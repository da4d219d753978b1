"""Benchmark: delivering a 100,000-message outbox backlog to a local sink, linearly.

    python bench/outbox.py          # BENCH_DATABASE_URL to use another PostgreSQL server

A small threaded HTTP server, in its own process on 127.0.0.1, answers like Twilio's
``Messages.json`` create (201 and a JSON body with a ``sid``). Messages go through the real
``TwilioNotifier`` pointed at it with ``TWILIO_API_BASE_URL`` when ``alerts/notify/twilio.py``
exists, otherwise through a minimal notifier that POSTs the same form to the sink.

Senders are ``deliver_due`` drains in one process per core (as Celery worker processes would run
them), each sending with ``SEND_THREADS`` threads. Prints messages/s overall (target >= 600/s) and
for each successive 10,000 (flat figures = it drains linearly; a slowing queue would show falling
ones), and checks the sink received every row exactly once.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import requests
from common import bench_database, copy_rows, seed_patients, vacuum_analyze, verdict
from sqlalchemy import text

from alerts.clock import utcnow
from alerts.config import load_settings
from alerts.db import Database
from alerts.domain.rate_limit import RateLimit
from alerts.notify.base import Notifier, OutgoingMessage, SendResult, TransportError
from alerts.services.sender import SEND_THREADS, deliver_due

ACCOUNT_SID = "AC" + "0" * 32
FROM_NUMBER = "+15005550006"
BODY = ("dosewatch: Patient, your 08:00 baclofen dose has not been recorded yet. If you have taken it, "
        "reply TAKEN. Questions about your dose? Ask your doctor or pharmacist.")


class Sink(ThreadingHTTPServer):
    daemon_threads = True
    received = itertools.count(1)


def serve_sink(port: Any) -> None:
    """The sink's own process: Twilio's side of the wire must not share our interpreter's GIL."""
    sink = Sink(("127.0.0.1", 0), SinkHandler)
    port.value = sink.server_address[1]
    sink.serve_forever()


@contextmanager
def sink_process() -> Iterator[str]:
    port = multiprocessing.Value("i", 0)
    process = multiprocessing.Process(target=serve_sink, args=(port,), daemon=True)
    process.start()
    try:
        deadline = time.monotonic() + 10
        while not port.value and time.monotonic() < deadline:
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port.value}"
    finally:
        process.terminate()
        process.join(timeout=5)


class SinkHandler(BaseHTTPRequestHandler):
    """Answers ``POST .../Messages.json`` like Twilio: 201, JSON with a fresh ``sid``."""

    protocol_version = "HTTP/1.1"  # keep-alive: a client reuses its connection, as with api.twilio.com
    # Headers and body leave in two writes; with Nagle on, the second waits for the client's
    # delayed ACK (40 ms), which would measure TCP timers instead of the outbox.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        """``GET /count``: how many messages the sink has received."""
        body = str(next(Sink.received) - 1).encode()
        Sink.received = itertools.count(int(body) + 1)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        n = next(Sink.received)
        body = json.dumps({"sid": f"SM{n:032x}", "status": "queued", "to": form.get("To", [""])[0],
                           "from": form.get("From", [""])[0], "body": form.get("Body", [""])[0],
                           "account_sid": ACCOUNT_SID, "error_code": None}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class SinkNotifier:
    """Stand-in until TwilioNotifier exists: the same request Twilio's client would make."""

    name = "sink"

    def __init__(self, base_url: str) -> None:
        self.url = f"{base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
        self.local = threading.local()

    def send(self, message: OutgoingMessage) -> SendResult:
        session = getattr(self.local, "session", None)
        if session is None:
            session = self.local.session = requests.Session()
            session.auth = (ACCOUNT_SID, "token")
        response = session.post(self.url, data={"To": message.to, "From": FROM_NUMBER, "Body": message.body,
                                                "StatusCallback": message.status_callback or ""}, timeout=10)
        if response.status_code >= 300:
            raise TransportError(response.text, permanent=response.status_code < 500, status=response.status_code)
        return SendResult(provider_sid=response.json()["sid"], status="queued")


def make_notifier(base_url: str) -> tuple[Notifier, str]:
    if (Path(__file__).resolve().parents[1] / "alerts" / "notify" / "twilio.py").exists():
        from alerts.notify.twilio import TwilioNotifier

        config = {"NOTIFIER": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": "token",
                  "TWILIO_FROM_NUMBER": FROM_NUMBER, "TWILIO_API_BASE_URL": base_url,
                  "PUBLIC_BASE_URL": "https://dosewatch.example.org"}
        return TwilioNotifier.from_config(config), "TwilioNotifier"
    return SinkNotifier(base_url), "minimal sink notifier (alerts/notify/twilio.py not found)"


def seed_backlog(engine: Any, messages: int, patients: int, now: datetime) -> None:
    """``patients`` patients with one open missed-dose alert each, and ``messages`` queued rows on them."""
    seed_patients(engine, patients, now + timedelta(days=1), due=0)
    copy_rows(engine, "alert",
              ["id", "patient_id", "kind", "condition_key", "status", "code", "opened_at", "policy", "next_step",
               "details"],
              ((i, i, "missed_dose", "missed_dose", "open", "ABCD", now, "[]", 1, "{}")
               for i in range(1, patients + 1)))
    copy_rows(engine, "notification",
              ["id", "dedupe_key", "alert_id", "patient_id", "kind", "step", "recipient_kind", "recipient_id",
               "to_number", "channel", "body", "send_when_closed", "urgent", "status", "attempts",
               "next_attempt_at", "created_at"],
              ((i, f"bench:{i}", i % patients + 1, i % patients + 1, "escalation", 1, "caregiver", i % patients + 1,
                f"+1415{i % patients + 1:07d}", "sms", BODY, False, False, "queued", 0,
                now - timedelta(seconds=messages - i), now) for i in range(1, messages + 1)))
    with engine.begin() as conn:
        conn.execute(text("SELECT setval(pg_get_serial_sequence('notification', 'id'), (SELECT max(id) FROM notification))"))
    vacuum_analyze(engine)


def drain(database_url: str, base_url: str, batch: int, threads: int, limit: int) -> None:
    """One sender process (as one Celery worker process would be): drain until nothing is due."""
    db = Database(database_url)
    notifier, _ = make_notifier(base_url)
    rate_limit = RateLimit(limit, timedelta(hours=1)) if limit else None
    defaults = load_settings(env={})
    try:
        while deliver_due(db.sessionmaker, notifier, utcnow, batch_size=batch, max_batches=20,
                          lease_seconds=defaults.SEND_LEASE_SECONDS, max_attempts=defaults.SEND_MAX_ATTEMPTS,
                          send_threads=threads, rate_limit=rate_limit).sent:
            pass
    finally:
        db.dispose()


def sent_so_far(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM notification WHERE status <> 'queued' "
                                     "AND status <> 'sending'")).scalar_one())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=10_000, help="report a rate for every CHUNK messages")
    parser.add_argument("--batch", type=int, default=500, help="OUTBOX_BATCH_SIZE")
    parser.add_argument("--threads", type=int, default=SEND_THREADS, help="send threads per drain")
    parser.add_argument("--rate-limit", type=int,
                        help="SMS_LIMIT_COUNT per hour to apply; 0 for none. Default: a count just above the "
                             "messages per number, so every message pays for the per-recipient checks that "
                             "production runs (SMS_LIMIT_COUNT is on by default) and none is deferred")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="sender processes draining at once (Celery worker processes); default: one per core")
    args = parser.parse_args()
    if args.rate_limit is None:
        args.rate_limit = -(-args.messages // args.patients) + 1

    with sink_process() as base_url, bench_database("outbox") as db:
        notifier_name = make_notifier(base_url)[1]
        seed_backlog(db.engine, args.messages, args.patients, datetime.now(UTC))
        limit = (f"per-recipient limit {args.rate_limit}/hour checked on every message" if args.rate_limit
                 else "no per-recipient limit")
        print(f"delivering {args.messages:,} queued messages via {notifier_name} to {base_url}: "
              f"{args.processes} sender process(es) x {args.threads} send threads; {limit}")
        senders = [multiprocessing.Process(target=drain, args=(db.url, base_url, args.batch, args.threads,
                                                                   args.rate_limit))
                   for _ in range(args.processes)]
        start = time.perf_counter()
        for sender in senders:
            sender.start()
        rates: list[float] = []
        mark, mark_at = 0, start
        while any(p.is_alive() for p in senders):
            # Not too often: counting 100k rows is work for the same two cores the senders use.
            senders[0].join(timeout=0.5)
            done = sent_so_far(db)
            # A rate for every CHUNK messages, timed by the moment the count crossed the boundary.
            while done >= mark + args.chunk:
                now = time.perf_counter()
                rates.append(args.chunk / (now - mark_at))
                print(f"  messages {mark + 1:>7,}-{mark + args.chunk:<7,}: {rates[-1]:8,.0f}/s")
                mark, mark_at = mark + args.chunk, now
        elapsed = time.perf_counter() - start
        for sender in senders:
            sender.join()
        sent = sent_so_far(db)
        with db.engine.connect() as conn:
            statuses = dict(conn.execute(text("SELECT status, count(*) FROM notification GROUP BY status")).all())
        received = int(requests.get(f"{base_url}/count", timeout=5).text)
    overall = sent / elapsed
    print(f"overall: {overall:,.0f} messages/s over {sent:,} (target >= 600/s)  {verdict(overall >= 600)}")
    if len(rates) > 1:
        print(f"last chunk vs first chunk: {rates[-1] / rates[0]:.2f}x (1.0 = linear drain; a quadratic drain falls)")
    print(f"rows by status: {statuses}; the sink received {received:,} messages (each row exactly once: "
          f"{verdict(received == sent == args.messages)})")


if __name__ == "__main__":
    main()

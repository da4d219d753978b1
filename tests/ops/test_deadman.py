"""The dead man's switch: each tick pings HEARTBEAT_URL (``/start``, then success or ``/fail``),
and a monitor that hangs or is down never holds up or breaks the tick.

A real HTTP server on 127.0.0.1 stands in for the monitor (healthchecks.io's convention)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from alerts.app import get_db
from alerts.ops import heartbeat
from alerts.ops.loop import watch_tick
from alerts.services.tick import run_tick
from tests.support.settings import TICK
from workers.tasks import tick


class Monitor:
    def __init__(self) -> None:
        self.pings: list[tuple[str, str, str]] = []  # (path, run id, body)
        self.received = threading.Condition()
        self.release = threading.Event()
        self.release.set()
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ping/abc-123"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        monitor = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                monitor.release.wait(10)
                with monitor.received:
                    monitor.pings.append((parts.path, parse_qs(parts.query).get("rid", [""])[0], body))
                    monitor.received.notify_all()
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"OK")

            def log_message(self, *_args: object) -> None:
                pass

        return Handler

    def wait_for(self, count: int, timeout: float = 10) -> list[tuple[str, str, str]]:
        with self.received:
            assert self.received.wait_for(lambda: len(self.pings) >= count, timeout), self.pings
            return list(self.pings)


@pytest.fixture
def monitor() -> Iterator[Monitor]:
    m = Monitor()
    thread = threading.Thread(target=m.server.serve_forever, daemon=True)
    thread.start()
    yield m
    m.release.set()
    m.server.shutdown()
    m.server.server_close()


def test_each_successful_tick_pings_start_then_success_with_the_same_run_id(tmp_path, monitor) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import _make_app
    from alerts.models import Base

    app = _make_app(tmp_path, f"sqlite:///{tmp_path / 'dm.sqlite3'}", HEARTBEAT_URL=monitor.url)
    Base.metadata.create_all(get_db(app).engine)
    tick.apply()  # the Celery task itself, as beat has the worker run it
    pings = monitor.wait_for(2)
    assert [p[0] for p in pings] == ["/ping/abc-123/start", "/ping/abc-123"]
    assert pings[0][1] and pings[0][1] == pings[1][1]
    assert "missed_doses=0" in pings[1][2]
    get_db(app).dispose()


def test_a_tick_that_raises_pings_fail_with_the_reason(app, monitor) -> None:  # type: ignore[no-untyped-def]
    sessions = get_db(app).sessionmaker
    with pytest.raises(RuntimeError), watch_tick(sessions, lambda: None, monitor.url):  # type: ignore[arg-type]
        raise RuntimeError("database said +12025550101 was bad")
    pings = monitor.wait_for(2)
    assert pings[1][0] == "/ping/abc-123/fail"
    assert pings[1][2] == "tick raised RuntimeError"  # the class, never the text (it may hold a number)
    with sessions() as session:
        assert "tick" not in heartbeat.read(session)


def test_a_monitor_that_hangs_does_not_hold_up_the_tick(app, monitor) -> None:  # type: ignore[no-untyped-def]
    from alerts.clock import utcnow

    monitor.release.clear()  # the monitor accepts the connection and then says nothing
    sessions = get_db(app).sessionmaker
    with watch_tick(sessions, utcnow, monitor.url) as watch:
        watch.report = run_tick(sessions, utcnow(), **TICK)
    # The tick finished and recorded its heartbeat while the monitor still holds the first ping.
    with sessions() as session:
        assert "tick" in heartbeat.read(session)
    assert monitor.pings == []
    monitor.release.set()
    assert [p[0] for p in monitor.wait_for(2)] == ["/ping/abc-123/start", "/ping/abc-123"]


def test_a_monitor_that_is_down_changes_nothing(app) -> None:  # type: ignore[no-untyped-def]
    from alerts.clock import utcnow
    from alerts.ops.deadman import Pinger

    sessions = get_db(app).sessionmaker
    with watch_tick(sessions, utcnow, "http://127.0.0.1:9/nobody-listens") as watch:
        watch.report = run_tick(sessions, utcnow(), **TICK)
    future = Pinger("http://127.0.0.1:9/nobody-listens").start()
    assert future is not None and future.result(timeout=10) is None
    with sessions() as session:
        assert "tick" in heartbeat.read(session)


def test_without_heartbeat_url_nothing_is_pinged() -> None:
    from alerts.ops.deadman import Pinger

    assert Pinger(None).start() is None and Pinger("").success() is None

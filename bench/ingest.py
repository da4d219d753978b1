"""Benchmark: symptom check-ins per second through the real API under gunicorn, against the same
server's trivial endpoint.

    python bench/ingest.py          # BENCH_DATABASE_URL to use another PostgreSQL server

Starts gunicorn with the production settings (``deploy/gunicorn.conf.py``, as ``deploy/Procfile``
does) on 127.0.0.1 and a free port, on a throw-away PostgreSQL database seeded with patients and
one client token per patient (``issue_token``). The Celery broker is ``memory://``: check-ins that
queue nothing never touch it, and one that did would not block on a broker.

Load comes from separate client processes on loopback, each driving a few keep-alive connections
from one event loop (raw sockets, pre-built requests: the client must cost far less than the
server on the same cores). The same concurrency drives, in alternating rounds:

- ``GET /ping``: no database, no auth; the cost of gunicorn, Flask and the access log alone;
- ``POST /v1/patients/{id}/checkins``: bearer token, JSON body with symptoms, a fresh
  ``Idempotency-Key`` each, spread over the patients.

Prints requests/s, p50 and p99 latency for each, the ratio check-ins/baseline, and checks that every
201 stored exactly one check-in row. With ``--floor``, ``bench/floor_app.py`` (validate + one
INSERT) runs beside it under the same configuration, the two servers taking turns round by round,
and the check-ins are set against it (issue 14: >= 0.67 of the floor, check-in p99 <= 30 ms).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from common import bench_database, seed_patients, vacuum_analyze, verdict
from sqlalchemy import select, text

from alerts.models import Patient
from alerts.services.tokens import issue_token

ROOT = Path(__file__).resolve().parents[1]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
TARGET_RATIO = 0.5  # an earlier issue's target against /ping; context since issue 14 set the floor's
TARGET_P99_MS = 30.0  # issue 14 (the earlier target was 25 ms)
TARGET_HISTORY_RATIO = 1.2
TARGET_FLOOR_RATIO = 0.67  # issue 14: check-ins >= 0.67 of the floor in the same run


# -- the server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ping(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def gunicorn(database_url: str, port: int, log_path: Path, data_dir: str, extra_env: dict[str, str],
             extra_args: list[str], root: Path = ROOT) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn as ``deploy/Procfile`` starts it (``--config deploy/gunicorn.conf.py``), on loopback.
    ``extra_args``: command-line overrides (an app other than ``alerts.wsgi:app``, ``--max-requests``).
    ``root``: the checkout it runs from (``python -m`` imports the code of its working directory first)."""
    env = dict(os.environ, HOST="127.0.0.1", PORT=str(port), DATABASE_URL=database_url,
               CELERY_BROKER_URL="memory://", NOTIFIER="console", CONSOLE_NOTIFIER_ECHO="false",
               DOSEWATCH_DATA_DIR=data_dir, **extra_env)
    env.pop("REDIS_URL", None)
    with log_path.open("wb") as log:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config",
                                   str(root / GUNICORN_CONF.relative_to(ROOT)), *extra_args],
                                  cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not ping(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not come up:\n" + log_path.read_text()[-3000:])
            time.sleep(0.1)
        yield server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)  # graceful: the arbiter stops its workers
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


# -- the load --------------------------------------------------------------------------------------


def everyday_symptoms(patient_id: int) -> dict[str, int]:
    """A patient's everyday check-in: mild, and the same every time (so it raises nothing)."""
    return {"tremor": 1 + patient_id % 3, "spasms": patient_id % 3}


@dataclass
class Load:
    """What one client process sends: pre-built requests, a fresh idempotency key where needed."""

    kind: str  # "ping", "checkin" or "dose"
    port: int
    tokens: list[tuple[int, str]]  # (patient id, bearer secret)
    recorded_at: str
    run: str

    def request(self, proc: int, seq: int) -> bytes:
        if self.kind == "ping":
            return b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        patient_id, secret = self.tokens[(proc * 7919 + seq) % len(self.tokens)]
        if self.kind == "dose":
            # A dose taken a few minutes ago, reported by the app (unscheduled: the patient's next
            # scheduled dose is tomorrow). The first of a patient's run opens a too-soon alert at
            # most once (warm-up): the measured ones read the rules and find it already open.
            body = json.dumps({"taken_at": self.recorded_at, "source": "app", "dose_mg": 10}).encode()
            return (f"POST /v1/patients/{patient_id}/doses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Authorization: Bearer {secret}\r\nContent-Type: application/json\r\n"
                    f"Idempotency-Key: {self.run}-{proc}-{seq}\r\nContent-Length: {len(body)}\r\n\r\n"
                    ).encode() + body
        # Mild and steady for each patient: the everyday check-in, which raises nothing (a worsening
        # or a red flag would open an alert and queue messages; that is the tick's and outbox's cost).
        body = json.dumps({"recorded_at": self.recorded_at, "source": "app",
                           "symptoms": everyday_symptoms(patient_id)}).encode()
        return (f"POST /v1/patients/{patient_id}/checkins HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {secret}\r\nContent-Type: application/json\r\n"
                f"Idempotency-Key: {self.run}-{proc}-{seq}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


@dataclass
class Tally:
    start: float = 0.0
    end: float = 0.0
    elapsed: float = 0.0  # seconds under load (summed over rounds)
    latencies: list[float] = field(default_factory=list)  # seconds, one per completed response
    statuses: Counter[int] = field(default_factory=Counter)
    replayed: int = 0
    reconnects: int = 0
    resent: int = 0
    connections: int = 0  # paced rounds: most connections one client process needed open at once

    def add(self, other: Tally, *, concurrent: bool) -> None:
        """Merge another client process's tally of the same round (``concurrent``) or another round."""
        if concurrent:
            self.start = min(self.start, other.start) if self.latencies else other.start
            self.end = max(self.end, other.end)
            self.elapsed = self.end - self.start
        else:
            self.elapsed += other.elapsed
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.replayed += other.replayed
        self.reconnects += other.reconnects
        self.resent += other.resent

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed

    def percentile(self, p: int) -> float:
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


class Conn:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.setblocking(False)
        self.buf = b""
        self.pending = b""  # the request in flight
        self.sent_at = 0.0


def parse_response(buf: bytes) -> tuple[int, dict[str, str], int] | None:
    """(status, headers, total length) of the first complete response in ``buf``, or None."""
    head_end = buf.find(b"\r\n\r\n")
    if head_end < 0:
        return None
    lines = buf[:head_end].decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    total = head_end + 4 + int(headers.get("content-length", "0"))
    return (status, headers, total) if len(buf) >= total else None


def take_response(conn: Conn, tally: Tally, since: float) -> dict[str, str] | None:
    """If ``conn.buf`` holds a whole response: count it in ``tally`` (its latency from ``since``),
    take it off the buffer and return its headers; else None."""
    parsed = parse_response(conn.buf)
    if parsed is None:
        return None
    status, headers, length = parsed
    tally.latencies.append(time.perf_counter() - since)
    tally.statuses[status] += 1
    tally.replayed += headers.get("idempotent-replayed") == "true"
    conn.buf = conn.buf[length:]
    return headers


def client(load: Load, proc: int, connections: int, start_at: float, seconds: float, budget: int,
           out: Any) -> None:
    """One client process: ``connections`` keep-alive connections, each with one request in flight,
    until ``seconds`` after ``start_at`` or ``budget`` requests sent."""
    tally = Tally()
    selector = selectors.DefaultSelector()
    seq = 0

    def send(conn: Conn, request: bytes | None = None) -> None:
        nonlocal seq
        if request is None:
            request, seq = load.request(proc, seq), seq + 1
        conn.pending = request
        conn.sent_at = time.perf_counter()
        conn.sock.sendall(request)

    def reopen(conn: Conn) -> Conn:
        selector.unregister(conn.sock)
        conn.sock.close()
        fresh = Conn(load.port)
        selector.register(fresh.sock, selectors.EVENT_READ, fresh)
        tally.reconnects += 1
        return fresh

    conns = [Conn(load.port) for _ in range(connections)]
    for conn in conns:
        selector.register(conn.sock, selectors.EVENT_READ, conn)
    while time.perf_counter() < start_at:
        time.sleep(0.001)
    tally.start = time.perf_counter()
    stop_at = tally.start + seconds
    for conn in conns:
        send(conn)
    busy = len(conns)
    while busy:
        for key, _ in selector.select(timeout=30):
            conn = key.data
            chunk = conn.sock.recv(65536)
            if not chunk:  # the server closed: a keep-alive timeout or a recycled worker
                if conn.buf:
                    raise RuntimeError(f"connection closed mid-response: {conn.buf[:200]!r}")
                request = conn.pending
                conn = reopen(conn)
                tally.resent += 1  # never got an answer: send the same bytes (same key) again
                send(conn, request)
                continue
            conn.buf += chunk
            headers = take_response(conn, tally, conn.sent_at)
            if headers is None:
                continue
            now = time.perf_counter()
            if headers.get("connection", "").lower() == "close":
                conn = reopen(conn)
            if now < stop_at and seq < budget:
                send(conn)
            else:
                busy -= 1
    tally.end = time.perf_counter()
    for key in list(selector.get_map().values()):
        key.fileobj.close()  # type: ignore[union-attr]
    out.put(tally)


def run_clients(target: Callable[..., None], processes: int, seconds: float,
                arguments: Callable[[int, float], tuple[Any, ...]]) -> Tally:
    """Run ``processes`` client processes at once (``target(*arguments(i, start_at), out)``, all
    starting at ``start_at``); their tallies merged."""
    out: Any = multiprocessing.Queue()
    start_at = time.perf_counter() + 0.5  # CLOCK_MONOTONIC: the same clock in every process
    procs = [multiprocessing.Process(target=target, args=(*arguments(i, start_at), out), daemon=True)
             for i in range(processes)]
    for p in procs:
        p.start()
    total = Tally()
    for _ in procs:
        part = out.get(timeout=seconds + 120)
        total.connections = max(total.connections, part.connections)
        total.add(part, concurrent=True)
    for p in procs:
        p.join(timeout=10)
        if p.exitcode != 0:
            raise RuntimeError(f"client process exited with {p.exitcode}")
    return total


def drive(load: Load, processes: int, connections: int, seconds: float, budget: int) -> Tally:
    """A saturated (closed-loop) round: ``connections`` per process, each with one request in flight."""
    return run_clients(client, processes, seconds,
                       lambda i, start_at: (load, i, connections, start_at, seconds, budget // processes))


def paced_client(load: Load, proc: int, processes: int, rate: float, start_at: float, seconds: float,
                 max_connections: int, out: Any) -> None:
    """One client process of an open-loop (paced) round: ``rate / processes`` requests a second on a
    fixed schedule, whatever the server's answers do, each latency measured from the request's
    *scheduled* send time.

    A closed loop (``client``) sends the next request only when an answer came back, so a server
    that stalls is simply sent less, and the requests that would have waited are never measured
    (coordinated omission). Here a request due while every connection is busy waits in the client
    (a new keep-alive connection is opened for it, up to ``max_connections``), and that wait counts
    in its latency, as it would for a phone whose request was due then. The processes' schedules are
    interleaved (process ``i`` starts ``i / rate`` late), so together they send evenly spaced requests."""
    tally = Tally()
    selector = selectors.DefaultSelector()
    interval = processes / rate
    first = start_at + proc / rate
    total = max(int(seconds * rate / processes), 1)
    idle: list[Conn] = []
    opened = 0
    backlog: list[float] = []  # scheduled send times waiting for a connection, oldest first
    in_flight: dict[Conn, float] = {}  # connection -> the scheduled time of its request
    seq = 0

    def connect() -> Conn:
        nonlocal opened
        conn = Conn(load.port)
        selector.register(conn.sock, selectors.EVENT_READ, conn)
        opened += 1
        tally.connections = max(tally.connections, opened)
        return conn

    def drop(conn: Conn) -> None:
        nonlocal opened
        selector.unregister(conn.sock)
        conn.sock.close()
        opened -= 1

    def send(conn: Conn, scheduled: float, request: bytes | None = None) -> None:
        nonlocal seq
        if request is None:
            request, seq = load.request(proc, seq), seq + 1
        conn.pending = request
        conn.sent_at = time.perf_counter()
        in_flight[conn] = scheduled
        conn.sock.sendall(request)

    idle = [connect() for _ in range(min(4, max_connections))]
    while time.perf_counter() < start_at:
        time.sleep(0.001)
    tally.start = start_at
    due = 0  # index of the next request to schedule
    while due < total or backlog or in_flight:
        now = time.perf_counter()
        while due < total and first + due * interval <= now:
            backlog.append(first + due * interval)
            due += 1
        while backlog and (idle or opened < max_connections):
            send(idle.pop() if idle else connect(), backlog.pop(0))
        if due < total:
            timeout = max(first + due * interval - time.perf_counter(), 0.0)
        else:
            timeout = 30.0
        for key, _ in selector.select(timeout=timeout):
            conn = key.data
            chunk = conn.sock.recv(65536)
            if not chunk:  # the server closed: a keep-alive timeout or a recycled worker
                if conn.buf:
                    raise RuntimeError(f"connection closed mid-response: {conn.buf[:200]!r}")
                scheduled = in_flight.pop(conn, None)
                if conn in idle:
                    idle.remove(conn)
                drop(conn)
                if scheduled is not None:  # never got an answer: the same bytes (same key) again
                    tally.resent += 1
                    tally.reconnects += 1
                    send(connect(), scheduled, conn.pending)
                continue
            conn.buf += chunk
            headers = take_response(conn, tally, in_flight[conn])
            if headers is None:
                continue
            del in_flight[conn]
            if headers.get("connection", "").lower() == "close":
                drop(conn)
                tally.reconnects += 1
            else:
                idle.append(conn)
        if due >= total and not backlog and not in_flight:
            break
    tally.end = time.perf_counter()
    for key in list(selector.get_map().values()):
        key.fileobj.close()  # type: ignore[union-attr]
    out.put(tally)


def drive_paced(load: Load, processes: int, rate: float, seconds: float, max_connections: int) -> Tally:
    """An open-loop round: ``rate`` requests/s in all, shared by the client processes. Its elapsed
    time runs to the last answer, so a server that fell behind shows a rate below the one offered."""
    return run_clients(paced_client, processes, seconds,
                       lambda i, start_at: (load, i, processes, rate, start_at, seconds, max_connections))


# -- the run ---------------------------------------------------------------------------------------


SEEDED_CHECKIN_DAYS = 7


def seed(db: Any, patients: int, checkin_days: int = 0) -> list[tuple[int, str]]:
    """Patients (with a caregiver, a schedule and tomorrow's doses) and one client token each.

    ``checkin_days``: each patient's evening check-in on each of that many past days, then ANALYZE.
    A service in use has check-ins, and PostgreSQL plans by its statistics: analysed while the table
    was empty, it reads a patient's latest check-ins by scanning the whole table (fast while the
    table is tiny, slower with every row the benchmark adds), which no deployment in use would do."""
    now = datetime.now(UTC)
    seed_patients(db.engine, patients, now + timedelta(days=1), due=0)
    with db.sessionmaker() as s:
        rows = list(s.scalars(select(Patient).order_by(Patient.id)))
        tokens = [(p.id, issue_token(s, f"bench phone {p.id}", "client", [p])) for p in rows]
        s.commit()
    if checkin_days:
        from common import copy_rows

        copy_rows(db.engine, "checkin", ["patient_id", "recorded_at", "symptoms", "source", "idempotency_key",
                                         "received_at"],
                  ((pid, at, json.dumps(everyday_symptoms(pid)), "app", f"seed-{pid}-{day}", at)
                   for pid, _ in tokens for day in range(1, checkin_days + 1)
                   for at in (now - timedelta(days=day, hours=pid % 12),)))
        vacuum_analyze(db.engine)
    return tokens


def line(label: str, t: Tally) -> str:
    return (f"{label:<10} {t.rate:8,.0f} requests/s   p50 {t.percentile(50) * 1000:6.2f} ms   "
            f"p99 {t.percentile(99) * 1000:6.2f} ms   ({len(t.latencies):,} requests in "
            f"{t.elapsed:.1f} s; statuses {dict(sorted(t.statuses.items()))})")


@dataclass
class Measured:
    results: dict[str, Tally]
    stored: Tally  # every check-in sent, warm-up included: for the row count
    boots: int


@dataclass
class Server:
    label: str
    app: str | None  # None: the config's wsgi_app (alerts.wsgi:app)
    root: Path = ROOT  # the checkout whose code it runs
    port: int = 0
    log_path: Path = Path()
    loads: dict[str, Load] = field(default_factory=dict)
    measured: Measured = field(default_factory=lambda: Measured({"ping": Tally(), "checkin": Tally(),
                                                                 "paced": Tally()}, Tally(), 0))


def measure(args: argparse.Namespace, db: Any, tokens: list[tuple[int, str]], tmp: str,
            servers: list[Server]) -> None:
    """Each server its own gunicorn, all running at once; warm-up, then rounds of ``/ping`` and
    check-ins at the same concurrency, the servers taking turns within each round (the order
    flipped every round), so drift in the machine's load falls on all of them alike. Only the
    server being driven is busy; the others wait on their sockets."""
    extra_env, extra_args = {}, []
    if args.workers:
        extra_env["WEB_CONCURRENCY"] = str(args.workers)
    if args.threads:
        extra_env["GUNICORN_THREADS"] = str(args.threads)
    if args.worker_max_requests is not None:
        extra_args += ["--max-requests", str(args.worker_max_requests)]
    recorded_at = (datetime.now(UTC) - timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    with ExitStack() as stack:
        for server in servers:
            server.port = free_port()
            server.log_path = Path(tmp) / f"gunicorn-{uuid.uuid4().hex[:6]}.log"
            run = uuid.uuid4().hex[:8]
            server.loads = {kind: Load(kind, server.port, tokens, recorded_at, f"{run}-{kind}-")
                            for kind in ("ping", "checkin")}
            app_args = [*extra_args, *([server.app] if server.app else [])]
            stack.enter_context(gunicorn(db.url, server.port, server.log_path, tmp, extra_env, app_args,
                                         server.root))
            command = [*(f"{k}={v}" for k, v in extra_env.items()), "gunicorn", "--config",
                       str(GUNICORN_CONF.relative_to(ROOT)), *app_args]
            where = f" in {server.root}" if server.root != ROOT else ""
            print(f"{server.label}: {' '.join(command)}{where}, on 127.0.0.1:{server.port}")
        for server in servers:
            for kind, load in server.loads.items():  # warm the workers, pools, caches and plans
                warm = drive(replace(load, run=f"{load.run}w"), args.processes, args.connections, args.warmup,
                             args.cap)
                if kind == "checkin":
                    server.measured.stored.add(warm, concurrent=False)
        for r in range(args.rounds):
            order = servers if r % 2 == 0 else list(reversed(servers))
            for server in order:
                for kind, load in server.loads.items():
                    tally = drive(replace(load, run=f"{load.run}r{r}"), args.processes, args.connections,
                                  args.seconds, args.cap)
                    print(f"  round {r + 1} {server.label.split()[0]:<5} " + line(kind, tally))
                    server.measured.results[kind].add(tally, concurrent=False)
                    if kind == "checkin":
                        server.measured.stored.add(tally, concurrent=False)
            if args.rate is None:  # the default: half the reference's saturated check-ins in round 1
                reference = servers[1] if args.floor else servers[0]
                args.rate = round(reference.measured.results["checkin"].rate / 2)
                args.rate_basis = (f"half the {'floor' if args.floor else 'API'}'s saturated check-in rate in round 1 "
                                   f"({reference.measured.results['checkin'].rate:,.0f}/s)")
            if not args.rate:
                continue
            for server in order:  # the same offered rate for each server, after its saturated rounds
                load = server.loads["checkin"]
                tally = drive_paced(replace(load, run=f"{load.run}p{r}"), args.processes, args.rate, args.seconds,
                                    args.paced_connections)
                print(f"  round {r + 1} {server.label.split()[0]:<5} " + line("paced", tally)
                      + f" at {args.rate:,.0f}/s offered, up to {tally.connections} connections per client")
                server.measured.results["paced"].add(tally, concurrent=False)
                server.measured.stored.add(tally, concurrent=False)
    for server in servers:
        log = server.log_path.read_text(errors="replace")
        server.measured.boots = log.count("Booting worker")
        if any(s not in (200, 201) for t in server.measured.results.values() for s in t.statuses):
            print(f"{server.label}: gunicorn log tail:\n" + log[-3000:])


# -- history mode: a year of use against none ------------------------------------------------------

HISTORY_DAYS = 365
HISTORY_TIMES = ((8, 0), (14, 0), (20, 0))  # the seeded schedule's times (bench/common.py), New York


def seed_history(db: Any, patient_ids: list[int], now: datetime, recent_checkins: int) -> dict[str, int]:
    """A year of use for each of ``patient_ids``, by COPY: three scheduled doses a day (one in ten
    missed, each missed one with its resolved missed-dose alert; the others taken ten minutes late,
    each with its dose event) and an evening check-in a day with mild, steady symptoms. Ends an hour
    before ``now``; the patients' pending dose (tomorrow's, from :func:`seed`) stays as it is.

    ``recent_checkins`` more check-ins each over the last day (an app or device that checks in every
    few minutes; the issue's 10-minute load left about 560 on one patient): inside every rule's
    window, the history a time window alone does not bound."""
    from zoneinfo import ZoneInfo

    from common import copy_rows

    zone = ZoneInfo("America/New_York")
    today = now.astimezone(zone).date()
    with db.engine.connect() as conn:
        next_id = {t: int(conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {t}")).scalar_one()) + 1
                   for t in ("dose", "dose_event", "checkin", "alert")}
    doses: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    checkins: list[tuple[Any, ...]] = []
    alerts: list[tuple[Any, ...]] = []
    for pid in patient_ids:
        k = 0
        for back in range(HISTORY_DAYS, -1, -1):
            day = today - timedelta(days=back)
            for hour, minute in HISTORY_TIMES:
                due = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)
                if due > now - timedelta(hours=1):
                    continue
                k += 1
                dose_id = next_id["dose"]
                next_id["dose"] += 1
                if k % 10 == 7:
                    alert_id = next_id["alert"]
                    next_id["alert"] += 1
                    alerts.append((alert_id, pid, "missed_dose", "missed_dose", "resolved", "A1", due + timedelta(
                        minutes=30), due + timedelta(hours=2), "dose_taken", "[]", 0, "{}"))
                    doses.append((dose_id, pid, pid, due, due + timedelta(minutes=30), day, f"{hour:02d}:{minute:02d}",
                                  10, "missed", None, due + timedelta(minutes=30), alert_id))
                else:
                    taken = due + timedelta(minutes=10)
                    doses.append((dose_id, pid, pid, due, due + timedelta(minutes=30), day, f"{hour:02d}:{minute:02d}",
                                  10, "taken", taken, None, None))
                    events.append((next_id["dose_event"], pid, taken, "app", 10, f"hist-{pid}-{k}", dose_id, taken))
                    next_id["dose_event"] += 1
            at = datetime(day.year, day.month, day.day, 21, 0, tzinfo=zone).astimezone(UTC)
            if at <= now - timedelta(hours=1):
                checkins.append((next_id["checkin"], pid, at, json.dumps({"tremor": 1, "spasms": 1}), "app",
                                 f"hist-{pid}-{back}", at))
                next_id["checkin"] += 1
        for j in range(recent_checkins):
            at = now - timedelta(hours=1) - j * timedelta(days=1) / max(recent_checkins, 1)
            checkins.append((next_id["checkin"], pid, at, json.dumps({"tremor": 1, "spasms": 1}), "app",
                             f"recent-{pid}-{j}", at))
            next_id["checkin"] += 1
    copy_rows(db.engine, "alert", ["id", "patient_id", "kind", "condition_key", "status", "code", "opened_at",
                                   "closed_at", "close_reason", "policy", "next_step", "details"], iter(alerts))
    copy_rows(db.engine, "dose", ["id", "patient_id", "schedule_id", "due_at", "check_at", "local_date", "local_time",
                                  "dose_mg", "status", "taken_at", "missed_at", "alert_id"], iter(doses))
    copy_rows(db.engine, "dose_event", ["id", "patient_id", "taken_at", "source", "dose_mg", "idempotency_key",
                                        "dose_id", "received_at"], iter(events))
    copy_rows(db.engine, "checkin", ["id", "patient_id", "recorded_at", "symptoms", "source", "idempotency_key",
                                     "received_at"], iter(checkins))
    with db.engine.begin() as conn:
        for table in next_id:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    vacuum_analyze(db.engine)
    n = len(patient_ids)
    return {"doses": len(doses) // n, "dose events": len(events) // n, "check-ins": len(checkins) // n,
            "alerts": len(alerts) // n}


def measure_history(args: argparse.Namespace, db: Any, history: list[tuple[int, str]],
                    fresh: list[tuple[int, str]], tmp: str) -> dict[tuple[str, str], Tally]:
    """One gunicorn; doses and check-ins for patients with a year of history and for new patients,
    in alternating rounds (the order flipped every round, so drift in the machine's load falls on
    both groups alike)."""
    extra_env: dict[str, str] = {}
    extra_args = ["--max-requests", str(args.worker_max_requests if args.worker_max_requests is not None else 0)]
    port = free_port()
    log_path = Path(tmp) / f"gunicorn-{uuid.uuid4().hex[:6]}.log"
    recorded_at = (datetime.now(UTC) - timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    run = uuid.uuid4().hex[:8]
    groups = {"history": history, "fresh": fresh}
    results = {(kind, group): Tally() for kind in ("dose", "checkin") for group in groups}
    with gunicorn(db.url, port, log_path, tmp, extra_env, extra_args):
        print(f"history mode: gunicorn --config {GUNICORN_CONF.relative_to(ROOT)} {' '.join(extra_args)}, "
              f"on 127.0.0.1:{port}")
        for (kind, group) in results:  # warm-up: every patient's first dose (the too-soon alert) and check-in
            tokens = groups[group]
            load = Load(kind, port, tokens, recorded_at, f"{run}-{kind}-{group}-w-")
            drive(load, args.processes, args.connections, args.warmup + 60, 2 * len(tokens))
        for r in range(args.rounds):
            order = list(results) if r % 2 == 0 else list(reversed(results))
            for kind, group in order:
                load = Load(kind, port, groups[group], recorded_at, f"{run}-{kind}-{group}-r{r}-")
                tally = drive(load, args.processes, args.connections, args.seconds, args.cap)
                print(f"  round {r + 1} " + line(f"{kind}/{group}", tally))
                results[(kind, group)].add(tally, concurrent=False)
    if any(s not in (200, 201) for t in results.values() for s in t.statuses):
        print("gunicorn log tail:\n" + log_path.read_text(errors="replace")[-3000:])
    return results


def explain_requests(db: Any, history: list[tuple[int, str]], now: datetime) -> None:
    """One dose and one check-in for a patient with a year of history, in-process (the real app, the
    Flask test client): every statement they run, with the rows PostgreSQL read for it
    (``EXPLAIN (ANALYZE)`` of each read, re-run after the request and rolled back; other writes are
    listed unexplained).
    A per-patient read that scans history shows as a sequential scan or as rows read in the hundreds."""
    from sqlalchemy import event

    from alerts import create_app
    from alerts.db import get_db

    app = create_app({"DATABASE_URL": db.url, "CELERY_BROKER_URL": "memory://", "NOTIFIER": "console",
                      "CONSOLE_NOTIFIER_ECHO": False})
    engine = get_db(app).engine
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if not executemany:
            seen.append((statement, parameters))

    # The check-in's statement runs on the driver's cursor, where SQLAlchemy's cursor events do not
    # see it (``services.checkins._execute_for_token``): traced here instead.
    from alerts.services import checkins as checkin_service

    untraced = checkin_service._execute_for_token

    def traced(connection: Any, params: dict[str, Any]) -> list[Any]:
        seen.append(checkin_service.for_token_statement(connection.dialect, params))
        return untraced(connection, params)

    checkin_service._execute_for_token = traced  # type: ignore[assignment]
    pid, secret = history[0]
    at = (now - timedelta(minutes=3)).isoformat().replace("+00:00", "Z")
    requests_ = {"dose": (f"/v1/patients/{pid}/doses", {"taken_at": at, "source": "app", "dose_mg": 10}),
                 "check-in": (f"/v1/patients/{pid}/checkins", {"recorded_at": at, "source": "app",
                                                              "symptoms": {"tremor": 1, "spasms": 1}})}
    client = app.test_client()
    for label, (path, body) in requests_.items():
        seen.clear()
        event.listen(engine, "before_cursor_execute", capture)
        try:
            response = client.post(path, json=body, headers={"Authorization": f"Bearer {secret}",
                                                             "Idempotency-Key": f"explain-{label}"})
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        print(f"EXPLAIN: a {label} for patient {pid} (a year of history): {response.status_code}, "
              f"{len(seen)} statements")
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            for statement, params in seen:
                head = " ".join(statement.split())[:110]
                # The check-in's INSERT ... SELECT (a WITH) is explained too: its key is taken by
                # then, so it inserts nothing, and the explain is rolled back anyway.
                if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                    print(f"  (write)  {head}")
                    continue
                with raw.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params)
                    plan = cur.fetchone()[0][0]
                    raw.rollback()
                nodes, read = [], 0

                def walk(node: dict[str, Any]) -> None:
                    nonlocal read
                    nodes.append(f"{node['Node Type']}" + (f" {node['Index Name']}" if "Index Name" in node else
                                                           f" {node['Relation Name']}" if "Relation Name" in node
                                                           else ""))
                    if "Relation Name" in node:
                        read += int(node.get("Actual Rows", 0) * node.get("Actual Loops", 1)
                                    + node.get("Rows Removed by Filter", 0))
                    for child in node.get("Plans", []):
                        walk(child)

                walk(plan["Plan"])
                flag = "SCAN " if any(n.startswith("Seq Scan") for n in nodes) else ""
                print(f"  {flag}rows read {read:>5}  {plan['Execution Time']:6.2f} ms  {head}\n"
                      f"      {' / '.join(nodes)}")


def history_main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="dosewatch_bench_ingest_") as tmp, bench_database("ingest") as db:
        now = datetime.now(UTC)
        tokens = seed(db, args.patients)
        n = args.history_patients
        history, fresh = tokens[:n], tokens[n:2 * n]
        started = time.perf_counter()
        per_patient = seed_history(db, [pid for pid, _ in history], now, args.recent_checkins)
        counts = ", ".join(f"{v:,} {k}" for k, v in per_patient.items())
        print(f"seeded {n:,} patients with a year of use each ({counts}; {args.recent_checkins} of the check-ins "
              f"in the last day) "
              f"in {time.perf_counter() - started:.0f} s; {n:,} new patients beside them; "
              f"{args.patients:,} patients in all")
        print(f"{args.processes} client processes x {args.connections} keep-alive connections; "
              f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        if args.explain:
            explain_requests(db, history, now)
            return
        results = measure_history(args, db, history, fresh, tmp)
        print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for kind in ("dose", "checkin"):
        old, new = results[(kind, "history")], results[(kind, "fresh")]
        for label, t in (("history", old), ("fresh", new)):
            print(line(f"{kind}/{label}", t) + f"   {1000 / t.rate:.2f} ms of server per request")
        ratio = new.rate / old.rate
        p50 = old.percentile(50) / new.percentile(50)
        print(f"{kind}: a year of history costs {ratio:.2f}x a new patient's per request (p50 {p50:.2f}x)  "
              f"(target <= {TARGET_HISTORY_RATIO})  {verdict(ratio <= TARGET_HISTORY_RATIO)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each measured round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of each endpoint")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of unmeasured load per endpoint first")
    parser.add_argument("--cap", type=int, default=200_000, help="most requests per round, all clients together")
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument("--connections", type=int, default=4, help="keep-alive connections per client process")
    parser.add_argument("--patients", type=int, default=10_000,
                        help="check-ins are spread over them (a patient checks in a few times a day, not 1,000)")
    parser.add_argument("--workers", type=int, help="WEB_CONCURRENCY (default: the config's)")
    parser.add_argument("--threads", type=int, help="GUNICORN_THREADS (default: the config's)")
    parser.add_argument("--worker-max-requests", type=int,
                        help="override the config's max_requests (worker recycling; 0 = never)")
    parser.add_argument("--rate", type=float, default=None,
                        help="paced (open-loop) check-in rounds at this many requests/s in all, latency from each "
                             "request's scheduled send time (default: half the floor's saturated check-in rate in "
                             "round 1, or the API's own without --floor; 0: no paced rounds)")
    parser.add_argument("--paced-connections", type=int, default=32,
                        help="most keep-alive connections one client process opens in paced rounds")
    parser.add_argument("--floor", action="store_true",
                        help="also measure bench/floor_app.py: validate + one INSERT, same server config")
    parser.add_argument("--baseline-tree", metavar="DIR",
                        help="also run the API from another checkout of dosewatch (same schema), beside this one, "
                             "e.g. `git worktree add /tmp/base main`: a before/after pair in one run")
    parser.add_argument("--history", action="store_true",
                        help="instead: doses and check-ins for patients with a year of history vs new patients")
    parser.add_argument("--history-patients", type=int, default=200,
                        help="patients seeded with a year of history (and as many new ones), --history only")
    parser.add_argument("--recent-checkins", type=int, default=560,
                        help="with --history: of the history, check-ins in the last day per patient")
    parser.add_argument("--explain", action="store_true",
                        help="with --history: EXPLAIN every statement of one dose and one check-in, then stop")
    args = parser.parse_args()
    args.rate_basis = "fixed by --rate"
    if args.history:
        history_main(args)
        return

    with tempfile.TemporaryDirectory(prefix="dosewatch_bench_ingest_") as tmp, bench_database("ingest") as db:
        tokens = seed(db, args.patients, SEEDED_CHECKIN_DAYS)
        with db.engine.connect() as conn:
            seeded = int(conn.execute(text("SELECT count(*) FROM checkin")).scalar_one())
        print(f"{args.processes} client processes x {args.connections} keep-alive connections = "
              f"{args.processes * args.connections} requests in flight; check-ins spread over {args.patients:,} "
              f"patients, one token each, {SEEDED_CHECKIN_DAYS} days of check-ins each before the run; "
              f"{os.cpu_count()} cores shared by server, clients and PostgreSQL; "
              f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        servers = [Server("API (alerts.wsgi:app)", None)]
        if args.floor:
            servers.append(Server("floor (bench/floor_app.py)", "bench.floor_app:app"))
        if args.baseline_tree:
            servers.append(Server(f"base API ({args.baseline_tree})", None, Path(args.baseline_tree).resolve()))
        measure(args, db, tokens, tmp, servers)
        api = servers[0].measured
        floor = servers[1].measured if args.floor else None
        with db.engine.connect() as conn:
            rows = int(conn.execute(text("SELECT count(*) FROM checkin")).scalar_one()) - seeded
            alerts = int(conn.execute(text("SELECT count(*) FROM alert")).scalar_one())
            messages = int(conn.execute(text("SELECT count(*) FROM notification")).scalar_one())

    base, checkin = api.results["ping"], api.results["checkin"]
    ratio = checkin.rate / base.rate
    p99_ms = checkin.percentile(99) * 1000
    print(line("ping", base))
    print(line("checkins", checkin))
    print(f"ratio checkins/ping: {ratio:.2f}  (context; an earlier target: >= {TARGET_RATIO})")
    print(f"check-in p99 saturated (closed loop, {args.processes * args.connections} in flight, the cores busy: "
          f"queueing, context): {p99_ms:.1f} ms"
          + (f" (the floor's: {floor.results['checkin'].percentile(99) * 1000:.1f} ms)" if floor else "")
          + f"  (target <= {TARGET_P99_MS:.0f} ms)  {verdict(p99_ms <= TARGET_P99_MS)}")
    paced = api.results["paced"]
    if paced.latencies:
        paced_p99 = paced.percentile(99) * 1000
        print(f"paced (open loop) at {args.rate:,.0f} requests/s offered, {args.rate_basis}; latency from each "
              f"request's scheduled send time:")
        if floor:
            print("  " + line("floor ins", floor.results["paced"]))
        print("  " + line("checkins", paced))
        print(f"check-in p99 paced at {args.rate:,.0f}/s: {paced_p99:.1f} ms"
              + (f" (the floor's: {floor.results['paced'].percentile(99) * 1000:.1f} ms)" if floor else "")
              + f"  (target <= {TARGET_P99_MS:.0f} ms)  {verdict(paced_p99 <= TARGET_P99_MS)}")
    measured = [server.measured for server in servers]
    answered = sum(m.stored.statuses[201] for m in measured)
    replays = sum(m.stored.replayed for m in measured)
    errors = {s: n for m in measured for t in m.results.values() for s, n in t.statuses.items() if s not in (200, 201)}
    print(f"check-in rows: {rows:,}; 201 responses: {answered:,} (replays among them: {replays}); "
          f"each 201 stored exactly one row: {verdict(rows == answered and not replays)}; "
          f"other statuses: {errors or 'none'}; alerts opened: {alerts}, messages queued: {messages}")
    resent = sum(t.resent for m in measured for t in m.results.values())
    reconnects = sum(t.reconnects for m in measured for t in m.results.values())
    print(f"connections reopened: {reconnects} (requests resent unanswered: {resent}); gunicorn worker boots: "
          + ", ".join(f"{server.label.split()[0]} {server.measured.boots}" for server in servers))
    for server in servers[1:]:
        other = server.measured
        name = "floor" if server.app else "base"
        obase, ocheck = other.results["ping"], other.results["checkin"]
        print(line(f"{name} ping", obase))
        print(line(f"{name} ins", ocheck))
        if name == "base":
            print(f"this tree's check-ins / the base tree's, same run: {checkin.rate / ocheck.rate:.2f} "
                  f"(base check-ins/floor {ocheck.rate / floor.results['checkin'].rate:.2f})" if floor else "")
            continue
        print(f"floor ratio (validate + INSERT)/ping: {ocheck.rate / obase.rate:.2f}; the API's check-in costs "
              f"{ocheck.rate / checkin.rate:.1f}x the floor's: check-ins/floor {checkin.rate / ocheck.rate:.2f} "
              f"(target >= {TARGET_FLOOR_RATIO})  {verdict(checkin.rate / ocheck.rate >= TARGET_FLOOR_RATIO)}")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

"""Emergency latency: a seizure check-in's POST to the first emergency request at Twilio, with and without a backlog.

A real Celery worker (as ``deploy/Procfile`` runs it: prefork, ``--concurrency 2``) on a Redis
broker (a throw-away ``redis-server`` of its own) and a throw-away PostgreSQL database; a
Twilio-shaped sink (``tests/support/twilio_sink.py``) in its own process, which notes the instant
each emergency request arrives. Each sample POSTs ``{"symptoms": {"seizure": 1}}`` for a fresh
patient through the Flask app (test client: routing, token, validation, rules, commit, the kick to
the broker) and measures until the first request for that patient's emergency reaches the sink.

Twice: on an idle outbox, then while a backlog of routine messages (100,000 by default) drains
through the same worker. Targets: p50 <= 200 ms, p99 <= 1 s in both.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import bench_database, vacuum_analyze, verdict
from outbox import seed_backlog
from sqlalchemy import text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from alerts import create_app
from alerts.app import get_db
from alerts.clock import utcnow
from alerts.models import Caregiver, Patient
from alerts.services.tokens import issue_token
from tests.support.throwaway import redis_server
from tests.support.twilio_sink import Received, TwilioSink

ACCOUNT_SID = "AC" + "0" * 32
FROM_NUMBER = "+15005550006"


def run_sink(port: Any, arrivals: Any, received: Any) -> None:
    """The sink's own process. Emergency requests (those naming 911, and every call) are reported
    with their arrival instant (CLOCK_MONOTONIC: the same clock in every process)."""

    def note(r: Received) -> None:
        with received.get_lock():
            received.value += 1
        if r.kind == "voice" or "911" in r.body:
            arrivals.put((r.to, r.at))

    sink = TwilioSink(on_receive=note)
    port.value = int(sink.start().rsplit(":", 1)[1])
    while True:
        time.sleep(3600)


def seed_emergency_patients(app: Any, count: int) -> list[tuple[int, str, set[str]]]:
    """``count`` patients with two caregivers and an app token each: (id, token, their phones)."""
    people = []
    with get_db(app).sessionmaker.begin() as s:
        for n in range(count):
            patient = Patient(name=f"Rosa {n}", timezone="America/Denver", phone=f"+1720555{n:04d}")
            s.add(patient)
            s.flush()
            phones = {patient.phone or ""}
            for position in (1, 2):
                carer = Caregiver(patient_id=patient.id, name=f"Carer {n}.{position}",
                                  phone=f"+1303{position}{n:06d}", position=position)
                s.add(carer)
                phones.add(carer.phone)
            token = issue_token(s, f"Rosa {n}'s phone", "client", [patient])
            people.append((patient.id, token, phones))
    return people


def measure(app: Any, people: list[tuple[int, str, set[str]]], arrivals: Any,
            pause: float) -> tuple[list[float], list[float]]:
    """(POST -> first emergency request at the sink, POST -> its response) per check-in, in seconds."""
    client = app.test_client()
    first: dict[str, float] = {}
    latencies, posts = [], []
    for patient_id, token, phones in people:
        start = time.monotonic()
        response = client.post(f"/v1/patients/{patient_id}/checkins", headers={"Authorization": f"Bearer {token}"},
                               json={"recorded_at": utcnow().isoformat(), "symptoms": {"seizure": 1}})
        assert response.status_code == 201, response.get_data(as_text=True)
        posts.append(time.monotonic() - start)
        deadline = start + 30
        while not phones & first.keys():
            try:
                to, at = arrivals.get(timeout=max(0.0, deadline - time.monotonic()))
            except Exception:  # noqa: BLE001 - queue.Empty: nothing within 30 s
                raise SystemExit(f"no emergency request reached the sink within 30 s for patient {patient_id}") from None
            first.setdefault(to, at)
        latencies.append(min(first[p] for p in phones if p in first) - start)
        time.sleep(pause)
    return latencies, posts


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def report(label: str, measured: tuple[list[float], list[float]]) -> bool:
    latencies, posts = measured
    p50, p99 = statistics.median(latencies) * 1000, percentile(latencies, 0.99) * 1000
    ok = p50 <= 200 and p99 <= 1000
    print(f"{label:<34} p50 {p50:6.0f} ms   p99 {p99:6.0f} ms   max {max(latencies) * 1000:6.0f} ms   "
          f"(n={len(latencies)}; targets p50 <= 200 ms, p99 <= 1000 ms)  {verdict(ok)}")
    print(f"{'':<34} of which the POST itself: p50 {statistics.median(posts) * 1000:4.0f} ms, "
          f"p99 {percentile(posts, 0.99) * 1000:4.0f} ms")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=50, help="seizure check-ins per case")
    parser.add_argument("--backlog", type=int, default=100_000, help="routine messages queued for the second case")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between check-ins")
    parser.add_argument("--concurrency", type=int, default=2, help="the worker's --concurrency (prefork)")
    args = parser.parse_args()

    port, received = multiprocessing.Value("i", 0), multiprocessing.Value("l", 0)
    arrivals: Any = multiprocessing.Queue()
    sink = multiprocessing.Process(target=run_sink, args=(port, arrivals, received), daemon=True)
    sink.start()
    worker = None
    ok = False
    data_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"dosewatch-bench-emergency-{os.getpid()}"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        while not port.value:
            time.sleep(0.01)
        sink_url = f"http://127.0.0.1:{port.value}"
        with bench_database("emergency") as db, redis_server(data_dir / "redis") as redis_url:
            settings = {
                "DATABASE_URL": db.url, "CELERY_BROKER_URL": f"{redis_url}/0", "DOSEWATCH_DATA_DIR": str(data_dir),
                "NOTIFIER": "twilio", "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": "token",
                "TWILIO_FROM_NUMBER": FROM_NUMBER, "TWILIO_API_BASE_URL": sink_url,
                "PUBLIC_BASE_URL": "https://dosewatch.example.org",
                # The backlog has ten messages per caregiver: a limit above that defers none of them
                # (emergencies are never limited anyway), as bench/outbox.py does.
                "SMS_LIMIT_COUNT": "20",
            }
            env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DOSEWATCH_", "CELERY_"))}
            env.update(settings, NO_PROXY="127.0.0.1,localhost")
            app = create_app({**settings, "SMS_LIMIT_COUNT": 20})
            # The backlog first (its COPY picks the ids), parked until the second case.
            seed_backlog(db.engine, args.backlog, args.backlog // 10, datetime.now(UTC))
            with db.engine.begin() as conn:
                conn.execute(text("UPDATE notification SET status = 'parked'"))
                # seed_backlog COPYs its alerts with their ids: move the sequence past them.
                conn.execute(text("SELECT setval(pg_get_serial_sequence('alert', 'id'), (SELECT max(id) FROM alert))"))
            people = seed_emergency_patients(app, 2 * args.samples + 3)
            log = (data_dir / "worker.log").open("wb")
            worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "workers.main", "worker", "--loglevel",
                                       os.environ.get("BENCH_WORKER_LOGLEVEL", "WARNING"), "--concurrency", str(args.concurrency), "--without-gossip",
                                       "--without-mingle", "--without-heartbeat"],
                                      cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
            time.sleep(5)  # the worker's start-up (imports, pool) is not what this measures
            print(f"seizure check-in POST -> first emergency request at the sink; worker: prefork "
                  f"--concurrency {args.concurrency} on Redis; {args.samples} samples per case")
            measure(app, people[:3], arrivals, args.pause)  # warm the app's and the worker's connections
            idle = measure(app, people[3:args.samples + 3], arrivals, args.pause)
            ok = report("idle outbox:", idle)

            with db.engine.begin() as conn:
                conn.execute(text("UPDATE notification SET status = 'queued', next_attempt_at = now() "
                                  "WHERE status = 'parked'"))
            vacuum_analyze(db.engine)
            from workers.dispatch import kick_outbox

            before = received.value
            for _ in range(args.concurrency):
                kick_outbox(app)  # as ticks do: every worker process drains
            while received.value < before + 2000:
                time.sleep(0.05)
            draining_from, at = received.value, time.monotonic()
            busy = measure(app, people[args.samples + 3:], arrivals, args.pause)
            rate = (received.value - draining_from) / (time.monotonic() - at)
            with db.engine.connect() as conn:
                left = conn.execute(text("SELECT count(*) FROM notification WHERE status = 'queued'")).scalar_one()
            ok = report(f"{args.backlog:,} routine draining:", busy) and ok
            print(f"  the backlog drained at {rate:,.0f} messages/s meanwhile; {left:,} still queued at the end "
                  f"(it was draining throughout: {verdict(left > 0)})")
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        sink.terminate()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(data_dir, ignore_errors=True)
    print(f"load average at the end: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores "
          "(latency figures are only as good as the machine is quiet)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

"""Benchmark: the care console's two heaviest pages, rendered server-side, on PostgreSQL.

    python bench/console.py       # BENCH_DATABASE_URL to use another PostgreSQL server; ~1 minute

Data (COPY into a throw-away database):
* 1,000 patients, each with a 3-doses-a-day schedule, 30 days of dose history (taken, late or
  missed), a daily check-in, one caregiver; 50 of them with an open alert.
* One patient with 90 days of it all: 270 doses, a check-in a day, a wearable reading a minute for
  heart rate, SpO2 and respiratory rate (388,800 readings), 300 alerts with 4 messages each. Their
  hourly rollup (``reading_hour``, 6,480 rows) is filled by migration 0017's backfill SQL, as the
  ingest would have filled it reading by reading.

Measured through the whole Flask stack (session cookie, user load, the read models, Jinja, the
audit insert and commit) with the test client, signed in as an admin: ``GET /patients/<id>`` (its charts'
default week), the same page with the 30- and 90-day periods, and ``GET /patients`` (all 1,000
rows). Baseline in the same run: ``GET /healthz`` through the same
client (the per-request floor of this stack). Targets: patient page p95 <= 150 ms, patients list
p95 <= 200 ms.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from common import bench_database, copy_rows, seed_patients, vacuum_analyze, verdict
from sqlalchemy import text

from alerts import create_app
from alerts.models import User
from alerts.services.console_auth import hash_password

PATIENTS = 1000
BIG = 1  # the patient with 90 days of everything
PASSWORD = "bench passphrase long enough"


def _backfill_sql() -> str:
    """Migration 0017's backfill (INSERT INTO reading_hour ... SELECT ... FROM reading GROUP BY the
    UTC hour), from the migration itself so the two never differ."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "alerts/migrations/versions/0017_reading_hour.py"
    spec = importlib.util.spec_from_file_location("migration_0017", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.backfill_sql("postgresql"))


def seed(engine: Any, now: datetime) -> None:
    seed_patients(engine, PATIENTS, now, due=0)

    def doses() -> Any:
        did = PATIENTS + 1
        for pid in range(1, PATIENTS + 1):
            days = 90 if pid == BIG else 30
            for d in range(days, 0, -1):
                for h, t in ((12, "08:00"), (18, "14:00"), (24, "20:00")):
                    due = (now - timedelta(days=d)).replace(hour=h % 24, minute=0, second=0, microsecond=0)
                    k = (pid * 31 + d * 7 + h) % 20
                    status = "missed" if k == 0 else "taken"
                    taken = None if status == "missed" else due + timedelta(minutes=50 if k == 1 else 5)
                    yield (did, pid, pid, due, due + timedelta(minutes=30), due.date(), t, 10, status, taken,
                           due + timedelta(minutes=30) if status == "missed" else None)
                    did += 1

    copy_rows(engine, "dose", ["id", "patient_id", "schedule_id", "due_at", "check_at", "local_date", "local_time",
                               "dose_mg", "status", "taken_at", "missed_at"], doses())

    def checkins() -> Any:
        cid = 1
        for pid in range(1, PATIENTS + 1):
            for d in range(90 if pid == BIG else 30, 0, -1):
                at = now - timedelta(days=d, hours=-3)
                yield (cid, pid, at, f'{{"twitching": {d % 5}, "spasms": 2}}', "app", at)
                cid += 1

    copy_rows(engine, "checkin", ["id", "patient_id", "recorded_at", "symptoms", "source", "received_at"], checkins())

    def readings() -> Any:
        rid = 1
        start = now - timedelta(days=90)
        for minute in range(90 * 24 * 60):
            at = start + timedelta(minutes=minute)
            for kind, value in (("heart_rate", 72 + minute % 9), ("spo2", 96 + minute % 3),
                                ("respiratory_rate", 14 + minute % 4)):
                yield (rid, BIG, None, kind, float(value), at, f"{kind}:{minute}", at)
                rid += 1

    copy_rows(engine, "reading", ["id", "patient_id", "device_id", "kind", "value", "measured_at", "dedupe_key",
                                  "received_at"], readings())
    # The ingest keeps reading_hour in the readings' transaction; readings COPYed here bypass it, so
    # the hours are filled as migration 0017 fills them from readings already stored.
    with engine.begin() as conn:
        conn.execute(text(_backfill_sql()))

    policy = '[{"target": "patient", "after_minutes": 0, "recipients": []}]'

    def alerts() -> Any:
        for i in range(1, 301):
            opened = now - timedelta(hours=i * 7)
            yield (i, BIG, "missed_dose", f"missed_dose:{i}", "acknowledged", f"A{i:03d}", opened,
                   opened + timedelta(minutes=12), "ack_sms", 1, policy, 1, None,
                   f'{{"patient_name": "Patient 1", "dose_time": "08:00", "due_at": "{opened.isoformat()}"}}')
        for j in range(1, 51):
            pid = 10 + j * 17
            i = 300 + j
            yield (i, pid, "emergency" if j % 5 == 0 else "missed_dose", "missed_dose", "open", f"B{j:03d}",
                   now - timedelta(minutes=j), None, None, None, policy, 1, None, '{"patient_name": "x"}')

    copy_rows(engine, "alert", ["id", "patient_id", "kind", "condition_key", "status", "code", "opened_at", "closed_at",
                                "close_reason", "acknowledged_by", "policy", "next_step", "next_step_at", "details"],
              alerts())

    def notifications() -> Any:
        nid = 1
        for i in range(1, 301):
            for step in range(4):
                at = now - timedelta(hours=i * 7) + timedelta(minutes=step * 3)
                yield (nid, f"bench:{i}:{step}", i, BIG, "escalation", step, "caregiver", 1, "+14150000001", "sms",
                       "dosewatch: Patient 1's 08:00 dose has not been recorded.", False, False, "delivered", 1, at, at,
                       at)
                nid += 1

    copy_rows(engine, "notification", ["id", "dedupe_key", "alert_id", "patient_id", "kind", "step", "recipient_kind",
                                       "recipient_id", "to_number", "channel", "body", "send_when_closed", "urgent",
                                       "status", "attempts", "next_attempt_at", "created_at", "sent_at"],
              notifications())
    with engine.begin() as conn:
        for table in ("dose", "checkin", "alert", "notification"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    vacuum_analyze(engine)


def measure(client: Any, path: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (path, r.status_code)
    return times


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def profile(app: Any, client: Any, paths: list[str]) -> None:
    """Each path once more, printing its SQL statements by time and the time outside SQL."""
    from sqlalchemy import event

    engine = app.extensions["dosewatch.db"].engine
    spent: list[tuple[float, str]] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info["t"] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        spent.append(((time.perf_counter() - conn.info["t"]) * 1000, " ".join(statement.split())[:110]))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    for path in paths:
        spent.clear()
        total = measure(client, path, 1)[0]
        sql = sum(t for t, _ in spent)
        print(f"{path}: {total:.1f} ms, {len(spent)} statements {sql:.1f} ms, outside SQL {total - sql:.1f} ms")
        for t, stmt in sorted(spent, reverse=True)[:6]:
            print(f"   {t:6.1f} ms  {stmt}")
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    measure(client, paths[-1], 3)
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(14)


def main() -> None:
    now = datetime.now(UTC)
    with bench_database("console") as db:
        t0 = time.perf_counter()
        seed(db.engine, now)
        print(f"seeded in {time.perf_counter() - t0:.0f} s")
        with db.session() as s:
            s.add(User(role="admin", name="Bench Admin", email="bench@example.org",
                       password_hash=hash_password(PASSWORD)))
        app = create_app({"DATABASE_URL": db.url, "CELERY_BROKER_URL": "memory://", "NOTIFIER": "console"})
        client = app.test_client()
        page = client.get("/signin").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        assert client.post("/signin", data={"csrf_token": token, "email": "bench@example.org",
                                            "password": PASSWORD}).status_code == 302
        body = client.get(f"/patients/{BIG}").get_data(as_text=True)
        assert "Adherence, last 30 days" in body and "Heart rate" in body and "<svg" in body
        assert client.get("/patients").get_data(as_text=True).count('<tr id="patient-') == PATIENTS
        if "--profile" in sys.argv:
            profile(app, client, [f"/patients/{BIG}", f"/patients/{BIG}?days=90", "/patients"])
        measure(client, "/healthz", 20)
        measure(client, f"/patients/{BIG}", 10)  # warm caches
        measure(client, "/patients", 5)
        base = measure(client, "/healthz", 200)
        patient_page = measure(client, f"/patients/{BIG}", 200)
        # The wider periods of the charts' selector: 30 and 90 days of a reading a minute.
        wider = {days: measure(client, f"/patients/{BIG}?days={days}", 40) for days in (30, 90)}
        patients_list = measure(client, "/patients", 60)
        app.extensions["dosewatch.db"].dispose()

    load = os.getloadavg()
    print(f"machine load average {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} cores "
          "(figures from a loaded machine are upper bounds)")
    b95 = p(base, 95)
    pp95, pl95 = p(patient_page, 95), p(patients_list, 95)
    print(f"baseline  GET /healthz               p50 {statistics.median(base):6.1f} ms  p95 {b95:6.1f} ms")
    print(f"patient   GET /patients/{BIG} (90 days)  p50 {statistics.median(patient_page):6.1f} ms  p95 {pp95:6.1f} ms"
          f"  ({pp95 / b95:.0f}x baseline)  target p95 <= 150 ms: {verdict(pp95 <= 150)}")
    for days, times in wider.items():
        w95 = p(times, 95)
        print(f"patient   GET /patients/{BIG}?days={days}      p50 {statistics.median(times):6.1f} ms  p95 {w95:6.1f} ms"
              f"  ({w95 / b95:.0f}x baseline)  target p95 <= 150 ms: {verdict(w95 <= 150)}")
    print(f"list      GET /patients (1,000)      p50 {statistics.median(patients_list):6.1f} ms  p95 {pl95:6.1f} ms"
          f"  ({pl95 / b95:.0f}x baseline)  target p95 <= 200 ms: {verdict(pl95 <= 200)}")


if __name__ == "__main__":
    main()

"""Benchmark: FHIR bulk ``$export`` of every patient's record: resources per second, and memory
that stays flat as the export grows.

    python bench/export.py                       # 1,000 patients x 90 days (and 100 x 90 first)
    python bench/export.py --patients 300 --days 30   # smaller, while profiling

Seeds N patients x D days with COPY, as production would hold them: three doses a day (about one in
ten missed, the others taken, each with its dose event), 24 vital-sign readings a day from a watch
(heart rate, SpO2, respiratory rate, body temperature), a daily check-in, a message a day sent and
delivered, one device and one schedule per patient, an open alert for one patient in ten.

Each size runs in a fresh process, through the real routes: ``GET /fhir/$export`` (kick-off, 202),
the Celery task's function ``run_job`` as a worker runs it (streaming every resource type into
NDJSON files), then ``GET $export-status`` (200 and the manifest). Figures:

- resources/s: resources written / the task's wall time (target >= 20,000/s), and per CPU-second of
  the export process (on a machine whose cores are shared, the wall figure moves with the load);
- peak memory: the process's peak RSS during the export minus its RSS just before (``ru_maxrss``),
  at two sizes: the small run's and the large run's should be about equal (flat), since every
  query streams in batches (``yield_per``: a server-side cursor) and every file is written as it goes;
- baseline, same run, same database: the same rows read through the same streamed queries without
  building or writing resources (what the database and driver alone cost): the ratio says what the
  FHIR mapping and JSON cost on top.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from common import bench_database, copy_rows, vacuum_analyze
from sqlalchemy import text

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
READINGS_PER_DAY = 24
KINDS = (("heart_rate", 64.0), ("spo2", 97.0), ("respiratory_rate", 14.0), ("body_temperature", 36.8))


def seed(engine: Any, patients: int, days: int) -> dict[str, int]:
    """The record of ``patients`` patients over ``days`` days; returns row counts."""
    ids = range(1, patients + 1)
    start = NOW - timedelta(days=days)
    copy_rows(engine, "patient", ["id", "name", "timezone", "phone", "language", "renal_impairment",
                                  "intrathecal_pump", "escalation_minutes", "created_at"],
              ((i, f"Patient {i}", "America/New_York", f"+1500{i:07d}", "en", False, False, 15, start) for i in ids))
    copy_rows(engine, "dose_schedule", ["id", "patient_id", "times", "dose_mg", "grace_minutes", "active", "created_at"],
              ((i, i, '["08:00", "14:00", "20:00"]', 10, 30, True, start) for i in ids))
    copy_rows(engine, "device", ["id", "patient_id", "external_id", "kind", "created_at"],
              ((i, i, f"watch-{i}", "wearable", start) for i in ids))

    def doses() -> Any:
        n = 0
        for p in ids:
            for d in range(days):
                day = start + timedelta(days=d)
                for k, hour in enumerate((12, 18, 24)):  # 08:00, 14:00, 20:00 in New York (EDT)
                    n += 1
                    due = day.replace(hour=0) + timedelta(hours=hour)
                    missed = (p + d + k) % 10 == 0
                    yield (n, p, p, due, due + timedelta(minutes=30), (due - timedelta(hours=4)).date(),
                           ("08:00", "14:00", "20:00")[k], 10, "missed" if missed else "taken",
                           None if missed else due + timedelta(minutes=5), due + timedelta(minutes=30) if missed else None)

    copy_rows(engine, "dose", ["id", "patient_id", "schedule_id", "due_at", "check_at", "local_date", "local_time",
                               "dose_mg", "status", "taken_at", "missed_at"], doses())
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO dose_event (patient_id, taken_at, source, dose_mg, dose_id, received_at) "
                          "SELECT patient_id, taken_at, 'app', 10, id, taken_at FROM dose WHERE status = 'taken'"))

    def readings() -> Any:
        n = 0
        for p in ids:
            for h in range(days * READINGS_PER_DAY):
                n += 1
                kind, value = KINDS[h % len(KINDS)]
                at = start + timedelta(hours=h * 24 / READINGS_PER_DAY)
                yield (n, p, p, kind, value + (h % 5) * 0.1, at, f"watch-{p}|{kind}|{at.isoformat()}", at)

    copy_rows(engine, "reading", ["id", "patient_id", "device_id", "kind", "value", "measured_at", "dedupe_key",
                                  "received_at"], readings())
    copy_rows(engine, "checkin", ["id", "patient_id", "recorded_at", "symptoms", "source", "received_at"],
              ((p * days + d, p, start + timedelta(days=d, hours=22), json.dumps({"tremor": d % 4, "spasms": 1}),
                "app", start + timedelta(days=d, hours=22)) for p in ids for d in range(days)))
    copy_rows(engine, "notification", ["id", "dedupe_key", "patient_id", "kind", "recipient_kind", "recipient_id",
                                       "to_number", "channel", "body", "send_when_closed", "urgent", "status",
                                       "attempts", "next_attempt_at", "created_at", "sent_at"],
              ((p * days + d, f"reminder:{p}:{d}", p, "reminder", "patient", p, f"+1500{p:07d}", "sms",
                "Time for your 14:00 baclofen dose. Reply TAKEN when you have taken it.", False, False, "delivered",
                1, start + timedelta(days=d, hours=18), start + timedelta(days=d, hours=18),
                start + timedelta(days=d, hours=18, seconds=2)) for p in ids for d in range(days)))
    copy_rows(engine, "alert", ["id", "patient_id", "kind", "condition_key", "status", "code", "opened_at", "policy",
                                "next_step", "details"],
              ((p, p, "missed_dose", "missed_dose", "open", f"A{p}", NOW - timedelta(hours=1), "[]", 0, "{}")
               for p in ids if p % 10 == 0))
    with engine.begin() as conn:
        for table in ("patient", "dose_schedule", "device", "dose", "reading", "checkin", "notification", "alert"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"COALESCE((SELECT max(id) FROM {table}), 1))"))
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                  for t in ("dose", "dose_event", "reading", "checkin", "notification")}
    vacuum_analyze(engine)
    return counts


def _rss_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_export(url: str, queue: Any) -> None:
    """In a fresh process: kick-off, the worker's run, the manifest; time and peak RSS."""
    from alerts import create_app
    from alerts.app import get_db
    from alerts.clock import utcnow
    from alerts.fhir.bulk import run_job
    from alerts.services.tokens import issue_token

    data_dir = tempfile.mkdtemp(prefix="dosewatch-export-")
    app = create_app({"DATABASE_URL": url, "DOSEWATCH_DATA_DIR": data_dir, "CELERY_BROKER_URL": "memory://",
                      "NOTIFIER": "console", "PUBLIC_BASE_URL": "https://dosewatch.example.org"})
    db = get_db(app)
    with db.sessionmaker() as s:
        secret = issue_token(s, "bench admin", "admin", [])
        s.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}", "Prefer": "respond-async", "Accept": "application/fhir+json"}
    import alerts.api.fhir as fhir_api
    fhir_api.kick_export = lambda app, job_id: None  # type: ignore[assignment]  (the worker is run below)
    started = client.get("/fhir/$export", headers=headers)
    assert started.status_code == 202, started.get_data(as_text=True)
    job = started.headers["Content-Location"].rsplit("/", 1)[1]
    before = _rss_kb()
    cpu0 = _cpu_seconds()
    t0 = time.perf_counter()
    report = run_job(db.sessionmaker, data_dir, job, utcnow)
    elapsed = time.perf_counter() - t0
    cpu = _cpu_seconds() - cpu0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
    done = client.get(f"/fhir/$export-status/{job}", headers={"Authorization": headers["Authorization"]})
    assert done.status_code == 200 and report.status == "completed", (done.status_code, report)
    manifest = done.get_json()
    written = sum(o["count"] for o in manifest["output"])
    size = sum(p.stat().st_size for p in Path(data_dir).rglob("*.ndjson"))
    shutil.rmtree(data_dir, ignore_errors=True)
    queue.put({"resources": written, "seconds": elapsed, "cpu_seconds": cpu, "peak_delta_kb": max(peak - before, 0), "rss_before_kb": before,
               "bytes": size, "by_type": {o["type"]: o["count"] for o in manifest["output"]}})


def run_baseline(url: str, queue: Any) -> None:
    """The same streamed queries, rows only: no resources built, nothing written."""
    from alerts.db import Database
    from alerts.fhir import export
    from alerts.fhir.export import Window

    db = Database(url)
    captured: list[Any] = []
    rows = 0
    original = export._rows

    def counting(session: Any, stmt: Any) -> Any:
        captured.append(stmt)
        return iter(())

    export._rows = counting  # type: ignore[assignment]
    with db.sessionmaker() as s:
        for type_ in export.TYPES:
            list(export.stream(s, type_, None, Window()))
    export._rows = original  # type: ignore[assignment]
    t0 = time.perf_counter()
    with db.sessionmaker() as s:
        for stmt in captured:
            for _ in original(s, stmt):
                rows += 1
    queue.put({"rows": rows, "seconds": time.perf_counter() - t0})
    db.dispose()


def in_process(target: Any, url: str) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(url, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result  # type: ignore[no-any-return]


def measure(patients: int, days: int) -> dict[str, Any]:
    with bench_database("export") as db:
        t0 = time.perf_counter()
        counts = seed(db.engine, patients, days)
        seeded = time.perf_counter() - t0
        url = db.engine.url.render_as_string(hide_password=False)
        result = in_process(run_export, url)
        baseline = in_process(run_baseline, url)
    return {"patients": patients, "days": days, "seed_seconds": seeded, "rows": counts, **result,
            "baseline": baseline}


def show(r: dict[str, Any]) -> None:
    rate = r["resources"] / r["seconds"]
    base = r["baseline"]["rows"] / r["baseline"]["seconds"]
    print(f"{r['patients']:>6} patients x {r['days']} days: {r['resources']:>9,} resources in {r['seconds']:6.1f} s "
          f"= {rate:>8,.0f} resources/s; peak memory +{r['peak_delta_kb'] / 1024:6.1f} MiB over "
          f"{r['rss_before_kb'] / 1024:.0f} MiB; {r['bytes'] / 1e6:,.0f} MB NDJSON")
    print(f"{'':>6}   the export process's own CPU: {r['cpu_seconds']:.1f} s = {r['resources'] / r['cpu_seconds']:,.0f} "
          f"resources per CPU-second (the rest of the wall time: waiting for PostgreSQL, the disk, a shared core)")
    print(f"{'':>6}   baseline (same queries streamed, rows only): {base:>8,.0f} rows/s; export/baseline "
          f"{rate / base:.2f}   (seeded in {r['seed_seconds']:.0f} s)")
    print(f"{'':>6}   {', '.join(f'{k} {v:,}' for k, v in r['by_type'].items())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--small", type=int, default=None, help="patients in the first run (default: a tenth)")
    args = parser.parse_args()
    small = args.small or max(args.patients // 10, 1)
    results = [measure(small, args.days), measure(args.patients, args.days)]
    print()
    for r in results:
        show(r)
    first, last = results
    growth = last["resources"] / first["resources"]
    mem = (last["peak_delta_kb"] + 1) / (first["peak_delta_kb"] + 1)
    rate = last["resources"] / last["seconds"]
    print(f"\nexport grew x{growth:.1f}; peak memory x{mem:.2f} "
          f"({'flat' if mem < 1.5 else 'NOT flat'})")
    print(f"resources/s at the large size: {rate:,.0f} (target >= 20,000: {'OK' if rate >= 20_000 else 'MISSED'})")


if __name__ == "__main__":
    main()

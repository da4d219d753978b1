"""Benchmark: vital-sign readings per second through the batch endpoint into PostgreSQL, and the
vital-sign rules' cost per reading.

    python bench/wearables.py       # BENCH_DATABASE_URL to use another PostgreSQL server

Each request is ``POST /v1/patients/<id>/readings`` with a batch of readings (a night of a watch's
samples: heart rate, respiratory rate, SpO2, skin temperature, motion, one a second), sent through
the whole Flask stack (token check, one pydantic pass over the batch, unit checks, COPY into a
staging table, INSERT ... ON CONFLICT, the hourly rollup's fold and upsert, the rules read once per
batch, commit) by the test client, in one process per core as gunicorn workers would run them. The HTTP transport itself is not
included (it is the same for every route).

Baseline, measured in the same run on the same server: a bare COPY of the same number of rows into
the same table (indexes included) from one connection: what the database alone does. The ratio
says how much of the database's bulk path the endpoint keeps.

Rule cost: ``evaluate_vitals`` (pure) over the batches' readings, per reading; and the rules as
the endpoint runs them (load the window from the database, evaluate, store findings).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from common import bench_database, seed_patients, vacuum_analyze
from sqlalchemy import text

from alerts import create_app
from alerts.config import load_settings
from alerts.domain.clinical.history import DEFAULT_SETTINGS
from alerts.domain.vitals import RULE_KINDS, VitalReading, evaluate_vitals
from alerts.models import Patient
from alerts.services.clinical import ClinicalPolicy
from alerts.services.tokens import issue_token
from alerts.services.wearables import ReadingsRecorded, _copy, _read_rules

# The batches end a minute before the run starts (the endpoint refuses readings from the future).
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
# (kind, unit, value at rest): normal values, so the rules run but raise nothing.
SIGNALS = (("heart_rate", "/min", 64.0), ("respiratory_rate", "/min", 14.0), ("spo2", "%", 97.0),
           ("skin_temperature", "Cel", 33.5), ("motion_index", "1", 3.0))


def batch(patient: int, request: int, size: int) -> bytes:
    """``size`` readings for one patient: the five signals, one sample each a second, ending now."""
    start = NOW - timedelta(seconds=(request + 1) * size)
    readings = []
    for i in range(size):
        kind, unit, value = SIGNALS[i % len(SIGNALS)]
        at = start + timedelta(seconds=i)
        readings.append({"kind": kind, "value": value + (i % 7) * 0.5, "unit": unit, "device_id": f"watch-{patient}",
                         "measured_at": at.isoformat().replace("+00:00", "Z")})
    return json.dumps({"readings": readings}).encode()


def worker(url: str, token: str, patients: list[int], requests: int, size: int, start: Any, out: Any) -> None:
    """One process posting ``requests`` batches per patient; reports its elapsed time."""
    app = create_app({"DATABASE_URL": url, "CELERY_BROKER_URL": "memory://", "NOTIFIER": "console",
                      "CONSOLE_NOTIFIER_ECHO": False, "DOSEWATCH_DATA_DIR": "/tmp"})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    bodies = [(p, batch(p, r, size)) for r in range(requests) for p in patients]
    start.wait()
    began = time.perf_counter()
    stored = 0
    for p, body in bodies:
        response = client.post(f"/v1/patients/{p}/readings", data=body, headers=headers)
        assert response.status_code == 201, response.get_data(as_text=True)[:300]
        stored += response.json["stored"]
    out.put((time.perf_counter() - began, stored))


def endpoint_rate(url: str, token: str, processes: int, patients: int, requests: int, size: int) -> tuple[float, int]:
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(processes + 1)
    out = ctx.Queue()
    ids = list(range(1, patients + 1))
    procs = [ctx.Process(target=worker, args=(url, token, ids[i::processes], requests, size, start, out))
             for i in range(processes)]
    for p in procs:
        p.start()
    start.wait()
    began = time.perf_counter()
    results = [out.get() for _ in procs]
    wall = time.perf_counter() - began
    for p in procs:
        p.join()
    stored = sum(s for _, s in results)
    return stored / wall, stored


def copy_rate(db: Any, rows: int, size: int) -> float:
    """A bare binary COPY of ``rows`` reading rows into the reading table (as the endpoint's rows:
    same patients, devices and keys, in batches of ``size``, one transaction each, rows built
    beforehand), from one connection."""
    with db.engine.begin() as conn:
        devices = list(conn.execute(text("SELECT patient_id, id, external_id FROM device ORDER BY patient_id")))
        conn.execute(text("TRUNCATE reading"))
    vacuum_analyze(db.engine)

    def rows_of(first: int) -> Any:
        patient, device, name = devices[(first // size) % len(devices)]
        for i in range(first, first + size):
            kind, _, value = SIGNALS[i % len(SIGNALS)]
            at = NOW - timedelta(seconds=rows - i)
            yield (patient, device, kind, value, at, f"{name}/{kind}/{at.isoformat()}", NOW)

    batches = [list(rows_of(first)) for first in range(0, rows, size)]
    raw = db.engine.raw_connection()
    try:
        began = time.perf_counter()
        for rows_ in batches:
            with raw.driver_connection.cursor() as cur:  # type: ignore[union-attr]
                _copy(cur, "reading", rows_)  # the endpoint's own binary COPY
            raw.commit()
        return rows / (time.perf_counter() - began)
    finally:
        raw.close()


def rule_costs(db: Any, size: int) -> tuple[float, float]:
    """µs per reading: the pure rules alone, and the rules as the endpoint runs them."""
    readings = [VitalReading(SIGNALS[i % 5][0], SIGNALS[i % 5][2], NOW - timedelta(seconds=size - i))
                for i in range(size)]
    rounds = 20
    began = time.perf_counter()
    for _ in range(rounds):
        evaluate_vitals(readings, readings[0].at, NOW, DEFAULT_SETTINGS)
    pure = (time.perf_counter() - began) / (rounds * size) * 1e6
    rule_kinds = [r for r in readings if r.kind in RULE_KINDS]
    policy = ClinicalPolicy.from_config(load_settings(env={}).model_dump())
    with db.sessionmaker() as session:
        patient = session.get(Patient, 1)
        began = time.perf_counter()
        for _ in range(rounds):
            _read_rules(session, patient, rule_kinds, NOW, policy, ReadingsRecorded(size, size))
        full = (time.perf_counter() - began) / (rounds * size) * 1e6
        session.rollback()
    return pure, full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=40)
    parser.add_argument("--requests", type=int, default=5, help="batches per patient")
    parser.add_argument("--batch", type=int, default=5000, help="readings per request")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with bench_database("wearables") as db:
        seed_patients(db.engine, args.patients, NOW, due=0)
        with db.sessionmaker() as session:
            token = issue_token(session, "bench", "admin", [])
            session.commit()
        url = db.engine.url.render_as_string(hide_password=False)
        total = args.patients * args.requests * args.batch
        print(f"readings: {args.patients} patients x {args.requests} requests x {args.batch} readings = {total:,}; "
              f"{args.processes} processes; {os.cpu_count()} cores")
        single, _ = endpoint_rate(url, token, 1, min(args.patients, 4), 2, args.batch)
        with db.engine.begin() as conn:
            conn.execute(text("TRUNCATE reading, vital_finding"))
        vacuum_analyze(db.engine)
        rate, stored = endpoint_rate(url, token, args.processes, args.patients, args.requests, args.batch)
        assert stored == total, (stored, total)
        pure, full = rule_costs(db, args.batch)
        baseline = copy_rate(db, total, args.batch)
        print(f"endpoint, 1 process           {single:>12,.0f} readings/s")
        print(f"endpoint, {args.processes} processes         {rate:>12,.0f} readings/s   (target 100,000/s on 2 cores)")
        print(f"baseline: bare COPY, 1 conn   {baseline:>12,.0f} readings/s")
        print(f"ratio endpoint/COPY           {rate / baseline:>12.2f}")
        print(f"rules, pure evaluate_vitals   {pure:>12.2f} µs/reading")
        print(f"rules as the endpoint runs    {full:>12.2f} µs/reading (load window, evaluate, store findings)")


if __name__ == "__main__":
    main()

"""Benchmark helper: the CPU one check-in costs, in-process, against the floor's, request by request.

    python bench/checkin_cpu.py                  # CPU per request: API check-in vs floor, in blocks
    python bench/checkin_cpu.py --profile api    # cProfile of the API's check-ins, top functions
    python bench/checkin_cpu.py --requests 1   # one request each (for ``valgrind --tool=callgrind``)

The throughput benchmark (``bench/ingest.py --floor``) runs two gunicorns one after the other, so
drift in the machine's load falls between them. This one runs both apps in one process through
the Flask test client (no HTTP, no gunicorn: the same for both) against one throw-away PostgreSQL
database, in alternating blocks, and charges each request with the CPU it cost: this process's
(``time.process_time``) and PostgreSQL's (the server processes of both apps' pooled connections,
read from ``/proc``). On saturated cores throughput follows CPU per request, so the ratio of the
totals is what ``--floor``'s ratio approaches, without the other tenants' noise.

The floor is ``bench/floor_app.py`` (validate with the same pydantic model, one autocommit INSERT).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# Both apps read their settings from the environment when imported/built, as under gunicorn.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="dosewatch_bench_metrics_"))

from common import bench_database, verdict  # noqa: E402
from ingest import SEEDED_CHECKIN_DAYS, TARGET_FLOOR_RATIO, everyday_symptoms, seed  # noqa: E402
from sqlalchemy import text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CLK_TCK = os.sysconf("SC_CLK_TCK")


def backend_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) PostgreSQL's server processes ``pids`` have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / CLK_TCK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="check-ins per block")
    parser.add_argument("--blocks", type=int, default=4, help="alternating blocks of each app")
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--profile", choices=("api", "floor"), help="print a cProfile of one app's check-ins")
    parser.add_argument("--pyinstrument", action="store_true", help="with --profile: pyinstrument's call tree")
    parser.add_argument("--sort", default="tottime", help="cProfile sort key (tottime, cumulative)")
    parser.add_argument("--callgrind", action="store_true",
                        help="run under `valgrind --tool=callgrind --instr-atstart=no`: count the instructions "
                             "of this process's requests, one block of each app (repeatable on a busy machine)")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--profile-out", metavar="FILE", help="with --profile: also save the cProfile stats "
                        "(for pstats: print_callers/print_callees)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dosewatch_bench_cpu_") as tmp, bench_database("cpu") as db:
        tokens = seed(db, args.patients, SEEDED_CHECKIN_DAYS)
        os.environ.update(DATABASE_URL=db.url, CELERY_BROKER_URL="memory://", NOTIFIER="console",
                          CONSOLE_NOTIFIER_ECHO="false", DOSEWATCH_DATA_DIR=tmp)
        os.environ.pop("REDIS_URL", None)
        sys.path.insert(0, str(ROOT))
        from alerts.wsgi import app as api_app
        from bench.floor_app import app as floor_app

        apps = {"api": api_app.test_client(), "floor": floor_app.test_client()}
        recorded_at = (datetime.now(UTC) - timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
        run = uuid.uuid4().hex[:8]
        seq = 0

        def checkin(client: Any) -> None:
            nonlocal seq
            seq += 1
            patient_id, secret = tokens[(seq * 7919) % len(tokens)]
            body = json.dumps({"recorded_at": recorded_at, "source": "app",
                               "symptoms": everyday_symptoms(patient_id)})
            response = client.post(f"/v1/patients/{patient_id}/checkins", data=body,
                                   headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json",
                                            "Idempotency-Key": f"{run}-{seq}"})
            if response.status_code != 201:
                raise RuntimeError(f"{response.status_code}: {response.get_data(as_text=True)[:300]}")

        for client in apps.values():  # warm: imports, pools, prepared statements
            for _ in range(min(args.requests, 200)):
                checkin(client)
        with db.engine.connect() as conn:
            pids = [int(p) for p in conn.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )).scalars()]

        if args.callgrind:
            counts = {}
            for name, client in apps.items():
                me = str(os.getpid())
                subprocess.run(["callgrind_control", "--zero", me], check=True, capture_output=True)
                subprocess.run(["callgrind_control", "--instr=on", me], check=True, capture_output=True)
                for _ in range(args.requests):
                    checkin(client)
                subprocess.run(["callgrind_control", "--instr=off", me], check=True, capture_output=True)
                before = set(Path.cwd().glob(f"callgrind.out.{me}*"))
                subprocess.run(["callgrind_control", f"--dump={name}", me], check=True, capture_output=True)
                dump = max(set(Path.cwd().glob(f"callgrind.out.{me}*")) - before, key=lambda p: p.stat().st_mtime)
                totals = next(line for line in dump.read_text().splitlines() if line.startswith("totals:"))
                counts[name] = int(totals.split()[1]) / args.requests
                print(f"{name}: {counts[name] / 1e6:.2f} M instructions per check-in (this process; {dump.name})")
            print(f"floor / API instructions per check-in: {counts['floor'] / counts['api']:.2f}")
            return
        if args.profile and args.pyinstrument:
            from pyinstrument import Profiler

            sampler = Profiler(interval=0.0002)
            client = apps[args.profile]
            with sampler:
                for _ in range(args.requests):
                    checkin(client)
            print(sampler.output_text(unicode=False, color=False, show_all=False))
            return
        if args.profile:
            profiler = cProfile.Profile(time.process_time)
            client = apps[args.profile]
            profiler.enable()
            for _ in range(args.requests):
                checkin(client)
            profiler.disable()
            stats = pstats.Stats(profiler)
            if args.profile_out:
                stats.dump_stats(args.profile_out)
            print(f"{args.profile}: {stats.total_tt / args.requests * 1e3:.3f} ms of CPU per check-in (profiled)")
            stats.sort_stats(args.sort).print_stats(args.top)
            return

        cpu: dict[str, list[tuple[float, float]]] = {name: [] for name in apps}
        kernel: dict[str, list[float]] = {name: [] for name in apps}  # the app's system time (syscalls)
        for _ in range(args.blocks):
            for name, client in apps.items():
                app0, sys0, pg0 = time.process_time(), os.times().system, backend_cpu(pids)
                for _ in range(args.requests):
                    checkin(client)
                cpu[name].append(((time.process_time() - app0) / args.requests * 1e3,
                                  (backend_cpu(pids) - pg0) / args.requests * 1e3))
                kernel[name].append((os.times().system - sys0) / args.requests * 1e3)
        for name, blocks in cpu.items():
            print(f"{name:<6} app " + " ".join(f"{a:5.3f}" for a, _ in blocks) + "   postgres "
                  + " ".join(f"{p:5.3f}" for _, p in blocks) + "  ms of CPU per check-in"
                  + "  (app's system time " + " ".join(f"{k:5.3f}" for k in kernel[name]) + ")")
        ratios = [(f[0] + f[1]) / (a[0] + a[1]) for a, f in zip(cpu["api"], cpu["floor"], strict=True)]
        app_only = [f[0] / a[0] for a, f in zip(cpu["api"], cpu["floor"], strict=True)]
        print("floor CPU / API CPU per check-in, app + postgres: " + " ".join(f"{r:.2f}" for r in ratios)
              + f"  (app alone: {' '.join(f'{r:.2f}' for r in app_only)})  "
              + f"target >= {TARGET_FLOOR_RATIO} for the throughput ratio: "
              + verdict(min(ratios) >= TARGET_FLOOR_RATIO))
        with db.engine.connect() as conn:
            scans = conn.execute(text("SELECT relname, seq_scan, seq_tup_read, idx_scan FROM pg_stat_user_tables "
                                      "WHERE relname IN ('checkin', 'api_token', 'patient', 'token_patient') "
                                      "ORDER BY relname")).all()
        print("scans: " + "; ".join(f"{r.relname} seq {r.seq_scan} ({r.seq_tup_read:,} rows) idx {r.idx_scan}"
                                    for r in scans))
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

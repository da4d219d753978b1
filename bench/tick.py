"""Benchmark: one tick's cost follows the due doses, not the number of patients.

    python bench/tick.py            # BENCH_DATABASE_URL to use another PostgreSQL server

Prints: the median time of one ``run_tick`` with 10,000 and with 100,000 patients and the same
number of due doses (target: ratio <= 1.3), missed doses processed per second by a full tick
(claim + alert + successor dose + outbox rows), due doses claimed per second by ``claim_missed``
over 50,000 due doses (target >= 20,000/s), and the claim query's plan (which index it uses).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from common import bench_database, median, seed_patients, timed, vacuum_analyze, verdict
from sqlalchemy import select, text

from alerts.config import load_settings
from alerts.db import Database
from alerts.models import Dose
from alerts.services.clinical import ClinicalPolicy
from alerts.services.doses import claim_missed
from alerts.services.tick import TickReport, run_tick

NOW = datetime(2026, 6, 15, 18, 0, tzinfo=UTC)


def rearm(db: Database, seeded_doses: int) -> None:
    """Undo a tick: drop what it wrote and make the same doses due again."""
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM notification"))
        conn.execute(text("UPDATE dose SET alert_id = NULL WHERE alert_id IS NOT NULL"))
        conn.execute(text("DELETE FROM alert"))
        conn.execute(text("DELETE FROM dose WHERE id > :n"), {"n": seeded_doses})
        conn.execute(text("UPDATE dose SET status = 'pending', missed_at = NULL WHERE status = 'missed'"))
    vacuum_analyze(db.engine)


def tick_times(patients: int, due: int, repeats: int, batch_size: int) -> tuple[list[float], TickReport]:
    with bench_database(f"tick{patients}") as db:
        seed_patients(db.engine, patients, NOW, due)
        policy = ClinicalPolicy.from_config(load_settings(env={}).model_dump())
        run_tick(db.sessionmaker, NOW, batch_size=batch_size, policy=policy)  # warm the pool, caches and the plan
        rearm(db, patients)
        times = []
        report = TickReport()
        for _ in range(repeats):
            seconds, report = timed(lambda: run_tick(db.sessionmaker, NOW, batch_size=batch_size, policy=policy))
            assert report.missed_doses == due and report.steps_run == due, report
            times.append(seconds)
            rearm(db, patients)
        return times, report


def claim_rate(patients: int, due: int, batch_size: int) -> tuple[float, str]:
    with bench_database("claim") as db:
        seed_patients(db.engine, patients, NOW, due)
        with db.sessionmaker() as s:
            inner = (select(Dose.id).where(Dose.status == "pending", Dose.check_at <= NOW)
                     .order_by(Dose.check_at, Dose.id).limit(batch_size).with_for_update(skip_locked=True))
            compiled = inner.compile(db.engine, compile_kwargs={"literal_binds": True})
            plan = "\n".join(r[0] for r in s.execute(text(f"EXPLAIN {compiled}")))

        def drain() -> int:
            claimed = 0
            while True:
                with db.sessionmaker.begin() as s:
                    n = len(claim_missed(s, NOW, batch_size))
                claimed += n
                if n < batch_size:
                    return claimed

        seconds, claimed = timed(drain)
        assert claimed == due, claimed
        return claimed / seconds, plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", type=int, default=1000, help="TICK_BATCH_SIZE")
    parser.add_argument("--claim-due", type=int, default=50_000)
    parser.add_argument("--claim-batch", type=int, default=5000)
    args = parser.parse_args()

    small, _ = tick_times(args.small, args.due, args.repeats, args.batch)
    large, report = tick_times(args.large, args.due, args.repeats, args.batch)
    ratio = median(large) / median(small)
    print(f"tick, {args.small:>7,} patients, {args.due:,} due: median {median(small) * 1000:8.1f} ms  "
          f"(runs: {', '.join(f'{t * 1000:.0f}' for t in small)})")
    print(f"tick, {args.large:>7,} patients, {args.due:,} due: median {median(large) * 1000:8.1f} ms  "
          f"(runs: {', '.join(f'{t * 1000:.0f}' for t in large)})")
    print(f"ratio large/small: {ratio:.2f}  (target <= 1.3: cost follows due work)  {verdict(ratio <= 1.3)}")
    print(f"full tick throughput: {args.due / median(large):,.0f} missed doses/s "
          f"(claim + alert + successor + outbox; {len(report.notification_ids):,} messages queued per tick)")

    rate, plan = claim_rate(args.large, args.claim_due, args.claim_batch)
    print(f"claim_missed: {rate:,.0f} due doses claimed/s over {args.claim_due:,} "
          f"(batches of {args.claim_batch:,}; target >= 20,000/s)  {verdict(rate >= 20_000)}")
    index = next((word for line in plan.splitlines() for word in line.split() if word.startswith("ix_")), "NONE")
    print(f"claim query uses index: {index}")
    print("plan:\n  " + plan.replace("\n", "\n  "))


if __name__ == "__main__":
    main()

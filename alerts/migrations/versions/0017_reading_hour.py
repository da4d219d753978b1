"""Hourly rollup of readings for the console's charts

Revision ID: 0017_reading_hour
Revises: 0015_meds_dose_event_medication (re-chained at merge)
Create Date: 2026-12-06 17:30:00

``reading_hour``: one row per patient, kind and UTC hour (lowest, highest, sum, count), kept by
the ingest in the readings' transaction from now on, and filled here from the readings already
stored, in one INSERT ... SELECT ... GROUP BY on the database.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017_reading_hour'
down_revision: str | None = '0015_meds_dose_event_medication'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The start of a reading's UTC hour. PostgreSQL: date_bin from a UTC origin (date_trunc would cut in
# the session's zone). SQLite stores instants as naive UTC text ("2026-12-06 16:05:00.000000"), so
# the hour is the same text with its minutes cut, in the same format.
HOUR = {
    "postgresql": "date_bin(INTERVAL '1 hour', measured_at, TIMESTAMPTZ '2000-01-01 00:00:00+00')",
    "sqlite": "strftime('%Y-%m-%d %H:00:00.000000', measured_at)",
}


def backfill_sql(dialect: str) -> str:
    """The readings already stored, folded into their hours (also used by ``bench/console.py``)."""
    hour = HOUR[dialect]
    return ("INSERT INTO reading_hour (patient_id, kind, hour, low, high, total, count) "
            f"SELECT patient_id, kind, {hour}, min(value), max(value), sum(value), count(*) "
            f"FROM reading GROUP BY patient_id, kind, {hour}")


def upgrade() -> None:
    op.create_table(
        'reading_hour',
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('hour', sa.DateTime(timezone=True), nullable=False),
        sa.Column('low', sa.Float(), nullable=False),
        sa.Column('high', sa.Float(), nullable=False),
        sa.Column('total', sa.Float(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('patient_id', 'kind', 'hour', name=op.f('pk_reading_hour')),
    )
    op.execute(backfill_sql(op.get_bind().dialect.name))


def downgrade() -> None:
    op.drop_table('reading_hour')

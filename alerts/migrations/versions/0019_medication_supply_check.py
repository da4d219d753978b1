"""When the tick next checks a medication's supply: the morning after its refill day

Revision ID: 0019_medication_supply_check
Revises: 0018_meds2_med_supply_device
Create Date: 2026-12-06 23:00:00

``medication.supply_check_at``: the UTC instant of 09:00 local (the patient's zone) on the day after
the refill day, for a counted, active medication whose refill day no count on or after it has
replaced; null otherwise. ``ix_medication_supply_check_at`` (partial: planned rows only) is what the
tick's supply phase reads. Rows already stored are planned here as the app would plan them, an
instant already past included: a refill day that went by before this release is checked on the
first tick rather than never (the check's dedupe key keeps a reminder already sent from repeating).
The rule is copied, not imported, so this revision keeps meaning what it meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = '0019_medication_supply_check'
down_revision: str | None = '0018_meds2_med_supply_device'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHERE = sa.text('supply_check_at IS NOT NULL')
_CHECK_TIME = time(9, 0)


def _local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """``at`` on ``day`` in ``tz``, as UTC (09:00 falls in no DST gap or fold of any zone's rules)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _as_utc(value: object) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def upgrade() -> None:
    with op.batch_alter_table('medication') as batch:
        batch.add_column(sa.Column('supply_check_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_index('ix_medication_supply_check_at', ['supply_check_at', 'id'], unique=False,
                           postgresql_where=_WHERE, sqlite_where=_WHERE)
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT m.id, m.refill_date, m.supply_counted_at, p.timezone FROM medication m "
        "JOIN patient p ON p.id = m.patient_id WHERE m.active = :t AND m.supply_on_hand IS NOT NULL "
        "AND m.refill_date IS NOT NULL"), {"t": True}).all()
    medication = sa.table('medication', sa.column('id', sa.Integer),
                          sa.column('supply_check_at', sa.DateTime(timezone=True)))
    for mid, refill_value, counted_value, timezone in rows:
        tz, refill = ZoneInfo(timezone), _as_date(refill_value)
        if counted_value is not None and _as_utc(counted_value).astimezone(tz).date() >= refill:
            continue  # a count on or after the refill day replaced it: nothing to check
        at = _local_to_utc(refill + timedelta(days=1), _CHECK_TIME, tz)
        if bind.dialect.name == "sqlite":
            at = at.replace(tzinfo=None)  # stored as naive UTC there, as the app's UTCDateTime stores it
        bind.execute(sa.update(medication).where(medication.c.id == mid).values(supply_check_at=at))


def downgrade() -> None:
    with op.batch_alter_table('medication') as batch:
        batch.drop_index('ix_medication_supply_check_at', postgresql_where=_WHERE, sqlite_where=_WHERE)
        batch.drop_column('supply_check_at')

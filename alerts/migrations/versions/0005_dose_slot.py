"""dose identity: local day and time

Revision ID: 0005_dose_slot
Revises: 0004_sms
Create Date: 2026-11-29 09:31:21.037105

Two dose times in one spring-forward gap (00:00 and 00:30 in Santiago) are both due at the first
instant after the gap; (schedule, due_at) refused the second. The new key adds the local day and
time, a superset of the old one, so every existing database satisfies it. Downgrading fails if two
such doses exist, as it should: the old schema cannot hold them.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0005_dose_slot'
down_revision: str | None = '0004_sms'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dose', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_dose_schedule_id_due_at'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_dose_schedule_id_local_date_local_time_due_at'),
                                          ['schedule_id', 'local_date', 'local_time', 'due_at'])


def downgrade() -> None:
    with op.batch_alter_table('dose', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_dose_schedule_id_local_date_local_time_due_at'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_dose_schedule_id_due_at'), ['schedule_id', 'due_at'])

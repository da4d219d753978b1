"""schedule versions, caregiver quiet hours, held notifications

Revision ID: 0015_console_manage
Revises: 0016_console_access_assign (re-chained at merge)
Create Date: 2026-12-06 16:30:00

A schedule edit ends the old row and starts a new version (``replaces_id``, ``effective_from``,
``ended_at``), so past doses keep the times they were due at. Caregivers get quiet hours; a routine
text held for them records until when (``notification.held_until``). All columns are nullable:
existing rows mean "no version before, no quiet hours, never held".
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015_console_manage'
down_revision: str | None = '0016_console_access_assign'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dose_schedule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('effective_from', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_dose_schedule_replaces_id_dose_schedule'), 'dose_schedule',
                                    ['replaces_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('caregiver', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiet_start', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('quiet_end', sa.String(length=5), nullable=True))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_until', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('held_until')
    with op.batch_alter_table('caregiver', schema=None) as batch_op:
        batch_op.drop_column('quiet_end')
        batch_op.drop_column('quiet_start')
    with op.batch_alter_table('dose_schedule', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dose_schedule_replaces_id_dose_schedule'), type_='foreignkey')
        batch_op.drop_column('ended_at')
        batch_op.drop_column('effective_from')
        batch_op.drop_column('replaces_id')

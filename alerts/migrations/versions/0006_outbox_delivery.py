"""outbox: priority and the attempt mark

Revision ID: 0006_outbox_delivery
Revises: 0005_dose_slot
Create Date: 2026-12-06 13:55:00

``priority`` (0 emergency, 1 urgent, 2 routine) orders the sender's claim, on a partial index that
replaces the one on (next_attempt_at, id); existing rows are routine, except the urgent ones.
``attempted_at`` marks a row whose request may have reached the provider: only those are looked
up after a worker dies; the others are simply sent after the lease.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_outbox_delivery'
down_revision: str | None = '0007_heartbeat'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.SmallInteger(), server_default='2', nullable=False))
        batch_op.add_column(sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_index('ix_notification_queued_next_attempt', postgresql_where=sa.text("status = 'queued'"),
                            sqlite_where=sa.text("status = 'queued'"))
    op.execute("UPDATE notification SET priority = 1 WHERE urgent")
    op.execute("UPDATE notification SET priority = 0 WHERE urgent AND kind = 'emergency'")
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_queued_priority', ['priority', 'next_attempt_at', 'id'], unique=False,
                              postgresql_where=sa.text("status = 'queued'"), sqlite_where=sa.text("status = 'queued'"))


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_queued_priority', postgresql_where=sa.text("status = 'queued'"),
                            sqlite_where=sa.text("status = 'queued'"))
        batch_op.create_index('ix_notification_queued_next_attempt', ['next_attempt_at', 'id'], unique=False,
                              postgresql_where=sa.text("status = 'queued'"), sqlite_where=sa.text("status = 'queued'"))
        batch_op.drop_column('attempted_at')
        batch_op.drop_column('priority')

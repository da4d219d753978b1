"""A second look at the provider for a send that timed out

Revision ID: 0020_notification_recheck
Revises: 0019_medication_supply_check
Create Date: 2026-12-07 02:00:00

``notification.recheck_at``: when the sender asks the provider again about a send that timed out
and was not found at once (status ``unknown``); null otherwise. ``ix_notification_recheck`` (partial:
rows awaiting that look only) is what the sender's recheck reads. Rows already ``unknown`` are left
as they are: their look-ups would come hours late, past the page of recent messages they read.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020_notification_recheck'
down_revision: str | None = '0019_medication_supply_check'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHERE = sa.text('recheck_at IS NOT NULL')


def upgrade() -> None:
    with op.batch_alter_table('notification') as batch:
        batch.add_column(sa.Column('recheck_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_index('ix_notification_recheck', ['recheck_at'], unique=False,
                           postgresql_where=_WHERE, sqlite_where=_WHERE)


def downgrade() -> None:
    with op.batch_alter_table('notification') as batch:
        batch.drop_index('ix_notification_recheck', postgresql_where=_WHERE, sqlite_where=_WHERE)
        batch.drop_column('recheck_at')

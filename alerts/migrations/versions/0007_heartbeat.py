"""heartbeats of beat, tick and sender

Revision ID: 0007_heartbeat
Revises: 0005_dose_slot

One row per part of the alerting loop with the instant it last did its job; /readyz and
``dosewatch doctor`` read them to tell a stalled service from a quiet one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_heartbeat'
down_revision: str | None = '0012_fhir_export'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'heartbeat',
        sa.Column('name', sa.String(length=16), nullable=False),
        sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_heartbeat')),
    )


def downgrade() -> None:
    op.drop_table('heartbeat')

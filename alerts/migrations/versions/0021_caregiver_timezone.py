"""A caregiver's own time zone, for their quiet hours

Revision ID: 0021_caregiver_timezone
Revises: 0020_notification_recheck
Create Date: 2026-12-07 23:00:00

``caregiver.timezone``: an IANA zone in which the caregiver's quiet hours are read; null means the
patient's zone, which is how every existing caregiver's quiet hours were read, so existing rows keep
meaning what they meant and none is filled in. Downgrading drops the column: caregivers with a
zone of their own go back to the patient's.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0021_caregiver_timezone'
down_revision: str | None = '0020_notification_recheck'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('caregiver') as batch:
        batch.add_column(sa.Column('timezone', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('caregiver') as batch:
        batch.drop_column('timezone')

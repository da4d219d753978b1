"""Each medication's own supply; a smart pill bottle registered for a medication

Revision ID: 0018_meds2_med_supply_device
Revises: 0017_reading_hour (re-chained at merge)
Create Date: 2026-12-06 19:20:00

``dose_schedule.units_per_dose``: units one of its doses takes (null for every schedule already
stored: its medication's). ``medication``: units on hand (null: not counted, so nothing is taken down), units a dose (1 for
every medication already stored: one tablet a dose), when it was counted, the next refill day and
when the current low-supply episode began. ``device.medication_id``: the medicine a pill bottle
holds (null for every device already stored: its doses are matched as before).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018_meds2_med_supply_device'
down_revision: str | None = '0017_reading_hour'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('medication') as batch:
        batch.add_column(sa.Column('supply_on_hand', sa.Numeric(10, 2), nullable=True))
        batch.add_column(sa.Column('units_per_dose', sa.Numeric(8, 2), nullable=False, server_default='1'))
        batch.add_column(sa.Column('supply_counted_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('refill_date', sa.Date(), nullable=True))
        batch.add_column(sa.Column('supply_low_since', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('dose_schedule') as batch:
        batch.add_column(sa.Column('units_per_dose', sa.Numeric(8, 2), nullable=True))
    with op.batch_alter_table('device') as batch:
        batch.add_column(sa.Column('medication_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f('fk_device_medication_id_medication'), 'medication', ['medication_id'], ['id'],
                                 ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('device') as batch:
        batch.drop_constraint(batch.f('fk_device_medication_id_medication'), type_='foreignkey')
        batch.drop_column('medication_id')
    with op.batch_alter_table('medication') as batch:
        for column in ('supply_low_since', 'refill_date', 'supply_counted_at', 'units_per_dose', 'supply_on_hand'):
            batch.drop_column(column)
    with op.batch_alter_table('dose_schedule') as batch:
        batch.drop_column('units_per_dose')

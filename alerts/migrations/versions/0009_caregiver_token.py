"""caregiver tokens; the alert a check-in raised

Revision ID: 0009_caregiver_token
Revises: 0005_dose_slot

A patient's app token could acknowledge an alert as any of the patient's caregivers (the body named
the caregiver). A token now says whose it is; only a caregiver's own token acknowledges, as them.
A check-in remembers the alert it raised, so the API answer (a replay too) names it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_caregiver_token'
down_revision: str | None = '0013_medications'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('caregiver_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_token_caregiver_id_caregiver'), 'caregiver',
                                    ['caregiver_id'], ['id'], ondelete='CASCADE')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alert_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_checkin_alert_id_alert'), 'alert', ['alert_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_checkin_alert_id_alert'), type_='foreignkey')
        batch_op.drop_column('alert_id')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_token_caregiver_id_caregiver'), type_='foreignkey')
        batch_op.drop_column('caregiver_id')

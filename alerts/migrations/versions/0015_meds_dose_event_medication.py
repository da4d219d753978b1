"""dose events name their medication

Revision ID: 0015_meds_dose_event_medication
Revises: 0015_console_manage (re-chained at merge)
Create Date: 2026-12-06 16:40:00

A dose taken is a dose of one medicine: the clinical rules must read baclofen's doses and no
other's, and reports count adherence per medicine. Existing events are filled from what they
were matched to (event -> scheduled dose -> schedule -> medication); an unscheduled event is its
patient's baclofen, because until medications were data the service watched nothing else
(migration 0013 made every existing schedule baclofen). A patient with no baclofen row (no
schedule ever) keeps NULL: nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015_meds_dose_event_medication'
down_revision: str | None = '0015_console_manage'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dose_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('medication_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('medication_basis', sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_dose_event_medication_id'), ['medication_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_dose_event_medication_id_medication'), 'medication',
                                    ['medication_id'], ['id'], ondelete='SET NULL')

    bind = op.get_bind()
    bind.execute(sa.text(
        "UPDATE dose_event SET medication_id = ("
        " SELECT s.medication_id FROM dose d JOIN dose_schedule s ON s.id = d.schedule_id"
        " WHERE d.id = dose_event.dose_id)"
        " WHERE dose_id IS NOT NULL"
    ))
    bind.execute(sa.text(
        "UPDATE dose_event SET medication_id = ("
        " SELECT min(m.id) FROM medication m WHERE m.patient_id = dose_event.patient_id"
        " AND lower(m.name) = 'baclofen')"
        " WHERE medication_id IS NULL"
    ))


def downgrade() -> None:
    with op.batch_alter_table('dose_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dose_event_medication_id_medication'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_dose_event_medication_id'))
        batch_op.drop_column('medication_basis')
        batch_op.drop_column('medication_id')

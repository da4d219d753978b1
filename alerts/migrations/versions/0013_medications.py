"""medications as data; today's schedules become baclofen

Revision ID: 0013_medications
Revises: 0005_dose_slot
Create Date: 2026-12-06 13:50:00

A patient may take several medicines; each schedule now names its medication. Every schedule that
exists is baclofen (the service watched nothing else), so each patient with a schedule gets one
baclofen medication (oral: the schedules are tablet doses in mg; the RxNorm code is left empty for
a person to fill in rather than guessed), and all their schedules point at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = '0013_medications'
down_revision: str | None = '0005_dose_slot'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('medication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('strength', sa.String(length=60), nullable=True),
    sa.Column('route', sa.String(length=16), nullable=False),
    sa.Column('rxnorm_code', sa.String(length=16), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_medication_patient_id_patient'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medication'))
    )
    with op.batch_alter_table('medication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_medication_patient_id'), ['patient_id'], unique=False)

    with op.batch_alter_table('dose_schedule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('medication_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_dose_schedule_medication_id'), ['medication_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_dose_schedule_medication_id_medication'), 'medication',
                                    ['medication_id'], ['id'], ondelete='RESTRICT')

    # Naive UTC on SQLite, as the app's UTCDateTime stores it; timestamptz takes it as UTC.
    now = datetime.now(UTC)
    bind = op.get_bind()
    created = now.replace(tzinfo=None) if bind.dialect.name == 'sqlite' else now
    bind.execute(sa.text(
        "INSERT INTO medication (patient_id, name, strength, route, rxnorm_code, active, created_at) "
        "SELECT DISTINCT patient_id, 'baclofen', NULL, 'oral', NULL, :true, :created FROM dose_schedule"
    ), {"true": True, "created": created})
    bind.execute(sa.text(
        "UPDATE dose_schedule SET medication_id = "
        "(SELECT m.id FROM medication m WHERE m.patient_id = dose_schedule.patient_id)"
    ))


def downgrade() -> None:
    with op.batch_alter_table('dose_schedule', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dose_schedule_medication_id_medication'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_dose_schedule_medication_id'))
        batch_op.drop_column('medication_id')
    with op.batch_alter_table('medication', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_medication_patient_id'))
    op.drop_table('medication')

"""FHIR bulk export jobs

Revision ID: 0012_fhir_export
Revises: 0005_dose_slot
Create Date: 2026-12-06 13:50:00

A ``$export`` is a row: the status URL reads it, the worker claims it and writes its progress to
it, so the job survives a lost Celery message or a worker restart.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012_fhir_export'
down_revision: str | None = '0009_caregiver_token'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'fhir_export_job',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('level', sa.String(length=8), nullable=False),
        sa.Column('group_id', sa.String(length=64), nullable=True),
        sa.Column('token_id', sa.Integer(), nullable=False),
        sa.Column('types', sa.JSON(), nullable=False),
        sa.Column('since', sa.DateTime(timezone=True), nullable=True),
        sa.Column('request_url', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resources_written', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('output', sa.JSON(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['token_id'], ['api_token.id'], name=op.f('fk_fhir_export_job_token_id_api_token'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_fhir_export_job')),
    )
    with op.batch_alter_table('fhir_export_job', schema=None) as batch_op:
        batch_op.create_index('ix_fhir_export_job_status_updated', ['status', 'updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_fhir_export_job_token_id'), ['token_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('fhir_export_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fhir_export_job_token_id'))
        batch_op.drop_index('ix_fhir_export_job_status_updated')
    op.drop_table('fhir_export_job')

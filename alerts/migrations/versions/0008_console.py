"""care console: users, sign-in codes, invites, audit log, alert pauses and notes

Revision ID: 0008_console
Revises: 0005_dose_slot
Create Date: 2026-12-06 13:37:59.864657

New tables, and an index on dose.due_at for the console's lists and reports.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_console'
down_revision: str | None = '0006_outbox_delivery'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dose', schema=None) as batch_op:
        batch_op.create_index('ix_dose_due_at', ['due_at'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_event_patient_at', ['patient_id', 'at'], unique=False)

    op.create_table('console_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_console_user')),
    sa.UniqueConstraint('email', name=op.f('uq_console_user_email')),
    sa.UniqueConstraint('phone', name=op.f('uq_console_user_phone'))
    )
    op.create_table('sign_in_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_code'))
    )
    with op.batch_alter_table('sign_in_code', schema=None) as batch_op:
        batch_op.create_index('ix_sign_in_code_phone_created', ['phone', 'created_at'], unique=False)

    op.create_table('alert_pause',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['console_user.id'], name=op.f('fk_alert_pause_created_by_console_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_alert_pause_patient_id_patient'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_pause'))
    )
    with op.batch_alter_table('alert_pause', schema=None) as batch_op:
        batch_op.create_index('ix_alert_pause_patient_ends', ['patient_id', 'ends_at'], unique=False)

    op.create_table('clinician_patient',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_clinician_patient_patient_id_patient'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['console_user.id'], name=op.f('fk_clinician_patient_user_id_console_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'patient_id', name=op.f('pk_clinician_patient'))
    )
    op.create_table('invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['console_user.id'], name=op.f('fk_invite_created_by_console_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invite')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invite_token_hash'))
    )
    op.create_table('alert_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('author', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alert.id'], name=op.f('fk_alert_note_alert_id_alert'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['console_user.id'], name=op.f('fk_alert_note_user_id_console_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_note'))
    )
    with op.batch_alter_table('alert_note', schema=None) as batch_op:
        batch_op.create_index('ix_alert_note_alert', ['alert_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dose', schema=None) as batch_op:
        batch_op.drop_index('ix_dose_due_at')

    with op.batch_alter_table('alert_note', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_note_alert')

    op.drop_table('alert_note')
    op.drop_table('invite')
    op.drop_table('clinician_patient')
    with op.batch_alter_table('alert_pause', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_pause_patient_ends')

    op.drop_table('alert_pause')
    with op.batch_alter_table('sign_in_code', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_in_code_phone_created')

    op.drop_table('sign_in_code')
    op.drop_table('console_user')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_patient_at')
        batch_op.drop_index('ix_audit_event_at')

    op.drop_table('audit_event')

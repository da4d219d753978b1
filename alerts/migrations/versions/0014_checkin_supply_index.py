"""Partial index on a patient's check-ins that report a supply problem

Revision ID: 0014_checkin_supply_index
Revises: 0012_fhir_export
Create Date: 2026-12-06 15:05:00

A check-in reads the latest report of each supply problem in the look-back; with this index that
read touches the reports alone, however often the patient checks in.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014_checkin_supply_index'
down_revision: str | None = '0008_console'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_checkin_patient_supply', 'checkin', ['patient_id', 'recorded_at'], unique=False,
                    postgresql_where=sa.text('supply_problem IS NOT NULL'),
                    sqlite_where=sa.text('supply_problem IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_checkin_patient_supply', table_name='checkin',
                  postgresql_where=sa.text('supply_problem IS NOT NULL'),
                  sqlite_where=sa.text('supply_problem IS NOT NULL'))

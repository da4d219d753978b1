"""Clinicians see their assigned patients: assign every existing patient to every existing clinician

Revision ID: 0016_console_access_assign
Revises: 0015_console_access_totp
Create Date: 2026-12-06 17:00:00

Until this release every clinician saw every patient (``clinician_patient`` was only the "Only
mine" filter). From now on a clinician sees only the patients assigned to them, so nobody may lose
access on upgrade: each existing clinician is assigned each existing patient (admins then narrow
the lists on the manage pages). No schema change.

Downgrade leaves the rows: the earlier release reads them as "mine", which they now are.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016_console_access_assign'
down_revision: str | None = '0015_console_access_totp'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(sa.text(
        "INSERT INTO clinician_patient (user_id, patient_id) "
        "SELECT u.id, p.id FROM console_user u CROSS JOIN patient p "
        "WHERE u.role = 'clinician' AND NOT EXISTS ("
        "  SELECT 1 FROM clinician_patient cp WHERE cp.user_id = u.id AND cp.patient_id = p.id)"))


def downgrade() -> None:
    pass

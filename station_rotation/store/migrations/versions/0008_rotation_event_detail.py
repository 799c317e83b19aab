"""rotation_event.detail: changes made during a run (a late student, a station out)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-15 03:00:00

A change to a running rotation is an event in the run's log like the clock's commands
(kind "change"); its JSON detail holds what changed and the run's lineup after it, so a
restart resumes with the change and the day's record shows it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('rotation_event', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('rotation_event', schema=None) as batch_op:
        batch_op.drop_column('detail')

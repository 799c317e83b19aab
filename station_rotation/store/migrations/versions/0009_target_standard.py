"""learning_target.standard_id and framework_id: targets taken from a CASE framework

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-20 10:00:00

The GUIDs of the standard (CASE ``CFItem.identifier``) and of its framework
(``CFDocument.identifier``) a target was imported from; NULL for every target written
by hand, which is every target before this revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('learning_target', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('standard_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.add_column(
            sa.Column('framework_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('learning_target', schema=None) as batch_op:
        batch_op.drop_column('framework_id')
        batch_op.drop_column('standard_id')

"""conflicts and district roster: record.overwrote_hlc, record.district, teacher.source_id

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("overwrote_hlc", sa.String(length=80), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("district", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("teacher", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_id", sa.String(length=255), nullable=True))
        batch_op.create_index(batch_op.f("ix_teacher_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("teacher", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teacher_source_id"))
        batch_op.drop_column("source_id")
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_column("district")
        batch_op.drop_column("overwrote_hlc")

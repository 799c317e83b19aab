"""person scope: district students and teachers visible to the teachers of their classes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_scope",
        sa.Column("teacher_id", sa.String(length=36), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("teacher_id", "record_id"),
    )
    with op.batch_alter_table("person_scope", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_scope_record_id"), ["record_id"], unique=False)


def downgrade() -> None:
    op.drop_table("person_scope")

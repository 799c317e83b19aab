"""record: a record with a class has no owner (a CHECK the scope reads rely on)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 03:30:00

A teacher's pull and digest read her scope as three disjoint arms (``exchange._scope_arms``):
her classes' records, the people she owns, the people shared with her. A record with
both a class and an owner would be read twice, or by a teacher outside its class. Every
writer keeps the rule; the database now refuses a row that breaks it. A row that already
breaks it keeps its class (the class decides who reads it) and loses its owner.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RULE = "class_id IS NULL OR owner_teacher_id IS NULL"


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE record SET owner_teacher_id = NULL "
            "WHERE class_id IS NOT NULL AND owner_teacher_id IS NOT NULL"
        )
    )
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.create_check_constraint("ck_record_class_or_owner", RULE)


def downgrade() -> None:
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_constraint("ck_record_class_or_owner", type_="check")

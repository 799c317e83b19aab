"""audit_log: district admin actions recorded, without student data

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 04:10:00

Every results export, roster load, enrolment and revocation leaves one row: who (the
staff account running the command, or the teacher whose code enrolled a laptop), what
and over which classes, when (UTC), how many records and students. Counts and class ids
only, never a student's name, e-mail, id or score (``server/audit.py``).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("actor_kind", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("records", sa.BigInteger(), nullable=False),
        sa.Column("students", sa.BigInteger(), nullable=True),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])


def downgrade() -> None:
    op.drop_table("audit_log")

"""enrol_failure: wrong enrolment codes counted in the database

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 20:00:00

The limit on wrong codes was kept in each server process's memory: with several
processes a client could try as many times more. One row per wrong code (the client's
address and when), read by every process; rows past the limit's minute are deleted.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enrol_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("failed_at_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_enrol_failure_client", "enrol_failure", ["client", "failed_at_ms"])


def downgrade() -> None:
    op.drop_table("enrol_failure")

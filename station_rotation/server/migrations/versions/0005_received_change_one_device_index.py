"""received_change: one index on device_id, not two

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 05:30:00

``uq_received_seq`` (``device_id``, ``device_seq``) already serves every lookup by
device and the foreign key's checks; the separate ``ix_received_change_device_id`` only
cost each pushed change one more index entry to write and keep (with 200 laptops syncing
at once, PostgreSQL's CPU per run fell from 0.45 to 0.42 s: docs/benchmarks.md).
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("received_change", schema=None) as batch_op:
        batch_op.drop_index("ix_received_change_device_id")


def downgrade() -> None:
    with op.batch_alter_table("received_change", schema=None) as batch_op:
        batch_op.create_index("ix_received_change_device_id", ["device_id"], unique=False)

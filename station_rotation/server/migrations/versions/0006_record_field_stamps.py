"""record: the stamp of each field's last edit (per-field merges)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 16:00:00

``field_hlcs`` maps a field to the stamp of the change that last set it; NULL (every
record before this revision, and every record only ever written whole) means each field
carries the record's own ``hlc``. A push then merges field by field: a field only one
laptop changed is never lost to another laptop's later edit of another field.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("field_hlcs", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_column("field_hlcs")

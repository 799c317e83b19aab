"""rotation_event.request_id: a command resent by a phone is applied once

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 03:00:00

The companion's remote (a phone on the classroom Wi-Fi) sends each command with an id it
made; a resend after a drop finds the id and is not applied twice, also after a restart.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('rotation_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_id', sa.String(length=36), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_rotation_event_request_id'), ['request_id'], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table('rotation_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rotation_event_request_id'))
        batch_op.drop_column('request_id')

"""damaged_change: outbox rows that could not be read, kept aside raw

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-09 10:00:00

A row of change_log whose text is not UTF-8 or whose payload is not a JSON document is
copied here byte for byte when sync meets it; the outbox row becomes a stand-in that
keeps its place in the laptop's sequence (sync/outbox_damage.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('damaged_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('change_id', sa.LargeBinary(), nullable=True),
    sa.Column('entity', sa.LargeBinary(), nullable=True),
    sa.Column('record_id', sa.LargeBinary(), nullable=True),
    sa.Column('op', sa.LargeBinary(), nullable=True),
    sa.Column('hlc', sa.LargeBinary(), nullable=True),
    sa.Column('payload', sa.LargeBinary(), nullable=True),
    sa.Column('payload_version', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.LargeBinary(), nullable=True),
    sa.Column('before', sa.LargeBinary(), nullable=True),
    sa.Column('problem', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('found_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('damaged_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_damaged_change_seq'), ['seq'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('damaged_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_damaged_change_seq'))

    op.drop_table('damaged_change')

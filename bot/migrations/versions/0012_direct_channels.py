"""Each member's DM with the bot (`direct_channels`): its `D…` id, to find a DM again after an unclear post
(Slack reads a DM by that id only), and whether the member can't be reached (a deactivated member).

Revision ID: 0012
Revises: 0011
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('direct_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=True),
    sa.Column('unreachable', sa.String(length=64), nullable=True),
    sa.Column('unreachable_since', sa.DateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_direct_channels')),
    sa.UniqueConstraint('team_id', 'user_id', name=op.f('uq_direct_channels_team_id_user_id'))
    )
    with op.batch_alter_table('direct_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_direct_channels_team_id'), ['team_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('direct_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_direct_channels_team_id'))
    op.drop_table('direct_channels')

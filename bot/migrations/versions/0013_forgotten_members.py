"""Forgotten members (`forgotten_members`): a salted hash of workspace and member, and when they were forgotten,
so catch-ups and late events never record what they wrote before `/study forget-me` again.

Revision ID: 0013
Revises: 0012
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('forgotten_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_hash', sa.String(length=64), nullable=False),
    sa.Column('forgotten_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forgotten_members')),
    sa.UniqueConstraint('team_id', 'member_hash', name=op.f('uq_forgotten_members_team_id_member_hash'))
    )
    with op.batch_alter_table('forgotten_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forgotten_members_team_id'), ['team_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('forgotten_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forgotten_members_team_id'))
    op.drop_table('forgotten_members')

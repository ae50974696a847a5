"""The App Home: the hash of the view last published per member, so an unchanged Home is not re-published.

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('published_homes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('view_hash', sa.String(length=64), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_homes')),
    sa.UniqueConstraint('team_id', 'user_id', name=op.f('uq_published_homes_team_id_user_id'))
    )
    with op.batch_alter_table('published_homes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_homes_team_id'), ['team_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('published_homes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_homes_team_id'))
    op.drop_table('published_homes')

"""Calendar feeds: `feed_tokens`, one row per cohort feed and per member's private feed (the URL's secret hashed).

Revision ID: 0018
Revises: 0017
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'feed_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.String(length=32), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.String(length=64), nullable=True),
        sa.Column('changed_at', sa.DateTime(), nullable=True),
        sa.Column('team_id', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_feed_tokens_cohort_id_cohorts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_tokens')),
        sa.UniqueConstraint('cohort_id', 'user_id', name=op.f('uq_feed_tokens_cohort_id_user_id')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_feed_tokens_token_hash')),
    )
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feed_tokens_team_id'), ['team_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('feed_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feed_tokens_team_id'))
    op.drop_table('feed_tokens')

"""Share-your-work: the share channel's posts, replies and reactions, and a catch-up watermark per channel.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('share_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('caught_up_to', sa.String(length=20), nullable=True),
    sa.Column('caught_up_at', sa.DateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_channels')),
    sa.UniqueConstraint('team_id', 'channel_id', name=op.f('uq_share_channels_team_id_channel_id'))
    )
    with op.batch_alter_table('share_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_share_channels_team_id'), ['team_id'], unique=False)

    op.create_table('share_reactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('post_ts', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('emoji', sa.String(length=100), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_reactions')),
    sa.UniqueConstraint('team_id', 'channel_id', 'post_ts', 'user_id', 'emoji', name=op.f('uq_share_reactions_team_id_channel_id_post_ts_user_id_emoji'))
    )
    with op.batch_alter_table('share_reactions', schema=None) as batch_op:
        batch_op.create_index('ix_share_reactions_post', ['team_id', 'channel_id', 'post_ts'], unique=False)
        batch_op.create_index(batch_op.f('ix_share_reactions_team_id'), ['team_id'], unique=False)

    op.create_table('share_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('post_ts', sa.String(length=32), nullable=False),
    sa.Column('reply_ts', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=True),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_replies')),
    sa.UniqueConstraint('team_id', 'channel_id', 'reply_ts', name=op.f('uq_share_replies_team_id_channel_id_reply_ts'))
    )
    with op.batch_alter_table('share_replies', schema=None) as batch_op:
        batch_op.create_index('ix_share_replies_post', ['team_id', 'channel_id', 'post_ts'], unique=False)
        batch_op.create_index(batch_op.f('ix_share_replies_team_id'), ['team_id'], unique=False)

    op.create_table('share_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('ts', sa.String(length=32), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=False),
    sa.Column('week', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.String(length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('links', sa.JSON(), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('permalink', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('content_version', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('history_reply_count', sa.Integer(), nullable=False),
    sa.Column('history_reply_users', sa.JSON(), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_share_posts_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_posts')),
    sa.UniqueConstraint('team_id', 'channel_id', 'ts', name=op.f('uq_share_posts_team_id_channel_id_ts'))
    )
    with op.batch_alter_table('share_posts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_share_posts_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index('ix_share_posts_sharer', ['team_id', 'user_id', 'posted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_share_posts_team_id'), ['team_id'], unique=False)
        batch_op.create_index('ix_share_posts_window', ['team_id', 'channel_id', 'posted_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('share_posts', schema=None) as batch_op:
        batch_op.drop_index('ix_share_posts_window')
        batch_op.drop_index(batch_op.f('ix_share_posts_team_id'))
        batch_op.drop_index('ix_share_posts_sharer')
        batch_op.drop_index(batch_op.f('ix_share_posts_cohort_id'))

    op.drop_table('share_posts')
    with op.batch_alter_table('share_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_share_replies_team_id'))
        batch_op.drop_index('ix_share_replies_post')

    op.drop_table('share_replies')
    with op.batch_alter_table('share_reactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_share_reactions_team_id'))
        batch_op.drop_index('ix_share_reactions_post')

    op.drop_table('share_reactions')
    with op.batch_alter_table('share_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_share_channels_team_id'))

    op.drop_table('share_channels')

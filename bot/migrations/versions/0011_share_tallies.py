"""Share posts' engagement counted per post (`share_tallies`), filled from the existing replies and reactions.

The digest ranks a week from one row per post instead of aggregating every reply and reaction. The
backfill counts what `bot.share.tallies.engagement_counts` counts, with the ranking's caps of the time
(3 reactions and 4 replies per person), for every post whose thread was never read from history: the
others need Python's estimate of the replies history added, so they get no row here; the digest scores a
post without a row from its rows, and the next event or catch-up on it counts it.

Revision ID: 0011
Revises: 0010
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

BACKFILL = """
INSERT INTO share_tallies (team_id, channel_id, post_ts, posted_at, people, reactions, replies, capped_reactions,
                           capped_replies)
SELECT p.team_id, p.channel_id, p.ts, p.posted_at, COALESCE(t.people, 0), COALESCE(t.reactions, 0), COALESCE(t.replies, 0),
       COALESCE(t.capped_reactions, 0), COALESCE(t.capped_replies, 0)
FROM share_posts p LEFT JOIN (
    SELECT team_id, channel_id, post_ts, COUNT(*) AS people, SUM(reactions) AS reactions, SUM(replies) AS replies,
           SUM(CASE WHEN reactions > 3 THEN 3 ELSE reactions END) AS capped_reactions,
           SUM(CASE WHEN replies > 4 THEN 4 ELSE replies END) AS capped_replies
    FROM (
        SELECT team_id, channel_id, post_ts, user_id, SUM(reactions) AS reactions, SUM(replies) AS replies
        FROM (
            SELECT r.team_id, r.channel_id, r.post_ts, r.user_id, 1 AS reactions, 0 AS replies
            FROM share_reactions r JOIN share_posts a
              ON a.team_id = r.team_id AND a.channel_id = r.channel_id AND a.ts = r.post_ts
            WHERE r.present AND r.user_id <> a.user_id
            UNION ALL
            SELECT y.team_id, y.channel_id, y.post_ts, y.user_id, 0, 1
            FROM share_replies y JOIN share_posts a
              ON a.team_id = y.team_id AND a.channel_id = y.channel_id AND a.ts = y.post_ts
            WHERE NOT y.deleted AND y.user_id IS NOT NULL AND y.user_id <> a.user_id
        ) engaged
        GROUP BY team_id, channel_id, post_ts, user_id
    ) person
    GROUP BY team_id, channel_id, post_ts
) t ON t.team_id = p.team_id AND t.channel_id = p.channel_id AND t.post_ts = p.ts
WHERE p.history_reply_count = 0 AND p.user_id IS NOT NULL
"""


def upgrade() -> None:
    op.create_table('share_tallies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('post_ts', sa.String(length=32), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('reactions', sa.Integer(), nullable=False),
    sa.Column('replies', sa.Integer(), nullable=False),
    sa.Column('capped_reactions', sa.Integer(), nullable=False),
    sa.Column('capped_replies', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_tallies')),
    sa.UniqueConstraint('team_id', 'channel_id', 'post_ts', name=op.f('uq_share_tallies_team_id_channel_id_post_ts'))
    )
    with op.batch_alter_table('share_tallies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_share_tallies_team_id'), ['team_id'], unique=False)
        batch_op.create_index('ix_share_tallies_window', ['team_id', 'channel_id', 'posted_at'], unique=False)
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table('share_tallies', schema=None) as batch_op:
        batch_op.drop_index('ix_share_tallies_window')
        batch_op.drop_index(batch_op.f('ix_share_tallies_team_id'))
    op.drop_table('share_tallies')

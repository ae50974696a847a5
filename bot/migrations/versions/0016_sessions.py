"""The live session: a cohort's join link, per-week overrides (moved, relinked, cancelled), RSVPs and the
messages carrying their count.

Revision ID: 0016
Revises: 0015
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_link', sa.String(length=500), nullable=True))
    op.create_table('session_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=True),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('notice_sequence', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_session_overrides_cohort_id_cohorts'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_overrides')),
    sa.UniqueConstraint('team_id', 'cohort_id', 'week', name=op.f('uq_session_overrides_team_id_cohort_id_week'))
    )
    with op.batch_alter_table('session_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_overrides_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_overrides_team_id'), ['team_id'], unique=False)
    op.create_table('session_rsvps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_session_rsvps_cohort_id_cohorts'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_rsvps')),
    sa.UniqueConstraint('team_id', 'cohort_id', 'week', 'user_id',
                        name=op.f('uq_session_rsvps_team_id_cohort_id_week_user_id'))
    )
    with op.batch_alter_table('session_rsvps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_rsvps_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_rsvps_team_id'), ['team_id'], unique=False)
    op.create_table('session_rsvp_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('ts', sa.String(length=32), nullable=False),
    sa.Column('text', sa.String(length=3000), nullable=False),
    sa.Column('blocks', sa.JSON(), nullable=False),
    sa.Column('shown_count', sa.Integer(), nullable=False),
    sa.Column('dirty', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_session_rsvp_messages_cohort_id_cohorts'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_rsvp_messages')),
    sa.UniqueConstraint('team_id', 'channel_id', 'ts', name=op.f('uq_session_rsvp_messages_team_id_channel_id_ts'))
    )
    with op.batch_alter_table('session_rsvp_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_rsvp_messages_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_rsvp_messages_team_id'), ['team_id'], unique=False)


def downgrade() -> None:
    for table in ('session_rsvp_messages', 'session_rsvps', 'session_overrides'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_team_id'))
            batch_op.drop_index(batch_op.f(f'ix_{table}_cohort_id'))
        op.drop_table(table)
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_column('session_link')

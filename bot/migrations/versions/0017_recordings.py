"""Recordings: one per cohort week (`session_recordings`), and the moment in it where an AMA question was
answered (`ama_questions.recording_moment`, seconds).

Revision ID: 0017
Revises: 0016
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('session_recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('added_by', sa.String(length=32), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('shown_url', sa.String(length=1000), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_session_recordings_cohort_id_cohorts'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_recordings')),
    sa.UniqueConstraint('team_id', 'cohort_id', 'week', name=op.f('uq_session_recordings_team_id_cohort_id_week'))
    )
    with op.batch_alter_table('session_recordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_recordings_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_recordings_team_id'), ['team_id'], unique=False)
    with op.batch_alter_table('ama_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recording_moment', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ama_questions', schema=None) as batch_op:
        batch_op.drop_column('recording_moment')
    with op.batch_alter_table('session_recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_recordings_team_id'))
        batch_op.drop_index(batch_op.f('ix_session_recordings_cohort_id'))
    op.drop_table('session_recordings')

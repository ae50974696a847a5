"""Questions for the live session: boards, questions, votes (one per member per question), reports, settings.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ama_boards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('session_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_ama_boards_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ama_boards')),
    sa.UniqueConstraint('team_id', 'cohort_id', 'week', name=op.f('uq_ama_boards_team_id_cohort_id_week'))
    )
    with op.batch_alter_table('ama_boards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ama_boards_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ama_boards_team_id'), ['team_id'], unique=False)

    op.create_table('ama_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('top_to', sa.String(length=16), nullable=False),
    sa.Column('open_week', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_ama_settings_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ama_settings')),
    sa.UniqueConstraint('team_id', 'cohort_id', name=op.f('uq_ama_settings_team_id_cohort_id'))
    )
    with op.batch_alter_table('ama_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ama_settings_team_id'), ['team_id'], unique=False)

    op.create_table('ama_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_key', sa.String(length=64), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('reviewed', sa.Boolean(), nullable=False),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ts', sa.String(length=32), nullable=True),
    sa.Column('message_dirty', sa.Boolean(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(), nullable=True),
    sa.Column('refreshing_since', sa.DateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['ama_boards.id'], name=op.f('fk_ama_questions_board_id_ama_boards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ama_questions')),
    sa.UniqueConstraint('team_id', 'board_id', 'user_id', 'text_key', name=op.f('uq_ama_questions_team_id_board_id_user_id_text_key'))
    )
    with op.batch_alter_table('ama_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ama_questions_board_id'), ['board_id'], unique=False)
        batch_op.create_index('ix_ama_questions_dirty', ['message_dirty', 'refreshed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ama_questions_team_id'), ['team_id'], unique=False)

    op.create_table('ama_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['ama_questions.id'], name=op.f('fk_ama_reports_question_id_ama_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ama_reports')),
    sa.UniqueConstraint('team_id', 'question_id', 'user_id', name=op.f('uq_ama_reports_team_id_question_id_user_id'))
    )
    with op.batch_alter_table('ama_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ama_reports_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ama_reports_team_id'), ['team_id'], unique=False)

    op.create_table('ama_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('also_asked', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['ama_questions.id'], name=op.f('fk_ama_votes_question_id_ama_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ama_votes')),
    sa.UniqueConstraint('team_id', 'question_id', 'user_id', name=op.f('uq_ama_votes_team_id_question_id_user_id'))
    )
    with op.batch_alter_table('ama_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ama_votes_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ama_votes_team_id'), ['team_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ama_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ama_votes_team_id'))
        batch_op.drop_index(batch_op.f('ix_ama_votes_question_id'))

    op.drop_table('ama_votes')
    with op.batch_alter_table('ama_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ama_reports_team_id'))
        batch_op.drop_index(batch_op.f('ix_ama_reports_question_id'))

    op.drop_table('ama_reports')
    with op.batch_alter_table('ama_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ama_questions_team_id'))
        batch_op.drop_index('ix_ama_questions_dirty')
        batch_op.drop_index(batch_op.f('ix_ama_questions_board_id'))

    op.drop_table('ama_questions')
    with op.batch_alter_table('ama_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ama_settings_team_id'))

    op.drop_table('ama_settings')
    with op.batch_alter_table('ama_boards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ama_boards_team_id'))
        batch_op.drop_index(batch_op.f('ix_ama_boards_cohort_id'))

    op.drop_table('ama_boards')

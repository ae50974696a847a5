"""Keeping people in the group: member preferences (planning, nudges, pause), group messages per member
and week, and each cohort's weekly-report settings.

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('retention_group_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('messages', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_retention_group_messages_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_group_messages')),
    sa.UniqueConstraint('cohort_id', 'user_id', 'week', name=op.f('uq_retention_group_messages_cohort_id_user_id_week'))
    )
    with op.batch_alter_table('retention_group_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_group_messages_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_retention_group_messages_team_id'), ['team_id'], unique=False)

    op.create_table('retention_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('zone', sa.String(length=64), nullable=True),
    sa.Column('plan', sa.String(length=16), nullable=True),
    sa.Column('week_plan_week', sa.Integer(), nullable=True),
    sa.Column('week_plan_at', sa.DateTime(), nullable=True),
    sa.Column('session_reminder', sa.Boolean(), nullable=False),
    sa.Column('nudges', sa.Boolean(), nullable=False),
    sa.Column('paused_until', sa.DateTime(), nullable=True),
    sa.Column('last_nudge_at', sa.DateTime(), nullable=True),
    sa.Column('welcomed_back_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_retention_members_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_members')),
    sa.UniqueConstraint('cohort_id', 'user_id', name=op.f('uq_retention_members_cohort_id_user_id'))
    )
    with op.batch_alter_table('retention_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_members_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_retention_members_team_id'), ['team_id'], unique=False)

    op.create_table('retention_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=True),
    sa.Column('hours_before_session', sa.Integer(), nullable=False),
    sa.Column('chart_file_id', sa.String(length=32), nullable=True),
    sa.Column('chart_week', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_retention_reports_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_reports')),
    sa.UniqueConstraint('cohort_id', name=op.f('uq_retention_reports_cohort_id'))
    )
    with op.batch_alter_table('retention_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_reports_team_id'), ['team_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('retention_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retention_reports_team_id'))

    op.drop_table('retention_reports')
    with op.batch_alter_table('retention_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retention_members_team_id'))
        batch_op.drop_index(batch_op.f('ix_retention_members_cohort_id'))

    op.drop_table('retention_members')
    with op.batch_alter_table('retention_group_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retention_group_messages_team_id'))
        batch_op.drop_index(batch_op.f('ix_retention_group_messages_cohort_id'))

    op.drop_table('retention_group_messages')

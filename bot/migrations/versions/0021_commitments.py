"""Commitments: a member's "I'll finish chapter N by <day>" per cohort week, and its outcome.

Revision ID: 0021
Revises: 0020
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('chapter', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('extended', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('asked_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_commitments_cohort_id_cohorts'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitments')),
    sa.UniqueConstraint('cohort_id', 'user_id', 'week', name=op.f('uq_commitments_cohort_id_user_id_week'))
    )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitments_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitments_team_id'), ['team_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitments_team_id'))
        batch_op.drop_index(batch_op.f('ix_commitments_due_at'))
        batch_op.drop_index(batch_op.f('ix_commitments_cohort_id'))
    op.drop_table('commitments')

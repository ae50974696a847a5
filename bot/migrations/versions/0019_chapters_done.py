"""Chapters done: the marks members set with `/study done [N]` (`completion_marks`), and each cohort's
completion rule (`cohorts.complete_at_chapters`; NULL = 75% of its chapters, rounded up).

Revision ID: 0019
Revises: 0018
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('complete_at_chapters', sa.Integer(), nullable=True))
    op.create_table('completion_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('chapter', sa.Integer(), nullable=False),
    sa.Column('marked_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_completion_marks_cohort_id_cohorts'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completion_marks')),
    sa.UniqueConstraint('cohort_id', 'user_id', 'chapter', name=op.f('uq_completion_marks_cohort_id_user_id_chapter'))
    )
    with op.batch_alter_table('completion_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completion_marks_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_completion_marks_team_id'), ['team_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('completion_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_completion_marks_team_id'))
        batch_op.drop_index(batch_op.f('ix_completion_marks_cohort_id'))
    op.drop_table('completion_marks')
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_column('complete_at_chapters')

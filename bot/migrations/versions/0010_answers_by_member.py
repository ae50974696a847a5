"""A member's answers by cohort: `/study progress` asks "did this member answer question (chapter, position)?"
for every question so far; with only the per-question index, SQLite read every member's answers to each
question (10,000 rows for a 10,000-member cohort, ~13 ms a request) instead of the member's own few.

Revision ID: 0010
Revises: 0009
"""
from __future__ import annotations

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_member', ['cohort_id', 'user_id', 'chapter', 'position'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_member')

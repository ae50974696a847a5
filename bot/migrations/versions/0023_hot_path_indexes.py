"""Indexes for what every tick reads once a cohort is at full size (issue 26; tests/perf/test_query_plans.py):
a job's runs per cohort scope and the purge of old runs (`job_runs` grows by one row per DM and post), and the
AMA questions whose thread message is not posted yet (`ts IS NULL`), each until now a full scan.

Revision ID: 0023
Revises: 0022
"""
from __future__ import annotations

from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index('ix_job_runs_scope', ['job', 'scope', 'status'], unique=False)
        batch_op.create_index('ix_job_runs_purge', ['status', 'due_at'], unique=False)
    with op.batch_alter_table('ama_questions', schema=None) as batch_op:
        batch_op.create_index('ix_ama_questions_unposted', ['ts', 'state'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ama_questions', schema=None) as batch_op:
        batch_op.drop_index('ix_ama_questions_unposted')
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_job_runs_purge')
        batch_op.drop_index('ix_job_runs_scope')

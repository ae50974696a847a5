"""Delivery guarantees: event claims that can be released, owner tokens on every lease, backoff for failed runs.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('processed_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), server_default='done', nullable=False))
        batch_op.add_column(sa.Column('owner', sa.String(length=32), nullable=True))
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('retry_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('first_claimed_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbound_messages', schema=None) as batch_op:
        batch_op.drop_column('first_claimed_at')
        batch_op.drop_column('owner')
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_column('retry_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('owner')
    with op.batch_alter_table('processed_events', schema=None) as batch_op:
        batch_op.drop_column('owner')
        batch_op.drop_column('status')

"""The inbox: every acked request is written down before its ack, with what it carried, so a crash or a
failure after the ack runs it again instead of losing it (`bot.dedup`).

`processed_events` keeps its rows and its unique (team_id, event_id): an event's id is still its claim.
Requests that are no event get a generated key. `owner` goes: a stale request is taken over by
compare-and-set on `received_at`.

Revision ID: 0014
Revises: 0013
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('processed_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_index('ix_processed_events_pending', ['status', 'received_at'], unique=False)
        batch_op.drop_column('owner')


def downgrade() -> None:
    with op.batch_alter_table('processed_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=32), nullable=True))
        batch_op.drop_index('ix_processed_events_pending')
        batch_op.drop_column('attempts')
        batch_op.drop_column('body')
        batch_op.drop_column('kind')

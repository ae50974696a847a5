"""Study buddies (issue 24): opt-ins (`buddy_optins`, with the claim on a member's current pair), pairs and
their group DM (`buddy_pairs`, `buddy_pair_members`) and the weekly check-ins (`buddy_checkins`).

Revision ID: 0022
Revises: 0021
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('buddy_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('introduced_size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_reason', sa.String(length=16), nullable=True),
    sa.Column('settled_at', sa.DateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'],
                            name=op.f('fk_buddy_pairs_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_pairs'))
    )
    with op.batch_alter_table('buddy_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_pairs_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_buddy_pairs_team_id'), ['team_id'], unique=False)

    op.create_table('buddy_checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Integer(), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.String(length=8), nullable=True),
    sa.Column('answered_by_user_id', sa.String(length=32), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['buddy_pairs.id'],
                            name=op.f('fk_buddy_checkins_pair_id_buddy_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_checkins')),
    sa.UniqueConstraint('pair_id', 'week', name=op.f('uq_buddy_checkins_pair_id_week'))
    )
    with op.batch_alter_table('buddy_checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_checkins_pair_id'), ['pair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_buddy_checkins_team_id'), ['team_id'], unique=False)

    op.create_table('buddy_optins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('opted_in_at', sa.DateTime(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=True),
    sa.Column('offer_pair_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'],
                            name=op.f('fk_buddy_optins_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pair_id'], ['buddy_pairs.id'],
                            name=op.f('fk_buddy_optins_pair_id_buddy_pairs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_optins')),
    sa.UniqueConstraint('cohort_id', 'user_id', name=op.f('uq_buddy_optins_cohort_id_user_id'))
    )
    with op.batch_alter_table('buddy_optins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_optins_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_buddy_optins_team_id'), ['team_id'], unique=False)

    op.create_table('buddy_pair_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.Column('team_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'],
                            name=op.f('fk_buddy_pair_members_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pair_id'], ['buddy_pairs.id'],
                            name=op.f('fk_buddy_pair_members_pair_id_buddy_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_pair_members')),
    sa.UniqueConstraint('pair_id', 'user_id', name=op.f('uq_buddy_pair_members_pair_id_user_id'))
    )
    with op.batch_alter_table('buddy_pair_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_pair_members_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_buddy_pair_members_pair_id'), ['pair_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_buddy_pair_members_team_id'), ['team_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('buddy_pair_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buddy_pair_members_team_id'))
        batch_op.drop_index(batch_op.f('ix_buddy_pair_members_pair_id'))
        batch_op.drop_index(batch_op.f('ix_buddy_pair_members_cohort_id'))

    op.drop_table('buddy_pair_members')
    with op.batch_alter_table('buddy_optins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buddy_optins_team_id'))
        batch_op.drop_index(batch_op.f('ix_buddy_optins_cohort_id'))

    op.drop_table('buddy_optins')
    with op.batch_alter_table('buddy_checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buddy_checkins_team_id'))
        batch_op.drop_index(batch_op.f('ix_buddy_checkins_pair_id'))

    op.drop_table('buddy_checkins')
    with op.batch_alter_table('buddy_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buddy_pairs_team_id'))
        batch_op.drop_index(batch_op.f('ix_buddy_pairs_cohort_id'))

    op.drop_table('buddy_pairs')

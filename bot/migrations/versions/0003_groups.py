"""Time-zone study groups: members, groups, channel invitations, formations, weekly activity.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "group_formations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("formed_at", sa.DateTime(), nullable=False),
        sa.Column("min_size", sa.Integer(), nullable=False),
        sa.Column("max_size", sa.Integer(), nullable=False),
        sa.Column("largest_spread", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], name=op.f("fk_group_formations_cohort_id_cohorts"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_formations")),
        sa.UniqueConstraint("cohort_id", name=op.f("uq_group_formations_cohort_id")),
    )
    op.create_index(op.f("ix_group_formations_team_id"), "group_formations", ["team_id"], unique=False)

    op.create_table(
        "study_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("center_offset", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_message_at", sa.DateTime(), nullable=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], name=op.f("fk_study_groups_cohort_id_cohorts"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_groups")),
    )
    op.create_index(op.f("ix_study_groups_channel_id"), "study_groups", ["channel_id"], unique=False)
    op.create_index(op.f("ix_study_groups_cohort_id"), "study_groups", ["cohort_id"], unique=False)
    op.create_index(op.f("ix_study_groups_team_id"), "study_groups", ["team_id"], unique=False)

    op.create_table(
        "group_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["study_groups.id"], name=op.f("fk_group_activity_group_id_study_groups"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_activity")),
        sa.UniqueConstraint("group_id", "week_start", name=op.f("uq_group_activity_group_id_week_start")),
    )
    op.create_index(op.f("ix_group_activity_group_id"), "group_activity", ["group_id"], unique=False)
    op.create_index(op.f("ix_group_activity_team_id"), "group_activity", ["team_id"], unique=False)

    op.create_table(
        "group_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("invited_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["study_groups.id"], name=op.f("fk_group_invites_group_id_study_groups"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_invites")),
        sa.UniqueConstraint("group_id", "user_id", name=op.f("uq_group_invites_group_id_user_id")),
    )
    op.create_index(op.f("ix_group_invites_group_id"), "group_invites", ["group_id"], unique=False)
    op.create_index(op.f("ix_group_invites_team_id"), "group_invites", ["team_id"], unique=False)

    op.create_table(
        "group_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("prefers", sa.JSON(), nullable=False),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.DateTime(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], name=op.f("fk_group_members_cohort_id_cohorts"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["group_id"], ["study_groups.id"], name=op.f("fk_group_members_group_id_study_groups"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_members")),
        sa.UniqueConstraint("cohort_id", "user_id", name=op.f("uq_group_members_cohort_id_user_id")),
    )
    op.create_index(op.f("ix_group_members_cohort_id"), "group_members", ["cohort_id"], unique=False)
    op.create_index(op.f("ix_group_members_group_id"), "group_members", ["group_id"], unique=False)
    op.create_index(op.f("ix_group_members_team_id"), "group_members", ["team_id"], unique=False)


def downgrade() -> None:
    for table in ("group_members", "group_invites", "group_activity", "study_groups", "group_formations"):
        op.drop_table(table)

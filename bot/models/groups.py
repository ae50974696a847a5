"""Time-zone study groups: who joined, the groups formed, channel invitations, and group activity."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class GroupMember(TeamScoped, Base):
    """A member who joined a cohort's study groups.

    `zone` is a name (IANA or ``UTC+05:30``), never an offset: offsets are
    computed whenever they are used, so daylight saving is honoured. `group_id`
    is the member's current group; None after formation means waiting.
    `left_at` set means they left and are neither in a group nor waiting.
    """

    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    zone: Mapped[str] = mapped_column(String(64))
    prefers: Mapped[list] = mapped_column(default=list)  # "weekdays", "weekends", "mornings", …
    joined_at: Mapped[datetime]
    left_at: Mapped[datetime | None]
    group_id: Mapped[int | None] = mapped_column(ForeignKey("study_groups.id", ondelete="SET NULL"), index=True)


class StudyGroup(TeamScoped, Base):
    """One group and its private channel.

    `status`: ``creating`` (planned; channel, invitations or intro not all done),
    ``ready``, ``merged`` (members moved to `merged_into_id`; pointer and archiving under way),
    ``archived`` (merged, and its channel archived with a pointer to the other group's).
    `name` is the channel name, chosen before the channel is created so a
    resumed run asks Slack for the same name.
    """

    __tablename__ = "study_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    channel_id: Mapped[str | None] = mapped_column(String(32), index=True)
    center_offset: Mapped[int] = mapped_column(Integer)  # minutes east of UTC when formed; a label, not a fact
    status: Mapped[str] = mapped_column(String(16), default="creating")
    merged_into_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    last_message_at: Mapped[datetime | None]


class GroupInvite(TeamScoped, Base):
    """Someone (member or organizer) invited to a group's channel — written after Slack said yes,
    so a resumed run never invites them twice."""

    __tablename__ = "group_invites"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    invited_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(32), default="invited")  # invited | a Slack error for this user


class GroupFormation(TeamScoped, Base):
    """A cohort's first formation (one per cohort) and the lease that keeps two runs from creating channels at once."""

    __tablename__ = "group_formations"
    __table_args__ = (UniqueConstraint("cohort_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    formed_at: Mapped[datetime]
    min_size: Mapped[int] = mapped_column(Integer)
    max_size: Mapped[int] = mapped_column(Integer)
    largest_spread: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None]


class GroupActivity(TeamScoped, Base):
    """Messages members posted in a group's channel in one week (weeks start Monday 00:00 UTC)."""

    __tablename__ = "group_activity"
    __table_args__ = (UniqueConstraint("group_id", "week_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("study_groups.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[date] = mapped_column(Date)
    messages: Mapped[int] = mapped_column(Integer, default=0)

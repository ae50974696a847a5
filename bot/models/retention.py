"""Keeping people in the group: each member's planning and nudge preferences, their group messages per
cohort week, and each cohort's weekly-report settings."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class MemberPreferences(TeamScoped, Base):
    """One member's choices in one cohort.

    `plan` is a local weekday and time ("Tue 19:00") in `zone` — a zone *name*, so the DM keeps
    its local time across daylight saving — or "each-week" ("I'll decide each week"), in which case
    a time picked from a week's announcement is kept for that week only (`week_plan_week`, `week_plan_at`).
    `paused_until` / `nudges` off silence nudges; `last_nudge_at` spaces them 14 days apart;
    `welcomed_back_at` records the one welcome back after a nudge or a quiet spell.
    """

    __tablename__ = "retention_members"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    zone: Mapped[str | None] = mapped_column(String(64))
    plan: Mapped[str | None] = mapped_column(String(16))
    week_plan_week: Mapped[int | None] = mapped_column(Integer)
    week_plan_at: Mapped[datetime | None]
    session_reminder: Mapped[bool] = mapped_column(Boolean, default=False)
    nudges: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_until: Mapped[datetime | None]
    last_nudge_at: Mapped[datetime | None]
    welcomed_back_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class MemberGroupMessages(TeamScoped, Base):
    """Messages one member posted in their group's channel in one cohort week (`group_activity` counts per group)."""

    __tablename__ = "retention_group_messages"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    week: Mapped[int] = mapped_column(Integer)
    messages: Mapped[int] = mapped_column(Integer, default=0)


class ReportSettings(TeamScoped, Base):
    """Where and when a cohort's weekly organizer report goes, and the last chart uploaded (for the Home)."""

    __tablename__ = "retention_reports"
    __table_args__ = (UniqueConstraint("cohort_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    channel_id: Mapped[str | None] = mapped_column(String(32))  # None: a DM to each organizer
    hours_before_session: Mapped[int] = mapped_column(Integer, default=24)
    chart_file_id: Mapped[str | None] = mapped_column(String(32))
    chart_week: Mapped[int | None] = mapped_column(Integer)

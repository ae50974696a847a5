"""Live sessions' recordings, and where in a recording an AMA question was answered.

One recording per cohort week (setting it again replaces the URL). `shown_url` is the URL the
announcement thread's message shows, so a replaced URL is edited into that message by the sweep.
`added_by` is the organizer's Slack id, or "cli": organizers are a role (like `cohorts.organizers`),
and forget-me replaces their id there instead of deleting the cohort's recording.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class SessionRecording(TeamScoped, Base):
    __tablename__ = "session_recordings"
    __table_args__ = (UniqueConstraint("team_id", "cohort_id", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    week: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(String(1000))
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime]
    shown_url: Mapped[str | None] = mapped_column(String(1000))

"""The weekly live session: one week's changes (moved, relinked, cancelled) and members' RSVPs."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class SessionOverride(TeamScoped, Base):
    """What an organizer changed about week `week`'s session; `sequence` rises with each change.

    `starts_at` None: at the rhythm's time; `link` None: the cohort's link. `notice_sequence` is the
    sequence of the last change members must hear about (a move, a cancel, a restore): the channel notice
    of that change is posted once, keyed by it.
    """

    __tablename__ = "session_overrides"
    __table_args__ = (UniqueConstraint("team_id", "cohort_id", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    week: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime | None]
    link: Mapped[str | None] = mapped_column(String(500))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    notice_sequence: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime]


class SessionRsvp(TeamScoped, Base):
    """A member's "I'll be there" for one week's session; a click toggles `active`."""

    __tablename__ = "session_rsvps"
    __table_args__ = (UniqueConstraint("team_id", "cohort_id", "week", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    week: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    changed_at: Mapped[datetime]


class RsvpMessage(TeamScoped, Base):
    """A message carrying a week's RSVP count (the announcement, the 24-hour reminder): its blocks as last
    posted, so the throttled refresh can update the count in place without re-composing the message."""

    __tablename__ = "session_rsvp_messages"
    __table_args__ = (UniqueConstraint("team_id", "channel_id", "ts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    week: Mapped[int] = mapped_column(Integer)
    channel_id: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(3000))
    blocks: Mapped[list] = mapped_column(default=list)
    shown_count: Mapped[int] = mapped_column(Integer, default=0)
    dirty: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime | None]

"""Certificates of completion: one per member and cohort, verified by its public code."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class Certificate(TeamScoped, Base):
    """A member's certificate for one cohort.

    `code` is the verification link's last part (`secrets.token_urlsafe(16)`: 128 random bits), stored as
    is: the page shows only what this row holds, so a hash would protect nothing a reader of the table
    doesn't already see, and the plain code lets the DM be sent again with the same link after a crash
    and organizers give the link to whoever asks. `display_name` is the name Slack showed at issue time
    (the public page never calls Slack). `by_hand` marks one an organizer issued below the rule;
    `notified_at` the DM with the image (its key in `outbound_messages` makes it exactly once).
    """

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("team_id", "cohort_id", "user_id"), UniqueConstraint("code"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200))
    show_name: Mapped[bool] = mapped_column(Boolean, default=True)
    chapters_done: Mapped[int] = mapped_column(Integer)
    by_hand: Mapped[bool] = mapped_column(Boolean, default=False)
    issued_at: Mapped[datetime]
    notified_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

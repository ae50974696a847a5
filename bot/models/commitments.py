"""Commitments: "I'll finish chapter N by <day>" — one per member and cohort week, and how it went."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class Commitment(TeamScoped, Base):
    """A member's commitment to finish the week's chapter by a day of that week.

    `due_at` is 20:00 on the chosen day in the member's own zone, in UTC (the "did you make it?" DM goes
    then: an evening question, not a midnight one). `extended` is set once, by "give me 2 more days",
    which moves `due_at` 48 h later. `outcome` is None until the member answers: kept | extended | skipped.
    `asked_at` is when the last "did you make it?" went (None: not asked yet).
    """

    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    week: Mapped[int] = mapped_column(Integer)
    chapter: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(index=True)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str | None] = mapped_column(String(16))
    asked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

"""Finishing the book: the chapters members marked done themselves (`/study done [N]`)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class ChapterMark(TeamScoped, Base):
    """A member said they finished chapter `chapter` (`/study done N`); `/study done N undo` deletes the row.

    A chapter is also done without a mark when the member answered at least half of its questions
    (`bot.completion.chapters`); the mark only adds to that, and undoing it never undoes the answers."""

    __tablename__ = "completion_marks"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id", "chapter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    chapter: Mapped[int] = mapped_column(Integer)
    marked_at: Mapped[datetime]

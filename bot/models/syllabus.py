"""A cohort's syllabus: chapters with links, and each chapter's questionnaire."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class Chapter(TeamScoped, Base):
    __tablename__ = "chapters"
    __table_args__ = (UniqueConstraint("cohort_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    notebook_url: Mapped[str | None] = mapped_column(String(500))
    clean_url: Mapped[str | None] = mapped_column(String(500))
    colab_url: Mapped[str | None] = mapped_column(String(500))
    video_url: Mapped[str | None] = mapped_column(String(500))
    # [{"label", "url"}] in the order shown; from the cohort's syllabus file (0014 copied the four columns above).
    links: Mapped[list | None] = mapped_column(default=None)
    reading: Mapped[str | None] = mapped_column(String(200))  # "about 2 hours"


class Question(TeamScoped, Base):
    """Question `position` (from 1, the book's order) of a chapter's questionnaire.

    Answers are keyed by (cohort, chapter, position), so re-importing a changed
    text updates `text` and keeps every answer; a question that disappeared from
    a re-import is marked `retired`, never deleted.
    """

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("cohort_id", "chapter", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    chapter: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[datetime]
    text_changed_at: Mapped[datetime | None]

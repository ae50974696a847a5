"""A cohort: one study group reading one syllabus on one weekly rhythm."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class Cohort(TeamScoped, Base):
    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    channel_id: Mapped[str] = mapped_column(String(32), index=True)
    timezone: Mapped[str] = mapped_column(String(64))
    # Local wall-clock time week 1 opens, in `timezone`; naive on purpose.
    start_local: Mapped[datetime] = mapped_column(DateTime)
    weeks: Mapped[int] = mapped_column(Integer, default=20)
    session: Mapped[str | None] = mapped_column(String(16))  # "Tue 18:00", local
    session_link: Mapped[str | None] = mapped_column(String(500))  # where members join it (https)
    breaks: Mapped[list] = mapped_column(default=list)  # week numbers paused before
    share_channel_id: Mapped[str | None] = mapped_column(String(32), index=True)
    questionnaire_channel_id: Mapped[str | None] = mapped_column(String(32))
    organizers: Mapped[list] = mapped_column(default=list)  # Slack user ids
    # {"name", "title", "author", "home", "steps"} of the syllabus file; None: the built-in fastbook.
    syllabus: Mapped[dict | None] = mapped_column(default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]

    # Questionnaire: None = every question at week open; N = a daily drip of N (0 = spread over the week).
    prompts_per_day: Mapped[int | None] = mapped_column(Integer, default=0)
    acknowledge_answers: Mapped[bool] = mapped_column(Boolean, default=True)
    # Study groups
    group_min: Mapped[int] = mapped_column(Integer, default=4)
    group_max: Mapped[int] = mapped_column(Integer, default=8)
    group_target: Mapped[int] = mapped_column(Integer, default=6)
    groups_form_at: Mapped[datetime | None]  # None = 3 days after week 1 opens
    # Share digest: posted this many hours before the next week opens.
    digest_hours_before: Mapped[int] = mapped_column(Integer, default=24)
    # Finishing the book: chapters done to complete the cohort; None = 75% of its chapters, rounded up.
    complete_at_chapters: Mapped[int | None] = mapped_column(Integer)

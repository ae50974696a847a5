"""Questions for the live session (AMA): one board per cohort week, its questions, votes and reports.

One vote per member per question is the unique key of `ama_votes`; a vote taken
back keeps its row (``active`` false) so a double click or a redelivered action
can be recognised by its ``changed_at``. A question's Slack message is refreshed
like the questionnaire's counts: ``message_dirty`` says the message lags the
database, ``refreshed_at`` throttles, ``refreshing_since`` keeps one refresh in flight.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class AmaBoard(TeamScoped, Base):
    """The questions for one live session: a cohort's week. Its parent message is an outbound post."""

    __tablename__ = "ama_boards"
    __table_args__ = (UniqueConstraint("team_id", "cohort_id", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    week: Mapped[int] = mapped_column(Integer)
    channel_id: Mapped[str] = mapped_column(String(32))
    session_at: Mapped[datetime]
    created_at: Mapped[datetime]


class AmaSetting(TeamScoped, Base):
    """Per cohort: where the top questions go at the session's start ("channel" or "organizers"), and
    the week whose board organizers opened for questions ahead of the next session (None: the next)."""

    __tablename__ = "ama_settings"
    __table_args__ = (UniqueConstraint("team_id", "cohort_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    top_to: Mapped[str] = mapped_column(String(16), default="channel")
    open_week: Mapped[int | None] = mapped_column(Integer)


class AmaQuestion(TeamScoped, Base):
    """A member's question. ``user_id`` is kept for anonymous ones too (moderation, forget-me)."""

    __tablename__ = "ama_questions"
    __table_args__ = (
        # The same member asking the same (normalised) text twice on one board is refused by this key.
        UniqueConstraint("team_id", "board_id", "user_id", "text_key"),
        Index("ix_ama_questions_dirty", "message_dirty", "refreshed_at"),
        Index("ix_ama_questions_unposted", "ts", "state"),  # each tick: questions whose thread message is due
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("ama_boards.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    text_key: Mapped[str] = mapped_column(String(64))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # draft (offered a near-duplicate) | open | answered | hidden | review (three reports) | withdrawn
    state: Mapped[str] = mapped_column(String(16), default="open")
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)  # an organizer looked: reports no longer hide
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    # Where in the week's recording it was answered, in seconds (bot/ama/recording_answers.py).
    recording_moment: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    ts: Mapped[str | None] = mapped_column(String(32))  # the thread message, once posted
    message_dirty: Mapped[bool] = mapped_column(Boolean, default=False)
    refreshed_at: Mapped[datetime | None]
    refreshing_since: Mapped[datetime | None]


class AmaVote(TeamScoped, Base):
    """A member's vote on a question; ``also_asked`` when they chose "Upvote that instead"."""

    __tablename__ = "ama_votes"
    __table_args__ = (UniqueConstraint("team_id", "question_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("ama_questions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    also_asked: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_at: Mapped[datetime]


class AmaReport(TeamScoped, Base):
    """A member reported a question; three reports hide it until an organizer looks."""

    __tablename__ = "ama_reports"
    __table_args__ = (UniqueConstraint("team_id", "question_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("ama_questions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]

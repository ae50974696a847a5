"""The questionnaire: prompts the bot posted, and members' answers to them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class Prompt(TeamScoped, Base):
    """Question `position` of chapter `chapter`, as posted in `channel_id` at `ts`.

    (channel, ts) is how a thread reply is mapped back to its question. The
    question text and total are kept as posted, so the live-count update
    re-renders the message members saw even if the chapter is re-imported.
    `count_dirty` says answers arrived since the prompt's count was last shown.
    """

    __tablename__ = "prompts"
    __table_args__ = (
        UniqueConstraint("cohort_id", "chapter", "position"),
        UniqueConstraint("team_id", "channel_id", "ts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    chapter: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    question_text: Mapped[str] = mapped_column(Text)
    channel_id: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    posted_at: Mapped[datetime]
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    shown_count: Mapped[int] = mapped_column(Integer, default=0)
    count_dirty: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    count_updated_at: Mapped[datetime | None]


class Answer(TeamScoped, Base):
    """One part of a member's answer: one thread reply, or one private (modal) answer.

    Several replies of a member to one question are several rows, read in
    `posted_at` order. Unique on (team, channel, message_ts), so a redelivered
    or replayed event finds its row instead of adding one. A private answer has
    `channel_id` "" and `message_ts` "private:<cohort>:<chapter>:<position>:<user>",
    so the same key gives one row per member and question. A part deleted in Slack
    stops counting and its text is cleared (the member took it back).
    """

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "message_ts"),
        Index("ix_answers_question", "cohort_id", "chapter", "position"),
        Index("ix_answers_member", "cohort_id", "user_id", "chapter", "position"),  # a member's progress
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    chapter: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    message_ts: Mapped[str] = mapped_column(String(96))
    text: Mapped[str] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)
    posted_at: Mapped[datetime]
    edited_at: Mapped[datetime | None]
    recorded_at: Mapped[datetime]

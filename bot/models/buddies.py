"""Study buddies: who asked for one, the pairs (or the odd trio) and their weekly check-ins."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class BuddyOptIn(TeamScoped, Base):
    """A member who asked for a buddy in one cohort.

    `active`: they want one (waiting, or paired). `pair_id` is the claim on their current pairing: set by a
    compare-and-set from NULL, so two runs (replicas, a retry) can never put one member in two pairs.
    `offer_pair_id`: a pairing of theirs ended by someone else; they are owed one private offer of a new match.
    """

    __tablename__ = "buddy_optins"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    opted_in_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("buddy_pairs.id", ondelete="SET NULL"))
    offer_pair_id: Mapped[int | None] = mapped_column(Integer)


class BuddyPair(TeamScoped, Base):
    """Two members (three when one would otherwise stay alone) and their one group DM (`channel`, an mpim).

    `size` only grows (2 → 3, by a compare-and-set); `introduced_size` is the size the introduction was posted
    for. `ended_at`/`ended_reason` ("off", "left", "rematch"); `settled_at`: the ending's notes were sent.
    """

    __tablename__ = "buddy_pairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str | None] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer, default=2)
    introduced_size: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str | None] = mapped_column(String(16))
    settled_at: Mapped[datetime | None]


class BuddyPairMember(TeamScoped, Base):
    __tablename__ = "buddy_pair_members"
    __table_args__ = (UniqueConstraint("pair_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("buddy_pairs.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    joined_at: Mapped[datetime]


class BuddyCheckIn(TeamScoped, Base):
    """One week's "Did you two read chapter N?" in a pair's DM, and its answer ("both", "one", "none")."""

    __tablename__ = "buddy_checkins"
    __table_args__ = (UniqueConstraint("pair_id", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("buddy_pairs.id", ondelete="CASCADE"), index=True)
    week: Mapped[int] = mapped_column(Integer)
    posted_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(String(8))
    answered_by_user_id: Mapped[str | None] = mapped_column(String(32))
    answered_at: Mapped[datetime | None]

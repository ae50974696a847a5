"""Members who asked to be forgotten: only what keeps them forgotten (see bot/forgotten.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class ForgottenMember(TeamScoped, Base):
    """A member forgotten at `forgotten_at`: their messages up to then are never recorded again.

    `member_hash` is a salted SHA-256 of the workspace and the member's Slack id, not the id itself.
    """

    __tablename__ = "forgotten_members"
    __table_args__ = (UniqueConstraint("team_id", "member_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_hash: Mapped[str] = mapped_column(String(64))
    forgotten_at: Mapped[datetime]

"""What the bot last published on each member's App Home."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class PublishedHome(TeamScoped, Base):
    """The hash of the Home view last published for a member: an unchanged view is not published again
    (`views.publish` is rate-limited per workspace, and members open the tab often)."""

    __tablename__ = "published_homes"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32))
    view_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime]

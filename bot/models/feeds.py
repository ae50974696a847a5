"""Calendar feeds: the secret of each feed's URL, kept only as a fingerprint, and the feed's version."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped

COHORT_FEED = ""  # `user_id` of a cohort's own feed (a member's feed names the member)
SECRET_COLUMNS = frozenset({"token_hash"})  # never shown, not even in a member's my-data


class FeedToken(TeamScoped, Base):
    """The one live URL of a cohort's feed (`user_id` = "") or of one member's private feed in a cohort.

    `token_hash` is the sha256 of the URL's secret (the secret itself is shown once and never stored); a reset
    replaces it, so the old URL stops working at once. `version` is the fingerprint of what the feed last
    served and `changed_at` when it last changed (the feed's Last-Modified and every event's DTSTAMP).
    """

    __tablename__ = "feed_tokens"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    version: Mapped[str | None] = mapped_column(String(64))
    changed_at: Mapped[datetime | None]

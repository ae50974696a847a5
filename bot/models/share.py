"""Share-your-work: the bot's own record of the share channel.

Rows are keyed by what Slack calls them — (team, channel, ts) — so events that
arrive twice, late or out of order converge on the same rows:

* a post's content carries a version (the ts of the edit, else of the post):
  an older version never overwrites a newer one, and a delete is final;
* replies and reactions are rows of their own, keyed by the reply's ts or by
  (post ts, person, emoji), so they may arrive before the post they belong to;
* a reaction row says whether it is currently present, with the version of
  the event that said so, so a late ``reaction_added`` cannot undo a newer removal.

Versions are Slack timestamps in a fixed-width form (``0001700000000.000100``)
so that comparing the strings compares the instants.
"""
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


class SharePost(TeamScoped, Base):
    """One top-level message in a share channel (or a tombstone for one we only saw deleted)."""

    __tablename__ = "share_posts"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "ts"),
        Index("ix_share_posts_window", "team_id", "channel_id", "posted_at"),
        Index("ix_share_posts_sharer", "team_id", "user_id", "posted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    posted_at: Mapped[datetime]
    # The cohort week it was posted in (breaks count with the week before); None outside the cohort.
    week: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[str | None] = mapped_column(String(32))  # the member, also for posts made through the form
    text: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str | None] = mapped_column(String(200))
    links: Mapped[list] = mapped_column(default=list)
    files: Mapped[list] = mapped_column(default=list)
    permalink: Mapped[str | None] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    content_version: Mapped[str] = mapped_column(String(20), default="")  # "" for a tombstone
    source: Mapped[str] = mapped_column(String(16))  # event | history | form | tombstone
    # What the last conversations.history read said about the thread (catch-up has no per-reply detail).
    history_reply_count: Mapped[int] = mapped_column(Integer, default=0)
    history_reply_users: Mapped[list] = mapped_column(default=list)
    first_seen_at: Mapped[datetime]


class ShareReply(TeamScoped, Base):
    """One thread reply under a share-channel message, seen through events."""

    __tablename__ = "share_replies"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "reply_ts"),
        Index("ix_share_replies_post", "team_id", "channel_id", "post_ts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    post_ts: Mapped[str] = mapped_column(String(32))
    reply_ts: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str | None] = mapped_column(String(32))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen_at: Mapped[datetime]


class ShareReaction(TeamScoped, Base):
    """One person's one emoji on one share-channel message, present or removed."""

    __tablename__ = "share_reactions"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "post_ts", "user_id", "emoji"),
        Index("ix_share_reactions_post", "team_id", "channel_id", "post_ts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    post_ts: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    emoji: Mapped[str] = mapped_column(String(100))
    present: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[str] = mapped_column(String(20))


class ShareTally(TeamScoped, Base):
    """One post's engagement, counted from its reply and reaction rows whenever they change, so the digest
    ranks a week from one row per post instead of aggregating every reply and reaction.

    The counts are the ranking's (`bot.share.ranking.engagement_of` of the whole post): distinct people
    who reacted or replied, their present reactions and live replies (topped up from the last history
    read), and the same capped per person, the author left out; nothing while the post is unknown or a
    tombstone. Recounted, never incremented: a redelivered or out-of-order event recounts to the same
    numbers. `posted_at` follows from the ts, so a window's tallies are read like its posts, without a
    join. A row may exist for a ts that is no post (a reaction on a reply): the digest reads its posts'.
    """

    __tablename__ = "share_tallies"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "post_ts"),
        Index("ix_share_tallies_window", "team_id", "channel_id", "posted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    post_ts: Mapped[str] = mapped_column(String(32))
    posted_at: Mapped[datetime]
    people: Mapped[int] = mapped_column(Integer, default=0)
    reactions: Mapped[int] = mapped_column(Integer, default=0)
    replies: Mapped[int] = mapped_column(Integer, default=0)
    capped_reactions: Mapped[int] = mapped_column(Integer, default=0)
    capped_replies: Mapped[int] = mapped_column(Integer, default=0)


class ShareChannel(TeamScoped, Base):
    """A followed share channel's catch-up watermark: everything before it has been read."""

    __tablename__ = "share_channels"
    __table_args__ = (UniqueConstraint("team_id", "channel_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    caught_up_to: Mapped[str | None] = mapped_column(String(20))
    caught_up_at: Mapped[datetime | None]

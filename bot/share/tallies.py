"""Each post's engagement kept counted (`share_tallies`), so a digest window of 10,000 posts is ranked
from one row each, not from their ~180,000 reaction and reply rows.

The counts are `ranking.engagement_of`'s over the whole post: the distinct people who reacted or replied
(the author left out), their present reactions and live replies (topped up from the last history read),
and the same capped per person. They are recounted from the post's rows by every write that changes them
(events, catch-up, the share form, forget-me), never incremented: a redelivered, late or out-of-order
event recounts to the same numbers, so a tally always equals what its rows say. A post without a tally
(written around these functions) is loaded whole and scored in Python, as before.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import ts_to_datetime
from bot.models.share import SharePost, ShareReaction, ShareReply, ShareTally
from bot.share.digest_timing import DigestWindow
from bot.share.posts import Engagement, SharedPost
from bot.share.ranking import (
    MAX_REACTIONS_PER_PERSON,
    MAX_REPLIES_PER_PERSON,
    capped_total,
    engagement_from,
    engagement_score,
    score_of,
)
from bot.share.store import (
    effective_reply_users,
    insert_ignore_many,
    post_contents,
    posts_with_ts,
    window_conditions,
)

COUNTS = ("people", "reactions", "replies", "capped_reactions", "capped_replies")
NOTHING = (0,) * len(COUNTS)
CHUNK = 500  # posts per statement: well under SQLite's bound-parameter limit


async def recount(session: AsyncSession, team_id: str, channel_id: str, post_ts: Iterable[str], *,
                  create: bool = True) -> None:
    """Count these posts' engagement again from their rows; call it after any write to them, in its transaction.

    The tally rows are made (unless ``create`` is False: then only existing ones are recounted) and locked
    first (PostgreSQL; SQLite has one writer at a time), then counted: two transactions touching one post
    count one after the other, the second seeing the first's rows.
    """
    posted_at = {ts: at for ts in set(post_ts) if (at := _posted_at(ts)) is not None}
    wanted = sorted(posted_at)  # one lock order for everyone: no deadlock between recounts
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        if create:
            await insert_ignore_many(session, ShareTally, [
                {"team_id": team_id, "channel_id": channel_id, "post_ts": ts, "posted_at": posted_at[ts],
                 **dict.fromkeys(COUNTS, 0)} for ts in chunk])
        stored = {row.post_ts: row for row in await session.execute(
            select(ShareTally.id, ShareTally.post_ts, *(getattr(ShareTally, name) for name in COUNTS))
            .where(ShareTally.team_id == team_id, ShareTally.channel_id == channel_id, ShareTally.post_ts.in_(chunk))
            .order_by(ShareTally.post_ts).with_for_update())}
        counted = await engagement_counts(session, team_id, channel_id, chunk)
        changed = [{"id": row.id, **dict(zip(COUNTS, counts, strict=True))} for ts, row in stored.items()
                   if tuple(row[2:]) != (counts := counted.get(ts, NOTHING))]
        if changed:
            await session.execute(update(ShareTally), changed)


async def engagement_counts(session: AsyncSession, team_id: str, channel_id: str,
                            post_ts: Sequence[str]) -> dict[str, tuple[int, ...]]:
    """The :data:`COUNTS` of these posts, by ts: `ranking.engagement_of` of each whole post.

    Each person's present reactions and live replies per post are counted by the database through the
    rows' own post index (no join: its plan cannot go wrong before PostgreSQL has statistics); replies
    are topped up from the last history read as `store.effective_reply_users` does, then the author is
    left out. A post we do not know, or only as a tombstone, counts nothing.
    """
    posts: dict[str, tuple[str, int, list[str] | None]] = {
        row.ts: (row.user_id, row.history_reply_count, row.history_reply_users) for row in (
            await session.execute(select(SharePost.ts, SharePost.user_id, SharePost.history_reply_count,
                                         SharePost.history_reply_users)
                                  .where(*_post_key_in(SharePost, team_id, channel_id, post_ts)))) if row.user_id}
    per_person: dict[str, tuple[dict[str, int], dict[str, int]]] = {ts: ({}, {}) for ts in posts}
    for model, alive, index in ((ShareReaction, ShareReaction.present.is_(True), 0),
                                (ShareReply, ShareReply.deleted.is_(False), 1)):
        rows = await session.execute(select(model.post_ts, model.user_id, func.count())
                                     .where(*_post_key_in(model, team_id, channel_id, post_ts), alive,
                                            model.user_id.is_not(None))
                                     .group_by(model.post_ts, model.user_id))
        for ts, user_id, count in rows:
            if ts in per_person and user_id is not None:  # None is filtered in SQL already
                per_person[ts][index][user_id] = int(count)
    counted: dict[str, tuple[int, ...]] = {}
    for ts, (author, history_count, history_users) in posts.items():
        reactions_by, replies_by = per_person[ts]
        if history_count > sum(replies_by.values()):
            replied = [user for user, count in replies_by.items() for _ in range(count)]
            replies_by = Counter(effective_reply_users(replied, history_count, history_users or []))
        reactions_by.pop(author, None)
        replies_by.pop(author, None)
        engagement = engagement_from(reactions_by, replies_by)
        counted[ts] = (engagement.people, engagement.reactions, engagement.replies,
                       capped_total(reactions_by, MAX_REACTIONS_PER_PERSON),
                       capped_total(replies_by, MAX_REPLIES_PER_PERSON))
    return counted


async def recount_channel(session: AsyncSession, team_id: str, channel_id: str) -> None:
    """Recount every post of a channel (rows written in bulk, around the events: a benchmark, a test)."""
    posts = await session.scalars(select(SharePost.ts).where(SharePost.team_id == team_id,
                                                             SharePost.channel_id == channel_id))
    await recount(session, team_id, channel_id, list(posts))


async def posts_engaged_by(session: AsyncSession, team_id: str, user_id: str) -> set[tuple[str, str]]:
    """(channel, post ts) of the posts a member wrote, reacted or replied to, or is listed as a replier of
    by a history read: those that forgetting them recounts."""
    found: set[tuple[str, str]] = set()
    for model in (ShareReaction, ShareReply):
        rows = await session.execute(select(model.channel_id, model.post_ts).distinct()
                                     .where(model.team_id == team_id, model.user_id == user_id))
        found.update((channel_id, ts) for channel_id, ts in rows)
    listing = await session.execute(select(SharePost.channel_id, SharePost.ts, SharePost.history_reply_users)
                                    .where(SharePost.team_id == team_id, SharePost.history_reply_count > 0))
    found.update((row.channel_id, row.ts) for row in listing if user_id in (row.history_reply_users or []))
    written = await session.execute(select(SharePost.channel_id, SharePost.ts)
                                    .where(SharePost.team_id == team_id, SharePost.user_id == user_id))
    found.update((channel_id, ts) for channel_id, ts in written)
    return found


async def recount_posts(session: AsyncSession, team_id: str, posts: Iterable[tuple[str, str]]) -> None:
    """The existing tallies of (channel, post ts) pairs in any number of channels, recounted (forget-me:
    it changes no other row; a post without a tally is scored from its rows anyway)."""
    by_channel: dict[str, list[str]] = {}
    for channel_id, ts in posts:
        by_channel.setdefault(channel_id, []).append(ts)
    for channel_id in sorted(by_channel):
        await recount(session, team_id, channel_id, by_channel[channel_id], create=False)


async def scored_posts_in_window(
    session: AsyncSession, team_id: str, channel_id: str, window: DigestWindow,
) -> tuple[list[SharedPost], dict[str, float]]:
    """The window's live posts and each one's score: counted ones carry their tally (ts and author only),
    any other is whole (its text, replies and reactions).

    Posts and tallies are two range reads on their own (team, channel, posted_at) index, matched here.
    """
    posts_in_window = (await session.execute(select(SharePost.ts, SharePost.user_id)
                                             .where(*window_conditions(team_id, channel_id, window)))).all()
    in_window = [ShareTally.team_id == team_id, ShareTally.channel_id == channel_id, ShareTally.posted_at < window.end]
    if window.start is not None:
        in_window.append(ShareTally.posted_at >= window.start)
    tallies = {row[0]: row[1:] for row in await session.execute(
        select(ShareTally.post_ts, *(getattr(ShareTally, name) for name in COUNTS)).where(*in_window))}
    posts: list[SharedPost] = []
    uncounted: list[str] = []
    for ts, user_id in posts_in_window:
        if user_id is None:  # filtered in SQL already (window_conditions)
            continue
        counts = tallies.get(ts)
        if counts is None:
            uncounted.append(ts)
            continue
        people, reactions, replies, capped_reactions, capped_replies = counts
        engagement = Engagement(people, reactions, replies, score_of(people, capped_reactions, capped_replies))
        posts.append(SharedPost(ts=ts, user_id=user_id, text="", counted=engagement))
    for start in range(0, len(uncounted), CHUNK):
        posts += await posts_with_ts(session, team_id, channel_id, uncounted[start:start + CHUNK])
    return posts, {post.ts: engagement_score(post) for post in posts}


async def with_contents(session: AsyncSession, team_id: str, channel_id: str,
                        posts: Sequence[SharedPost]) -> list[SharedPost]:
    """These posts (a digest's shown ones) with what they say: a counted post gets its text, title, links,
    files and permalink; a whole one is already complete."""
    wanted = [post.ts for post in posts if post.counted is not None]
    contents: dict[str, dict] = {}
    for start in range(0, len(wanted), CHUNK):
        contents.update(await post_contents(session, team_id, channel_id, wanted[start:start + CHUNK]))
    return [SharedPost(ts=post.ts, user_id=post.user_id, counted=post.counted, **contents[post.ts])
            if post.ts in contents else post for post in posts]


def _posted_at(ts: str) -> datetime | None:
    """When a post with this ts was posted; None for what is no Slack ts (and so never a post)."""
    try:
        return ts_to_datetime(ts)
    except (ValueError, OverflowError, OSError):  # not digits; past what a datetime holds
        return None


def _post_key_in(model: type[SharePost | ShareReaction | ShareReply], team_id: str, channel_id: str,
                 post_ts: Sequence[str]) -> tuple[ColumnElement[bool], ...]:
    ts_column = model.ts if issubclass(model, SharePost) else model.post_ts
    return model.team_id == team_id, model.channel_id == channel_id, ts_column.in_(list(post_ts))

"""The share channel's record in the database: convergent writes, and the reads the digest needs.

Every write is an idempotent upsert keyed by Slack's own ids, guarded by a
version, so the final state does not depend on the order in which events,
redeliveries and catch-up reads arrive (see :mod:`bot.models.share`).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.weeks import last_opened_week
from bot.cohorts.store import rhythm_of
from bot.messages import ts_key, ts_to_datetime
from bot.models import Cohort
from bot.models.share import ShareChannel, SharePost, ShareReaction, ShareReply
from bot.share.digest_timing import DigestWindow
from bot.share.posts import SharedPost
from bot.store import insert_ignore


def version_of(ts: str) -> str:
    """A Slack ts as a fixed-width string whose order is the order of the instants."""
    seconds, micros = ts_key(ts)
    return f"{seconds:013d}.{micros:06d}"


def version_at(instant: datetime) -> str:
    """The version of something we learnt at ``instant`` (when Slack gave no timestamp)."""
    return version_of(ts_at(instant))


def ts_at(instant: datetime) -> str:
    """An instant in Slack's ts form, exact to the microsecond."""
    seconds = int(instant.timestamp())
    return f"{seconds}.{instant.microsecond:06d}"


async def share_cohort(session: AsyncSession, team_id: str, channel_id: str) -> Cohort | None:
    """The active cohort following this share channel (the oldest, if several share one channel)."""
    return await session.scalar(
        select(Cohort)
        .where(Cohort.team_id == team_id, Cohort.share_channel_id == channel_id, Cohort.active.is_(True))
        .order_by(Cohort.id)
        .limit(1)
    )


async def record_post(
    session: AsyncSession,
    cohort: Cohort,
    *,
    channel_id: str,
    ts: str,
    user_id: str,
    text: str,
    version: str,
    source: str,
    now: datetime,
    links: Sequence[str] = (),
    files: Sequence[str] = (),
    title: str | None = None,
) -> None:
    """Insert a top-level post, or update its content if this version is newer than the stored one."""
    content = {"user_id": user_id, "text": text, "links": list(links), "files": list(files), "content_version": version}
    if title is not None:
        content["title"] = title
    values = {**new_post_values(cohort, channel_id, ts, now), **content, "source": source}
    if await insert_ignore(session, SharePost, values):
        return
    await session.execute(
        update(SharePost)
        .where(*_post_key(cohort.team_id, channel_id, ts), SharePost.content_version < version)
        .values(**content)
    )


# What the member wrote in a post, cleared when they delete it in Slack and when the retention
# period is over (bot/privacy/old_text.py); the row stays, so every count and tally stays.
CLEARED_CONTENT: dict[str, Any] = {"text": "", "title": None, "links": [], "files": []}
# A post deleted in Slack keeps its row (counts, tombstone) but not what the member wrote.
DELETED_CONTENT = {"deleted": True, **CLEARED_CONTENT}


async def clear_posts_text(session: AsyncSession, cohort: Cohort) -> int:
    """Clear what members wrote in this cohort's posts, keeping the rows; the number of posts changed."""
    rows = (await session.execute(
        select(SharePost.id, SharePost.text, SharePost.title, SharePost.links, SharePost.files)
        .where(SharePost.team_id == cohort.team_id, SharePost.cohort_id == cohort.id)
    )).all()
    written = [row.id for row in rows if row.text or row.title or row.links or row.files]
    for start in range(0, len(written), 500):
        await session.execute(update(SharePost).values(**CLEARED_CONTENT).where(
            SharePost.team_id == cohort.team_id, SharePost.id.in_(written[start:start + 500])))
    return len(written)


async def record_post_deleted(session: AsyncSession, cohort: Cohort, *, channel_id: str, ts: str,
                              now: datetime) -> None:
    """A delete is final: mark the post, or leave a tombstone that a late ``posted`` event cannot revive."""
    tombstone = {**new_post_values(cohort, channel_id, ts, now), "user_id": None, "deleted": True,
                 "content_version": "", "source": "tombstone"}
    if not await insert_ignore(session, SharePost, tombstone):
        await session.execute(
            update(SharePost).where(*_post_key(cohort.team_id, channel_id, ts)).values(**DELETED_CONTENT))


async def record_reply(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    post_ts: str,
    reply_ts: str,
    user_id: str | None,
    now: datetime,
    deleted: bool = False,
) -> None:
    """A thread reply (possibly to a post not seen yet); a deleted reply stays deleted."""
    values = {"team_id": team_id, "channel_id": channel_id, "post_ts": post_ts, "reply_ts": reply_ts,
              "user_id": user_id, "deleted": deleted, "first_seen_at": now}
    if await insert_ignore(session, ShareReply, values) or not deleted:
        return
    await session.execute(
        update(ShareReply)
        .where(ShareReply.team_id == team_id, ShareReply.channel_id == channel_id, ShareReply.reply_ts == reply_ts)
        .values(deleted=True)
    )


async def record_reaction(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    post_ts: str,
    user_id: str,
    emoji: str,
    present: bool,
    version: str,
) -> None:
    """Someone's emoji is present (or not) as of ``version``; older news never overrides newer."""
    values = {"team_id": team_id, "channel_id": channel_id, "post_ts": post_ts, "user_id": user_id,
              "emoji": emoji, "present": present, "version": version}
    if await insert_ignore(session, ShareReaction, values):
        return
    await session.execute(
        update(ShareReaction)
        .where(
            ShareReaction.team_id == team_id, ShareReaction.channel_id == channel_id,
            ShareReaction.post_ts == post_ts, ShareReaction.user_id == user_id, ShareReaction.emoji == emoji,
            ShareReaction.version < version,
        )
        .values(present=present, version=version)
    )


async def posts_by_ts(session: AsyncSession, team_id: str, channel_id: str, ts: Sequence[str]) -> dict[str, SharePost]:
    if not ts:
        return {}
    rows = await session.scalars(select(SharePost).where(*_post_key_in(team_id, channel_id, ts)))
    return {row.ts: row for row in rows}


async def insert_ignore_many(session: AsyncSession, model: type, rows: list[dict]) -> None:
    """Many rows in one executemany INSERT … ON CONFLICT DO NOTHING (rows already there are left alone)."""
    if not rows:
        return
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(insert(model).on_conflict_do_nothing(), rows)


async def reaction_rows(session: AsyncSession, team_id: str, channel_id: str,
                        post_ts: Iterable[str]) -> list[ShareReaction]:
    wanted = list(post_ts)
    if not wanted:
        return []
    return list(await session.scalars(
        select(ShareReaction).where(
            ShareReaction.team_id == team_id, ShareReaction.channel_id == channel_id, ShareReaction.post_ts.in_(wanted)
        )
    ))


async def record_thread_snapshot(
    session: AsyncSession, team_id: str, channel_id: str, ts: str, reply_count: int, reply_users: Sequence[str]
) -> None:
    """What conversations.history said about a post's thread (it has no per-reply detail)."""
    await session.execute(
        update(SharePost)
        .where(*_post_key(team_id, channel_id, ts))
        .values(history_reply_count=reply_count, history_reply_users=list(reply_users))
    )


async def mark_missing_deleted(
    session: AsyncSession, team_id: str, channel_id: str, after: datetime, upto: datetime, seen: set[str]
) -> int:
    """Posts in (after, upto] that a complete history read did not return were deleted meanwhile."""
    live = await session.scalars(
        select(SharePost.ts).where(
            SharePost.team_id == team_id, SharePost.channel_id == channel_id, SharePost.deleted.is_(False),
            SharePost.posted_at > after, SharePost.posted_at <= upto,
        )
    )
    gone = [ts for ts in live if ts not in seen]
    for start in range(0, len(gone), 500):
        await session.execute(
            update(SharePost)
            .where(SharePost.team_id == team_id, SharePost.channel_id == channel_id,
                   SharePost.ts.in_(gone[start:start + 500]))
            .values(**DELETED_CONTENT)
        )
    return len(gone)


async def channel_watermark(session: AsyncSession, team_id: str, channel_id: str) -> str | None:
    return await session.scalar(
        select(ShareChannel.caught_up_to).where(ShareChannel.team_id == team_id, ShareChannel.channel_id == channel_id)
    )


async def advance_watermark(session: AsyncSession, team_id: str, channel_id: str, ts: str, now: datetime) -> None:
    """Move the catch-up watermark forward (never back: two catch-ups may race)."""
    values = {"team_id": team_id, "channel_id": channel_id, "caught_up_to": ts, "caught_up_at": now}
    if await insert_ignore(session, ShareChannel, values):
        return
    current = await channel_watermark(session, team_id, channel_id)
    if current is None or ts_key(current) < ts_key(ts):
        await session.execute(
            update(ShareChannel)
            .where(ShareChannel.team_id == team_id, ShareChannel.channel_id == channel_id)
            .values(caught_up_to=ts, caught_up_at=now)
        )


async def save_permalinks(session: AsyncSession, team_id: str, channel_id: str, permalinks: dict[str, str]) -> None:
    """One executemany UPDATE for a digest's ~1,000 shown posts."""
    if not permalinks:
        return
    posts = cast(Table, SharePost.__table__)  # declared as a FromClause; a mapped class's is its Table
    await session.execute(
        update(posts).where(posts.c.team_id == team_id, posts.c.channel_id == channel_id,
                            posts.c.ts == bindparam("post_ts")).values(permalink=bindparam("link")),
        [{"post_ts": ts, "link": permalink} for ts, permalink in permalinks.items()])


# --- reads for the digest ------------------------------------------------------


async def posts_with_ts(session: AsyncSession, team_id: str, channel_id: str, ts: Sequence[str]) -> list[SharedPost]:
    """These live posts (a digest's shown ones), with their replies and present reactions."""
    return await _live_posts(session, [*_post_key_in(team_id, channel_id, ts), SharePost.deleted.is_(False),
                                       SharePost.user_id.is_not(None)])


def window_conditions(team_id: str, channel_id: str, window: DigestWindow) -> list:
    """The WHERE of a digest window's live posts."""
    in_window = [SharePost.team_id == team_id, SharePost.channel_id == channel_id,
                 SharePost.deleted.is_(False), SharePost.user_id.is_not(None), SharePost.posted_at < window.end]
    if window.start is not None:
        in_window.append(SharePost.posted_at >= window.start)
    return in_window


async def post_contents(session: AsyncSession, team_id: str, channel_id: str, ts: Sequence[str]) -> dict[str, dict]:
    """What these posts say (text, title, links, files, permalink), by ts: a shown post read with its counts."""
    rows = await session.execute(select(*_CONTENT).where(*_post_key_in(team_id, channel_id, ts)))
    return {row.ts: {"text": row.text or "", "title": row.title, "links": tuple(row.links or ()),
                     "files": tuple(row.files or ()), "permalink": row.permalink} for row in rows}


_CONTENT = (SharePost.ts, SharePost.text, SharePost.title, SharePost.links, SharePost.files, SharePost.permalink)


async def _live_posts(session: AsyncSession, in_window: list) -> list[SharedPost]:
    # Columns, not entities: 10,000 ORM objects in the identity map cost more than the query.
    rows = list(await session.execute(select(
        *_CONTENT, SharePost.user_id, SharePost.history_reply_count, SharePost.history_reply_users,
    ).where(*in_window)))
    replies: dict[str, list[str]] = defaultdict(list)
    reply_rows = await session.execute(
        select(ShareReply.post_ts, ShareReply.user_id)
        .join(SharePost, and_(SharePost.team_id == ShareReply.team_id, SharePost.channel_id == ShareReply.channel_id,
                              SharePost.ts == ShareReply.post_ts))
        .where(*in_window, ShareReply.deleted.is_(False), ShareReply.user_id.is_not(None))
    )
    for post_ts, user_id in reply_rows:
        if user_id is not None:  # filtered in SQL already; this says so to the type checker
            replies[post_ts].append(user_id)
    reactions: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    reaction_rows_found = await session.execute(
        select(ShareReaction.post_ts, ShareReaction.emoji, ShareReaction.user_id)
        .join(SharePost, and_(SharePost.team_id == ShareReaction.team_id,
                              SharePost.channel_id == ShareReaction.channel_id, SharePost.ts == ShareReaction.post_ts))
        .where(*in_window, ShareReaction.present.is_(True))
    )
    for post_ts, emoji, user_id in reaction_rows_found:
        reactions[post_ts][emoji].add(user_id)
    return [
        SharedPost(
            ts=row.ts, user_id=row.user_id or "", text=row.text or "", title=row.title,
            links=tuple(row.links or ()), files=tuple(row.files or ()), permalink=row.permalink,
            reply_user_ids=effective_reply_users(replies.get(row.ts, []), row.history_reply_count,
                                                 row.history_reply_users or []),
            reactions={emoji: frozenset(users) for emoji, users in reactions.get(row.ts, {}).items()},
        )
        for row in rows
    ]


async def earlier_sharers(session: AsyncSession, team_id: str, before: datetime | None) -> set[str]:
    """Everyone in the workspace with a live post before ``before``: they are not first-timers."""
    if before is None:
        return set()
    users = await session.scalars(
        select(SharePost.user_id).distinct().where(
            SharePost.team_id == team_id, SharePost.posted_at < before,
            SharePost.deleted.is_(False), SharePost.user_id.is_not(None),
        )
    )
    return {user for user in users if user is not None}


async def weeks_of_posts(session: AsyncSession, team_id: str, channel_id: str,
                         ts: Iterable[str]) -> dict[str, int | None]:
    wanted = list(ts)
    found: dict[str, int | None] = {}
    for start in range(0, len(wanted), 500):
        rows = await session.execute(
            select(SharePost.ts, SharePost.week).where(*_post_key_in(team_id, channel_id, wanted[start:start + 500]))
        )
        found.update(dict(rows.all()))
    return found


def effective_reply_users(event_users: Sequence[str], history_count: int,
                          history_users: Sequence[str]) -> tuple[str, ...]:
    """One entry per reply: the replies seen as events, topped up from the last history read.

    conversations.history only says how many replies a thread has and who wrote
    them, so replies missed while offline are attributed one per missing person,
    then round-robin over the thread's repliers — a fair estimate for ranking.
    """
    users = list(event_users)
    if history_count <= len(users) or not history_users:
        return tuple(users)
    seen = set(users)
    for user in history_users:
        if len(users) >= history_count:
            break
        if user not in seen:
            users.append(user)
    index = 0
    while len(users) < history_count:
        users.append(history_users[index % len(history_users)])
        index += 1
    return tuple(users)


def new_post_values(cohort: Cohort, channel_id: str, ts: str, now: datetime) -> dict:
    """The columns of a post row that follow from where and when it was posted."""
    at = ts_to_datetime(ts)
    return {"team_id": cohort.team_id, "cohort_id": cohort.id, "channel_id": channel_id, "ts": ts, "posted_at": at,
            "week": last_opened_week(rhythm_of(cohort), at), "first_seen_at": now, "deleted": False,
            "text": "", "links": [], "files": [], "history_reply_count": 0, "history_reply_users": []}


def _post_key(team_id: str, channel_id: str, ts: str) -> tuple:
    return SharePost.team_id == team_id, SharePost.channel_id == channel_id, SharePost.ts == ts


def _post_key_in(team_id: str, channel_id: str, ts: Sequence[str]) -> tuple:
    return SharePost.team_id == team_id, SharePost.channel_id == channel_id, SharePost.ts.in_(list(ts))

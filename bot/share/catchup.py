"""Catching up on a share channel after downtime: one paginated conversations.history read.

The read covers the window from the channel's watermark to now (for the
digest, from the start of the digest's window at the latest). Each message
in it already carries its reply count, repliers and reactions, so there is no
call per message. A complete read is authoritative for its window: reactions
are set to what it shows, and a post we knew that it no longer returns was
deleted meanwhile. The watermark then moves to a little before the read time
(re-reading a few minutes is harmless; every write is idempotent).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted
from bot.clock import Sleep
from bot.database import Database
from bot.forgotten import forgotten_among, was_forgotten
from bot.messages import storable, ts_to_datetime
from bot.models import Cohort
from bot.models.share import SharePost, ShareReaction
from bot.outbound import METADATA_EVENT
from bot.share.store import (
    advance_watermark,
    channel_watermark,
    insert_ignore_many,
    mark_missing_deleted,
    new_post_values,
    posts_by_ts,
    reaction_rows,
    record_post,
    record_reaction,
    record_thread_snapshot,
    share_cohort,
    ts_at,
    version_at,
    version_of,
)
from bot.share.tallies import recount

log = logging.getLogger(__name__)

PAGE_SIZE = 200  # Slack's recommended maximum for conversations.history
MAX_PAGES = 100  # 20,000 top-level messages: far beyond any real share channel's downtime
PAGE_PACING_SECONDS = 1.2  # conversations.history is tier 3 (~50 calls a minute)
OVERLAP = timedelta(minutes=5)
SHARE_KEY_PREFIX = "share:"  # outbound key of a share-form post: share:<member>:<view id>
_LINK = re.compile(r"<(https?://[^|>]+)(?:\|[^>]*)?>")
_MEMBER_SUBTYPES = {None, "file_share", "me_message"}
# Errors a person must fix (invite the bot); retrying every tick would not help.
UNREADABLE = {"not_in_channel", "channel_not_found", "channel_is_limited_access"}

@dataclass(frozen=True)
class CatchUp:
    channel_id: str
    pages: int = 0
    messages: int = 0
    posts: int = 0
    deleted: int = 0
    complete: bool = True

    def line(self) -> str:
        return (f"caught up on {self.channel_id}: {counted(self.pages, 'page')}, {counted(self.messages, 'message')}, "
                f"{counted(self.posts, 'post')}, {self.deleted} deleted meanwhile")


async def catch_up(
    db: Database,
    client: AsyncWebClient,
    *,
    team_id: str,
    channel_id: str,
    now: datetime,
    sleep: Sleep,
    since: datetime | None = None,
) -> CatchUp:
    """Read what the share channel got since the watermark (or since ``since``, if earlier) and record it.

    The digest passes the start of its window: reactions and replies that came
    during downtime to posts made before it are only visible by re-reading them.
    """
    async with db.session() as session:
        cohort = await share_cohort(session, team_id, channel_id)
        if cohort is None:
            return CatchUp(channel_id)
        watermark = await channel_watermark(session, team_id, channel_id)
    start = ts_to_datetime(watermark) if watermark else cohort.created_at
    if since is not None:
        start = min(start, since)
    oldest = ts_at(start)
    latest = ts_at(now)
    if ts_to_datetime(oldest) >= now:
        return CatchUp(channel_id)
    seen: set[str] = set()
    pages = messages = posts = 0
    cursor: str | None = None
    complete = True
    while True:
        if pages:
            await sleep(PAGE_PACING_SECONDS)
        response = await client.conversations_history(
            channel=channel_id, oldest=oldest, latest=latest, limit=PAGE_SIZE, include_all_metadata=True,
            cursor=cursor,  # a None cursor is left out
        )
        pages += 1
        page = response.get("messages") or []
        messages += len(page)
        async with db.session() as session:
            posts += await _record_page(session, cohort, channel_id, page, seen, version_at(now), now)
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not (response.get("has_more") and cursor):
            break
        if pages >= MAX_PAGES:
            log.warning("share catch-up of %s stopped after %d pages; older messages in the window were skipped",
                        channel_id, pages)
            complete = False
            break
    deleted = 0
    async with db.session() as session:
        if complete:
            deleted = await mark_missing_deleted(session, team_id, channel_id, ts_to_datetime(oldest), now, seen)
        await advance_watermark(session, team_id, channel_id, ts_at(max(now - OVERLAP, ts_to_datetime(oldest))), now)
    return CatchUp(channel_id, pages, messages, posts, deleted, complete)


async def hourly_catch_up(
    db: Database, client: AsyncWebClient, *, team_id: str, channel_id: str, now: datetime, sleep: Sleep
) -> str:
    """The hourly job's read: one line for the run log; a channel the bot can't read waits for the next hour."""
    try:
        return (await catch_up(db, client, team_id=team_id, channel_id=channel_id, now=now, sleep=sleep)).line()
    except SlackApiError as error:
        code = error.response.get("error")
        if code not in UNREADABLE:
            raise  # transient: the next tick retries
        log.warning("cannot read share channel %s: %s — invite the bot", channel_id, code)
        return f"cannot read {channel_id}: {code} (invite the bot to the channel)"


async def _record_page(
    session: AsyncSession, cohort: Cohort, channel_id: str, page: list[dict[str, Any]], seen: set[str],
    read_version: str, now: datetime,
) -> int:
    """Record one page with a handful of statements: bulk inserts for what is new, updates only for what changed."""
    team_id = cohort.team_id
    forgotten = await forgotten_among(session, team_id, _people(page))
    posts = [(message, author) for message in page
             if (author := _author(message)) and not was_forgotten(forgotten.get(author), message["ts"])]
    page_ts = [message["ts"] for message, _ in posts]
    stored = await posts_by_ts(session, team_id, channel_id, page_ts)
    reactions_by_post: dict[str, list[ShareReaction]] = {}
    for reaction in await reaction_rows(session, team_id, channel_id, page_ts):
        reactions_by_post.setdefault(reaction.post_ts, []).append(reaction)
    new_posts: list[dict[str, Any]] = []
    new_reactions: list[dict[str, Any]] = []
    for message, author in posts:
        ts = message["ts"]
        seen.add(ts)
        text = storable(message.get("text") or "")
        edited = (message.get("edited") or {}).get("ts")
        content: dict[str, Any] = {"user_id": author, "text": text, "links": _LINK.findall(text),
                   "files": [f.get("id", "") for f in message.get("files") or []],
                   "content_version": version_of(edited or ts)}
        thread = _thread_without(forgotten, message)
        row = stored.get(ts)
        if row is None:
            new_posts.append({**new_post_values(cohort, channel_id, ts, now), **content, **thread, "source": "history"})
        else:
            if row.content_version < content["content_version"]:
                await record_post(session, cohort, channel_id=channel_id, ts=ts, user_id=author, text=text,
                                  links=content["links"], files=content["files"],
                                  version=content["content_version"], source="history", now=now)
            count, users = thread["history_reply_count"], thread["history_reply_users"]
            if (row.history_reply_count, list(row.history_reply_users or [])) != (count, users):
                await record_thread_snapshot(session, team_id, channel_id, ts, count, users)
        reactions = [{**reaction, "users": [user for user in reaction.get("users") or [] if user not in forgotten]}
                     for reaction in message.get("reactions") or []]
        known = [row for row in reactions_by_post.get(ts, []) if row.user_id not in forgotten]
        new_reactions += await _reconcile_reactions(session, team_id, channel_id, ts, reactions, known, read_version)
    await insert_ignore_many(session, SharePost, new_posts)  # a post an event recorded meanwhile keeps its row
    await insert_ignore_many(session, ShareReaction, new_reactions)
    await recount(session, team_id, channel_id, page_ts)
    return len(posts)


def _people(page: list[dict[str, Any]]) -> set[str]:
    """Everyone a page of history names: authors, repliers, reactors."""
    people = {author for message in page if (author := _author(message))}
    for message in page:
        people.update(message.get("reply_users") or [])
        people.update(user for reaction in message.get("reactions") or [] for user in reaction.get("users") or [])
    return people


def _thread_without(forgotten: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    """The thread's snapshot, forgotten members left out (history can't say when they replied: a reply of
    theirs after forget-me is counted from its event). Each person listed wrote at least one of the replies."""
    users = list(message.get("reply_users") or [])
    kept = [user for user in users if user not in forgotten]
    count = int(message.get("reply_count") or 0) - (len(users) - len(kept))
    return {"history_reply_count": max(count, len(kept)), "history_reply_users": kept}


def _author(message: dict[str, Any]) -> str | None:
    """Who a top-level history message counts for: its member, or the member a share-form post was for."""
    ts = message.get("ts")
    thread_ts = message.get("thread_ts")
    if not ts or (thread_ts and thread_ts != ts):
        return None  # a reply broadcast to the channel is counted in its thread
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        key = str(payload.get("key") or "")
        is_share = ((message.get("metadata") or {}).get("event_type") == METADATA_EVENT
                    and key.startswith(SHARE_KEY_PREFIX))
        return (key.split(":")[1] or None) if is_share else None
    if message.get("subtype") not in _MEMBER_SUBTYPES:
        return None
    return message.get("user") or None


async def _reconcile_reactions(
    session: AsyncSession, team_id: str, channel_id: str, post_ts: str, reactions: list[dict[str, Any]],
    rows: list[ShareReaction], read_version: str,
) -> list[dict[str, Any]]:
    """Make stored reactions match the snapshot where they differ, unless an event newer than the read says otherwise.

    Returns the rows to insert (the caller inserts a page's worth at once).
    """
    snapshot: set[tuple[str, str]] = set()
    partial: set[str] = set()  # Slack may list only some reactors of a very popular emoji
    for reaction in reactions:
        users = reaction.get("users") or []
        snapshot.update((reaction["name"], user) for user in users)
        if int(reaction.get("count") or len(users)) > len(users):
            partial.add(reaction["name"])
    known = {(row.emoji, row.user_id): row for row in rows}
    new = [{"team_id": team_id, "channel_id": channel_id, "post_ts": post_ts, "user_id": user, "emoji": emoji,
            "present": True, "version": read_version}
           for emoji, user in sorted(snapshot) if (emoji, user) not in known]
    for (emoji, user), row in known.items():
        present = (emoji, user) in snapshot or (emoji in partial and row.present)
        if row.present != present and row.version < read_version:
            await record_reaction(session, team_id=team_id, channel_id=channel_id, post_ts=post_ts, user_id=user,
                                  emoji=emoji, present=present, version=read_version)
    return new

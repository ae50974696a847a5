"""Following the share channel through events: posts, edits, deletes, thread replies, reactions.

Handlers parse Slack's events into :class:`~bot.messages.ChannelMessage` and
:class:`~bot.messages.ReactionChange`; this module turns them into convergent
writes. Messages outside a followed share channel are ignored.
"""
from __future__ import annotations

from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.database import Database
from bot.forgotten import forgotten_at, was_forgotten
from bot.messages import ChannelMessage, ReactionChange
from bot.share.store import (
    record_post,
    record_post_deleted,
    record_reaction,
    record_reply,
    share_cohort,
    version_at,
    version_of,
)
from bot.share.tallies import recount


async def follow_message(db: Database, message: ChannelMessage, now: datetime) -> bool:
    """Record one change in a share channel; False when the channel is not followed or it is not ours to record.

    The bot's own messages are skipped (share-form posts are recorded when they
    are posted, with the member as author) — except deletes, which are final
    whoever's message it was.
    """
    if not message.ts or (message.is_bot and message.kind != "deleted"):
        return False
    async with db.session() as session:
        cohort = await share_cohort(session, message.team_id, message.channel_id)
        if cohort is None:
            return False
        if was_forgotten(await forgotten_at(session, message.team_id, message.user_id), message.ts):
            return True  # written before its author asked to be forgotten
        if message.is_reply:
            await record_reply(
                session, team_id=message.team_id, channel_id=message.channel_id, post_ts=message.thread_ts or "",
                reply_ts=message.ts, user_id=message.user_id, now=now, deleted=message.kind == "deleted",
            )
        elif message.kind == "deleted":
            await record_post_deleted(session, cohort, channel_id=message.channel_id, ts=message.ts, now=now)
        elif message.user_id:
            await record_post(
                session, cohort, channel_id=message.channel_id, ts=message.ts, user_id=message.user_id,
                text=message.text, links=message.links, files=message.files,
                version=_content_version(message, now), source="event", now=now,
            )
        else:
            return True
        # The post's counts follow its rows in the same transaction (the author is left out of them).
        post_ts = (message.thread_ts or "") if message.is_reply else message.ts
        await recount(session, message.team_id, message.channel_id, [post_ts])
    return True


async def follow_reaction(db: Database, change: ReactionChange, now: datetime) -> bool:
    """Record a reaction added or removed in a share channel, versioned by the event's own time."""
    if not (change.message_ts and change.user_id and change.reaction):
        return False
    async with db.session() as session:
        if await share_cohort(session, change.team_id, change.channel_id) is None:
            return False
        if was_forgotten(await forgotten_at(session, change.team_id, change.user_id), change.event_ts or ""):
            return True
        version = version_of(change.event_ts) if change.event_ts else version_at(now)
        await record_reaction(
            session, team_id=change.team_id, channel_id=change.channel_id, post_ts=change.message_ts,
            user_id=change.user_id, emoji=change.reaction, present=change.added, version=version,
        )
        await recount(session, change.team_id, change.channel_id, [change.message_ts])
    return True


def _content_version(message: ChannelMessage, now: datetime) -> str:
    """A post's own ts; for an edit Slack's ``edited.ts``, else when we heard of it (always after the post)."""
    if message.kind == "posted":
        return version_of(message.ts)
    edited_ts = message.extra.get("edited_ts")
    return version_of(edited_ts) if edited_ts else max(version_at(now), version_of(message.ts))


async def consume_message(message: ChannelMessage, db: Database, client: AsyncWebClient) -> None:
    await follow_message(db, message, db.clock.now())


async def consume_reaction(change: ReactionChange, db: Database, client: AsyncWebClient) -> None:
    await follow_reaction(db, change, db.clock.now())

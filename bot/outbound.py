"""Messages the bot posts on its own, each exactly once.

Every bulk or scheduled post has a key (e.g. `announce:cohort-3:week-2`). The
row is written *before* the Slack call; the message carries the key in its
metadata, so if we crash between Slack's answer and our commit, the retry
finds the message in the channel instead of posting a second copy.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select, update

from bot.database import Database
from bot.models import OutboundMessage
from bot.store import insert_ignore

POST_LEASE = timedelta(minutes=5)
METADATA_EVENT = "studybot_post"


@dataclass(frozen=True)
class Posted:
    key: str
    channel_id: str
    ts: str
    fresh: bool  # False when it had been posted before


async def post_once(
    db: Database,
    client: AsyncWebClient,
    *,
    team_id: str,
    key: str,
    channel: str,
    text: str,
    now: datetime,
    blocks: list[dict[str, Any]] | None = None,
    thread_ts: str | None = None,
    **extra: Any,
) -> Posted | None:
    """Post unless this key was posted already; None when another process holds it."""
    state = await _claim(db, team_id, key, channel, thread_ts, now)
    if isinstance(state, Posted):
        return state
    if state == "busy":
        return None
    if state == "retake":
        found = await _find_posted(client, channel, thread_ts, key, since=now - POST_LEASE * 4)
        if found:
            return await _mark_sent(db, team_id, key, channel, found, now, fresh=False)
    try:
        response = await client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            thread_ts=thread_ts,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"key": key}},
            **extra,
        )
    except SlackApiError as error:
        await _mark_failed(db, team_id, key, str(error.response.get("error")))
        raise
    return await _mark_sent(db, team_id, key, channel, response["ts"], now, fresh=True)


async def posted_ts(db: Database, team_id: str, key: str) -> str | None:
    async with db.session() as session:
        return await session.scalar(
            select(OutboundMessage.ts).where(
                OutboundMessage.team_id == team_id, OutboundMessage.key == key, OutboundMessage.status == "sent"
            )
        )


async def _claim(db: Database, team_id: str, key: str, channel: str, thread_ts: str | None, now: datetime):  # type: ignore[no-untyped-def]
    async with db.session() as session:
        values = {
            "team_id": team_id, "key": key, "channel_id": channel, "thread_ts": thread_ts,
            "status": "pending", "attempts": 1, "claimed_at": now,
        }
        if await insert_ignore(session, OutboundMessage, values):
            return "new"
        row = await session.scalar(
            select(OutboundMessage).where(OutboundMessage.team_id == team_id, OutboundMessage.key == key)
        )
        if row.status == "sent":
            return Posted(key, row.channel_id, row.ts, fresh=False)
        stale_pending = row.status == "pending" and row.claimed_at < now - POST_LEASE
        if row.status != "failed" and not stale_pending:
            return "busy"
        retaken = await session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == row.id, OutboundMessage.claimed_at == row.claimed_at)
            .values(status="pending", claimed_at=now, attempts=row.attempts + 1)
        )
        if not retaken.rowcount:
            return "busy"
        return "retake" if stale_pending else "new"


async def _find_posted(client: AsyncWebClient, channel: str, thread_ts: str | None, key: str, since: datetime) -> str | None:
    """Look for our own message carrying `key` in its metadata (crash recovery)."""
    if thread_ts:
        response = await client.conversations_replies(channel=channel, ts=thread_ts, include_all_metadata=True, limit=200)
    else:
        response = await client.conversations_history(
            channel=channel, oldest=f"{since.timestamp():.6f}", include_all_metadata=True, limit=200
        )
    for message in response.get("messages", []):
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        if payload.get("key") == key:
            return message["ts"]
    return None


async def _mark_sent(db: Database, team_id: str, key: str, channel: str, ts: str, now: datetime, fresh: bool) -> Posted:
    async with db.session() as session:
        await session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.team_id == team_id, OutboundMessage.key == key)
            .values(status="sent", ts=ts, sent_at=now, error=None)
        )
    return Posted(key, channel, ts, fresh)


async def _mark_failed(db: Database, team_id: str, key: str, error: str) -> None:
    async with db.session() as session:
        await session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.team_id == team_id, OutboundMessage.key == key)
            .values(status="failed", error=error)
        )

"""Messages the bot posts on its own, each exactly once.

Every bulk or scheduled post has a key (e.g. `announce:cohort-3:week-2`). The
row is written *before* the Slack call; the message carries the key in its
metadata, so if we crash between Slack's answer and our commit, or Slack's
answer is lost (a timeout, a 5xx after it posted), the next attempt finds the
message in the channel instead of posting a second copy.

Each claim carries an owner token; only the claim's owner records the outcome.

A direct message goes to the member's user id and is looked for in the DM by its own id
(`bot.direct_messages`); a member no DM reaches is recorded there, and `post_once` answers None
instead of failing the job that sends to everyone else.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select, update

from bot.database import Database
from bot.direct_messages import is_member_id, member_error, reached, readable_channel, unreachable
from bot.models import OutboundMessage
from bot.scheduling import Busy
from bot.slack_client import unclear_outcome
from bot.store import insert_ignore, rowcount

T = TypeVar("T")

POST_LEASE = timedelta(minutes=5)
# Slack's ts and our clock may disagree a little; search a bit before the claim.
LOOKUP_MARGIN = timedelta(minutes=2)
LOOKUP_PAGE = 200
METADATA_EVENT = "studybot_post"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Posted:
    key: str
    channel_id: str
    ts: str
    fresh: bool  # False when it had been posted before


@dataclass(frozen=True)
class _Claim:
    state: str  # new | retake (look before posting)
    owner: str
    since: datetime  # the first claim's time: the post, if any, is not older


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
    """Post unless this key was posted already; None when another process holds it, or when `channel` is
    a member no DM reaches (recorded: `bot.direct_messages`)."""
    claim = await _claim(db, team_id, key, channel, thread_ts, claim_time(db, now))
    if claim is None or isinstance(claim, Posted):
        return claim
    if claim.state == "retake":
        try:
            found = await _find_posted(db, client, team_id, channel, thread_ts, key,
                                       since=claim.since - LOOKUP_MARGIN)
        except SlackApiError as error:
            if not member_error(channel, error):
                raise
            await _mark(db, team_id, key, claim.owner, status="failed", error=member_error(channel, error))
            await _unreachable(db, team_id, channel, error, now)
            return None
        if found:
            return await _mark_sent(db, team_id, key, claim.owner, channel, found, now, fresh=False)
    try:
        response = await client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            thread_ts=thread_ts,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"key": key}},
            **extra,
        )
    except Exception as error:
        found = await _after_failure(db, client, team_id, key, claim, channel, thread_ts, error, now)
        if found is not None:
            return Posted(key, channel, found, fresh=True)
        if not member_error(channel, error):
            raise
        await _unreachable(db, team_id, channel, error, now)
        return None
    if is_member_id(channel):  # a DM: Slack's answer names it by its own id
        await reached(db, team_id, channel, response.get("channel"))
    return await _mark_sent(db, team_id, key, claim.owner, channel, response["ts"], now, fresh=True)


async def _unreachable(db: Database, team_id: str, user_id: str, error: Exception, now: datetime) -> None:
    code = member_error(user_id, error) or ""
    log.warning("no direct message reaches %s (%s): Slack said %s", user_id, team_id, code)
    await unreachable(db, team_id, user_id, code, now)


def claim_time(db: Database, now: datetime) -> datetime:
    """When a claim is taken: the runtime clock, unless the caller's `now` is later (a late post of a
    long job must not look stale at once; a caller acting "as of" a later instant keeps its instant)."""
    return max(now, db.clock.now())


async def _after_failure(db: Database, client: AsyncWebClient, team_id: str, key: str, claim: _Claim,
                         channel: str, thread_ts: str | None, error: Exception, now: datetime) -> str | None:
    """A refused post is `failed` (posted afresh next time). When Slack may have posted anyway, look
    now (its ts, when found); if it isn't there (yet), mark it `unclear`: the next attempt looks again
    before posting."""
    if not unclear_outcome(error):
        code = error.response.get("error") if isinstance(error, SlackApiError) else repr(error)
        await _mark(db, team_id, key, claim.owner, status="failed", error=str(code)[:500])
        return None
    try:
        found = await _find_posted(db, client, team_id, channel, thread_ts, key, since=claim.since - LOOKUP_MARGIN)
    except Exception:  # Slack is struggling; the next attempt looks again
        found = None
    if found:
        await _mark_sent(db, team_id, key, claim.owner, channel, found, now, fresh=True)
        return found
    await _mark(db, team_id, key, claim.owner, status="unclear", error=repr(error)[:500])
    return None


async def posted_ts(db: Database, team_id: str, key: str) -> str | None:
    async with db.session() as session:
        return await session.scalar(
            select(OutboundMessage.ts).where(
                OutboundMessage.team_id == team_id, OutboundMessage.key == key, OutboundMessage.status == "sent"
            )
        )


async def _claim(db: Database, team_id: str, key: str, channel: str, thread_ts: str | None,
                 now: datetime) -> _Claim | Posted | None:
    owner = uuid.uuid4().hex
    async with db.session() as session:
        values = {
            "team_id": team_id, "key": key, "channel_id": channel, "thread_ts": thread_ts,
            "status": "pending", "attempts": 1, "claimed_at": now, "first_claimed_at": now, "owner": owner,
        }
        if await insert_ignore(session, OutboundMessage, values):
            return _Claim("new", owner, now)
        row = await session.scalar(
            select(OutboundMessage).where(OutboundMessage.team_id == team_id, OutboundMessage.key == key)
        )
        assert row is not None, "the insert above conflicted with this row"
        if row.status == "sent":
            assert row.ts is not None, "a sent message has its ts"
            return Posted(key, row.channel_id, row.ts, fresh=False)
        stale_pending = row.status == "pending" and row.claimed_at < now - POST_LEASE
        if row.status not in ("failed", "unclear") and not stale_pending:
            return None
        previous, since = row.status, row.first_claimed_at or row.claimed_at  # the update refreshes `row`
        retaken = await session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == row.id, OutboundMessage.status == previous,
                   OutboundMessage.claimed_at == row.claimed_at)
            .values(status="pending", claimed_at=now, attempts=row.attempts + 1, owner=owner)
        )
        if not rowcount(retaken):
            return None
        # The earliest moment any attempt may have posted it: the row's first claim.
        return _Claim("new" if previous == "failed" else "retake", owner, since)


async def _find_posted(db: Database, client: AsyncWebClient, team_id: str, channel: str, thread_ts: str | None,
                       key: str, since: datetime) -> str | None:
    """Look for our own message carrying `key` in its metadata (crash recovery), every page since `since`."""
    channel = await readable_channel(db, client, team_id, channel)
    cursor = None
    while True:
        if thread_ts:
            response = await client.conversations_replies(channel=channel, ts=thread_ts, include_all_metadata=True,
                                                          limit=LOOKUP_PAGE, cursor=cursor)
        else:
            response = await client.conversations_history(channel=channel, oldest=f"{since.timestamp():.6f}",
                                                          include_all_metadata=True, limit=LOOKUP_PAGE, cursor=cursor)
        message: dict[str, Any]
        for message in response.get("messages", []):
            payload: dict[str, Any] = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("key") == key:
                return message["ts"]
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not cursor or not response.get("has_more", True):
            return None


async def _mark_sent(db: Database, team_id: str, key: str, owner: str, channel: str, ts: str, now: datetime,
                     fresh: bool) -> Posted:
    await _mark(db, team_id, key, owner, status="sent", ts=ts, sent_at=now, error=None)
    return Posted(key, channel, ts, fresh)


async def _mark(db: Database, team_id: str, key: str, owner: str, **values: Any) -> None:
    """Record an outcome, only while this attempt still owns the row (a taken-over attempt changes nothing)."""
    async with db.session() as session:
        await session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.team_id == team_id, OutboundMessage.key == key, OutboundMessage.owner == owner)
            .values(**values)
        )


def posted_or_busy(posted: T | None, what: str) -> T:
    """`posted` (what `post_once` returned), or `Busy` (an expected clash) when another process is doing `what`."""
    if posted is None:
        raise Busy(f"another process is {what} right now")
    return posted

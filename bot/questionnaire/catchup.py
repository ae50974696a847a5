"""Catching up on prompt threads: answers written while no event reached us (downtime, lost events).

Runs every ten minutes, so at the latest ten minutes after a start (`schedules/questionnaire.py`).
For the prompts of the current and the previous week, one paginated `conversations.history`
read per channel gives each prompt's `latest_reply` and `reply_count`. A thread is read
(`conversations.replies`, paginated) only when those moved past what we have: a reply newer
than any we hold, or a count that differs from the live answers we hold (a reply we missed,
or one deleted meanwhile). Each reply that is new to us, or edited since we stored it, goes
through `record_message` — the live path's own function — and is acknowledged and counted as
its event would have been; a reply we hold that a complete read no longer shows was deleted.

What the parent's summary cannot show is not caught up: an edit of an older reply in a thread
where nothing else moved (the live path sees it). Another app's reply counts in `reply_count`
but is no answer, and so does a forgotten member's (never recorded again: bot/forgotten.py),
so such a thread is read again on each run (one call). A reply the database refuses even after its
text was made storable is logged once and skipped: it never blocks the others.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted
from bot.clock import Sleep
from bot.cohorts.store import active_cohorts
from bot.database import Database
from bot.messages import ChannelMessage, from_payload, ts_key, ts_to_datetime
from bot.models import Cohort
from bot.models.questionnaire import Answer, Prompt
from bot.questionnaire.counts import mark_dirty, refresh_if_due
from bot.questionnaire.record import weeks_opened
from bot.questionnaire.thread_answers import acknowledge, record_message

log = logging.getLogger(__name__)
PAGE_SIZE = 200
MAX_PAGES = 50  # 10,000 replies in one thread, or top-level messages since last week's first prompt
PACING_SECONDS = 1.2  # conversations.history and conversations.replies are tier 3 (~50 calls a minute)


@dataclass(frozen=True)
class AnswersCaughtUp:
    prompts: int = 0
    threads_read: int = 0
    recorded: int = 0  # replies we did not have
    edited: int = 0
    deleted: int = 0

    def line(self) -> str:
        return (f"{counted(self.prompts, 'prompt')}, {counted(self.threads_read, 'thread')} read:"
                f" {counted(self.recorded, 'answer')} recorded, "
                f"{self.edited} edited, {self.deleted} deleted meanwhile")


@dataclass(frozen=True)
class StoredReply:
    edited_at: datetime | None
    deleted: bool


async def cohorts_to_catch_up(session: AsyncSession, now: datetime) -> list[Cohort]:
    """Active cohorts whose first week has opened (before that there are no prompts)."""
    return [cohort for cohort in await active_cohorts(session) if weeks_opened(cohort, now) >= 1]


async def catch_up_answers(
    db: Database, client: AsyncWebClient, *, cohort_id: int, now: datetime, sleep: Sleep,
) -> AnswersCaughtUp:
    """Record what the threads of this week's and last week's prompts got that we have not."""
    async with db.session() as session:
        cohort = await session.get(Cohort, cohort_id)
        if cohort is None or not cohort.active:
            return AnswersCaughtUp()
        week = weeks_opened(cohort, now)
        prompts = list(await session.scalars(select(Prompt).where(
            Prompt.cohort_id == cohort_id, Prompt.chapter.in_((week - 1, week)), Prompt.deleted.is_(False),
        ).order_by(Prompt.chapter, Prompt.position)))
    by_channel: dict[str, list[Prompt]] = defaultdict(list)
    for prompt in prompts:
        by_channel[prompt.channel_id].append(prompt)
    pace = _Pacer(sleep)
    totals = [0, 0, 0, 0]  # threads read, recorded, edited, deleted
    for channel_id, channel_prompts in by_channel.items():
        parents = await _read_parents(client, channel_id, channel_prompts, pace)
        for prompt in channel_prompts:
            parent = parents.get(prompt.ts)
            if parent is None:
                continue
            stored = await _stored_replies(db, prompt)
            if not _moved(parent, stored):
                continue
            thread = await _read_thread(client, prompt, pace)
            if thread is None:
                continue
            replies, complete = thread
            counts = await _record_thread(db, client, prompt, replies, stored, complete=complete, now=now)
            totals = [totals[0] + 1, *(a + b for a, b in zip(totals[1:], counts, strict=True))]
    return AnswersCaughtUp(len(prompts), *totals)


class _Pacer:
    """Sleeps between Web API calls (not before the first), to stay within the method's tier."""

    def __init__(self, sleep: Sleep) -> None:
        self.sleep, self.calls = sleep, 0

    async def __call__(self) -> None:
        if self.calls:
            await self.sleep(PACING_SECONDS)
        self.calls += 1


async def _read_parents(client: AsyncWebClient, channel_id: str, prompts: list[Prompt],
                        pace: _Pacer) -> dict[str, dict[str, Any]]:
    """The prompts as the channel's history shows them now (newest first, stopping once all are found)."""
    wanted = {prompt.ts for prompt in prompts}
    seconds, micros = min(ts_key(ts) for ts in wanted)
    oldest = f"{seconds - 1}.{micros:06d}"  # `oldest` is exclusive
    found: dict[str, dict[str, Any]] = {}
    cursor = None
    for _page in range(MAX_PAGES):
        await pace()
        response = await client.conversations_history(channel=channel_id, oldest=oldest, limit=PAGE_SIZE,
                                                      **({"cursor": cursor} if cursor else {}))
        found.update((m["ts"], m) for m in response.get("messages") or [] if m.get("ts") in wanted)
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if len(found) == len(wanted) or not (response.get("has_more") and cursor):
            break
    return found


async def _stored_replies(db: Database, prompt: Prompt) -> dict[str, StoredReply]:
    async with db.session() as session:
        rows = await session.execute(select(Answer.message_ts, Answer.edited_at, Answer.deleted).where(
            Answer.cohort_id == prompt.cohort_id, Answer.chapter == prompt.chapter,
            Answer.position == prompt.position, Answer.channel_id == prompt.channel_id, Answer.private.is_(False),
        ))
        return {ts: StoredReply(edited_at, deleted) for ts, edited_at, deleted in rows}


def _moved(parent: dict[str, Any], stored: dict[str, StoredReply]) -> bool:
    """Whether the thread holds something we have not: a newer reply, or a different number of replies."""
    latest = parent.get("latest_reply")
    if latest and (not stored or ts_key(latest) > max(ts_key(ts) for ts in stored)):
        return True
    return int(parent.get("reply_count") or 0) != sum(1 for reply in stored.values() if not reply.deleted)


async def _read_thread(client: AsyncWebClient, prompt: Prompt,
                       pace: _Pacer) -> tuple[list[dict[str, Any]], bool] | None:
    """The thread's replies, and whether the read is complete; None when the prompt is gone."""
    replies: list[dict[str, Any]] = []
    cursor = None
    for _page in range(MAX_PAGES):
        await pace()
        try:
            response = await client.conversations_replies(channel=prompt.channel_id, ts=prompt.ts, limit=PAGE_SIZE,
                                                          **({"cursor": cursor} if cursor else {}))
        except SlackApiError as error:
            if error.response.get("error") == "thread_not_found":
                return None
            raise
        replies += [m for m in response.get("messages") or [] if m.get("ts") != prompt.ts]
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not (response.get("has_more") and cursor):
            return replies, True
    log.warning("catch-up of prompt %s stopped after %d pages; deletes in it are not followed", prompt.id, MAX_PAGES)
    return replies, False


async def _record_thread(db: Database, client: AsyncWebClient, prompt: Prompt, replies: list[dict[str, Any]],
                         stored: dict[str, StoredReply], *, complete: bool, now: datetime) -> tuple[int, int, int]:
    """Apply one thread's read through the live path; (recorded, edited, deleted)."""
    recorded = edited = deleted = 0
    for payload in replies:
        known = stored.get(payload.get("ts", ""))
        edited_ts = (payload.get("edited") or {}).get("ts")
        if known is not None and not (edited_ts and _newer(edited_ts, known)):
            continue  # nothing we do not have
        message = from_payload("edited" if edited_ts else "posted", prompt.team_id, prompt.channel_id, payload)
        try:
            result = await record_message(db, message, now)
        except (DBAPIError, UnicodeError) as error:
            if not _unstorable(error):
                raise
            _skip_unstorable(prompt, message, error)
            continue
        if result is not None:
            await acknowledge(client, message, result)
        recorded, edited = recorded + (known is None and result is not None), edited + (known is not None)
    present = {payload.get("ts") for payload in replies}
    for ts, known in stored.items():
        # Only a complete read proves a reply gone; one written after `now` may be newer than the read.
        if complete and ts not in present and not known.deleted and ts_to_datetime(ts) <= now:
            await record_message(db, ChannelMessage("deleted", prompt.team_id, prompt.channel_id, ts, None,
                                                    thread_ts=prompt.ts), now)
            deleted += 1
    if recorded or edited or deleted:
        async with db.session() as session:
            await mark_dirty(session, prompt.id)
        await refresh_if_due(db, client, prompt.id, now)
    return recorded, edited, deleted


def _unstorable(error: DBAPIError | UnicodeError) -> bool:
    """A reply the database refuses as written (not the database being unreachable: that fails the run)."""
    if isinstance(error, UnicodeError):
        return True
    return not isinstance(error, OperationalError | InterfaceError) and not error.connection_invalidated


_SKIPPED: set[tuple[str, str]] = set()  # replies already logged as unstorable by this process


def _skip_unstorable(prompt: Prompt, message: ChannelMessage, error: Exception) -> None:
    """Log a reply that can't be stored once (each catch-up re-reads its thread and meets it again)."""
    key = (message.channel_id, message.ts)
    if key not in _SKIPPED:
        _SKIPPED.add(key)
        log.warning("skipped reply %s in the thread of prompt %s: it can't be stored (%s)", message.ts, prompt.id,
                    type(error).__name__)


def _newer(edited_ts: str, known: StoredReply) -> bool:
    return not known.deleted and (known.edited_at is None or known.edited_at < ts_to_datetime(edited_ts))

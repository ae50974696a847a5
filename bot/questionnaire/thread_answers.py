"""Recording answers written in prompt threads: replies, edits and deletes, live or caught up.

Every change is keyed by the reply's (channel, ts), so redelivered events,
replayed edits and events arriving out of order converge on the same rows:
an insert that finds its row does nothing, an edit applies only if it is newer
than the last one applied, a delete marks the part and clears its text.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.database import Database
from bot.forgotten import forgotten_at_of, was_forgotten
from bot.messages import ChannelMessage, ts_to_datetime
from bot.models import Cohort
from bot.models.questionnaire import Answer, Prompt
from bot.questionnaire.counts import mark_dirty, refresh_if_due, refresh_might_be_due
from bot.store import insert_ignore, rowcount

log = logging.getLogger(__name__)
ACKNOWLEDGE_REACTION = "white_check_mark"


@dataclass(frozen=True)
class Recorded:
    """What an inbound message did: which prompt's count may have changed, and whether to ✅ it."""

    prompt_id: int
    prompt_deleted: bool
    acknowledge: bool
    refresh_due: bool = True  # False when the prompt's count was refreshed too recently to be due


async def record_message(db: Database, message: ChannelMessage, now: datetime) -> Recorded | None:
    """Apply one message event to the answers; None when it is not an answer (most messages).

    One transaction: find the prompt, insert the answer (claiming its ✅ in the
    same row when the cohort wants one), and mark the prompt's count dirty.
    """
    if message.kind == "deleted":
        return await _record_delete(db, message, now)
    if message.is_bot or not message.user_id or not message.is_reply:
        return None
    async with db.session() as session:
        found = await _prompt_for_thread(session, message)
        if found is None:
            return None
        prompt, acknowledge_answers = found
        values = _answer_values(prompt, message, now) | {"acknowledged": acknowledge_answers}
        inserted = await insert_ignore(session, Answer, values)
        if not inserted and message.kind == "edited":
            await _apply_edit(session, message)
        # The inserter of the row owns its ✅; an existing row's is claimed by a conditional update.
        acknowledge = acknowledge_answers and (inserted or await _claim_acknowledgement(session, message))
        if not prompt.deleted:
            await mark_dirty(session, prompt.id)
    return Recorded(prompt.id, prompt.deleted, acknowledge, refresh_might_be_due(prompt, now))


async def _prompt_for_thread(session: AsyncSession, message: ChannelMessage) -> tuple[Prompt, bool] | None:
    """The prompt the reply answers and whether its cohort ✅s answers; None when it is no answer, or
    was written by a member before they were forgotten (checked in the same query)."""
    row = (await session.execute(
        select(Prompt, Cohort.acknowledge_answers, forgotten_at_of(message.team_id, message.user_id))
        .join(Cohort, Cohort.id == Prompt.cohort_id)
        .where(Prompt.team_id == message.team_id, Prompt.channel_id == message.channel_id,
               Prompt.ts == message.thread_ts)
    )).first()
    if row is None or was_forgotten(row[2], message.ts):
        return None
    return row[0], bool(row[1])


def _answer_values(prompt: Prompt, message: ChannelMessage, now: datetime) -> dict:
    edited_at = _edited_at(message) if message.kind == "edited" else None
    return {
        "team_id": prompt.team_id, "cohort_id": prompt.cohort_id, "chapter": prompt.chapter,
        "position": prompt.position, "user_id": message.user_id, "channel_id": message.channel_id,
        "message_ts": message.ts, "text": message.text, "private": False, "deleted": False,
        "acknowledged": False, "posted_at": message.posted_at, "edited_at": edited_at, "recorded_at": now,
    }


def _edited_at(message: ChannelMessage) -> datetime | None:
    edited_ts = message.extra.get("edited_ts")
    return ts_to_datetime(edited_ts) if edited_ts else None


async def _apply_edit(session: AsyncSession, message: ChannelMessage) -> None:
    """The new text, unless the part was deleted or a later edit is already applied."""
    edited_at = _edited_at(message)
    query = update(Answer).where(
        Answer.team_id == message.team_id, Answer.channel_id == message.channel_id,
        Answer.message_ts == message.ts, Answer.deleted.is_(False),
    )
    if edited_at is not None:
        query = query.where(or_(Answer.edited_at.is_(None), Answer.edited_at < edited_at))
        await session.execute(query.values(text=message.text, edited_at=edited_at))
    else:  # an edit without a timestamp (an unfurl, say) may still carry new text
        await session.execute(query.values(text=message.text))


async def _claim_acknowledgement(session: AsyncSession, message: ChannelMessage) -> bool:
    """True for exactly one caller per reply, however many events it arrives in."""
    claimed = await session.execute(
        update(Answer)
        .where(Answer.team_id == message.team_id, Answer.channel_id == message.channel_id,
               Answer.message_ts == message.ts, Answer.acknowledged.is_(False), Answer.deleted.is_(False))
        .values(acknowledged=True)
    )
    return rowcount(claimed) > 0


async def clear_answers_text(session: AsyncSession, cohort: Cohort) -> int:
    """Clear what members wrote in this cohort's answers (as a delete does, below), keeping the rows so
    progress and counts stay; the number of answers changed."""
    cleared = await session.execute(update(Answer).where(
        Answer.team_id == cohort.team_id, Answer.cohort_id == cohort.id, Answer.text != "").values(text=""))
    return rowcount(cleared)


async def _record_delete(db: Database, message: ChannelMessage, now: datetime) -> Recorded | None:
    """A deleted prompt is remembered; a deleted reply stops counting and its stored text is cleared.

    A delete that arrives before the reply's own event leaves a tombstone, so the
    late "posted" event cannot bring the reply back.
    """
    async with db.session() as session:
        prompt_gone = await session.execute(
            update(Prompt)
            .where(Prompt.team_id == message.team_id, Prompt.channel_id == message.channel_id, Prompt.ts == message.ts)
            .values(deleted=True)
        )
        if rowcount(prompt_gone):
            return None
        answer = await session.scalar(select(Answer).where(
            Answer.team_id == message.team_id, Answer.channel_id == message.channel_id,
            Answer.message_ts == message.ts,
        ))
        if answer is not None:
            if answer.deleted:
                return None
            answer.deleted, answer.text = True, ""
            prompt = await session.get(Prompt, await _prompt_id(session, answer))
            return Recorded(prompt.id, prompt.deleted, False) if prompt else None
        if message.is_bot or not message.user_id or not message.is_reply:
            return None
        found = await _prompt_for_thread(session, message)
        if found is None:
            return None
        tombstone = _answer_values(found[0], message, now) | {"deleted": True, "text": ""}
        await insert_ignore(session, Answer, tombstone)
        return None


async def _prompt_id(session: AsyncSession, answer: Answer) -> int | None:
    return await session.scalar(select(Prompt.id).where(
        Prompt.cohort_id == answer.cohort_id, Prompt.chapter == answer.chapter, Prompt.position == answer.position,
    ))


async def consume_message(message: ChannelMessage, db: Database, client: AsyncWebClient) -> None:
    """A reply in a prompt's thread: record it, acknowledge it, keep the prompt's count live."""
    now = db.clock.now()
    recorded = await record_message(db, message, now)
    if recorded is None:
        return
    await acknowledge(client, message, recorded)
    if not recorded.prompt_deleted and recorded.refresh_due:
        await refresh_if_due(db, client, recorded.prompt_id, now)


async def acknowledge(client: AsyncWebClient, message: ChannelMessage, recorded: Recorded) -> None:
    """The ✅ on a new answer, when the cohort wants it; `recorded.acknowledge` is true once per reply."""
    if not recorded.acknowledge:
        return
    try:
        await client.reactions_add(channel=message.channel_id, timestamp=message.ts, name=ACKNOWLEDGE_REACTION)
    except SlackApiError as error:  # unobtrusive: a missing ✅ is never worth an error
        log.info("could not acknowledge %s: %s", message.ts, error.response.get("error"))

"""The live "12 members answered" on each prompt, throttled.

An answer marks its prompt dirty. The prompt's message is updated at most once
per `REFRESH_EVERY` per prompt: the first answer after a quiet spell updates it
at once; answers inside the window only leave it dirty, and the flush job
(`schedules/questionnaire.py`) shows the final count once the window has passed.
So a burst of a thousand answers costs two `chat.update` calls, not a thousand.

The claim (clear dirty, stamp the time) is one conditional UPDATE, so among
concurrent handlers and replicas exactly one refreshes; an answer committed after
the claimer counted sets dirty again and is shown by the next refresh.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.database import Database
from bot.models import Chapter
from bot.models.questionnaire import Answer, Prompt
from bot.questionnaire.views import PromptView, render_prompt
from bot.store import rowcount

log = logging.getLogger(__name__)
REFRESH_EVERY = timedelta(seconds=20)
GONE = {"message_not_found", "channel_not_found", "is_archived", "cant_update_message"}


async def mark_dirty(session: AsyncSession, *prompt_ids: int) -> None:
    """In the caller's transaction, so an answer and its prompt's dirty mark commit together."""
    if prompt_ids:
        # Already-dirty prompts are left alone: in a burst, answers don't queue on the prompt's row lock.
        await session.execute(update(Prompt).where(Prompt.id.in_(prompt_ids), Prompt.count_dirty.is_(False))
                              .values(count_dirty=True))


def refresh_might_be_due(prompt: Prompt, now: datetime) -> bool:
    """False when the prompt's count was refreshed inside the window: `refresh_if_due` would claim nothing,
    so an answer in a burst skips that round trip and the flush job shows it."""
    return prompt.count_updated_at is None or prompt.count_updated_at <= now - REFRESH_EVERY


async def members_answered(session: AsyncSession, cohort_id: int, chapter: int, position: int) -> int:
    """Members with at least one live part (thread reply or private answer) for this question."""
    return await session.scalar(
        select(func.count(func.distinct(Answer.user_id))).where(
            Answer.cohort_id == cohort_id, Answer.chapter == chapter, Answer.position == position,
            Answer.deleted.is_(False),
        )
    ) or 0


def _due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        Prompt.count_dirty.is_(True),
        Prompt.deleted.is_(False),
        or_(Prompt.count_updated_at.is_(None), Prompt.count_updated_at <= now - REFRESH_EVERY),
    )


async def refresh_if_due(db: Database, client: AsyncWebClient, prompt_id: int, now: datetime) -> bool:
    """Update the prompt's count now if its window allows; True when `chat.update` was called."""
    async with db.session() as session:
        claimed = await session.execute(
            update(Prompt).where(Prompt.id == prompt_id, *_due(now)).values(count_dirty=False, count_updated_at=now)
        )
        if not rowcount(claimed):
            return False
        prompt = await session.get(Prompt, prompt_id)
        assert prompt is not None, "the update above just claimed it"
        count = await members_answered(session, prompt.cohort_id, prompt.chapter, prompt.position)
        if count == prompt.shown_count:
            return False
        title = await session.scalar(
            select(Chapter.title).where(Chapter.cohort_id == prompt.cohort_id, Chapter.number == prompt.chapter)
        )
    view = PromptView(prompt.cohort_id, prompt.chapter, title, prompt.position, prompt.total,
                      prompt.question_text, count)
    try:
        await client.chat_update(channel=prompt.channel_id, ts=prompt.ts, **render_prompt(view))
    except SlackApiError as error:
        await _after_failed_update(db, prompt_id, str(error.response.get("error")))
        return True
    async with db.session() as session:
        await session.execute(update(Prompt).where(Prompt.id == prompt_id).values(shown_count=count))
    return True


async def _after_failed_update(db: Database, prompt_id: int, error: str) -> None:
    """A prompt someone deleted stops being updated; any other failure is retried by the flush."""
    async with db.session() as session:
        if error in GONE:
            await session.execute(update(Prompt).where(Prompt.id == prompt_id).values(deleted=True))
        else:
            log.warning("could not update prompt %s count: %s", prompt_id, error)
            await session.execute(update(Prompt).where(Prompt.id == prompt_id).values(count_dirty=True))


async def due_prompts(session: AsyncSession, now: datetime) -> list[tuple[int, str]]:
    """(prompt id, team id) of every prompt whose count is stale and may be refreshed now."""
    rows = await session.execute(select(Prompt.id, Prompt.team_id).where(*_due(now)).order_by(Prompt.id))
    return [(row[0], row[1]) for row in rows]


async def any_due(session: AsyncSession, now: datetime) -> bool:
    return await session.scalar(select(Prompt.id).where(*_due(now)).limit(1)) is not None

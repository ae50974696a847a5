"""Keeping each question's thread message in step with the database, throttled.

Like the questionnaire's counts (`bot/questionnaire/counts.py`): a vote or a
moderation step marks the question dirty; the message is updated at most once per
`REFRESH_EVERY` per question, the first change after a quiet spell at once, later
ones by the `ama-refresh` job once the window has passed. The claim is one
conditional UPDATE that also takes a short lease (`refreshing_since`), so only one
`chat.update` per question is ever in flight and an older render can never land
after a newer one. A change committed after the claimer read the votes marks the
question dirty again, so the last refresh always shows the final count.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ama.cards import card_of
from bot.ama.views import render_question
from bot.database import Database
from bot.models.ama import AmaBoard, AmaQuestion
from bot.store import get_known, rowcount

log = logging.getLogger(__name__)
REFRESH_EVERY = timedelta(seconds=10)
LEASE = timedelta(minutes=1)
GONE = {"message_not_found", "channel_not_found", "is_archived", "cant_update_message"}


async def mark_dirty(db: Database, question_id: int, *, now_too: bool = False) -> None:
    """`now_too`: an organizer's step shows at once, whatever the vote throttle says."""
    values: dict = {"message_dirty": True}
    if now_too:
        values["refreshed_at"] = None
    async with db.session() as session:
        await session.execute(update(AmaQuestion).where(AmaQuestion.id == question_id).values(**values))


def _due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        AmaQuestion.message_dirty.is_(True),
        AmaQuestion.ts.is_not(None),
        or_(AmaQuestion.refreshed_at.is_(None), AmaQuestion.refreshed_at <= now - REFRESH_EVERY),
        or_(AmaQuestion.refreshing_since.is_(None), AmaQuestion.refreshing_since <= now - LEASE),
    )


async def refresh_if_due(db: Database, client: AsyncWebClient, question_id: int, now: datetime) -> bool:
    """Re-render the question's message if its window allows; True when `chat.update` was called."""
    async with db.session() as session:
        claimed = await session.execute(update(AmaQuestion).where(AmaQuestion.id == question_id, *_due(now)).values(
            message_dirty=False, refreshed_at=now, refreshing_since=now))
        if not rowcount(claimed):
            return False
    async with db.session() as session:
        question = await get_known(session, AmaQuestion, question_id)
        board = await get_known(session, AmaBoard, question.board_id)
        card = await card_of(session, question)
    assert question.ts is not None, "only posted questions are claimed (see _due)"
    try:
        await client.chat_update(channel=board.channel_id, ts=question.ts, **render_question(card))
    except SlackApiError as error:
        code = str(error.response.get("error"))
        if code not in GONE:
            log.warning("could not refresh question %s: %s", question_id, code)
        await _release(db, question_id, dirty=code not in GONE)
        return True
    await _release(db, question_id, dirty=False)
    return True


async def _release(db: Database, question_id: int, *, dirty: bool) -> None:
    values: dict = {"refreshing_since": None}
    if dirty:
        values["message_dirty"] = True
    async with db.session() as session:
        await session.execute(update(AmaQuestion).where(AmaQuestion.id == question_id).values(**values))


async def due_questions(db: Database, now: datetime) -> list[tuple[int, str]]:
    """(question id, team id) of every question whose message lags and may be refreshed now."""
    async with db.session() as session:
        rows = await session.execute(select(AmaQuestion.id, AmaQuestion.team_id).where(*_due(now))
                                     .order_by(AmaQuestion.id))
        return [(row[0], row[1]) for row in rows]


async def any_due(session: AsyncSession, now: datetime) -> bool:
    lagging = and_(AmaQuestion.message_dirty.is_(True), AmaQuestion.ts.is_not(None))
    return await session.scalar(select(AmaQuestion.id).where(lagging).limit(1)) is not None


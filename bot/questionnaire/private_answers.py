"""Private answers: the modal's boxes, saved one row per question, seen by no one else.

A private answer is an `Answer` row keyed by (cohort, chapter, position, member)
instead of a thread reply's (channel, ts), so saving the modal twice updates
the same rows; an emptied box deletes that answer (its text is kept).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.store import cohort_in
from bot.database import Database
from bot.models.questionnaire import Answer, Prompt
from bot.models.syllabus import Question
from bot.questionnaire.counts import mark_dirty
from bot.questionnaire.views import PrivateAnswers, render_private_refused, render_private_saved
from bot.store import insert_ignore


async def save_private_modal(db: Database, *, team_id: str, user_id: str, submitted: PrivateAnswers,
                             now: datetime, command: str) -> dict[str, Any]:
    """Store a submitted modal and return the view it turns into; the prompts' counts
    follow through the flush job (`schedules/questionnaire.py`) within a minute or so.
    A modal naming another workspace's cohort (its metadata forged) saves nothing; a box for a
    question the chapter doesn't have (a forged block id) is ignored."""
    async with db.session() as session:
        if await cohort_in(session, team_id, submitted.cohort_id) is None:
            return render_private_refused()
        known = set(await session.scalars(select(Question.position).where(
            Question.team_id == team_id, Question.cohort_id == submitted.cohort_id,
            Question.chapter == submitted.chapter, Question.position.in_(list(submitted.texts)))))
    saved, changed = await save_private_answers(
        db, team_id=team_id, cohort_id=submitted.cohort_id, chapter=submitted.chapter, user_id=user_id,
        texts={position: text for position, text in submitted.texts.items() if position in known}, now=now,
    )
    async with db.session() as session:
        await mark_dirty(session, *await prompt_ids(session, submitted.cohort_id, submitted.chapter, changed))
    return render_private_saved(submitted.chapter, saved, command)


def private_key(cohort_id: int, chapter: int, position: int, user_id: str) -> str:
    return f"private:{cohort_id}:{chapter}:{position}:{user_id}"


async def save_private_answers(
    db: Database, *, team_id: str, cohort_id: int, chapter: int, user_id: str,
    texts: Mapping[int, str], now: datetime,
) -> tuple[int, list[int]]:
    """Store the modal's answers (one private row per question); an emptied box deletes that answer.

    Returns how many answers are saved, and the positions whose content changed.
    """
    changed: list[int] = []
    saved = 0
    async with db.session() as session:
        for position, raw in sorted(texts.items()):
            text = raw.strip()
            key = private_key(cohort_id, chapter, position, user_id)
            row = await session.scalar(select(Answer).where(
                Answer.team_id == team_id, Answer.channel_id == "", Answer.message_ts == key,
            ))
            if text:
                saved += 1
            if row is None:
                if text:
                    await insert_ignore(session, Answer, {
                        "team_id": team_id, "cohort_id": cohort_id, "chapter": chapter, "position": position,
                        "user_id": user_id, "channel_id": "", "message_ts": key, "text": text, "private": True,
                        "deleted": False, "acknowledged": True, "posted_at": now, "edited_at": None, "recorded_at": now,
                    })
                    changed.append(position)
            elif text and (row.deleted or row.text != text):
                row.text, row.deleted, row.edited_at = text, False, now
                changed.append(position)
            elif not text and not row.deleted:
                row.deleted, row.text = True, ""  # like a deleted reply: what they wrote is not kept
                changed.append(position)
    return saved, changed


async def prompt_ids(session: AsyncSession, cohort_id: int, chapter: int, positions: list[int]) -> list[int]:
    if not positions:
        return []
    rows = await session.scalars(select(Prompt.id).where(
        Prompt.cohort_id == cohort_id, Prompt.chapter == chapter, Prompt.position.in_(positions),
        Prompt.deleted.is_(False),
    ))
    return list(rows)


async def private_answers(session: AsyncSession, cohort_id: int, chapter: int, user_id: str) -> dict[int, str]:
    """The member's current private answers to a chapter, by position (for the modal's boxes)."""
    rows = await session.execute(select(Answer.position, Answer.text).where(
        Answer.cohort_id == cohort_id, Answer.chapter == chapter, Answer.user_id == user_id,
        Answer.private.is_(True), Answer.deleted.is_(False),
    ))
    return dict(rows.all())

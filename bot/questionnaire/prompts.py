"""Posting a chapter's questions as prompts, at the cohort's pace, each exactly once.

Week k releases chapter k's questions in daily batches (or all at once). Each
batch is one scheduled occurrence; each question is posted through `post_once`
under its own key, so a crash half-way is finished by the next tick without a
second copy of what was already out. The prompt row (channel, ts) is written
after Slack's answer; if we crash before writing it, the retry gets the ts back
from `post_once` (which finds the message by its metadata) and writes it then.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted
from bot.calendar.weeks import drip_schedule, week_closes_at, week_opens_at
from bot.cohorts.store import rhythm_of
from bot.database import Database
from bot.models import Chapter, Cohort, Question
from bot.models.questionnaire import Prompt
from bot.outbound import post_once, posted_or_busy
from bot.questionnaire.views import PromptView, render_prompt
from bot.store import insert_ignore

# One message a second per channel is Slack's sustained pace for posting (the client's pacer keeps to it).
SECONDS_BETWEEN_POSTS = 1.0


@dataclass(frozen=True)
class Batch:
    """The questions (by position) released at `due_at`; `index` counts from 0 within the week."""

    index: int
    due_at: datetime
    positions: tuple[int, ...]


def per_day_of(prompts_per_day: int | None) -> int | None:
    """The cohort setting as `drip_schedule` reads it: None all at once, 0 spread over the week."""
    if prompts_per_day is None:
        return None
    return max(1, prompts_per_day)


def release_batches(
    positions: Sequence[int], opens_at: datetime, closes_at: datetime, prompts_per_day: int | None, timezone: str
) -> list[Batch]:
    """Group the questions (in the book's order) into batches by release time."""
    times = drip_schedule(opens_at, closes_at, len(positions), per_day_of(prompts_per_day), timezone)
    batches: list[Batch] = []
    for position, due_at in zip(positions, times, strict=True):
        if batches and batches[-1].due_at == due_at:
            last = batches[-1]
            batches[-1] = Batch(last.index, due_at, last.positions + (position,))
        else:
            batches.append(Batch(len(batches), due_at, (position,)))
    return batches


def prompt_channel(cohort: Cohort) -> str:
    return cohort.questionnaire_channel_id or cohort.channel_id


def prompt_key(cohort_id: int, chapter: int, position: int) -> str:
    return f"prompt:{cohort_id}:{chapter}:{position}"


async def active_questions(session: AsyncSession, cohort_id: int, chapter: int) -> list[Question]:
    """The chapter's current questions in the book's order (retired ones left out)."""
    rows = await session.scalars(
        select(Question)
        .where(Question.cohort_id == cohort_id, Question.chapter == chapter, Question.retired.is_(False))
        .order_by(Question.position)
    )
    return list(rows)


async def week_batches(session: AsyncSession, cohort: Cohort, week: int) -> list[Batch]:
    """The release batches of week `week` (chapter `week`) for this cohort."""
    return _batches_of(cohort, week, await active_questions(session, cohort.id, week))


def _batches_of(cohort: Cohort, week: int, questions: Sequence[Question]) -> list[Batch]:
    return batches_of_positions(cohort, week, [q.position for q in questions])


def batches_of_positions(cohort: Cohort, week: int, positions: Sequence[int]) -> list[Batch]:
    """The release batches of week `week` for its current questions' positions (in order)."""
    rhythm = rhythm_of(cohort)
    return release_batches(
        positions, week_opens_at(rhythm, week), week_closes_at(rhythm, week), cohort.prompts_per_day, cohort.timezone,
    )


async def post_batch(
    db: Database,
    client: AsyncWebClient,
    *,
    cohort_id: int,
    week: int,
    batch: int,
    now: datetime,
) -> str:
    """Post every question of week `week` released up to batch `batch` that is not out yet.

    Earlier batches are included so that a question whose batch moved (questions
    imported mid-week) is still posted; those already out cost one lookup each.
    """
    async with db.session() as session:
        cohort = await session.get(Cohort, cohort_id)
        if cohort is None or not cohort.active:
            return "cohort gone or inactive: nothing posted"
        questions = await active_questions(session, cohort_id, week)
        released = {p for b in _batches_of(cohort, week, questions) if b.index <= batch for p in b.positions}
        chapter = await session.scalar(select(Chapter).where(Chapter.cohort_id == cohort_id, Chapter.number == week))
        already = set(await session.scalars(
            select(Prompt.position).where(Prompt.cohort_id == cohort_id, Prompt.chapter == week)
        ))
    total = max((q.position for q in questions), default=0)
    channel = prompt_channel(cohort)
    posted = 0
    for question in questions:
        if question.position not in released or question.position in already:
            continue
        view = PromptView(
            cohort_id=cohort_id, chapter=week, chapter_title=chapter.title if chapter else None,
            position=question.position, total=total, question=question.text, answered=0,
        )
        if await _post_prompt(db, client, cohort, view, channel, now):
            posted += 1
    return f"chapter {week}: posted {posted}; {len(released)} of {counted(len(questions), 'question')} released"


async def _post_prompt(
    db: Database, client: AsyncWebClient, cohort: Cohort, view: PromptView, channel: str, now: datetime
) -> bool:
    """Post one prompt once and record where it is; True when a message was sent now."""
    message = render_prompt(view)
    result = posted_or_busy(await post_once(
        db, client, team_id=cohort.team_id, key=prompt_key(cohort.id, view.chapter, view.position),
        channel=channel, now=now, **message,
    ), f"posting chapter {view.chapter} Q{view.position}")
    async with db.session() as session:
        await insert_ignore(session, Prompt, {
            "team_id": cohort.team_id, "cohort_id": cohort.id, "chapter": view.chapter, "position": view.position,
            "total": view.total, "question_text": view.question, "channel_id": result.channel_id, "ts": result.ts,
            "posted_at": now, "deleted": False, "shown_count": 0, "count_dirty": False, "count_updated_at": None,
        })
    return result.fresh

"""What a member asks for: their progress, their answers by DM, the private-answer modal.

Each function returns what to show (or raises `StudyError` with the sentence
to show instead), so the slash-command and button handlers stay thin.
"""
from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.weeks import current_week
from bot.clock import Sleep
from bot.cohorts.store import rhythm_of
from bot.cohorts.which import cohort_for_request, no_cohort_reply
from bot.database import Database
from bot.errors import StudyError
from bot.models import Chapter, Cohort
from bot.questionnaire.private_answers import private_answers
from bot.questionnaire.prompts import (
    SECONDS_BETWEEN_POSTS,
    active_questions,
    batches_of_positions,
)
from bot.questionnaire.record import (
    ChapterProgress,
    Progress,
    answers_markdown,
    chapter_numbers,
    chapter_titles,
    member_answers,
    progress,
    question_texts,
    weeks_opened,
)
from bot.questionnaire.views import (
    ModalQuestion,
    NextPrompt,
    render_answers_dm,
    render_answers_sent,
    render_private_modal,
    render_progress,
    split_markdown,
)
from bot.slack_client import top_level_permalink

# ASCII digits only, and a few of them: `²` and 5,000 nines are not chapter numbers.
_CHAPTER_NUMBER = re.compile(r"[0-9]{1,4}")

# A line another feature adds to a member's progress or answers reply (chapters done), read in the same session;
# given the member's per-chapter progress when it is at hand (None: it reads what it needs).
Summary = Callable[[AsyncSession, Cohort, str, Sequence[ChapterProgress] | None, datetime], Awaitable[str | None]]


def parse_chapter(args: str, usage: str) -> int | None:
    """`""` → None (the default chapter); `"4"` → 4; anything else → a usage sentence."""
    text = args.strip().removeprefix("chapter").strip()
    if not text:
        return None
    if not _CHAPTER_NUMBER.fullmatch(text):
        raise StudyError(f"Usage: `{usage}` — e.g. `{usage.split(' [')[0]} 4` for chapter 4.")
    return int(text)


async def check_chapter(session: AsyncSession, cohort: Cohort, chapter: int) -> None:
    numbers = await chapter_numbers(session, cohort.id)
    if chapter not in numbers:
        span = f"chapters go from {numbers[0]} to {numbers[-1]}" if numbers else "it has no chapters yet"
        raise StudyError(f"There's no chapter {chapter} in {cohort.name} — {span}.")


async def progress_message(db: Database, client: AsyncWebClient, *, team_id: str, channel_id: str,
                           user_id: str, now: datetime, command: str, summary: Summary | None = None) -> dict[str, Any]:
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id,
                                          command=command, subcommand="progress")
        result = await progress(session, cohort, user_id, now)
        line = None if summary is None else await summary(session, cohort, user_id, result.chapters, now)
    next_prompt = None
    if result.next_prompt is not None:
        prompt = result.next_prompt
        next_prompt = NextPrompt(await top_level_permalink(client, prompt.channel_id, prompt.ts), prompt.position,
                                 prompt.total, prompt.question_text)
    return render_progress(cohort.name, result.chapters, result.current, next_prompt, next_release(cohort, result, now),
                           command, summary=line)


def next_release(cohort: Cohort, result: Progress, now: datetime) -> datetime | None:
    """When this week's next questions come out, if some are still to come."""
    week = current_week(rhythm_of(cohort), now)
    if week is None or not result.more_to_come:
        return None
    return next((b.due_at for b in batches_of_positions(cohort, week, result.week_positions) if b.due_at > now), None)


async def send_answers(
    db: Database, client: AsyncWebClient, *, team_id: str, channel_id: str, user_id: str, chapter: int | None,
    sleep: Sleep, command: str, summary: Summary | None = None,
) -> dict[str, Any]:
    """DM the member their answers as Markdown, split within Slack's limits, paced; returns the reply."""
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id,
                                          command=command, subcommand="answers")
        if chapter is not None:
            await check_chapter(session, cohort, chapter)
        answers = await member_answers(session, cohort.id, user_id, chapter)
        if not answers:
            which = f"chapter {chapter}'s questions" if chapter is not None else "any questions"
            raise StudyError(f"You haven't answered {which} yet — reply in a question's thread, "
                              f"or answer privately with `{command} answer`.")
        questions = await question_texts(session, cohort.id, chapter)
        titles = await chapter_titles(session, cohort.id)
        line = None if summary is None else await summary(session, cohort, user_id, None, db.clock.now())
    document = answers_markdown(cohort.name, answers, questions, titles)
    what = f"chapter {chapter}" if chapter is not None else cohort.name
    messages = render_answers_dm(split_markdown(document), what)
    for index, payload in enumerate(messages):
        if index:
            await sleep(SECONDS_BETWEEN_POSTS)
        await client.chat_postMessage(channel=user_id, **payload)
    return render_answers_sent(len(answers), line)


async def private_modal(
    db: Database, *, team_id: str, user_id: str, now: datetime, command: str, channel_id: str | None = None,
    cohort_id: int | None = None, chapter: int | None = None, focus: int | None = None,
) -> dict[str, Any]:
    """The modal for answering a chapter privately (this week's chapter unless one is named);
    `cohort_id` comes from a prompt's button, otherwise the request's place says which cohort."""
    async with db.session() as session:
        if cohort_id is None:
            cohort = await cohort_for_request(session, team_id, channel_id, user_id,
                                              command=command, subcommand="answer")
        else:
            named = await session.get(Cohort, cohort_id)
            if named is None or named.team_id != team_id:
                raise StudyError(await no_cohort_reply(session, team_id, command=command, subcommand="answer"))
            cohort = named
        opened = weeks_opened(cohort, now)
        if chapter is None:
            chapter = current_week(rhythm_of(cohort), now) or opened
            if not chapter:
                raise StudyError("No questions are out yet — the first ones come when the first week opens.")
        await check_chapter(session, cohort, chapter)
        if chapter > opened:
            raise StudyError(f"Chapter {chapter}'s questions aren't out yet — they come in week {chapter}.")
        questions = await active_questions(session, cohort.id, chapter)
        if not questions:
            raise StudyError(f"Chapter {chapter} has no questions yet — an organizer imports them.")
        current = await private_answers(session, cohort.id, chapter, user_id)
        title = await session.scalar(
            select(Chapter.title).where(Chapter.cohort_id == cohort.id, Chapter.number == chapter))
    items = [ModalQuestion(q.position, q.text, current.get(q.position)) for q in questions]
    return render_private_modal(cohort.id, chapter, title, items, focus)

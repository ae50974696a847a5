"""`/study done [N] [undo]`: a member marks a chapter done (or takes their mark back); and the chapters-done
line `/study progress`, `/study answers` and the Home show."""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.weeks import current_week
from bot.clock import Sleep
from bot.cohorts.store import rhythm_of
from bot.cohorts.weeks import week_of
from bot.cohorts.which import cohort_for_request
from bot.completion import views
from bot.completion.chapters import (
    chapters_done,
    chapters_done_so_far,
    complete_at,
    completion_closes_at,
)
from bot.database import Database
from bot.errors import StudyError
from bot.groups.records import member_of
from bot.models import Cohort
from bot.models.completion import ChapterMark
from bot.questionnaire.member import progress_message, send_answers
from bot.questionnaire.record import ChapterProgress, weeks_opened
from bot.store import insert_ignore, rowcount

_ARGS = re.compile(r"(?:chapter\s*)?([0-9]{1,4})?\s*(undo)?", re.IGNORECASE)


def parse_done(args: str, command: str) -> tuple[int | None, bool]:
    """`""` → (None, False): this week's chapter; `"4"` → (4, False); `"4 undo"` → (4, True); else a usage line."""
    found = _ARGS.fullmatch(args.strip())
    if found is None:
        raise StudyError(views.usage(command))
    number, undo = found.groups()
    return (int(number) if number else None), bool(undo)


async def done_command(db: Database, *, team_id: str, channel_id: str, user_id: str, args: str, now: datetime,
                       command: str) -> str:
    """Mark (or unmark) a chapter done for the member; the reply. Bad input changes nothing."""
    chapter, undo = parse_done(args, command)
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command, subcommand="done")
        joined = await member_of(session, cohort.id, user_id)
        if joined is None or joined.left_at is not None:
            raise StudyError(views.not_a_member(cohort.name, command))
        chapter = _chapter_meant(cohort, chapter, now)
        closes_at = completion_closes_at(cohort)
        if now >= closes_at:
            raise StudyError(views.count_closed(cohort.name, closes_at))
        if undo:
            removed = rowcount(await session.execute(delete(ChapterMark).where(
                ChapterMark.cohort_id == cohort.id, ChapterMark.user_id == user_id, ChapterMark.chapter == chapter)))
            done = await chapters_done(session, cohort, user_id)
            summary = _summary(cohort, done)
            if not removed:
                return views.nothing_to_undo(chapter, summary, done_by_answers=chapter in done)
            return views.unmarked(chapter, summary, still_done=chapter in done)
        fresh = await insert_ignore(session, ChapterMark, {
            "team_id": cohort.team_id, "cohort_id": cohort.id, "user_id": user_id, "chapter": chapter,
            "marked_at": now})
        return views.marked(chapter, _summary(cohort, await chapters_done(session, cohort, user_id)),
                            already=not fresh)


def _chapter_meant(cohort: Cohort, chapter: int | None, now: datetime) -> int:
    """The chapter named (one of the cohort's), else this week's — during a break or after the last week, the
    last one opened."""
    if chapter is not None:
        if not 1 <= chapter <= cohort.weeks:
            raise StudyError(views.no_such_chapter(chapter, cohort.name, cohort.weeks))
        return chapter
    meant = current_week(rhythm_of(cohort), now) or weeks_opened(cohort, now)
    if not meant:
        raise StudyError(views.nothing_open_yet(cohort.name, week_of(cohort, 1).opens_at))
    return meant


def _summary(cohort: Cohort, done: set[int]) -> str:
    return views.done_summary(len(done), cohort.weeks, complete_at(cohort))


async def done_line(session: AsyncSession, cohort: Cohort, user_id: str,
                    chapters: Sequence[ChapterProgress] | None, now: datetime) -> str:
    """The at-a-glance line ("7 of 20 chapters done") for a member's progress, answers and Home."""
    return _summary(cohort, await chapters_done_so_far(session, cohort, user_id, chapters, now))


async def progress_reply(db: Database, client: AsyncWebClient, *, team_id: str, channel_id: str, user_id: str,
                         now: datetime, command: str) -> dict[str, Any]:
    """`/study progress` with the chapters-done line (one indexed query more than the questionnaire's)."""
    return await progress_message(db, client, team_id=team_id, channel_id=channel_id, user_id=user_id, now=now,
                                  command=command, summary=done_line)


async def answers_reply(db: Database, client: AsyncWebClient, *, team_id: str, channel_id: str, user_id: str,
                        chapter: int | None, sleep: Sleep, command: str) -> dict[str, Any]:
    """`/study answers [chapter]` with the chapters-done line in its reply."""
    return await send_answers(db, client, team_id=team_id, channel_id=channel_id, user_id=user_id, chapter=chapter,
                              sleep=sleep, command=command, summary=done_line)


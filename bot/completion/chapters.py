"""Which chapters each member has done, and the cohort's completion rule.

A chapter is done for a member when they answered at least half of its current questions — thread replies and
private answers alike, a question once however many parts its answer has; "at least half" is
`answered * 2 >= questions`, so 2 of 3 and 2 of 4 are done, 1 of 3 is not, and a chapter without questions is
done only by a mark — or when they said so with `/study done N` (a row in `completion_marks`). Undoing a mark
never undoes what the answers say.

Both count until `completion_closes_at` (two weeks after the cohort's last week closes): answers written and
marks made after that don't count.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.weeks import week_of
from bot.models import Cohort, Question
from bot.models.completion import ChapterMark
from bot.models.questionnaire import Answer
from bot.questionnaire.record import ChapterProgress

COUNTED_FOR = timedelta(weeks=2)  # after the last week closes


def complete_at(cohort: Cohort) -> int:
    """Chapters a member must have done to complete the cohort: the cohort's own `--complete-at`, else 75% of
    its chapters (one per week), rounded up; never more than the cohort has (its weeks may have shrunk since)."""
    if cohort.complete_at_chapters is not None:
        return min(cohort.complete_at_chapters, cohort.weeks)
    return -(-cohort.weeks * 3 // 4)  # ceil(weeks × 0.75) in integers


def completion_closes_at(cohort: Cohort) -> datetime:
    """When chapters stop counting towards completion: two weeks after the last week closes."""
    return week_of(cohort, cohort.weeks).closes_at + COUNTED_FOR


def done_by_answers(answered: int, questions: int) -> bool:
    """At least half of the chapter's questions answered (and it has some)."""
    return questions > 0 and answered * 2 >= questions


async def chapters_done(session: AsyncSession, cohort: Cohort, user_id: str) -> set[int]:
    """The chapter numbers `user_id` has done in `cohort`."""
    return (await _done(session, cohort, user_id)).get(user_id, set())


async def chapters_done_by_member(session: AsyncSession, cohort: Cohort, *,
                                  until: datetime | None = None) -> dict[str, set[int]]:
    """Every member's chapters done in `cohort` (members with none are absent); with `until`, as of that instant
    (the weekly report counts them as of the end of its week)."""
    return await _done(session, cohort, None, until)


async def _done(session: AsyncSession, cohort: Cohort, user_id: str | None,
                until: datetime | None = None) -> dict[str, set[int]]:
    """Three queries: the current questions per chapter, each member's answered questions per chapter, the marks."""
    closes_at = completion_closes_at(cohort) if until is None else min(until, completion_closes_at(cohort))
    only_answers = () if user_id is None else (Answer.user_id == user_id,)
    only_marks = () if user_id is None else (ChapterMark.user_id == user_id,)
    questions = dict((await session.execute(
        select(Question.chapter, func.count()).where(Question.cohort_id == cohort.id, Question.retired.is_(False))
        .group_by(Question.chapter))).all())
    answered = await session.execute(
        select(Answer.user_id, Answer.chapter, func.count(func.distinct(Answer.position)))
        .join(Question, (Question.cohort_id == Answer.cohort_id) & (Question.chapter == Answer.chapter)
              & (Question.position == Answer.position) & Question.retired.is_(False))
        .where(Answer.cohort_id == cohort.id, Answer.deleted.is_(False), Answer.posted_at < closes_at, *only_answers)
        .group_by(Answer.user_id, Answer.chapter))
    done: dict[str, set[int]] = defaultdict(set)
    for member, chapter, count in answered:
        if done_by_answers(count, questions.get(chapter, 0)):
            done[member].add(chapter)
    for member, chapter in await session.execute(select(ChapterMark.user_id, ChapterMark.chapter).where(
            ChapterMark.cohort_id == cohort.id, ChapterMark.marked_at < closes_at, *only_marks)):
        done[member].add(chapter)
    return dict(done)


async def marked_chapters(session: AsyncSession, cohort: Cohort, user_id: str) -> set[int]:
    """The chapters the member marked done themselves (counted or not): one indexed query."""
    return set(await session.scalars(select(ChapterMark.chapter).where(
        ChapterMark.cohort_id == cohort.id, ChapterMark.user_id == user_id)))


async def chapters_done_so_far(session: AsyncSession, cohort: Cohort, user_id: str,
                               chapters: Sequence[ChapterProgress] | None, now: datetime) -> set[int]:
    """`chapters_done`, cheaply when the member's progress is at hand (`/study progress`, the Home): while the
    count is open every answer so far counts, so the progress's per-chapter numbers say it and the marks are
    the one extra (indexed) query."""
    if chapters is None or now >= completion_closes_at(cohort):
        return await chapters_done(session, cohort, user_id)
    by_answers = {c.number for c in chapters if done_by_answers(c.answered, c.total)}
    return by_answers | await marked_chapters(session, cohort, user_id)

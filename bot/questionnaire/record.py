"""Each member's record: their answers (joined per question), progress, and per-chapter stats.

A member's answer to a question is all their live parts — thread replies and a
private answer — joined in the order they were written. Deleted parts are left
out (their text stays in the database). Answers to questions retired by a
re-import stay in the member's record; progress counts the current questions.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    CompoundSelect,
    Integer,
    String,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.weeks import current_week, week_opens_at
from bot.cohorts.store import rhythm_of
from bot.models import Chapter, Cohort, Question
from bot.models.questionnaire import Answer, Prompt

PART_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class MemberAnswer:
    chapter: int
    question: int  # the position, from 1, in the book's order
    text: str


async def member_answers(
    session: AsyncSession, cohort_id: int, user_id: str, chapter: int | None = None
) -> list[MemberAnswer]:
    """The member's answers in the book's order, several parts of one answer joined in order."""
    query = select(Answer.chapter, Answer.position, Answer.text).where(
        Answer.cohort_id == cohort_id, Answer.user_id == user_id, Answer.deleted.is_(False),
    ).order_by(Answer.chapter, Answer.position, Answer.posted_at, Answer.message_ts)
    if chapter is not None:
        query = query.where(Answer.chapter == chapter)
    parts: dict[tuple[int, int], list[str]] = defaultdict(list)
    for number, position, text in await session.execute(query):
        parts[(number, position)].append(text)
    return [
        MemberAnswer(number, position, PART_SEPARATOR.join(t for t in texts if t.strip()))
        for (number, position), texts in parts.items()
    ]


async def cohort_answers(session: AsyncSession, cohort_id: int) -> AsyncIterator[tuple[str, MemberAnswer]]:
    """Every member's answers as (member, answer), member by member in the book's order, parts joined as
    `member_answers` joins them — streamed from the database (a cohort holds hundreds of thousands)."""
    query = select(Answer.user_id, Answer.chapter, Answer.position, Answer.text).where(
        Answer.cohort_id == cohort_id, Answer.deleted.is_(False),
    ).order_by(Answer.user_id, Answer.chapter, Answer.position, Answer.posted_at, Answer.message_ts)
    result = await session.stream(query.execution_options(yield_per=2_000))
    key: tuple[str, int, int] | None = None
    texts: list[str] = []
    # a batch per await: one await a row cost more than the row
    async for rows in result.partitions():
        for user_id, number, position, text in rows:
            if key != (user_id, number, position):
                if key is not None:
                    yield key[0], MemberAnswer(key[1], key[2], PART_SEPARATOR.join(t for t in texts if t.strip()))
                key, texts = (user_id, number, position), []
            texts.append(text)
    if key is not None:
        yield key[0], MemberAnswer(key[1], key[2], PART_SEPARATOR.join(t for t in texts if t.strip()))


def weeks_opened(cohort: Cohort, now: datetime) -> int:
    """How many weeks have opened by `now` (breaks included), so which chapters are "so far"."""
    rhythm = rhythm_of(cohort)
    return bisect_right(range(1, cohort.weeks + 1), now, key=lambda week: week_opens_at(rhythm, week))


@dataclass(frozen=True)
class ChapterProgress:
    number: int
    title: str | None
    answered: int
    total: int


@dataclass(frozen=True)
class UnansweredPrompt:
    """This week's first posted question the member has not answered, and where its prompt is."""
    chapter: int
    position: int
    total: int
    question_text: str
    channel_id: str
    ts: str


@dataclass(frozen=True)
class Progress:
    chapters: list[ChapterProgress]
    current: ChapterProgress | None
    next_prompt: UnansweredPrompt | None
    more_to_come: bool  # this week's questions are not all out yet
    week_positions: tuple[int, ...] = ()  # this week's current questions, in order (for its release times)


def _progress_query() -> CompoundSelect:
    """Built once with bound parameters: building it cost more than running it, on every `/study progress`.

    One statement, two parts: a row per earlier chapter with its question and answered counts (the database
    counts, so week 20's 475 earlier questions are 19 rows, not 475), then one row per question of this
    week's chapter with its prompt. Rows with a NULL position are the counts."""
    cohort_id: BindParameter[int] = bindparam("cohort_id")
    user_id: BindParameter[str] = bindparam("user_id")
    week: BindParameter[int] = bindparam("week")
    answered = case((select(Answer.id).where(
        Answer.cohort_id == cohort_id, Answer.user_id == user_id, Answer.deleted.is_(False),
        Answer.chapter == Question.chapter, Answer.position == Question.position,
    ).exists(), 1), else_=0)
    so_far = (Question.cohort_id == cohort_id, Question.chapter <= bindparam("opened"), Question.retired.is_(False))
    chapter = (Chapter.cohort_id == Question.cohort_id) & (Chapter.number == Question.chapter)
    earlier = (
        select(Question.chapter, Chapter.title, cast(null(), Integer), func.count(), func.sum(answered),
               cast(null(), Integer), cast(null(), Text), cast(null(), String), cast(null(), String))
        .outerjoin(Chapter, chapter).where(*so_far, Question.chapter != week)
        .group_by(Question.chapter, Chapter.title)
    )
    this_week = (
        select(Question.chapter, Chapter.title, Question.position, literal(1), answered,
               Prompt.total, Prompt.question_text, Prompt.channel_id, Prompt.ts)
        .outerjoin(Chapter, chapter)
        .outerjoin(Prompt, (Prompt.cohort_id == Question.cohort_id) & (Prompt.chapter == Question.chapter)
                   & (Prompt.position == Question.position) & Prompt.deleted.is_(False))
        .where(*so_far, Question.chapter == week)
    )
    return union_all(earlier, this_week)


_PROGRESS = _progress_query()


async def progress(session: AsyncSession, cohort: Cohort, user_id: str, now: datetime) -> Progress:
    """One query: per chapter so far its title, questions and how many the member answered, and this week's
    questions with whether each is answered and its prompt (if posted) — a `/study progress` costs this and
    the cohort's lookup."""
    opened = weeks_opened(cohort, now)
    week = current_week(rhythm_of(cohort), now)
    rows: list[Any] = list(await session.execute(_PROGRESS, {"cohort_id": cohort.id, "user_id": user_id,
                                                             "opened": opened, "week": -1 if week is None else week}))
    titles: dict[int, str | None] = {}
    totals: dict[int, int] = defaultdict(int)
    done: dict[int, int] = defaultdict(int)
    this_week: list[tuple[Any, ...]] = []
    for number, title, position, questions, answered_count, *prompt in rows:
        titles[number] = title
        totals[number] += questions
        done[number] += int(answered_count or 0)
        if position is not None:
            this_week.append((position, bool(answered_count), *prompt))
    chapters = [ChapterProgress(n, titles[n], done[n], totals[n]) for n in sorted(totals)]
    current = next((c for c in chapters if c.number == week), None)
    if current is None or week is None:
        return Progress(chapters, None, None, False)
    this_week.sort()
    waiting = next((UnansweredPrompt(week, position, total, question_text, channel_id, ts)
                    for position, done_it, total, question_text, channel_id, ts in this_week
                    if ts is not None and not done_it), None)
    return Progress(chapters, current, waiting, any(row[5] is None for row in this_week),
                    tuple(row[0] for row in this_week))


async def last_answered(session: AsyncSession, team_id: str, user_id: str) -> dict[int, datetime]:
    """When the member last wrote or edited a live answer, per cohort (cohorts they never answered are absent)."""
    rows = await session.execute(
        select(Answer.cohort_id, func.max(Answer.posted_at), func.max(Answer.edited_at))
        .where(Answer.team_id == team_id, Answer.user_id == user_id, Answer.deleted.is_(False))
        .group_by(Answer.cohort_id)
    )
    return {cohort_id: max(t for t in (posted, edited) if t is not None) for cohort_id, posted, edited in rows}


async def chapter_numbers(session: AsyncSession, cohort_id: int) -> list[int]:
    return list(await session.scalars(
        select(Chapter.number).where(Chapter.cohort_id == cohort_id).order_by(Chapter.number)))


async def chapter_titles(session: AsyncSession, cohort_id: int) -> dict[int, str]:
    rows = await session.execute(select(Chapter.number, Chapter.title).where(Chapter.cohort_id == cohort_id))
    return dict(rows.all())


async def question_texts(session: AsyncSession, cohort_id: int,
                         chapter: int | None = None) -> dict[tuple[int, int], str]:
    """Current question texts, and retired ones marked as removed (for answers given before a re-import)."""
    query = select(Question.chapter, Question.position, Question.text, Question.retired).where(
        Question.cohort_id == cohort_id)
    if chapter is not None:
        query = query.where(Question.chapter == chapter)
    return {(number, position): f"{text} {REMOVED}" if retired else text
            for number, position, text, retired in await session.execute(query)}


REMOVED = "(removed from the questionnaire)"


@dataclass(frozen=True)
class ChapterStats:
    chapter: int
    prompts_posted: int
    members_answered: int
    answers_per_question: dict[int, int]  # position -> members who answered it


async def chapter_stats(session: AsyncSession, cohort_id: int) -> list[ChapterStats]:
    """Per chapter with prompts or answers: prompts posted, members answering, members per question."""
    posted = dict((await session.execute(
        select(Prompt.chapter, func.count()).where(Prompt.cohort_id == cohort_id).group_by(Prompt.chapter)
    )).all())
    members = dict((await session.execute(
        select(Answer.chapter, func.count(func.distinct(Answer.user_id)))
        .where(Answer.cohort_id == cohort_id, Answer.deleted.is_(False)).group_by(Answer.chapter)
    )).all())
    per_question: dict[int, dict[int, int]] = defaultdict(dict)
    for number, position, count in await session.execute(
        select(Answer.chapter, Answer.position, func.count(func.distinct(Answer.user_id)))
        .where(Answer.cohort_id == cohort_id, Answer.deleted.is_(False))
        .group_by(Answer.chapter, Answer.position)
    ):
        per_question[number][position] = count
    return [
        ChapterStats(n, posted.get(n, 0), members.get(n, 0), dict(sorted(per_question[n].items())))
        for n in sorted(set(posted) | set(members))
    ]


async def answers_per_chapter(session: AsyncSession, cohort_id: int, chapters: list[int]) -> dict[int, int]:
    """Answers to each of `chapters`: the questions members answered, each (member, question) once —
    a member's several replies to one question are one answer, and deleted parts don't count.

    The one meaning of "answers" in every count shown: the weekly report, `answers stats` (its per-question
    numbers add up to this), `cohort show`/`cohort list` and `/study admin status`."""
    answered = select(Answer.chapter, Answer.user_id, Answer.position).where(
        Answer.cohort_id == cohort_id, Answer.deleted.is_(False), Answer.chapter.in_(chapters)).distinct().subquery()
    counts: dict[int, int] = dict((await session.execute(
        select(answered.c.chapter, func.count()).group_by(answered.c.chapter))).all())
    return {chapter: counts.get(chapter, 0) for chapter in chapters}


_LINK = re.compile(r"<((?:https?|mailto|ftp):[^|>]+)(?:\|([^>]*))?>")
_MENTION = re.compile(r"<[@#!]([^|>]+)(?:\|([^>]*))?>")


def slack_to_markdown(text: str) -> str:
    """Slack's message format as standard Markdown: links, mentions and escaped characters.

    Slack writes links as `<url|label>` and escapes `&`, `<`, `>`; Markdown wants
    `[label](url)` and the characters themselves.
    """
    text = _LINK.sub(lambda m: f"[{m.group(2)}]({m.group(1)})" if m.group(2) else f"<{m.group(1)}>", text)
    text = _MENTION.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def answers_markdown(
    cohort_name: str, answers: list[MemberAnswer], questions: dict[tuple[int, int], str], titles: dict[int, str],
) -> str:
    """The member's notes: a heading per chapter, then each question and their answer."""
    lines = [f"# My answers — {cohort_name}"]
    chapter = None
    for answer in answers:
        if answer.chapter != chapter:
            chapter = answer.chapter
            title = titles.get(chapter)
            lines += ["", f"## Chapter {chapter}" + (f": {title}" if title else "")]
        question = slack_to_markdown(questions.get((answer.chapter, answer.question), "")).strip()
        lines += ["", f"### Q{answer.question}. {' '.join(question.split()) or '(question text not available)'}", ""]
        lines.append(slack_to_markdown(answer.text) if answer.text.strip() else "_(an answer without text)_")
    return "\n".join(lines) + "\n"

"""Who was active which cohort week: answered a question, shared work, posted in their group, or marked a chapter
done (`/study done`).

Read from the features' own records (`answers`, `share_posts`, `completion_marks`) plus this feature's per-member
count of group-channel messages (`group_activity` counts per group, not per member). A week is the
cohort week open when it happened; a break counts with the week before it (as the share digest does).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.weeks import Rhythm, last_opened_week, week_closes_at, week_opens_at
from bot.cohorts.store import rhythm_of
from bot.forgotten import forgotten_at, written_before_forgotten
from bot.models import Cohort
from bot.models.completion import ChapterMark
from bot.models.groups import GroupMember, StudyGroup
from bot.models.questionnaire import Answer
from bot.models.retention import MemberGroupMessages
from bot.models.share import SharePost
from bot.store import insert_ignore


@dataclass(frozen=True)
class MemberWeek:
    """One member's activity in one week: one CSV row."""

    user_id: str
    week: int
    answered: int = 0
    shared: int = 0
    group_messages: int = 0
    marked_done: int = 0  # chapters marked done that week

    @property
    def active(self) -> bool:
        return bool(self.answered or self.shared or self.group_messages or self.marked_done)


@dataclass(frozen=True)
class CohortActivity:
    """Every member-week with any activity; `first_seen` is each member's first active week."""

    rows: dict[tuple[str, int], MemberWeek]

    def active(self, user_id: str, week: int) -> bool:
        row = self.rows.get((user_id, week))
        return row is not None and row.active

    def active_users(self, week: int) -> set[str]:
        return {user for (user, number), row in self.rows.items() if number == week and row.active}

    def row(self, user_id: str, week: int) -> MemberWeek:
        return self.rows.get((user_id, week)) or MemberWeek(user_id, week)

    def users(self) -> set[str]:
        return {user for user, _ in self.rows}


async def cohort_activity(session: AsyncSession, cohort: Cohort, user_id: str | None = None) -> CohortActivity:
    """Answers, shares, group messages and chapters marked done per (member, week), in four queries; only
    `user_id`'s if given."""
    rhythm = rhythm_of(cohort)
    counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    week = answer_week(rhythm)
    answers: Any = await session.execute(select(Answer.user_id, week, func.count()).where(
        Answer.cohort_id == cohort.id, Answer.deleted.is_(False), *_only(Answer.user_id, user_id))
        .group_by(Answer.user_id, week))
    for member, number, answered in answers:
        if number is not None:
            counts[(str(member), int(number))][0] += int(answered)
    shares = await session.execute(select(SharePost.user_id, SharePost.week).where(
        SharePost.cohort_id == cohort.id, SharePost.deleted.is_(False), SharePost.week.is_not(None),
        SharePost.user_id.is_not(None), *_only(SharePost.user_id, user_id)))
    for sharer, shared_in in shares:
        if sharer is not None and shared_in is not None:  # filtered in SQL already; this says so to the type checker
            counts[(sharer, shared_in)][1] += 1
    messages = await session.execute(select(MemberGroupMessages.user_id, MemberGroupMessages.week,
                                            MemberGroupMessages.messages).where(
        MemberGroupMessages.cohort_id == cohort.id, *_only(MemberGroupMessages.user_id, user_id)))
    for member, week, count in messages:
        counts[(member, week)][2] += count
    marks = await session.execute(select(ChapterMark.user_id, ChapterMark.marked_at).where(
        ChapterMark.cohort_id == cohort.id, *_only(ChapterMark.user_id, user_id)))
    for member, marked_at in marks:
        week = last_opened_week(rhythm, marked_at)
        if week is not None:
            counts[(member, week)][3] += 1
    return CohortActivity({key: MemberWeek(key[0], key[1], *values) for key, values in counts.items()})


def answer_week(rhythm: Rhythm) -> Any:
    """`last_opened_week(rhythm, Answer.posted_at)` as SQL, so answers are counted per week in the database
    (a week-20 cohort's report otherwise fetched and placed 500,000 answers one by one: ~20 s)."""
    opens = [week_opens_at(rhythm, number) for number in range(1, rhythm.weeks + 1)]
    outside = [(Answer.posted_at < opens[0], None), (Answer.posted_at >= week_closes_at(rhythm, rhythm.weeks), None)]
    return case(*outside, *((Answer.posted_at < opens[n], n) for n in range(1, len(opens))), else_=len(opens))


def _only(column: Any, user_id: str | None) -> tuple:
    return () if user_id is None else (column == user_id,)


async def members(session: AsyncSession, cohort_id: int) -> list[GroupMember]:
    """Everyone who signed up for the cohort's groups (left ones included: callers decide)."""
    return list(await session.scalars(select(GroupMember).where(GroupMember.cohort_id == cohort_id)
                                      .order_by(GroupMember.user_id)))


async def group_cohort(session: AsyncSession, team_id: str, channel_id: str) -> Cohort | None:
    """The cohort whose study group owns this channel, if any."""
    group = await session.scalar(select(StudyGroup).where(
        StudyGroup.team_id == team_id, StudyGroup.channel_id == channel_id))
    return None if group is None else await session.get(Cohort, group.cohort_id)


async def record_group_message(session: AsyncSession, cohort: Cohort, user_id: str, at: datetime) -> bool:
    """Count one message of a member in their group's channel; False outside the cohort's weeks, or when it was
    written before the member was forgotten (a late event)."""
    week = last_opened_week(rhythm_of(cohort), at)
    if week is None or written_before_forgotten(await forgotten_at(session, cohort.team_id, user_id), at):
        return False
    await insert_ignore(session, MemberGroupMessages, {
        "team_id": cohort.team_id, "cohort_id": cohort.id, "user_id": user_id, "week": week, "messages": 0})
    await session.execute(update(MemberGroupMessages).where(
        MemberGroupMessages.cohort_id == cohort.id, MemberGroupMessages.user_id == user_id,
        MemberGroupMessages.week == week).values(messages=MemberGroupMessages.messages + 1))
    return True

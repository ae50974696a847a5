"""The numbers of a cohort an organizer checks on: members, groups, who waits, answers this week.

Shared by `/study admin status` and `studybot cohort show`, so both say the same thing.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.groups.records import LIVE_STATUSES
from bot.models import Cohort
from bot.models.groups import GroupMember, StudyGroup
from bot.questionnaire.record import answers_per_chapter
from bot.rhythm.views import CohortCounts


async def cohort_counts(session: AsyncSession, cohort: Cohort, week: int | None) -> CohortCounts:
    """Counts now; `answers_this_week`: the questions members answered of week `week`'s chapter
    (None when no week is open)."""
    joined = GroupMember.cohort_id == cohort.id, GroupMember.left_at.is_(None)
    members = await session.scalar(select(func.count()).select_from(GroupMember).where(*joined))
    waiting = await session.scalar(select(func.count()).select_from(GroupMember)
                                   .where(*joined, GroupMember.group_id.is_(None)))
    groups = await session.scalar(select(func.count()).select_from(StudyGroup)
                                  .where(StudyGroup.cohort_id == cohort.id, StudyGroup.status.in_(LIVE_STATUSES)))
    answers = None
    if week is not None:
        answers = (await answers_per_chapter(session, cohort.id, [week]))[week]
    return CohortCounts(members or 0, groups or 0, waiting or 0, answers)

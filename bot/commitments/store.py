"""Commitments as stored, and as other features read them: the weekly report (who made one) and the buddy
check-in (one short line per member)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commitments.days import local_day
from bot.commitments.views import day_label
from bot.models import Cohort
from bot.models.commitments import Commitment
from bot.models.groups import GroupMember
from bot.models.retention import MemberPreferences


async def members_with_commitment(session: AsyncSession, cohort_id: int) -> set[str]:
    """Members of the cohort who made at least one commitment."""
    return set(await session.scalars(select(Commitment.user_id).distinct().where(Commitment.cohort_id == cohort_id)))


async def commitment_lines(session: AsyncSession, cohort_id: int, week: int, user_ids: list[str]) -> dict[str, str]:
    """What each of `user_ids` committed to in `week`, as one line for a buddy check-in ("finish chapter 5 by Thu 12
    Mar", in the member's own zone). A week skipped is the member's own business: no line."""
    if not user_ids:
        return {}
    cohort = await session.get(Cohort, cohort_id)
    if cohort is None:
        return {}
    rows = await session.scalars(select(Commitment).where(
        Commitment.cohort_id == cohort_id, Commitment.week == week, Commitment.user_id.in_(user_ids)))
    found = list(rows)
    zones = await zones_of(session, cohort, [row.user_id for row in found])
    lines = {}
    for row in found:
        if row.outcome == "kept":
            lines[row.user_id] = f"finished chapter {row.chapter}"
        elif row.outcome != "skipped":
            day = local_day(row.due_at, zones[row.user_id])
            lines[row.user_id] = f"finish chapter {row.chapter} by {day_label(day)}"
    return lines


async def zones_of(session: AsyncSession, cohort: Cohort, user_ids: list[str]) -> dict[str, str]:
    """Each member's zone name: as saved with their reading plan, else their study-group zone, else the cohort's."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(GroupMember.user_id, func.coalesce(MemberPreferences.zone, GroupMember.zone))
        .outerjoin(MemberPreferences, (MemberPreferences.cohort_id == GroupMember.cohort_id)
                   & (MemberPreferences.user_id == GroupMember.user_id))
        .where(GroupMember.cohort_id == cohort.id, GroupMember.user_id.in_(user_ids)))
    zones = {user_id: zone for user_id, zone in rows if zone}
    return {user_id: zones.get(user_id, cohort.timezone) for user_id in user_ids}


async def commitment_of(session: AsyncSession, team_id: str, cohort_id: int, user_id: str,
                        week: int) -> Commitment | None:
    return await session.scalar(select(Commitment).where(
        Commitment.team_id == team_id, Commitment.cohort_id == cohort_id, Commitment.user_id == user_id,
        Commitment.week == week))

"""Cohort look-ups every feature needs: which cohort a channel or a member belongs to."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Cohort


async def cohort_by_name(session: AsyncSession, team_id: str, name: str) -> Cohort | None:
    return await session.scalar(select(Cohort).where(Cohort.team_id == team_id, Cohort.name == name))


async def active_cohorts(session: AsyncSession, team_id: str | None = None) -> list[Cohort]:
    query = select(Cohort).where(Cohort.active.is_(True)).order_by(Cohort.id)
    if team_id is not None:
        query = query.where(Cohort.team_id == team_id)
    return list(await session.scalars(query))


async def cohort_for_channel(session: AsyncSession, team_id: str, channel_id: str | None) -> Cohort | None:
    """The cohort whose main, share or questionnaire channel this is — else the only active one."""
    if channel_id:
        found = await session.scalar(
            select(Cohort)
            .where(Cohort.team_id == team_id, Cohort.active.is_(True))
            .where(
                or_(
                    Cohort.channel_id == channel_id,
                    Cohort.share_channel_id == channel_id,
                    Cohort.questionnaire_channel_id == channel_id,
                )
            )
            .order_by(Cohort.id)
        )
        if found:
            return found
    cohorts = await active_cohorts(session, team_id)
    return cohorts[0] if len(cohorts) == 1 else None


async def pick_cohort(session: AsyncSession, team_id: str | None, name: str | None) -> Cohort:
    """For the CLI's `--cohort NAME`: that cohort, or the only active one; ValueError otherwise."""
    if name:
        query = select(Cohort).where(Cohort.name == name)
        if team_id:
            query = query.where(Cohort.team_id == team_id)
        found = list(await session.scalars(query))
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValueError(f'No cohort named "{name}". See: studybot cohort list')
        raise ValueError(f'Several workspaces have a cohort named "{name}"; give --team too.')
    cohorts = await active_cohorts(session, team_id)
    if len(cohorts) == 1:
        return cohorts[0]
    if not cohorts:
        raise ValueError("No cohort yet. Create one with: studybot cohort create NAME --channel C… --start … --timezone …")
    names = ", ".join(c.name for c in cohorts)
    raise ValueError(f"Several cohorts ({names}); choose one with --cohort NAME.")

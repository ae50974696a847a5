"""Which cohort a request means: one answer, and one set of replies when there is none."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.store import active_cohorts, cohort_for_channel
from bot.errors import StudyError
from bot.models import Cohort
from bot.models.groups import GroupMember, StudyGroup


async def cohort_for_request(session: AsyncSession, team_id: str, channel_id: str | None, user_id: str | None,
                             *, command: str, subcommand: str) -> Cohort:
    """The cohort whose channel the request came from; in a group channel, that group's cohort;
    from anywhere else (a DM, the App Home) the member's own cohort, or the only active one.

    Raises `StudyError` with the reply: there is no cohort yet, or several and the place doesn't say which.
    """
    cohort = await cohort_for_channel(session, team_id, channel_id)
    if cohort is not None:
        return cohort
    if channel_id:
        group = await session.scalar(select(StudyGroup).where(
            StudyGroup.team_id == team_id, StudyGroup.channel_id == channel_id))
        if group is not None and (cohort := await session.get(Cohort, group.cohort_id)) is not None:
            return cohort
    if user_id:
        cohort_ids = set(await session.scalars(select(GroupMember.cohort_id).where(
            GroupMember.team_id == team_id, GroupMember.user_id == user_id, GroupMember.left_at.is_(None))))
        if len(cohort_ids) == 1 and (cohort := await session.get(Cohort, cohort_ids.pop())) is not None:
            return cohort
    raise StudyError(await no_cohort_reply(session, team_id, command=command, subcommand=subcommand))


async def no_cohort_reply(session: AsyncSession, team_id: str, *, command: str, subcommand: str) -> str:
    cohorts = await active_cohorts(session, team_id)
    if not cohorts:
        return "There's no study cohort here yet — an organizer creates one first. Nothing was changed."
    names = ", ".join(c.name for c in cohorts[:10])
    return (f"There are several cohorts ({names}): run `{command} {subcommand}` in your cohort's channel"
            " so I know which one you mean. Nothing was changed.")

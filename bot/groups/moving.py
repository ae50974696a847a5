"""A member whose zone changed after groups formed (`/study join Cairo` from a UTC−7 group): the
nearest group with room is offered as a button, and a click moves them there — out of the old
group's channel, invited to the new one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Sleep
from bot.database import Database
from bot.errors import StudyError
from bot.groups import channels
from bot.groups import views as render
from bot.groups.circle import circle_distance
from bot.groups.placement import GroupState, place_late_joiner
from bot.groups.provisioning import invite_now
from bot.groups.records import (
    LATE_JOIN_DISTANCE,
    LIVE_STATUSES,
    as_member,
    center_now,
    formation_of,
    live_groups,
    member_of,
    members_by_group,
)
from bot.models.groups import GroupInvite, StudyGroup
from bot.store import get_known


@dataclass(frozen=True)
class MoveOffer:
    group_id: int
    group_name: str
    current_name: str


async def move_offer(session: AsyncSession, cohort_id: int, user_id: str, now: datetime) -> MoveOffer | None:
    """The nearest other group with room when the member's group is now far from their zone; else None."""
    formation = await formation_of(session, cohort_id)
    member = await member_of(session, cohort_id, user_id)
    if formation is None or member is None or member.group_id is None:
        return None
    grouped = await members_by_group(session, cohort_id)
    groups = {g.id: g for g in await live_groups(session, cohort_id)}
    own = groups.get(member.group_id)
    offset = as_member(member, now).offset_minutes
    if own is None or circle_distance(offset, center_now(grouped.get(own.id, []), own.center_offset, now)) \
            <= LATE_JOIN_DISTANCE:
        return None
    states = [GroupState(str(g.id), center_now(grouped.get(g.id, []), g.center_offset, now), len(grouped.get(g.id, [])))
              for g in groups.values() if g.id != own.id]
    nearest = place_late_joiner(as_member(member, now), states, formation.max_size, LATE_JOIN_DISTANCE)
    if nearest.group_id is None:
        return None
    return MoveOffer(int(nearest.group_id), groups[int(nearest.group_id)].name, own.name)


async def move_member(db: Database, client: AsyncWebClient, *, sleep: Sleep, team_id: str, user_id: str,
                      value: str) -> str:
    """The "Move to #group" button: leave the old group's channel, join the new group and its channel.
    Raises `StudyError` when the move no longer makes sense (left, group gone or full)."""
    cohort_text, _, group_text = value.partition("|")
    if not (cohort_text.isdigit() and group_text.isdigit()):
        raise StudyError(render.MOVE_GONE)
    cohort_id, now = int(cohort_text), db.clock.now()
    async with db.session() as session:
        member = await member_of(session, cohort_id, user_id)
        target = await session.get(StudyGroup, int(group_text))
        formation = await formation_of(session, cohort_id)
        if (member is None or member.left_at is not None or target is None or formation is None
                or target.team_id != team_id or target.cohort_id != cohort_id or target.status not in LIVE_STATUSES):
            raise StudyError(render.MOVE_GONE)
        if member.group_id == target.id:
            return render.moved(target.name, target.channel_id, invitation_pending=False)
        if len((await members_by_group(session, cohort_id)).get(target.id, [])) >= formation.max_size:
            raise StudyError(render.move_full(target.name))
        old = await session.get(StudyGroup, member.group_id) if member.group_id else None
        member.group_id = target.id
        if old is not None:
            await session.execute(delete(GroupInvite).where(GroupInvite.group_id == old.id,
                                                            GroupInvite.user_id == user_id))
    if old is not None and old.channel_id:
        await channels.remove(client, old.channel_id, user_id)
    pending = await invite_now(db, client, cohort_id, target.id, user_id, now, sleep=sleep)
    async with db.session() as session:
        target = await get_known(session, StudyGroup, target.id)
    return render.moved(target.name, target.channel_id, pending)

"""Merging two study groups: every member of one moves into the other, whose channel invites
them; the old channel gets a pointer and is archived. Re-running a merge after a failure resumes it.
Also the weekly suggestion to organizers of quiet groups worth merging."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import update

from bot.blocks import counted
from bot.clock import Sleep
from bot.database import Database
from bot.groups import channels
from bot.groups import views as render
from bot.groups.group_activity import merge_candidates
from bot.groups.notices import tell_organizers
from bot.groups.provisioning import PACE_SECONDS, lease, materialize_group
from bot.groups.records import LIVE_STATUSES, GroupsError, active_members, cohort_of, find_group, members_of_group
from bot.models.groups import StudyGroup
from bot.outbound import post_once
from bot.store import get_known


@dataclass(frozen=True)
class MergeReport:
    mover: str
    keeper: str
    keeper_channel: str | None
    moved: list[str]
    size: int
    over_max: bool


async def merge(db: Database, client: AsyncWebClient, cohort_id: int, mover_ref: str, keeper_ref: str,
                now: datetime, *, sleep: Sleep) -> MergeReport:
    """Move every member of one group into another; the old channel gets a pointer and is archived.

    Re-running the same merge after a failure resumes it."""
    async with db.session() as session:
        cohort = await cohort_of(session, cohort_id)
        mover = await find_group(session, cohort_id, mover_ref)
        keeper = await find_group(session, cohort_id, keeper_ref)
        _check_merge(mover, keeper)
        moved = [m for m in await active_members(session, cohort_id) if m.group_id == mover.id]
        for member in moved:
            member.group_id = keeper.id
        archived = mover.status == "archived"
        if not archived:
            mover.status, mover.merged_into_id = "merged", keeper.id
        await session.flush()
        size = len(await members_of_group(session, keeper.id))
    async with lease(db, cohort_id, now):
        await materialize_group(db, client, keeper.id, now, welcome_new=False)
        async with db.session() as session:
            keeper = await get_known(session, StudyGroup, keeper.id)
        assert keeper.channel_id, "materialize_group made its channel"
        await post_once(db, client, team_id=keeper.team_id, key=f"groups:merged-in:{mover.id}",
                        channel=keeper.channel_id, now=now, **render.merged_in([m.user_id for m in moved], mover.name))
        if mover.channel_id and not archived:
            await sleep(PACE_SECONDS)
            await post_once(db, client, team_id=mover.team_id, key=f"groups:pointer:{mover.id}",
                            channel=mover.channel_id, now=now, **render.pointer(keeper.channel_id))
            await channels.archive(client, mover.channel_id)
        async with db.session() as session:
            await session.execute(update(StudyGroup).where(StudyGroup.id == mover.id).values(status="archived"))
    return MergeReport(mover.name, keeper.name, keeper.channel_id, [m.user_id for m in moved], size,
                       size > cohort.group_max)


def _check_merge(mover: StudyGroup, keeper: StudyGroup) -> None:
    if mover.id == keeper.id:
        raise GroupsError("Those are the same group; name two different groups.")
    if keeper.status not in LIVE_STATUSES:
        raise GroupsError(f"#{keeper.name} has itself been merged away; merge into a live group.")
    if mover.status in ("merged", "archived") and mover.merged_into_id != keeper.id:
        raise GroupsError(f"#{mover.name} was already merged into another group.")


async def suggest_merges_to_organizers(db: Database, client: AsyncWebClient, cohort_id: int, key: str,
                                       now: datetime, command: str) -> str:
    """The weekly job: quiet groups with a group nearby in time → one suggestion to the organizers."""
    async with db.session() as session:
        cohort = await cohort_of(session, cohort_id)
        pairs = await merge_candidates(session, cohort, now)
    if not pairs:
        return "no quiet groups to merge"
    sent = await tell_organizers(db, client, cohort, f"groups:merges:{cohort.id}:{key}",
                                 render.merge_suggestions(pairs, command), now)
    return f"suggested {counted(len(pairs), 'merge')} to {counted(sent, 'recipient')}"

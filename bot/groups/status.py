"""`/study group`: the member's group, its channel and suggested meeting times — or where they stand."""
from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.groups import views as render
from bot.groups.provisioning import member_lines, slots_for
from bot.groups.records import form_at, member_standing, zone_of


async def group_status(db: Database, client: AsyncWebClient, *, team_id: str, channel_id: str, user_id: str,
                       command: str) -> dict:
    """The reply to `/study group`; raises `StudyError` when no cohort is meant."""
    now = db.clock.now()
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command, subcommand="group")
        member, group, members, formed = await member_standing(session, cohort.id, user_id)
    if member is None or member.left_at is not None:
        return {"text": render.not_joined(cohort.name, command)}
    if group is None and not formed:
        return {"text": render.joined_before_forming(zone_of(member).describe(now), form_at(cohort))}
    if group is None:
        return {"text": render.WAITING_STATUS}
    return render.group_card(group.name, group.channel_id, member_lines(members, now), slots_for(members, now))

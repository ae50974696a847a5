"""`/study leave`: out of the group (and its channel where the bot can), off the waiting list."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import delete

from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.groups import channels
from bot.groups import views as render
from bot.groups.records import formation_of, member_of
from bot.models.groups import GroupInvite, StudyGroup


@dataclass(frozen=True)
class Departure:
    was: str  # "not_joined" | "already_left" | "signed_up" (before formation) | "waiting" | "group"
    group_name: str | None = None
    channel_id: str | None = None
    kick_error: str | None = None


async def leave_from_command(db: Database, client: AsyncWebClient, *, team_id: str, channel_id: str,
                             user_id: str, command: str) -> str:
    """The reply to `/study leave`; raises `StudyError` when no cohort is meant."""
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command, subcommand="leave")
    gone = await leave(db, client, cohort.id, user_id, db.clock.now())
    return render.departure(gone.was, gone.group_name, gone.channel_id, gone.kick_error, command)


async def leave(db: Database, client: AsyncWebClient, cohort_id: int, user_id: str, now: datetime) -> Departure:
    """Leave the cohort's groups: out of the group (and its channel where the bot can), off the waiting list."""
    async with db.session() as session:
        member = await member_of(session, cohort_id, user_id)
        if member is None:
            return Departure("not_joined")
        if member.left_at is not None:
            return Departure("already_left")
        group = await session.get(StudyGroup, member.group_id) if member.group_id else None
        member.left_at, member.group_id = now, None
        if group is None:
            return Departure("waiting" if await formation_of(session, cohort_id) else "signed_up")
        await session.execute(delete(GroupInvite).where(GroupInvite.group_id == group.id,
                                                        GroupInvite.user_id == user_id))
    error = await channels.remove(client, group.channel_id, user_id) if group.channel_id else None
    return Departure("group", group.name, group.channel_id, error)

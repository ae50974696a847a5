"""Direct messages to members: the DM's own id, and the members no DM reaches.

A DM is posted to the member's user id (Slack opens the DM and answers with its `D…` id). Reading it back,
to find a post whose outcome was unclear, takes that `D…` id and the `im:history` scope: Slack answers
`channel_not_found` to a user id there. The id is kept from the first post's answer, or asked for once
with `conversations.open`.

A member Slack won't let the bot message (deactivated, gone, or one who can't receive app messages) is
that member's problem, not the cohort's: it is recorded here, the senders carry on with everyone else,
and the doctor, the weekly report and one alert to the organizers name them.
"""
from __future__ import annotations

from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Update, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.database import Database
from bot.models import DirectChannel
from bot.models.groups import GroupMember
from bot.store import insert_ignore

# Slack's answers that concern the one member, not the app or the channel (posting to a user id).
MEMBER_ERRORS = frozenset({"user_not_found", "user_disabled", "cannot_dm_bot", "channel_not_found"})


def is_member_id(channel: str) -> bool:
    return channel[:1] in ("U", "W")


def member_error(channel: str, error: BaseException) -> str | None:
    """Slack's error code when posting to member `channel` failed because of that member alone."""
    if not is_member_id(channel) or not isinstance(error, SlackApiError):
        return None
    code = error.response.get("error")
    return code if code in MEMBER_ERRORS else None


async def readable_channel(db: Database, client: AsyncWebClient, team_id: str, channel: str) -> str:
    """The id to read `channel`'s messages by: a member's DM id (kept, or opened once), else `channel`."""
    if not is_member_id(channel):
        return channel
    async with db.session() as session:
        kept = await _row(session, team_id, channel)
    if kept is not None and kept.channel_id:
        return kept.channel_id
    opened = (await client.conversations_open(users=channel))["channel"]["id"]
    async with db.session() as session:
        if not await insert_ignore(session, DirectChannel, {"team_id": team_id, "user_id": channel,
                                                            "channel_id": opened}):
            await session.execute(_update(team_id, channel).values(channel_id=opened))
    return opened


async def reached(db: Database, team_id: str, user_id: str, channel_id: str | None) -> None:
    """A DM to `user_id` got through (`channel_id`: the DM's id in Slack's answer): keep the id; the member
    is reachable again. Writes only what changed (the usual DM changes nothing)."""
    if not channel_id:
        return
    async with db.session() as session:
        kept = await _row(session, team_id, user_id)
        if kept is None:
            await insert_ignore(session, DirectChannel,
                                {"team_id": team_id, "user_id": user_id, "channel_id": channel_id})
        elif kept.channel_id != channel_id or kept.unreachable is not None:
            await session.execute(_update(team_id, user_id).values(channel_id=channel_id, unreachable=None,
                                                                   unreachable_since=None))


async def unreachable(db: Database, team_id: str, user_id: str, error: str, now: datetime) -> None:
    """No DM reaches `user_id`: Slack said `error` (since `now`, unless it already was so)."""
    async with db.session() as session:
        if not await insert_ignore(session, DirectChannel, {"team_id": team_id, "user_id": user_id,
                                                            "unreachable": error, "unreachable_since": now}):
            await session.execute(_update(team_id, user_id).values(
                unreachable=error, unreachable_since=func.coalesce(DirectChannel.unreachable_since, now)))


async def unreachable_because(db: Database, team_id: str, user_id: str) -> str | None:
    """Slack's error when no DM reaches `user_id`, None when one does (or none was tried)."""
    async with db.session() as session:
        kept = await _row(session, team_id, user_id)
    return kept.unreachable if kept is not None else None


async def _row(session: AsyncSession, team_id: str, user_id: str) -> DirectChannel | None:
    return await session.scalar(select(DirectChannel).where(DirectChannel.team_id == team_id,
                                                            DirectChannel.user_id == user_id))


def _update(team_id: str, user_id: str) -> Update:
    return update(DirectChannel).where(DirectChannel.team_id == team_id, DirectChannel.user_id == user_id)


async def unreachable_members(session: AsyncSession, team_id: str, cohort_id: int) -> dict[str, str]:
    """The cohort's members (still in its groups' sign-up) no DM reaches: user id → Slack's error."""
    rows = await session.execute(
        select(DirectChannel.user_id, DirectChannel.unreachable)
        .join(GroupMember, (GroupMember.team_id == DirectChannel.team_id)
              & (GroupMember.user_id == DirectChannel.user_id))
        .where(DirectChannel.team_id == team_id, GroupMember.cohort_id == cohort_id, GroupMember.left_at.is_(None),
               DirectChannel.unreachable.is_not(None))
        .order_by(DirectChannel.user_id))
    return {user_id: error for user_id, error in rows.all() if error}

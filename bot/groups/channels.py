"""The Slack side of a group's channel: create it, invite people, remove someone, archive it.

Each function records its progress in the database right after Slack answers,
so a run that stops half-way (an error, a rate limit, a crash) is resumed by
the next one without a second channel or a second invitation.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import update

from bot.database import Database
from bot.groups.naming import group_channel_name
from bot.groups.records import GroupsError, taken_names
from bot.models.groups import GroupInvite, StudyGroup
from bot.store import insert_ignore

INVITE_BATCH = 1000  # conversations.invite takes at most 1,000 users per call
NAME_ATTEMPTS = 25
RATE_LIMITED = {"ratelimited", "rate_limited"}
# Errors about one invitee: record them and carry on with the others.
PER_USER_ERRORS = {
    "cant_invite", "cant_invite_self", "user_not_found", "no_user", "user_is_restricted", "invitee_cant_see_channel",
    "org_user_not_in_team", "ura_max_channels", "no_external_invite_permission", "user_disabled",
}


def slack_error(error: SlackApiError) -> str:
    return str(error.response.get("error") or "unknown_error")


async def ensure_channel(db: Database, client: AsyncWebClient, group: StudyGroup, cohort_name: str) -> str:
    """The group's private channel, created now if it has none; on `name_taken` the next free suffix."""
    if group.channel_id:
        return group.channel_id
    async with db.session() as session:
        taken = await taken_names(session, group.team_id)
    name = group.name
    for _ in range(NAME_ATTEMPTS):
        try:
            response = await client.conversations_create(name=name, is_private=True)
        except SlackApiError as error:
            if slack_error(error) != "name_taken":
                raise GroupsError(_create_refused(name, slack_error(error))) from None
            if (orphan := await _own_private_channel(client, name)) is not None:
                # An earlier attempt created it (a crash, or an answer lost on the way back): adopt it.
                await _save(db, group.id, name=name, channel_id=orphan)
                group.name, group.channel_id = name, orphan
                return orphan
            taken.add(name)
            name = group_channel_name(cohort_name, group.center_offset, taken)
            await _save(db, group.id, name=name)
            continue
        channel_id = response["channel"]["id"]
        await _save(db, group.id, name=name, channel_id=channel_id)
        group.name, group.channel_id = name, channel_id
        return channel_id
    raise GroupsError(f"Every channel name like #{group.name} is taken; rename some old channels and run again.")


async def _own_private_channel(client: AsyncWebClient, name: str) -> str | None:
    """The id of the private channel named `name` that the bot itself created, or None (Slack lists
    private channels only to their members; `creator` tells ours from one we were invited to)."""
    bot_user = (await client.auth_test()).get("user_id")
    cursor = None
    while True:
        page = await client.conversations_list(types="private_channel", exclude_archived=True, limit=200,
                                               cursor=cursor)
        for channel in page.get("channels") or []:
            if channel.get("name") == name and channel.get("creator") == bot_user:
                return str(channel["id"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return None


def _create_refused(name: str, error: str) -> str:
    if error in RATE_LIMITED:
        return f"Slack is rate-limiting channel creation (at #{name}); run again in a few minutes to finish."
    if error in ("restricted_action", "cannot_create_channel", "missing_scope", "no_permission"):
        return (
            f"Slack refused to create #{name} ({error}). Groups made so far are kept; run again to resume"
            " once the workspace allows the app to create private channels."
        )
    return f"Slack could not create #{name} ({error}). Groups made so far are kept; run again to resume."


async def _save(db: Database, group_id: int, **values: str) -> None:
    async with db.session() as session:
        await session.execute(update(StudyGroup).where(StudyGroup.id == group_id).values(**values))


async def invite(
    db: Database, client: AsyncWebClient, group: StudyGroup, users: Sequence[str], now: datetime
) -> dict[str, str]:
    """Invite `users` (not yet invited) in batches; returns {user: outcome} for each one handled."""
    outcomes: dict[str, str] = {}
    for start in range(0, len(users), INVITE_BATCH):
        batch = list(users[start:start + INVITE_BATCH])
        outcomes.update(await _invite_batch(client, group, batch))
        await _record_invites(db, group, {u: outcomes[u] for u in batch}, now)
    return outcomes


async def _invite_batch(client: AsyncWebClient, group: StudyGroup, batch: list[str]) -> dict[str, str]:
    assert group.channel_id, "invitations follow ensure_channel"
    try:
        response = await client.conversations_invite(channel=group.channel_id, users=",".join(batch), force=True)
    except SlackApiError as error:
        code = slack_error(error)
        if code == "already_in_channel":
            return dict.fromkeys(batch, "invited")
        if code in RATE_LIMITED:
            raise GroupsError(
                f"Slack is rate-limiting invitations (at #{group.name}); everyone invited so far is recorded."
                " Run again in a few minutes to invite the rest."
            ) from None
        if code in PER_USER_ERRORS and len(batch) > 1:
            return await _invite_one_by_one(client, group, batch)
        if code in PER_USER_ERRORS:
            return {batch[0]: code}
        raise GroupsError(f"Slack refused invitations to #{group.name} ({code}); run again to resume.") from None
    failed = {e.get("user"): e.get("error", "cant_invite") for e in response.get("errors") or [] if e.get("user")}
    return {user: failed.get(user, "invited") for user in batch}


async def _invite_one_by_one(client: AsyncWebClient, group: StudyGroup, batch: list[str]) -> dict[str, str]:
    outcomes = {}
    for user in batch:
        outcomes.update(await _invite_batch(client, group, [user]))
    return outcomes


async def _record_invites(db: Database, group: StudyGroup, outcomes: dict[str, str], now: datetime) -> None:
    async with db.session() as session:
        for user, outcome in outcomes.items():
            await insert_ignore(session, GroupInvite, {
                "team_id": group.team_id, "group_id": group.id, "user_id": user, "invited_at": now,
                "outcome": outcome[:32],
            })


async def remove(client: AsyncWebClient, channel_id: str, user_id: str) -> str | None:
    """Remove someone from a group channel; None when done (or already gone), else Slack's reason."""
    try:
        await client.conversations_kick(channel=channel_id, user=user_id)
    except SlackApiError as error:
        code = slack_error(error)
        return None if code in ("not_in_channel", "channel_not_found") else code
    return None


async def archive(client: AsyncWebClient, channel_id: str) -> None:
    try:
        await client.conversations_archive(channel=channel_id)
    except SlackApiError as error:
        if slack_error(error) != "already_archived":
            raise GroupsError(f"Slack refused to archive <#{channel_id}> ({slack_error(error)}).") from None

"""Telling a cohort's organizers, once, about a scheduled job that needs them.

The scheduler backs off a failing run and calls `tell_organizers` when a person
must act (the bot was removed from the channel, the channel was archived, the
token was revoked) or when an ordinary failure has lasted a while. Each alert is
a direct message through `post_once`, keyed by the failure, so replicas and
later ticks never send it twice.

A member no direct message reaches is not the cohort's failure: the job carries on, and
`tell_about_unreachable` names the member to the organizers, once.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.database import Database
from bot.direct_messages import unreachable_members
from bot.models import Cohort
from bot.outbound import post_once
from bot.scheduling import Failure, JobContext

log = logging.getLogger(__name__)

FIXES = {
    "channel_not_found": "the channel no longer exists, or I can't see it: choose another with "
                         "`studybot cohort set {cohort} --channel …`",
    "not_in_channel": "invite me: type `/invite @studybot` in {channel}",
    "is_archived": "{channel} is archived: unarchive it, "
                   "or choose another with `studybot cohort set {cohort} --channel …`",
    "missing_scope": "the app lacks a permission it needs: reinstall it from manifest.yml",
    "invalid_auth": "the bot token is no longer valid: reinstall the app and update SLACK_BOT_TOKEN",
    "token_revoked": "the bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN",
    "account_inactive": "the bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN",
    "not_authed": "the bot has no token: set SLACK_BOT_TOKEN",
}


def alert_text(cohort: Cohort, failure: Failure) -> str:
    fix = FIXES.get(failure.error, "it keeps failing; the bot's log says more")
    channel = f"<#{cohort.channel_id}>"
    retry = "I'll try again every hour." if failure.needs_a_person else "I'll keep trying, less and less often."
    return (f":warning: I couldn't run *{failure.job}* ({failure.occurrence.key}) for *{cohort.name}*: "
            f"Slack said `{failure.error}`.\nTo fix it: {fix.format(cohort=cohort.name, channel=channel)}.\n{retry}")


async def tell_organizers(ctx: JobContext, failure: Failure) -> None:
    """A direct message to each organizer of the failing occurrence's cohort."""
    cohort_id = failure.occurrence.data.get("cohort_id") or _cohort_id(failure.occurrence.scope)
    async with ctx.db.session() as session:
        cohort = await session.scalar(select(Cohort).where(Cohort.id == cohort_id)) if cohort_id else None
    if cohort is None or not cohort.organizers:
        log.warning("no organizer to tell: %s %s failed: %s", failure.job, failure.occurrence.key, failure.error)
        return
    client = ctx.client_for(cohort.team_id)
    # One alert per cohort, kind of failure and day: several jobs failing for one cause make one message.
    key = f"alert:{failure.occurrence.scope}:{failure.error}:{ctx.now.date().isoformat()}"
    for organizer in cohort.organizers:
        await post_once(ctx.db, client, team_id=cohort.team_id, key=f"{key}:{organizer}"[:191], channel=organizer,
                        text=alert_text(cohort, failure), now=ctx.now)


def _cohort_id(scope: str) -> int | None:
    number = scope.removeprefix("cohort-")
    return int(number) if number != scope and number.isdigit() else None


def unreachable_text(cohort: Cohort, user_id: str, error: str) -> str:
    return (f":warning: I couldn't send a direct message to <@{user_id}> (*{cohort.name}*): Slack said `{error}` — "
            "they may have been deactivated or left the workspace, or they can't receive messages from apps.\n"
            "Everyone else got theirs; nothing about the cohort needs changing. "
            "`studybot doctor` and the weekly report list the members I can't reach.")


async def tell_about_unreachable(db: Database, client: AsyncWebClient, cohort: Cohort, user_ids: Iterable[str],
                                 now: datetime) -> None:
    """One DM to each organizer (who can be reached) about each of `user_ids` no DM reaches, once per member."""
    async with db.session() as session:
        missing = await unreachable_members(session, cohort.team_id, cohort.id)
    for user_id in (u for u in user_ids if u in missing):
        for organizer in (o for o in cohort.organizers or [] if o not in missing):
            await post_once(db, client, team_id=cohort.team_id, channel=organizer, now=now,
                            key=f"alert:unreachable:{cohort.id}:{user_id}:{organizer}",
                            text=unreachable_text(cohort, user_id, missing[user_id]))

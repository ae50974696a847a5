"""`/study admin …`: an organizer sees and steers the weekly rhythm of the cohort the request means.

One entry point for the slash command: it finds the cohort, checks the person
may steer it, applies the change and returns the reply to show. A change that
cannot be made raises `StudyError` ending in "Nothing was changed."
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks import slack_date
from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort
from bot.organizers import REFUSAL, OrganizerCheck
from bot.rhythm.admin import (
    change,
    parse_week_number,
    pause_before,
    set_session,
    skip_announcement,
    status_card,
    unpause_before,
)
from bot.rhythm.compose import rerun_announcement
from bot.rhythm.views import admin_usage, render_admin_result, render_status
from bot.sessions.admin import admin_week_change, is_week_change

UNCHANGED = " Nothing was changed."
WEEK_ACTIONS = {"pause", "unpause", "skip", "rerun"}


async def organizer_cohort(db: Database, *, organizers: OrganizerCheck, team_id: str, user_id: str, channel_id: str,
                           command: str, subcommand: str = "admin") -> Cohort:
    """The cohort this request means, if `user_id` may steer it; StudyError (which, or the refusal) otherwise."""
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command,
                                          subcommand=subcommand)
    if not await organizers.allows(team_id, user_id, cohort):
        raise StudyError(REFUSAL)
    return cohort


async def admin_reply(db: Database, client: AsyncWebClient, *, organizers: OrganizerCheck, team_id: str,
                      user_id: str, channel_id: str, command: str, args: str) -> dict[str, Any]:
    """The reply to `/study admin ARGS` (no arguments: the status card)."""
    cohort = await organizer_cohort(db, organizers=organizers, team_id=team_id, user_id=user_id,
                                    channel_id=channel_id, command=command)
    words = args.strip().split(None, 1)
    action = words[0].lower() if words else "status"
    rest = words[1].strip() if len(words) > 1 else ""
    now = db.clock.now()
    if action == "status":
        async with db.session() as session:
            return render_status(await status_card(session, cohort, now), command)
    try:
        text = await _act(db, client, cohort, action, rest, now, command)
    except StudyError as error:
        raise StudyError(str(error) + UNCHANGED) from None
    return render_admin_result(text)


async def _act(db: Database, client: AsyncWebClient, cohort: Cohort, action: str, rest: str, now: datetime,
               command: str) -> str:
    if action == "session" and is_week_change(rest):
        return await admin_week_change(db, cohort, rest, command)
    if action == "session":
        if not rest:
            raise StudyError(f"Expected a weekday and a time like `{command} admin session tue 18:00`, or `off`.")
        session_time = await change(db, cohort.id, lambda c: set_session(c, rest))
        if session_time is None:
            return "No live session any more: announcements won't mention one and no reminders go out."
        return f"Live session set to {session_time} ({cohort.timezone}); reminders go out 24 h and 1 h before."
    if action == "help":
        return admin_usage(command)
    if action not in WEEK_ACTIONS:
        return f"I don't know `admin {action[:30]}`. Try: {admin_usage(command)}"
    week = parse_week_number(cohort, rest)
    if action == "pause":
        opens = await change(db, cohort.id, lambda c: pause_before(c, week, now))
        return f"Paused for one week: week {week} (and every later week) now opens {slack_date(opens)}."
    if action == "unpause":
        opens = await change(db, cohort.id, lambda c: unpause_before(c, week, now))
        when = "now — it will be announced within a minute" if opens <= now else slack_date(opens)
        return f"Break removed: week {week} opens {when}."
    if action == "skip":
        async with db.session() as session:
            await skip_announcement(session, cohort, week, now)
        return f"Week {week}'s announcement will not be posted. `{command} admin rerun {week}` posts it after all."
    posted = await rerun_announcement(db, client, cohort, week, now, command)
    if posted is None or not posted.fresh:
        return f"Week {week}'s announcement is already being re-posted by another request."
    return f"Re-posted week {week}'s announcement in <#{posted.channel_id}>."

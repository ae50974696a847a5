"""`/study admin …`: organizers see and steer the weekly rhythm of the channel's cohort."""
from __future__ import annotations

from bot.cohorts.store import cohort_for_channel
from bot.organizers import REFUSAL
from bot.rhythm.views import admin_usage, render_admin_result, render_status
from bot.blocks import slack_date
from bot.rhythm.admin import (
    change,
    parse_week_number,
    pause_before,
    set_session,
    skip_announcement,
    status_card,
    unpause_before,
)
from bot.rhythm.announce import rerun_announcement
from handlers.commands.router import CommandRequest, split, subcommand

NO_COHORT = ("I can't tell which cohort you mean: run `{command} admin` in the cohort's channel"
             " (there are several cohorts, or none yet).")
UNCHANGED = " Nothing was changed."


@subcommand("admin", "admin status | pause <week> | skip <week> | rerun <week> | session <day HH:MM>",
            "See and steer this cohort's weekly rhythm.", organizer=True)
async def admin(request: CommandRequest) -> None:
    db = request.runtime.db
    async with db.session() as session:
        cohort = await cohort_for_channel(session, request.team_id, request.channel_id)
    if cohort is None:
        await request.reply(NO_COHORT.format(command=request.command))
        return
    if not await request.runtime.organizers.allows(request.team_id, request.user_id, cohort):
        await request.reply(REFUSAL)
        return
    action, rest = split(request.args) if request.args.strip() else ("status", "")
    try:
        if action == "status":
            async with db.session() as session:
                await request.reply(**render_status(await status_card(session, cohort, request.now), request.command))
            return
        text = await _act(request, cohort, action, rest)
    except ValueError as error:
        text = str(error) + UNCHANGED
    await request.reply(**render_admin_result(text))


async def _act(request: CommandRequest, cohort, action: str, rest: str) -> str:  # type: ignore[no-untyped-def]
    db, now = request.runtime.db, request.now
    if action == "session":
        if not rest:
            raise ValueError(f'Expected a weekday and a time like `{request.command} admin session tue 18:00`,'
                             " or `off`.")
        session_time = await change(db, cohort.id, lambda c: set_session(c, rest))
        if session_time is None:
            return "No live session any more: announcements won't mention one and no reminders go out."
        return f"Live session set to {session_time} ({cohort.timezone}); reminders go out 24 h and 1 h before."
    if action == "help":
        return admin_usage(request.command)
    if action not in {"pause", "unpause", "skip", "rerun"}:
        return f"I don't know `admin {action[:30]}`. Try: {admin_usage(request.command)}"
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
        return (f"Week {week}'s announcement will not be posted."
                f" `{request.command} admin rerun {week}` posts it after all.")
    posted = await rerun_announcement(db, request.runtime.client_for(cohort.team_id), cohort, week, now,
                                      request.command)
    if posted is None or not posted.fresh:
        return f"Week {week}'s announcement is already being re-posted by another request."
    return f"Re-posted week {week}'s announcement in <#{posted.channel_id}>."

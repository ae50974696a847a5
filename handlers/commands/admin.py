"""`/study admin …`: organizers see and steer the weekly rhythm of the cohort the request means."""
from __future__ import annotations

from bot.doctor.reply import doctor_reply
from bot.rhythm.steering import admin_reply
from handlers.commands.router import CommandRequest, subcommand


@subcommand("admin", "admin status | pause <week> | skip <week> | rerun <week> | session <day HH:MM>"
            " | session <week> [at YYYY-MM-DD HH:MM] [link URL] [cancel|restore]",
            "See and steer this cohort's weekly rhythm; move, relink or cancel one week's live session.",
            organizer=True)
async def admin(request: CommandRequest) -> None:
    runtime = request.runtime
    await request.reply(**await admin_reply(
        runtime.db, runtime.client_for(request.team_id), organizers=runtime.organizers, team_id=request.team_id,
        user_id=request.user_id, channel_id=request.channel_id,
        command=request.command, args=request.args,
    ))


@subcommand("admin doctor", "admin doctor", "Check the token, scopes, channels, syllabus and next posts.",
            organizer=True)
async def doctor(request: CommandRequest) -> None:
    runtime = request.runtime
    await request.reply(**await doctor_reply(
        runtime.db, runtime.client_for(request.team_id), organizers=runtime.organizers, team_id=request.team_id,
        user_id=request.user_id, channel_id=request.channel_id,
        command=request.command,
    ))

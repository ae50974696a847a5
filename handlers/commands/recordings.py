"""`/study recordings` and `/study admin recording N URL`: the live sessions' recordings."""
from __future__ import annotations

from bot.ama.recording_admin import admin_recording
from bot.rhythm.occurrences import announcement_key
from bot.sessions.recordings import recordings_for_request
from handlers.commands.router import CommandRequest, subcommand


@subcommand("recordings", "recordings", "The recordings of this cohort's live sessions.", order=47)
async def recordings(request: CommandRequest) -> None:
    await request.reply(**await recordings_for_request(request.runtime.db, team_id=request.team_id,
                                                        channel_id=request.channel_id, user_id=request.user_id,
                                                        command=request.command))


@subcommand("admin recording", "admin recording <week> <https://link>",
            "Add (or replace) a week's session recording: posted in that week's thread, askers told where"
            " their question is answered.", organizer=True)
async def admin(request: CommandRequest) -> None:
    runtime = request.runtime
    await request.reply(await admin_recording(
        runtime.db, runtime.client_for(request.team_id), runtime.organizers, team_id=request.team_id,
        channel_id=request.channel_id, user_id=request.user_id, args=request.args, now=request.now,
        command=request.command, announcement_key=announcement_key))

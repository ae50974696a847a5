"""`/study progress`: the member's questionnaire progress, chapter by chapter, and chapters done (ephemeral)."""
from __future__ import annotations

from bot.completion.marks import progress_reply
from handlers.commands.router import CommandRequest, subcommand


@subcommand("progress", "progress", "Your questionnaire progress, chapters done, and this week's next question.",
            order=20)
async def show_progress(request: CommandRequest) -> None:
    reply = await progress_reply(
        request.runtime.db, request.client, team_id=request.team_id, channel_id=request.channel_id,
        user_id=request.user_id, now=request.now, command=request.command,
    )
    await request.reply(**reply)

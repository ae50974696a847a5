"""`/study calendar [reset]`: the member's private calendar feed URL."""
from __future__ import annotations

from bot.feeds.member import calendar_command
from handlers.commands.router import CommandRequest, subcommand


@subcommand("calendar", "calendar [reset]",
            "Your private calendar link: live sessions, your group's meeting, your reading time (reset: a new one).",
            order=34)
async def calendar(request: CommandRequest) -> None:
    reply = await calendar_command(request.runtime.db, request.team_id, request.channel_id, request.user_id,
                                   request.args, request.now, command=request.command,
                                   public_url=request.runtime.settings.public_url)
    await (request.reply(reply) if isinstance(reply, str) else request.reply(**reply))

"""`/study buddy [off]`: parse, call the buddies' use case, reply with what it returns."""
from __future__ import annotations

from bot.buddies.optin import buddy_command
from handlers.commands.router import CommandRequest, subcommand


@subcommand("buddy", "buddy [off]", "Get one study buddy (a weekly check-in together); `off` ends it kindly.",
            order=23)
async def buddy(request: CommandRequest) -> None:
    await request.reply(await buddy_command(request.runtime.db, request.client, team_id=request.team_id,
                                            channel_id=request.channel_id, user_id=request.user_id,
                                            args=request.args, command=request.command))

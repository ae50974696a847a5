"""`/study done [N] [undo]`: mark a chapter done (this week's by default), or take the mark back."""
from __future__ import annotations

from bot.completion.marks import done_command
from bot.completion.views import USAGE
from handlers.commands.router import CommandRequest, subcommand


@subcommand("done", USAGE, "Mark a chapter done (this week's unless you name one); `undo` takes your mark back.",
            order=21)
async def mark_done(request: CommandRequest) -> None:
    await request.reply(await done_command(request.runtime.db, team_id=request.team_id,
                                           channel_id=request.channel_id, user_id=request.user_id,
                                           args=request.args, now=request.now, command=request.command))

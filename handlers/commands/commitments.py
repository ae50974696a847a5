"""`/study commit [day]`: commit to finishing this week's chapter by a day of the week."""
from __future__ import annotations

from bot.commitments.commit import commit_command
from handlers.commands.router import CommandRequest, subcommand


@subcommand("commit", "commit [day]", "Commit to finishing this week's chapter by a day (e.g. `commit thu`);"
            " I'll ask how it went that evening.", order=33)
async def commit(request: CommandRequest) -> None:
    outcome = await commit_command(request.runtime.db, request.team_id, request.channel_id, request.user_id,
                                   request.args, request.now, request.command)
    if isinstance(outcome, str):
        await request.reply(outcome)
    else:
        await request.reply(outcome["text"], outcome["blocks"])

"""`/study remind [off]`, `/study pause [weeks]`, `/study nudges off|on`: a member's own rhythm."""
from __future__ import annotations

from bot.retention.planning import remind_command
from bot.retention.preferences import nudges_command, pause_command
from handlers.commands.router import CommandRequest, subcommand


@subcommand("remind", "remind [off]", "Pick when you'll read each week (I DM you then), or stop it.", order=30)
async def remind(request: CommandRequest) -> None:
    outcome = await remind_command(request.runtime.db, request.team_id, request.channel_id, request.user_id,
                                   request.args, request.now, request.command)
    if isinstance(outcome, str):
        await request.reply(outcome)
    else:
        await request.client.views_open(trigger_id=request.trigger_id, view=outcome)


@subcommand("pause", "pause [weeks]", "No nudges for a while (2 weeks by default; 0 resumes).", order=31)
async def pause(request: CommandRequest) -> None:
    await request.reply(await pause_command(request.runtime.db, request.team_id, request.channel_id, request.user_id,
                                            request.args, request.now, request.command))


@subcommand("nudges", "nudges off|on", "Turn the gentle messages after quiet weeks off or on.", order=32)
async def nudges(request: CommandRequest) -> None:
    await request.reply(await nudges_command(request.runtime.db, request.team_id, request.channel_id,
                                             request.user_id, request.args, request.now, request.command))

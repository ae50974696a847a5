"""`/study ask`, `/study ama` and `/study admin ama`: the live session's questions."""
from __future__ import annotations

from bot.ama.admin import admin_ama
from bot.ama.asking import ask, open_ask_form
from bot.ama.member_board import show_board
from handlers.commands.router import CommandRequest, subcommand


@subcommand("ask", "ask [question]", "Ask a question for the live session (alone: a form where you can ask"
            " anonymously).", order=45)
async def ask_question(request: CommandRequest) -> None:
    runtime = request.runtime
    if not request.args.strip():
        view = await open_ask_form(runtime.db, team_id=request.team_id, channel_id=request.channel_id,
                                   user_id=request.user_id, now=request.now, command=request.command)
        await request.client.views_open(trigger_id=request.trigger_id, view=view)
        return
    asked = await ask(runtime.db, runtime.client_for(request.team_id), team_id=request.team_id,
                      channel_id=request.channel_id, user_id=request.user_id, text=request.args, anonymous=False,
                      now=request.now, command=request.command)
    await request.reply(**asked.message)


@subcommand("ama", "ama", "The live session's questions by votes, with your votes marked.", order=46)
async def board(request: CommandRequest) -> None:
    message = await show_board(request.runtime.db, team_id=request.team_id, channel_id=request.channel_id,
                               user_id=request.user_id, now=request.now, command=request.command)
    await request.reply(**message)


@subcommand("admin ama", "admin ama export [week] | open <week>|next | top-to channel|organizers"
            " | answered <id> [12:34]",
            "Export the session's questions; open a later session's board; choose where the top 10 go; mark a"
            " question answered at a moment of the recording.",
            organizer=True)
async def admin(request: CommandRequest) -> None:
    runtime = request.runtime
    message = await admin_ama(runtime.db, runtime.organizers, team_id=request.team_id, channel_id=request.channel_id,
                              user_id=request.user_id, args=request.args, now=request.now, command=request.command,
                              client=runtime.client_for(request.team_id))
    await request.reply(**message)

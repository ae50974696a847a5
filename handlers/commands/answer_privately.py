"""`/study answer [chapter]`: answer a chapter's questions privately, in a modal."""
from __future__ import annotations

from bot.questionnaire.member import parse_chapter, private_modal
from handlers.commands.router import CommandRequest, subcommand

USAGE = "answer [chapter]"


@subcommand("answer", USAGE, "Answer this week's questions privately (they count for your progress).", order=21)
async def open_private_answers(request: CommandRequest) -> None:
    chapter = parse_chapter(request.args, f"{request.command} {USAGE}")
    view = await private_modal(
        request.runtime.db, team_id=request.team_id, user_id=request.user_id, now=request.now,
        command=request.command, channel_id=request.channel_id, chapter=chapter,
    )
    await request.client.views_open(trigger_id=request.trigger_id, view=view)

"""`/study answers [chapter]`: the member's own answers, sent to them as a Markdown DM."""
from __future__ import annotations

from bot.completion.marks import answers_reply
from bot.questionnaire.member import parse_chapter
from handlers.commands.router import CommandRequest, subcommand

USAGE = "answers [chapter]"


@subcommand("answers", USAGE, "Get your questionnaire answers as Markdown in a DM.", order=22)
async def send_my_answers(request: CommandRequest) -> None:
    chapter = parse_chapter(request.args, f"{request.command} {USAGE}")
    reply = await answers_reply(
        request.runtime.db, request.client, team_id=request.team_id, channel_id=request.channel_id,
        user_id=request.user_id, chapter=chapter, sleep=request.runtime.sleep, command=request.command,
    )
    await request.reply(**reply)

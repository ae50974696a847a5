"""`/study answers [chapter]`: the member's answers, sent to them as a Markdown DM."""
from __future__ import annotations

from bot.questionnaire.member import MemberError, parse_chapter, send_answers
from handlers.commands.router import CommandRequest, subcommand

USAGE = "answers [chapter]"


@subcommand("answers", USAGE, "Get your questionnaire answers as Markdown in a DM.", order=22)
async def send_my_answers(request: CommandRequest) -> None:
    try:
        chapter = parse_chapter(request.args, f"{request.command} {USAGE}")
        sent = await send_answers(
            request.runtime.db, request.client, team_id=request.team_id, channel_id=request.channel_id,
            user_id=request.user_id, chapter=chapter, sleep=request.runtime.sleep,
            command=request.command,
        )
    except MemberError as error:
        await request.reply(str(error))
        return
    plural = "s" if sent.answers != 1 else ""
    await request.reply(f"I've sent you your {sent.answers} answer{plural} as Markdown in a DM from studybot.")

"""`/study privacy`, `/study my-data`, `/study forget-me`: a member's data, explained, sent, forgotten."""
from __future__ import annotations

from bot.privacy.export import send_my_data
from bot.privacy.views import my_data_sent, render_forget_confirmation, render_privacy
from handlers.commands.router import CommandRequest, subcommand


@subcommand("privacy", "privacy", "What studybot stores about you, and why.", order=80)
async def privacy(request: CommandRequest) -> None:
    await request.reply(**render_privacy(request.command, request.runtime.settings.purge_text_after_months))


@subcommand("my-data", "my-data", "Get everything studybot stores about you, as a file in a DM.", order=81)
async def my_data(request: CommandRequest) -> None:
    records = await send_my_data(request.runtime.db, request.client, request.command, team_id=request.team_id,
                                 user_id=request.user_id, now=request.now)
    await request.reply(my_data_sent(records))


@subcommand("forget-me", "forget-me", "Delete everything studybot stores about you (asks first).", order=82)
async def forget_me(request: CommandRequest) -> None:
    await request.reply(**render_forget_confirmation())

"""`/study help` (and `/study` alone): what the bot can do."""
from __future__ import annotations

from bot.help import render_help
from handlers.commands.router import CommandRequest, listed, subcommand


@subcommand("help", "help", "Show this list of commands.", order=0)
async def show_help(request: CommandRequest) -> None:
    await request.reply(**render_help(request.command, listed()))

"""`/study help` (and `/study` alone): what the bot can do."""
from __future__ import annotations

from functools import cache

from bot.help import render_help
from handlers.commands.router import CommandRequest, Subcommand, listed, subcommand


@subcommand("help", "help", "Show this list of commands.", order=0)
async def show_help(request: CommandRequest) -> None:
    await request.reply(**_help(request.command, tuple(listed())))


@cache
def _help(command: str, entries: tuple[Subcommand, ...]) -> dict:
    """The same list for every request: rendered once per command name (and set of subcommands)."""
    return render_help(command, entries)

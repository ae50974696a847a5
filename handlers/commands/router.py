"""Subcommands of the slash command: a registry, and the request every handler receives."""
from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.runtime import Runtime


@dataclass
class CommandRequest:
    """One `/study …` invocation, already acknowledged; reply with `respond` (ephemeral)."""

    runtime: Runtime
    client: AsyncWebClient
    respond: Callable[..., Awaitable[Any]]
    command: str
    name: str
    args: str
    team_id: str
    user_id: str
    channel_id: str
    trigger_id: str | None

    @property
    def now(self) -> datetime:
        return self.runtime.clock.now()

    async def reply(self, text: str, blocks: list[dict] | None = None) -> None:
        await self.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    async def update(self, text: str, blocks: list[dict] | None = None) -> None:
        """Replace this command's last reply in place (progress, then the outcome); the first one is sent."""
        await self.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=True)


Handler = Callable[[CommandRequest], Awaitable[None]]


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    summary: str
    handler: Handler
    organizer: bool = False
    order: int = 50


SUBCOMMANDS: dict[str, Subcommand] = {}


def subcommand(name: str, usage: str, summary: str, *, organizer: bool = False,
               order: int = 50) -> Callable[[Handler], Handler]:
    """Declare `/study NAME`; the help lists it with its usage and one-line summary."""

    def decorate(handler: Handler) -> Handler:
        if name in SUBCOMMANDS and SUBCOMMANDS[name].handler is not handler:
            raise RuntimeError(f"subcommand {name!r} declared twice")
        SUBCOMMANDS[name] = Subcommand(name, usage, summary, handler, organizer, order)
        return handler

    return decorate


def split(text: str) -> tuple[str, str]:
    """`"answers 3"` → `("answers", "3")`; an empty text is `help`."""
    parts = (text or "").strip().split(None, 1)
    if not parts:
        return "help", ""
    return parts[0].lower(), parts[1].strip() if len(parts) > 1 else ""


def resolve(name: str, args: str) -> tuple[Subcommand | None, str]:
    """The subcommand and its arguments; a two-word declaration ("admin groups") wins over
    the one-word one, so a feature can add `/study admin groups …` beside another's `/study admin …`."""
    if args:
        first, rest = split(args)
        compound = SUBCOMMANDS.get(f"{name} {first}")
        if compound is not None:
            return compound, rest
    return SUBCOMMANDS.get(name), args


def closest(name: str) -> str | None:
    matches = difflib.get_close_matches(name, list(SUBCOMMANDS), n=1, cutoff=0.6)
    return matches[0] if matches else None


def listed() -> list[Subcommand]:
    return sorted(SUBCOMMANDS.values(), key=lambda s: (s.organizer, s.order, s.name))

"""`reaction_added` / `reaction_removed`, parsed once and fanned out like messages."""
from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.database import Database
from bot.messages import ReactionChange
from bot.runtime import Runtime
from bot.share import following

log = logging.getLogger(__name__)
ReactionConsumer = Callable[[ReactionChange, Database, AsyncWebClient], Awaitable[None]]
REACTION_CONSUMERS: tuple[ReactionConsumer, ...] = (following.consume_reaction,)


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.event("reaction_added")(on_reaction)
    app.event("reaction_removed")(on_reaction)


async def on_reaction(event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient) -> None:
    item = event.get("item") or {}
    if item.get("type") != "message":
        return
    change = ReactionChange(
        team_id=context.team_id or "", channel_id=item.get("channel", ""), message_ts=item.get("ts", ""),
        user_id=event.get("user", ""), reaction=event.get("reaction", ""), added=event["type"] == "reaction_added",
        event_ts=event.get("event_ts"),
    )
    for consumer in REACTION_CONSUMERS:
        try:
            await consumer(change, context["runtime"].db, client)
        except Exception:  # one consumer failing must not stop the others
            log.exception("reaction consumer %s failed", consumer.__name__)

"""Every `message` event, parsed once and fanned out to the features that follow channels.

Bolt runs only the first listener matching an event, so there is one `message`
listener; it hands each message to every feature that follows channels, in the
order of `CONSUMERS`: answers in questionnaire threads, group channel activity,
the share channel.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.database import Database
from bot.dedup import hand_to_consumers
from bot.groups import group_activity
from bot.messages import ChannelMessage, from_payload, is_bot_payload
from bot.questionnaire import thread_answers
from bot.retention import welcome_back
from bot.runtime import Runtime
from bot.share import following

Consumer = Callable[[ChannelMessage, Database, AsyncWebClient], Awaitable[None]]
CONSUMERS: tuple[Consumer, ...] = (thread_answers.consume_message, group_activity.consume_message,
                                   following.consume_message,
                                   welcome_back.consume_message)  # last: it reads what the others recorded
IGNORED_SUBTYPES = {"channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name",
                    "channel_archive", "channel_unarchive", "group_join", "group_leave", "pinned_item",
                    "ekm_access_denied"}


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.event("message")(on_message)


async def on_message(event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient) -> None:
    message = parse_message(event, context.team_id or "")
    if message is None:
        return
    # Every consumer runs; if one failed, the event stays in the inbox and is run again (bot.dedup).
    await hand_to_consumers(CONSUMERS, message, context["runtime"].db, client)


def parse_message(event: dict[str, Any], team_id: str) -> ChannelMessage | None:
    subtype = event.get("subtype")
    channel = event.get("channel", "")
    if subtype in IGNORED_SUBTYPES:
        return None
    if subtype == "message_deleted":
        previous = event.get("previous_message") or {}
        return ChannelMessage("deleted", team_id, channel, event.get("deleted_ts") or previous.get("ts", ""),
                              previous.get("user"), thread_ts=previous.get("thread_ts"),
                              is_bot=is_bot_payload(previous))
    if subtype == "message_changed":
        inner = event.get("message") or {}
        if inner.get("subtype") == "tombstone":
            return ChannelMessage("deleted", team_id, channel, inner.get("ts", ""), inner.get("user"),
                                  thread_ts=inner.get("thread_ts"))
        return from_payload("edited", team_id, channel, inner)
    return from_payload("posted", team_id, channel, event)

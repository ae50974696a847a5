"""Every `message` event, parsed once and fanned out to the features that follow channels.

Bolt runs only the first listener matching an event, so there is one `message`
listener; it hands each message to every feature that follows channels, in the
order of `CONSUMERS`: answers in questionnaire threads, group channel activity,
the share channel.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.groups import reports as group_activity
from bot.messages import ChannelMessage
from bot.questionnaire import answers
from bot.retention import welcome_back
from bot.share import following

log = logging.getLogger(__name__)
Consumer = Callable[[ChannelMessage, Any, Any], Awaitable[None]]  # (message, runtime, client)
CONSUMERS: tuple[Consumer, ...] = (answers.consume_message, group_activity.consume_message, following.consume_message,
                                   welcome_back.consume_message)  # last: it reads what the others recorded
LINK = re.compile(r"<(https?://[^|>]+)(?:\|[^>]*)?>")
IGNORED_SUBTYPES = {"channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name",
                    "channel_archive", "channel_unarchive", "group_join", "group_leave", "pinned_item", "ekm_access_denied"}


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.event("message")(on_message)


async def on_message(event: dict[str, Any], body: dict[str, Any], context, client) -> None:  # type: ignore[no-untyped-def]
    message = parse_message(event, context.team_id or "")
    if message is None:
        return
    for consumer in CONSUMERS:
        try:
            await consumer(message, context["runtime"], client)
        except Exception:  # noqa: BLE001 - one feature's failure must not starve the others
            log.exception("message consumer %s failed", consumer.__name__)


def parse_message(event: dict[str, Any], team_id: str) -> ChannelMessage | None:
    subtype = event.get("subtype")
    channel = event.get("channel", "")
    if subtype in IGNORED_SUBTYPES:
        return None
    if subtype == "message_deleted":
        previous = event.get("previous_message") or {}
        return ChannelMessage("deleted", team_id, channel, event.get("deleted_ts") or previous.get("ts", ""),
                              previous.get("user"), thread_ts=previous.get("thread_ts"),
                              is_bot=_is_bot(previous))
    if subtype == "message_changed":
        inner = event.get("message") or {}
        if inner.get("subtype") == "tombstone":
            return ChannelMessage("deleted", team_id, channel, inner.get("ts", ""), inner.get("user"),
                                  thread_ts=inner.get("thread_ts"))
        return _from_payload("edited", team_id, channel, inner)
    return _from_payload("posted", team_id, channel, event)


def _from_payload(kind: str, team_id: str, channel: str, payload: dict[str, Any]) -> ChannelMessage:
    text = payload.get("text") or ""
    return ChannelMessage(
        kind=kind,
        team_id=team_id,
        channel_id=channel,
        ts=payload.get("ts", ""),
        user_id=payload.get("user"),
        text=text,
        thread_ts=payload.get("thread_ts"),
        is_bot=_is_bot(payload),
        is_broadcast=payload.get("subtype") == "thread_broadcast",
        files=tuple(f.get("id", "") for f in payload.get("files") or []),
        links=tuple(LINK.findall(text)),
        reply_count=int(payload.get("reply_count") or 0),
        # `edited.ts` orders edits that arrive out of order.
        extra={"edited_ts": (payload.get("edited") or {}).get("ts")} if payload.get("edited") else {},
    )


def _is_bot(payload: dict[str, Any]) -> bool:
    return bool(payload.get("bot_id")) or payload.get("subtype") == "bot_message"

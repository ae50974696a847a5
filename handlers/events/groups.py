"""Group channel activity: every member's message in a group channel is counted, from message events."""
from __future__ import annotations

from typing import Any

from bot.groups.reports import record_message
from bot.messages import ChannelMessage
from handlers.events.message import message_consumer


@message_consumer
async def count_group_message(message: ChannelMessage, runtime: Any, client: Any) -> None:
    if message.kind != "posted" or message.is_bot or not message.user_id:
        return
    await record_message(runtime.db, message.team_id, message.channel_id, message.posted_at)

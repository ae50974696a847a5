"""The share channel, followed: messages and reactions there go to the share record."""
from __future__ import annotations

from typing import Any

from bot.messages import ChannelMessage, ReactionChange
from bot.share.following import follow_message, follow_reaction
from handlers.events.message import message_consumer
from handlers.events.reactions import reaction_consumer


@message_consumer
async def follow_share_message(message: ChannelMessage, runtime: Any, client: Any) -> None:
    await follow_message(runtime.db, message, runtime.clock.now())


@reaction_consumer
async def follow_share_reaction(change: ReactionChange, runtime: Any, client: Any) -> None:
    await follow_reaction(runtime.db, change, runtime.clock.now())

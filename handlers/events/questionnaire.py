"""Answers in prompt threads: record the reply, acknowledge it, keep the prompt's count live."""
from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.messages import ChannelMessage
from bot.questionnaire.answers import record_message
from bot.questionnaire.counts import mark_dirty, refresh_if_due
from handlers.events.message import message_consumer

log = logging.getLogger(__name__)
ACKNOWLEDGE_REACTION = "white_check_mark"


@message_consumer
async def record_answer(message: ChannelMessage, runtime, client) -> None:  # type: ignore[no-untyped-def]
    now = runtime.clock.now()
    recorded = await record_message(runtime.db, message, now)
    if recorded is None:
        return
    if recorded.acknowledge:
        try:
            await client.reactions_add(channel=message.channel_id, timestamp=message.ts, name=ACKNOWLEDGE_REACTION)
        except SlackApiError as error:  # unobtrusive: a missing ✅ is never worth an error
            log.info("could not acknowledge %s: %s", message.ts, error.response.get("error"))
    if not recorded.prompt_deleted:
        await mark_dirty(runtime.db, [recorded.prompt_id])
        await refresh_if_due(runtime.db, client, recorded.prompt_id, now)

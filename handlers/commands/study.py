"""`/study`: run the subcommand, answering in the ack when it is ready in time (Slack's 3-second rule).

Slack shows an ack's body at once, with no second request; a subcommand that takes
longer (or says several things) is acked empty at the budget and answers through
`respond()`.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import StudyError
from bot.help import render_unknown_command
from bot.inbound import write_down_before_ack
from bot.runtime import Runtime
from handlers.commands.router import CommandRequest, Subcommand, closest, listed, resolve, split

log = logging.getLogger(__name__)
FAILURE = "Sorry — something went wrong on our side and nothing was changed. Please try again in a minute."
ANSWER_IN_ACK_WITHIN = 0.5  # seconds: quick answers ride in the ack; under load the ack still leaves at once


class HeldReplies:
    """A command's replies, held until the ack is decided: the only one goes in the ack, else all via respond().

    A reply that replaces the previous one (`replace_original`) replaces it while still held, and is sent as
    a new message when nothing was shown yet: an update always lands on the member's screen, once."""

    def __init__(self, respond: AsyncRespond) -> None:
        self._respond = respond
        self._held: list[dict[str, Any]] = []
        self._acked = False
        self._shown = False
        self._lock = asyncio.Lock()

    async def send(self, **message: Any) -> None:
        async with self._lock:
            if message.get("replace_original") and (self._held or not self._shown):
                message["replace_original"] = self._held[-1].get("replace_original", False) if self._held else False
                del self._held[-1:]
            if self._acked:
                self._shown = True
                await self._respond(**message)
            else:
                self._held.append(message)

    async def ack(self, ack: AsyncAck, *, finished: bool) -> None:
        async with self._lock:
            self._acked = True
            if finished and len(self._held) == 1:
                message = self._held.pop()
                await ack(text=message.get("text", ""), blocks=message.get("blocks"), response_type="ephemeral")
                return
            await ack()
            for message in self._held:
                self._shown = True
                await self._respond(**message)
            self._held.clear()


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.command(runtime.settings.command)(study)


async def study(ack: AsyncAck, body: dict[str, Any], command: dict[str, Any], respond: AsyncRespond,
                client: AsyncWebClient, context: AsyncBoltContext) -> None:
    name, args = split(command.get("text", ""))
    found, args = resolve(name, args)
    replies = HeldReplies(respond)
    request = CommandRequest(
        runtime=context["runtime"],
        client=client,
        respond=replies.send,
        command=command["command"],
        name=name,
        args=args,
        team_id=context.team_id or "",
        user_id=command["user_id"],
        channel_id=command.get("channel_id", ""),
        trigger_id=command.get("trigger_id"),
    )
    work = asyncio.ensure_future(_run(request, found, name))
    await asyncio.wait((work,), timeout=ANSWER_IN_ACK_WITHIN)  # never cancels the work, unlike wait_for
    finished = work.done()
    if not finished:  # acked before its work ends: written down first, so no crash loses it
        await write_down_before_ack(context, body)
    await replies.ack(ack, finished=finished)
    await work


async def _run(request: CommandRequest, found: Subcommand | None, name: str) -> None:
    if found is None:
        message = render_unknown_command(request.command, name, closest(name), listed())
        await request.reply(**message)
        return
    try:
        await found.handler(request)
    except StudyError as error:  # replaces a progress note left on screen, else is the one reply
        await request.update(text=str(error))
    except Exception:  # the member sees a sentence, the log gets the trace
        log.exception("%s %s failed", request.command, name)
        await request.reply(text=FAILURE)

"""`/study`: ack at once (Slack's 3-second rule), then run the subcommand."""
from __future__ import annotations

import logging
from typing import Any

from bot.errors import StudyError
from bot.help import render_unknown_command
from bot.runtime import Runtime
from handlers.commands.router import CommandRequest, closest, listed, resolve, split

log = logging.getLogger(__name__)
FAILURE = "Sorry — something went wrong on our side and nothing was changed. Please try again in a minute."


def register(app, runtime: Runtime) -> None:  # type: ignore[no-untyped-def]
    app.command(runtime.settings.command)(study)


async def study(ack, command: dict[str, Any], respond, client, context) -> None:  # type: ignore[no-untyped-def]
    await ack()
    name, args = split(command.get("text", ""))
    found, args = resolve(name, args)
    request = CommandRequest(
        runtime=context["runtime"],
        client=client,
        respond=respond,
        command=command["command"],
        name=name,
        args=args,
        team_id=context.team_id or "",
        user_id=command["user_id"],
        channel_id=command.get("channel_id", ""),
        trigger_id=command.get("trigger_id"),
    )
    if found is None:
        message = render_unknown_command(request.command, name, closest(name), listed())
        await request.reply(**message)
        return
    try:
        await found.handler(request)
    except StudyError as error:
        await request.reply(text=str(error))
    except Exception:  # noqa: BLE001 - the member sees a sentence, the log gets the trace
        log.exception("%s %s failed", request.command, name)
        await request.reply(text=FAILURE)

"""Bolt listeners, by kind. Each kind's package lists its modules in one place and has
`register(app, runtime)`. Listeners stay thin: parse the payload, call one core function,
send what it returns."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from handlers import actions, commands, events, views


def register(app: AsyncApp, runtime: Runtime) -> None:
    commands.register(app, runtime)
    events.register(app, runtime)
    actions.register(app, runtime)
    views.register(app, runtime)

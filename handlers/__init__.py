"""Bolt listeners, by kind. Each package has `register(app, runtime)`; listeners stay thin:
parse the payload, call `bot/`, render with `bot.rendering`."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from handlers import actions, commands, events, views


def register(app: AsyncApp, runtime: Runtime) -> None:
    commands.register(app, runtime)
    events.register(app, runtime)
    actions.register(app, runtime)
    views.register(app, runtime)

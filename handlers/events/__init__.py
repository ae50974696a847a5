"""Event listeners: one module per event type (the message and reaction listeners fan out to features)."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from handlers.events import app_home_opened, message, reactions, workspaces

LISTENERS = (app_home_opened, message, reactions, workspaces)


def register(app: AsyncApp, runtime: Runtime) -> None:
    for module in LISTENERS:
        module.register(app, runtime)

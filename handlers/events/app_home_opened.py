"""Publish the member's App Home when they open it (skipped when Slack already shows the same view)."""
from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.home.publish import publish_home
from bot.runtime import Runtime


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.event("app_home_opened")(on_home_opened)


async def on_home_opened(event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
    if event.get("tab", "home") != "home":
        return
    runtime = context["runtime"]
    await publish_home(runtime.db, client, team_id=context.team_id or "", user_id=event["user"],
                       now=runtime.clock.now(), command=runtime.settings.command)

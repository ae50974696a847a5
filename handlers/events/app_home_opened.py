"""Publish the member's App Home when they open it."""
from __future__ import annotations

from bot.rendering.home import render_home


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.event("app_home_opened")(publish_home)


async def publish_home(event, client, context) -> None:  # type: ignore[no-untyped-def]
    if event.get("tab", "home") != "home":
        return
    runtime = context["runtime"]
    await client.views_publish(user_id=event["user"], view=render_home(runtime.settings.command))

"""Publish the member's App Home when they open it."""
from __future__ import annotations

from bot.home.publish import home_view


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.event("app_home_opened")(publish_home)


async def publish_home(event, client, context) -> None:  # type: ignore[no-untyped-def]
    if event.get("tab", "home") != "home":
        return
    runtime = context["runtime"]
    view = await home_view(runtime.db, client, team_id=context.team_id or "", user_id=event["user"],
                           now=runtime.clock.now(), command=runtime.settings.command)
    await client.views_publish(user_id=event["user"], view=view)

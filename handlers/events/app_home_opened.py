"""Publish the member's App Home when they open it (skipped when Slack already shows the same view)."""
from __future__ import annotations

from bot.home.publish import publish_home


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.event("app_home_opened")(on_home_opened)


async def on_home_opened(event, client, context) -> None:  # type: ignore[no-untyped-def]
    if event.get("tab", "home") != "home":
        return
    runtime = context["runtime"]
    await publish_home(runtime.db, client, team_id=context.team_id or "", user_id=event["user"],
                       now=runtime.clock.now(), command=runtime.settings.command)

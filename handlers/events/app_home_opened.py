"""Publish the member's App Home when they open it: gather → render → `views.publish`."""
from __future__ import annotations

import logging

from bot.home.dashboard import gather_home
from bot.home.views import render_home
from bot.retention.home import with_retention_blocks

log = logging.getLogger(__name__)


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.event("app_home_opened")(publish_home)


async def publish_home(event, body, client, context) -> None:  # type: ignore[no-untyped-def]
    if event.get("tab", "home") != "home":
        return
    runtime, user_id = context["runtime"], event["user"]
    team_id = context.team_id or ""
    home = await gather_home(runtime.db, team_id=team_id, user_id=user_id, now=runtime.clock.now(), client=client)
    try:
        view = render_home(runtime.settings.command, home)
    except Exception:  # noqa: BLE001 - a rendering bug still leaves the member a welcome, not a blank tab
        log.exception("home: could not render the home of %s/%s", team_id, user_id)
        view = render_home(runtime.settings.command)
    view = await with_retention_blocks(view, runtime.db, team_id, user_id, runtime.clock.now())  # issue 12
    await client.views_publish(user_id=user_id, view=view)

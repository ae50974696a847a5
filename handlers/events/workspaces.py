"""`app_uninstalled` / `tokens_revoked`: stop all work for the workspace at once (purged after a grace period)."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.runtime import Runtime


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.event("app_uninstalled")(left)
    app.event("tokens_revoked")(left)


async def left(event: dict[str, Any], context: AsyncBoltContext) -> None:
    runtime = context["runtime"]
    grace = timedelta(days=runtime.settings.uninstall_grace_days)
    await runtime.stopped_workspaces.left(context.team_id or "", runtime.clock.now(), event, grace)

"""`app_uninstalled` / `tokens_revoked`: stop all work for the workspace at once (purged after a grace period)."""
from __future__ import annotations

from datetime import timedelta


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.event("app_uninstalled")(left)
    app.event("tokens_revoked")(left)


async def left(event, context) -> None:  # type: ignore[no-untyped-def]
    runtime = context["runtime"]
    grace = timedelta(days=runtime.settings.uninstall_grace_days)
    await runtime.stopped_workspaces.left(context.team_id or "", runtime.clock.now(), event, grace)

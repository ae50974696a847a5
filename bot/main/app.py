"""The Bolt app: signature checks, de-duplication, our context, then the listeners."""
from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

import handlers
from bot.dedup import claim_event
from bot.runtime import Runtime

log = logging.getLogger(__name__)


def create_app(runtime: Runtime) -> AsyncApp:
    app = AsyncApp(
        # The bot token travels in the client, which carries our retry policy and base URL.
        signing_secret=runtime.settings.slack_signing_secret,
        client=runtime.client,
    )
    app.use(_with_runtime(runtime))
    app.use(_drop_redelivered_events(runtime))

    handlers.register(app, runtime)
    return app


def _with_runtime(runtime: Runtime):  # type: ignore[no-untyped-def]
    async def middleware(context: dict[str, Any], next) -> None:  # type: ignore[no-untyped-def]
        context["runtime"] = runtime
        await next()

    return middleware


def _drop_redelivered_events(runtime: Runtime):  # type: ignore[no-untyped-def]
    """An `event_id` we have processed before gets a 200 and no second effect (HTTP and Socket Mode)."""

    async def middleware(body: dict[str, Any], next) -> BoltResponse | None:  # type: ignore[no-untyped-def]
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            team_id = body.get("team_id") or ""
            if not await claim_event(runtime.db, team_id, event_id, runtime.clock.now()):
                log.info("dropped redelivered event %s", event_id)
                return BoltResponse(status=200, body="")
        await next()
        return None

    return middleware

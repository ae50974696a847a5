"""The Bolt app: signature checks, de-duplication, our context, then the listeners."""
from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

import handlers
from bot.dedup import claim_event
from bot.metrics import listener_of
from bot.runtime import Runtime
from bot.workspaces.lifecycle import is_stopped

log = logging.getLogger(__name__)


def create_app(runtime: Runtime) -> AsyncApp:
    app = AsyncApp(
        # The bot token travels in the client, which carries our retry policy and base URL.
        signing_secret=runtime.settings.slack_signing_secret,
        client=runtime.client,
        # The HTTP server checks signatures on the raw bytes before anything is parsed
        # (bot.main.guard); Socket Mode needs none.
        request_verification_enabled=False,
        oauth_settings=runtime.installations.bolt_settings if runtime.installations else None,
    )
    _measure_requests(app, runtime)
    app.use(_with_runtime(runtime))
    app.use(_ignore_stopped_workspaces(runtime))
    app.use(_drop_redelivered_events(runtime))

    handlers.register(app, runtime)
    app.error(_answer_without_retry_storm)
    return app


async def _answer_without_retry_storm(error: Exception, body: dict[str, Any]) -> BoltResponse:
    """A listener's bug is logged with its trace; Slack gets a 200, since a 500 only makes it retry."""
    log.error("%s failed: %s: %s", describe(body), type(error).__name__, error, exc_info=error)
    return BoltResponse(status=200, body="")


def describe(body: Any) -> str:
    """What a payload is, for one log line: `event message`, `/study`, `block_actions`."""
    if not isinstance(body, dict):
        return "unknown"
    event = body.get("event")
    if isinstance(event, dict) and isinstance(event.get("type"), str):
        return f"event {event['type'][:40]}"
    for field in ("command", "type"):
        if isinstance(body.get(field), str):
            return body[field][:40]
    return "unknown"


def _with_runtime(runtime: Runtime):  # type: ignore[no-untyped-def]
    async def middleware(context: dict[str, Any], next) -> None:  # type: ignore[no-untyped-def]
        context["runtime"] = runtime
        await next()

    return middleware


def _measure_requests(app: AsyncApp, runtime: Runtime) -> None:
    """Count each request and time it to its ack, and log one line for it: no message text, no tokens.

    Wraps `async_dispatch` (what both the HTTP route and Socket Mode call): Bolt returns from it as soon
    as the listener acks, running the rest of the listener as a task, so its duration is the ack latency.
    """
    dispatch = app.async_dispatch

    async def measured(req: AsyncBoltRequest) -> BoltResponse:
        listener, started = listener_of(req.body), time.perf_counter()
        try:
            return await dispatch(req)
        finally:
            elapsed = time.perf_counter() - started
            runtime.metrics.requests.labels(listener).inc()
            runtime.metrics.ack_seconds.labels(listener).observe(elapsed)
            log.info("request %s", listener, extra={"listener": listener, "team_id": req.context.team_id,
                                                    "event_id": req.body.get("event_id"), "ack_ms": round(elapsed * 1000)})

    app.async_dispatch = measured  # type: ignore[method-assign]


def _ignore_stopped_workspaces(runtime: Runtime):  # type: ignore[no-untyped-def]
    """A workspace that uninstalled the app gets no more work done (its own goodbye events still count)."""

    async def middleware(body: dict[str, Any], context: dict[str, Any], next) -> BoltResponse | None:  # type: ignore[no-untyped-def]
        farewell = (body.get("event") or {}).get("type") in ("app_uninstalled", "tokens_revoked")
        if not farewell and context.get("team_id") and await is_stopped(runtime.db, context["team_id"]):
            log.info("ignored a request from stopped workspace %s", context["team_id"])
            return BoltResponse(status=200, body="")
        await next()
        return None

    return middleware


def _drop_redelivered_events(runtime: Runtime):  # type: ignore[no-untyped-def]
    """An `event_id` we have processed before gets a 200 and no second effect (HTTP and Socket Mode)."""

    async def middleware(body: dict[str, Any], next) -> BoltResponse | None:  # type: ignore[no-untyped-def]
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            team_id = body.get("team_id") or ""
            if not await claim_event(runtime.db, team_id, event_id, runtime.clock.now()):
                log.info("dropped redelivered event %s", event_id)
                runtime.metrics.events_deduplicated.inc()
                return BoltResponse(status=200, body="")
        await next()
        return None

    return middleware

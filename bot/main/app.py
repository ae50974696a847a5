"""The Bolt app: signature checks, de-duplication, our context, then the listeners."""
from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_listener_completion_handler import AsyncListenerCompletionHandler
from slack_bolt.listener.async_listener_error_handler import AsyncListenerErrorHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

import handlers
from bot.dedup import claim_event, finish_event
from bot.runtime import Runtime
from bot.settings import secret

log = logging.getLogger(__name__)

CLAIM = "event_claim"  # the context key holding this request's EventClaim
FAILED = "event_failed"


def create_app(runtime: Runtime) -> AsyncApp:
    app = AsyncApp(
        # The bot token travels in the client, which carries our retry policy and base URL.
        signing_secret=secret(runtime.settings.slack_signing_secret),
        client=runtime.client,
    )
    app.use(_with_runtime(runtime))
    app.use(_claim_events(runtime))

    handlers.register(app, runtime)
    _finish_claims_after_listeners(app, runtime)  # last: wraps whatever error handler registration left
    return app


def _with_runtime(runtime: Runtime):  # type: ignore[no-untyped-def]
    async def middleware(context: dict[str, Any], next) -> None:  # type: ignore[no-untyped-def]
        context["runtime"] = runtime
        await next()

    return middleware


def _claim_events(runtime: Runtime):  # type: ignore[no-untyped-def]
    """Claim each `event_id` before its listener runs (HTTP and Socket Mode); a duplicate gets a 200 and no effect.

    When the claim itself fails (database down) the error reaches Slack as a 500,
    and Slack delivers the event again later.
    """

    async def middleware(body: dict[str, Any], context: dict[str, Any], next) -> BoltResponse | None:  # type: ignore[no-untyped-def]
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            team_id = body.get("team_id") or ""
            claim = await claim_event(runtime.db, team_id, event_id, runtime.clock.now())
            if claim is None:
                log.info("dropped redelivered event %s", event_id)
                return BoltResponse(status=200, body="")
            context[CLAIM] = claim
        await next()
        return None

    return middleware


def _finish_claims_after_listeners(app: AsyncApp, runtime: Runtime) -> None:
    """Bolt acks events at once and runs the listener in the background; its runner's
    error and completion hooks are where we learn how the work ended."""
    runner = app.listener_runner
    runner.listener_error_handler = _RememberFailure(runner.listener_error_handler)
    runner.listener_completion_handler = _FinishClaim(runtime, runner.listener_completion_handler)


class _RememberFailure(AsyncListenerErrorHandler):
    def __init__(self, inner: AsyncListenerErrorHandler) -> None:
        self.inner = inner

    async def handle(self, error: Exception, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        request.context[FAILED] = True
        await self.inner.handle(error=error, request=request, response=response)


class _FinishClaim(AsyncListenerCompletionHandler):
    def __init__(self, runtime: Runtime, inner: AsyncListenerCompletionHandler) -> None:
        self.runtime = runtime
        self.inner = inner

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        claim = request.context.get(CLAIM)
        if claim is not None:
            await finish_event(self.runtime.db, claim, succeeded=not request.context.get(FAILED))
        await self.inner.handle(request=request, response=response)

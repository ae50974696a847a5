"""The Bolt app: signature checks, de-duplication, our context, then the listeners."""
from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_listener_completion_handler import AsyncListenerCompletionHandler
from slack_bolt.listener.async_listener_error_handler import AsyncListenerErrorHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from sqlalchemy.exc import DBAPIError

import handlers
from bot.dedup import claim_event, finish_event
from bot.metrics import listener_of
from bot.runtime import Runtime
from bot.settings import secret

log = logging.getLogger(__name__)

CLAIM = "event_claim"  # the context key holding this request's EventClaim
FAILED = "event_failed"


def create_app(runtime: Runtime) -> AsyncApp:
    app = AsyncApp(
        name="studybot",  # without a name Bolt reads it from inspect.stack(): the source of every caller, ~0.2 s
        # The bot token travels in the client, which carries our retry policy and base URL.
        signing_secret=secret(runtime.settings.slack_signing_secret),
        client=runtime.client,
        # The HTTP server checks signatures on the raw bytes before anything is parsed
        # (bot.main.guard); Socket Mode needs none.
        request_verification_enabled=False,
        oauth_settings=runtime.installations.bolt_settings if runtime.installations else None,
    )
    _measure_requests(app, runtime)  # also puts the runtime in the context and ignores stopped workspaces
    app.use(_claim_events(runtime))

    handlers.register(app, runtime)
    app.error(_answer_without_retry_storm)
    _finish_claims_after_listeners(app, runtime)  # last: wraps the error handler registered above
    return app


async def _answer_without_retry_storm(error: Exception, body: dict[str, Any]) -> BoltResponse:
    """A listener's bug is logged with its trace and Slack gets a 200, since a 5xx only makes it send the
    same request again. The exception: the database is unreachable, so the event could not even be
    claimed — a 503 asks Slack to deliver it again later, when it can be recorded."""
    if isinstance(error, (DBAPIError, OSError)):
        log.warning("%s not taken: the database is unreachable (%s); Slack will retry", describe(body),
                    type(error).__name__)
        return BoltResponse(status=503, body="")
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


def _measure_requests(app: AsyncApp, runtime: Runtime) -> None:
    """Count each request and time it to its ack, and log one line for it: no message text, no tokens;
    put the runtime in its context; ignore it when its workspace is stopped.

    Wraps `async_dispatch` (what both the HTTP route and Socket Mode call): Bolt returns from it as soon
    as the listener acks, running the rest of the listener as a task, so its duration is the ack latency.
    Done here rather than as Bolt middleware, which costs a keyword-argument injection per request each.
    """
    dispatch = app.async_dispatch

    async def measured(req: AsyncBoltRequest) -> BoltResponse:
        listener, started = listener_of(req.body), time.perf_counter()
        try:
            req.context["runtime"] = runtime
            try:
                if await _from_stopped_workspace(runtime, req):
                    return BoltResponse(status=200, body="")
            except Exception as error:  # noqa: BLE001 - answered as a listener's error is (the database down: 503)
                return await _answer_without_retry_storm(error, req.body)
            return await dispatch(req)
        finally:
            elapsed = time.perf_counter() - started
            runtime.metrics.requests.labels(listener).inc()
            runtime.metrics.ack_seconds.labels(listener).observe(elapsed)
            if log.isEnabledFor(logging.INFO):  # the operators' one line per request (README): nothing built when off
                log.info("request %s", listener, extra={
                    "listener": listener, "team_id": req.context.team_id, "event_id": req.body.get("event_id"),
                    "ack_ms": round(elapsed * 1000)})

    app.async_dispatch = measured  # type: ignore[method-assign]


async def _from_stopped_workspace(runtime: Runtime, req: AsyncBoltRequest) -> bool:
    """A workspace that uninstalled the app gets no more work done (its own goodbye events still count)."""
    team_id = req.context.team_id
    event = req.body.get("event")
    farewell = isinstance(event, dict) and event.get("type") in ("app_uninstalled", "tokens_revoked")
    if farewell or not team_id or not await runtime.stopped_workspaces.is_stopped(team_id):
        return False
    log.info("ignored a request from stopped workspace %s", team_id)
    return True


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
                runtime.metrics.events_deduplicated.inc()
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

"""The Bolt app: signature checks, de-duplication, our context, then the listeners."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_listener_completion_handler import AsyncListenerCompletionHandler
from slack_bolt.listener.async_listener_error_handler import AsyncListenerErrorHandler
from slack_bolt.listener.async_listener_start_handler import AsyncListenerStartHandler
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped, warning_token_skipped
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy.exc import DBAPIError

import handlers
from bot.dedup import EventClaim, claim_event, finish_event
from bot.metrics import listener_of
from bot.runtime import Runtime
from bot.settings import secret

log = logging.getLogger(__name__)

CLAIM = "event_claim"  # the context key holding this request's EventClaim
FAILED = "event_failed"
QUEUED = "event_queued"  # set from the listener's start until its end: the event counts in the backlog
WORKING = "event_working"  # set while the event holds one of the EVENT_WORKERS places
# Events acked but not yet worked on wait here rather than on the connection pool (5 + 10 connections,
# whose 30 s checkout timeout would fail the work of an event acked in a burst); commands and
# interactions, which answer in their listener, never wait behind them.
EVENT_WORKERS = 4
# At most this many events acked and not finished (a burst of answers to one prompt fits): past it, an
# event's ack waits up to BACKLOG_WAIT_SECONDS for room, then gets a 503 so Slack delivers it later, rather
# than the process holding an ever longer queue of acked events in memory.
MAX_BACKLOG = 2000
BACKLOG_WAIT_SECONDS = 2.0


def create_app(runtime: Runtime) -> AsyncApp:
    _quiet_token_warnings()
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
    claims = EventClaims(runtime)
    _measure_requests(app, runtime, claims)  # also the runtime, stopped workspaces and the claims before the ack

    handlers.register(app, runtime)
    app.error(_answer_without_retry_storm)
    _claim_events_in_listeners(app, claims)  # last: wraps the error handler registered above
    return app


def _quiet_token_warnings() -> None:
    """Bolt reads SLACK_BOT_TOKEN from the environment even when given a client (ours carries the token and
    our retry policy), then warns at every start that the token "will be unused" — or, in OAuth mode, that
    it is ignored for the installation store. Both are this configuration working as meant: not logged."""
    bolt_logger = logging.getLogger("slack_bolt.AsyncApp")
    if not any(isinstance(f, _DeliberateConfiguration) for f in bolt_logger.filters):
        bolt_logger.addFilter(_DeliberateConfiguration())


class _DeliberateConfiguration(logging.Filter):
    MESSAGES = frozenset({warning_client_prioritized_and_token_skipped(), warning_token_skipped()})

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.MESSAGES


async def _answer_without_retry_storm(error: Exception, body: dict[str, Any],
                                     response: BoltResponse | None) -> BoltResponse | None:
    """A listener's bug is logged with its trace and Slack gets a 200, since a 5xx only makes it send the
    same request again. The exception: the database is unreachable before the ack (the event could not
    even be claimed) — a 503 asks Slack to deliver it again later, when it can be recorded. After the ack
    (`response` is None: Slack has its 200, there is no answer left to give) the next events are claimed
    before their ack until the database is back (`EventClaims`)."""
    unreachable = isinstance(error, (DBAPIError, OSError))
    if unreachable and response is None:
        log.warning("%s failed after its ack: the database is unreachable (%s); events are claimed before"
                    " their ack until it is back", describe(body), type(error).__name__)
    elif unreachable:
        log.warning("%s not taken: the database is unreachable (%s); Slack will retry", describe(body),
                    type(error).__name__)
    else:
        log.error("%s failed: %s: %s", describe(body), type(error).__name__, error, exc_info=error)
    if response is None:
        return None
    return BoltResponse(status=503 if unreachable else 200, body="")


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


def _measure_requests(app: AsyncApp, runtime: Runtime, claims: EventClaims) -> None:
    """Count each request and time it to its ack, and log one line for it: no message text, no tokens;
    put the runtime in its context; ignore it when its workspace is stopped; refuse or claim an event
    before its ack when the backlog is full or the database fails (`EventClaims.before_ack`).

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
                refusal = await claims.before_ack(req)
                if refusal is not None:
                    return refusal
            except Exception as error:  # noqa: BLE001 - answered as a listener's error is (the database down: 503)
                return await _answer_without_retry_storm(error, req.body, BoltResponse(status=500, body=""))  # type: ignore[return-value]
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


class _AlreadyTaken(Exception):
    """Raised before a listener runs when its event was claimed already: the listener is skipped."""


# Events whose whole effect is idempotent are not claimed: opening the App Home publishes the member's
# current view only when its hash changed, so a redelivery costs that one comparison, not two writes.
UNCLAIMED_EVENTS = frozenset({"app_home_opened"})


def _is_event(body: dict[str, Any]) -> bool:
    return body.get("type") == "event_callback"


def _event_id(body: dict[str, Any]) -> str | None:
    """The id to claim, None for a request that is no event or an event that needs no claim."""
    if not _is_event(body) or (body.get("event") or {}).get("type") in UNCLAIMED_EVENTS:
        return None
    return body.get("event_id")


class EventClaims:
    """Each `event_id` is claimed before any of its effects, so a redelivery (X-Slack-Retry-Num), the same
    event at another replica, or a redelivery after a crash does its work once (`bot.dedup`).

    Bolt acks an event first and runs its listener afterwards, so the claim — a database write, which on
    SQLite waits for the listeners' writes — is the listener's first step, not part of the ack. Except
    while the database fails: then the claim is taken before the ack again, so an event that cannot be
    recorded gets a 503 and Slack delivers it again later. The first failure after the ack (a claim or a
    listener's work hitting an unreachable database) switches to that mode; the first claim that gets
    through switches back. What the events acked at the moment of the outage carried is recovered by the
    catch-ups of answers and shares (`bot.questionnaire.catchup`, `bot.share.catchup`).
    """

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.database_failing = False
        self.workers = asyncio.Semaphore(EVENT_WORKERS)
        self.backlog = 0
        self.room = asyncio.Condition()

    async def claim(self, body: dict[str, Any]) -> EventClaim | None:
        """The claim on this event; None when another delivery has it (or had it)."""
        runtime, event_id = self.runtime, _event_id(body) or ""
        claim = await claim_event(runtime.db, body.get("team_id") or "", event_id, runtime.clock.now())
        self.database_failing = False
        if claim is None:
            log.info("dropped redelivered event %s", event_id)
            runtime.metrics.events_deduplicated.inc()
        return claim

    async def before_ack(self, req: AsyncBoltRequest) -> BoltResponse | None:
        """A refusal (503) when the backlog stays full; while the database fails, the claim (a database
        error here answers 503, `_answer_without_retry_storm`); None to go on to the ack."""
        body = req.body
        if _is_event(body) and self.backlog >= MAX_BACKLOG and not await self._room_in_backlog():
            log.warning("event %s not taken: %d events in hand; Slack will retry", body.get("event_id"), self.backlog)
            return BoltResponse(status=503, body="")
        if self.database_failing and _event_id(body):
            claim = await self.claim(body)
            if claim is None:
                return BoltResponse(status=200, body="")
            req.context[CLAIM] = claim
        return None

    async def _room_in_backlog(self) -> bool:
        async with self.room:
            try:
                await asyncio.wait_for(self.room.wait_for(lambda: self.backlog < MAX_BACKLOG), BACKLOG_WAIT_SECONDS)
            except TimeoutError:
                return False
        return True

    async def started(self) -> None:
        self.backlog += 1
        await self.workers.acquire()

    async def ended(self, *, working: bool) -> None:
        if working:
            self.workers.release()
        self.backlog -= 1
        async with self.room:
            self.room.notify()

    async def finish(self, claim: EventClaim, *, succeeded: bool) -> None:
        if not await finish_event(self.runtime.db, claim, succeeded=succeeded):
            self.database_failing = True


def _claim_events_in_listeners(app: AsyncApp, claims: EventClaims) -> None:
    """Bolt acks events at once and runs the listener in the background; its runner's start, error and
    completion hooks are where the claim is taken and where we learn how the work ended."""
    runner = app.listener_runner
    runner.listener_start_handler = _ClaimFirst(claims, runner.listener_start_handler)
    runner.listener_error_handler = _RememberFailure(claims, runner.listener_error_handler)
    runner.listener_completion_handler = _FinishClaim(claims, runner.listener_completion_handler)


class _ClaimFirst(AsyncListenerStartHandler):
    def __init__(self, claims: EventClaims, inner: AsyncListenerStartHandler) -> None:
        self.claims = claims
        self.inner = inner

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        if _is_event(request.body):
            request.context[QUEUED] = True
            await self.claims.started()
            request.context[WORKING] = True
            if _event_id(request.body) and CLAIM not in request.context:
                claim = await self.claims.claim(request.body)
                if claim is None:
                    raise _AlreadyTaken()
                request.context[CLAIM] = claim
        await self.inner.handle(request=request, response=response)


class _RememberFailure(AsyncListenerErrorHandler):
    def __init__(self, claims: EventClaims, inner: AsyncListenerErrorHandler) -> None:
        self.claims = claims
        self.inner = inner

    async def handle(self, error: Exception, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        if isinstance(error, _AlreadyTaken):
            return
        if isinstance(error, (DBAPIError, OSError)):
            self.claims.database_failing = True
        request.context[FAILED] = True
        await self.inner.handle(error=error, request=request, response=response)


class _FinishClaim(AsyncListenerCompletionHandler):
    def __init__(self, claims: EventClaims, inner: AsyncListenerCompletionHandler) -> None:
        self.claims = claims
        self.inner = inner

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        try:
            claim = request.context.get(CLAIM)
            if claim is not None:
                await self.claims.finish(claim, succeeded=not request.context.get(FAILED))
        finally:
            if request.context.pop(QUEUED, False):
                await self.claims.ended(working=request.context.pop(WORKING, False))
        await self.inner.handle(request=request, response=response)

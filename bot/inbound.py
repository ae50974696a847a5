"""Inbound events between Bolt's ack and their listener: a bounded backlog, a few workers, and each event
claimed once (`bot.dedup`) — the state machine behind "Slack redelivers, we act once, and never lose one".

`bot.main.app` installs it: `EventClaims.before_ack` from its dispatch wrapper, `claim_events_in_listeners`
on Bolt's listener runner.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_listener_completion_handler import AsyncListenerCompletionHandler
from slack_bolt.listener.async_listener_error_handler import AsyncListenerErrorHandler
from slack_bolt.listener.async_listener_start_handler import AsyncListenerStartHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy.exc import DBAPIError

from bot.dedup import EventClaim, claim_event, finish_event
from bot.runtime import Runtime

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


def claim_events_in_listeners(app: AsyncApp, claims: EventClaims) -> None:
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

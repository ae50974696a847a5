"""Inbound requests around Bolt's ack: each one Slack will get a 200 for is written to the inbox before
that 200 (`bot.dedup`), events wait in a bounded backlog for a few workers, and whatever was acked but not
finished — the process died, or its listener failed after the ack — is run again by `drain_inbox`.

`bot.main.app` installs it: `Inbox.before_ack` and `Inbox.after_dispatch` from its dispatch wrapper,
`track_listeners` on Bolt's listener runner; `bot.main.server` runs the drain on start and every minute.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.listener.async_listener_completion_handler import AsyncListenerCompletionHandler
from slack_bolt.listener.async_listener_error_handler import AsyncListenerErrorHandler
from slack_bolt.listener.async_listener_start_handler import AsyncListenerStartHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.dedup import Receipt, Received, mark_done, new_key, receive, take_over_stale
from bot.metrics import listener_of
from bot.runtime import Runtime

log = logging.getLogger(__name__)

RECEIPT = "inbox_receipt"  # the context key holding this request's inbox row
INBOX = "inbox"  # the context key holding the Inbox, for a slash command that writes itself down (below)
DISPATCHED = "inbox_dispatched"  # set when a listener was given the request: it will finish the row
FAILED = "listener_failed_after_ack"
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

# Requests with effects after their ack. Not written down: `app_home_opened` (publishing only a changed
# view makes a redelivery harmless), option loads (answered in the ack), Slack's own checks.
DURABLE_TYPES = frozenset({"event_callback", "block_actions", "view_submission", "view_closed", "shortcut",
                           "message_action"})
UNRECORDED_EVENTS = frozenset({"app_home_opened"})

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """Calls arriving while a write is under way share the next one: a burst costs a few transactions,
    not one each, and a lone request waits for no timer."""

    def __init__(self, write: Callable[[list[T]], Awaitable[list[R]]]) -> None:
        self.write = write
        self.waiting: list[tuple[T, asyncio.Future[R]]] = []
        self.writer: asyncio.Task[None] | None = None

    async def __call__(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self.waiting.append((item, future))
        if self.writer is None:
            self.writer = asyncio.create_task(self._write_all())
        return await future

    async def _write_all(self) -> None:
        batch: list[tuple[T, asyncio.Future[R]]] = []
        try:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                try:
                    results = await self.write([item for item, _future in batch])
                except Exception as error:  # each caller gets the error of its write
                    _settle(batch, error=error)
                else:
                    _settle(batch, results=results)
        except BaseException as error:  # cancelled: no caller waits forever
            _settle(batch + self.waiting, error=error)
            self.waiting = []
            raise
        finally:
            self.writer = None


def _settle(batch: list[tuple[Any, asyncio.Future[Any]]], *, results: list[Any] | None = None,
            error: BaseException | None = None) -> None:
    for index, (_item, future) in enumerate(batch):
        if future.done():
            continue
        if results is None:
            future.set_exception(error if isinstance(error, Exception) else RuntimeError("the write was cancelled"))
        else:
            future.set_result(results[index])


def _is_event(body: dict[str, Any]) -> bool:
    return body.get("type") == "event_callback"


def _is_durable(body: dict[str, Any]) -> bool:
    """Written down before the ack. Not a slash command: most answer in their ack, their work done, so one
    is written down only when its ack leaves before its work ends (`write_down_before_ack`)."""
    if _is_event(body):
        return (body.get("event") or {}).get("type") not in UNRECORDED_EVENTS
    return body.get("type") in DURABLE_TYPES


class Inbox:
    """Writes each acked request down before its ack and marks it done after its listener (both batched:
    `GroupCommit`). For an event the write is its claim: a redelivery (X-Slack-Retry-Num), or the same event
    at another replica, finds the row and gets its 200 with nothing done. While the database is down the
    write fails, and the request is answered 503 (`bot.main.app`): Slack delivers an event again later; a
    member who clicked sees an error, which is honest, rather than a success that is lost.
    """

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.receive: GroupCommit[Received, bool] = GroupCommit(
            lambda requests: receive(runtime.db, requests, runtime.clock.now()))
        self.mark_done: GroupCommit[Receipt, None] = GroupCommit(lambda receipts: mark_done(runtime.db, receipts))
        self.workers = asyncio.Semaphore(EVENT_WORKERS)
        self.backlog = 0
        self.room = asyncio.Condition()

    async def before_ack(self, req: AsyncBoltRequest) -> BoltResponse | None:
        """A refusal (503) when the backlog stays full, a 200 for a duplicate event; None to go on to the
        ack once the request is written down. A database error raises (answered 503)."""
        body = req.body
        if _is_event(body) and self.backlog >= MAX_BACKLOG and not await self._room_in_backlog():
            log.warning("event %s not taken: %d events in hand; Slack will retry", body.get("event_id"), self.backlog)
            return BoltResponse(status=503, body="")
        if RECEIPT in req.context:  # a request run again from the inbox has its row
            return None
        if body.get("command"):
            req.context[INBOX] = self
            return None
        if not _is_durable(body):
            return None
        if not await self.write_down(req.context, body):
            log.info("dropped redelivered event %s", body.get("event_id"))
            self.runtime.metrics.events_deduplicated.inc()
            return BoltResponse(status=200, body="")
        return None

    async def write_down(self, context: AsyncBoltContext, body: dict[str, Any]) -> bool:
        """Write the request to the inbox (its receipt into `context`); False for an event already there."""
        key = body.get("event_id") if _is_event(body) else None
        received = Received(Receipt(context.team_id or body.get("team_id") or "", key or new_key()),
                            listener_of(body)[:64], body)
        if not await self.receive(received):
            return False
        context[RECEIPT] = received.receipt
        return True

    async def after_dispatch(self, req: AsyncBoltRequest) -> None:
        """A request written down that no listener took (none matched, or its workspace is stopped) is done."""
        receipt = req.context.get(RECEIPT)
        if receipt is not None and not req.context.get(DISPATCHED):
            await self.finish(receipt)

    async def finish(self, receipt: Receipt) -> None:
        try:
            await self.mark_done(receipt)
        except Exception as error:  # the drain runs it again; its effects are idempotent
            log.warning("could not mark %s done (%s); it runs again after its lease", receipt.key, type(error).__name__)

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


async def write_down_before_ack(context: AsyncBoltContext, body: dict[str, Any]) -> None:
    """A slash command about to be acked before its work ended: written down first, so a crash or a failure
    after the ack leaves it for the drain (a command answered in its ack needs no row: its work is done)."""
    inbox = context.get(INBOX)
    if inbox is not None and RECEIPT not in context:
        await inbox.write_down(context, body)


async def drain_inbox(app: AsyncApp, runtime: Runtime) -> int:
    """Run again, through the same app, the acked requests whose listener never finished: the process died
    after the ack, or the listener failed after it. Their new ack goes nowhere; an interaction's `respond`
    still reaches the member for 30 minutes (response_url), after that only its effect is kept."""
    taken = await take_over_stale(runtime.db, runtime.clock.now())
    for received in taken:
        request = AsyncBoltRequest(body=received.body, mode="socket_mode", context={RECEIPT: received.receipt})
        try:
            await app.async_dispatch(request)
        except Exception:  # it stays pending and is taken again after its lease
            log.exception("could not run %s %s again", received.kind, received.receipt.key)
    if taken:
        log.info("ran again %d acked request(s) that had not finished", len(taken))
    return len(taken)


def track_listeners(app: AsyncApp, inbox: Inbox) -> None:
    """Bolt acks events at once and runs every listener's rest in the background; its runner's start,
    error and completion hooks are where an event waits for a worker and where we learn how the work ended."""
    runner = app.listener_runner
    run = runner.run

    async def dispatched(request: AsyncBoltRequest, *args: Any, **kwargs: Any) -> BoltResponse | None:
        request.context[DISPATCHED] = True
        return await run(request, *args, **kwargs)

    runner.run = dispatched  # type: ignore[method-assign]  # Bolt has no hook before a listener is chosen
    runner.listener_start_handler = _WaitForWorker(inbox, runner.listener_start_handler)
    runner.listener_error_handler = _RememberFailure(runner.listener_error_handler)
    runner.listener_completion_handler = _MarkDone(inbox, runner.listener_completion_handler)


class _WaitForWorker(AsyncListenerStartHandler):
    def __init__(self, inbox: Inbox, inner: AsyncListenerStartHandler) -> None:
        self.inbox = inbox
        self.inner = inner

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        if _is_event(request.body):
            request.context[QUEUED] = True
            await self.inbox.started()
            request.context[WORKING] = True
        await self.inner.handle(request=request, response=response)


class _RememberFailure(AsyncListenerErrorHandler):
    """A failure after the ack (`response` is None: Slack has its 200) leaves the request pending, to be
    run again; one before the ack was answered with an error, so the member knows it did not happen."""

    def __init__(self, inner: AsyncListenerErrorHandler) -> None:
        self.inner = inner

    async def handle(self, error: Exception, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        if response is None:
            request.context[FAILED] = True
        await self.inner.handle(error=error, request=request, response=response)


class _MarkDone(AsyncListenerCompletionHandler):
    def __init__(self, inbox: Inbox, inner: AsyncListenerCompletionHandler) -> None:
        self.inbox = inbox
        self.inner = inner

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        try:
            receipt = request.context.get(RECEIPT)
            if receipt is not None and not request.context.get(FAILED) and not _cancelled():
                await self.inbox.finish(receipt)
        finally:
            if request.context.pop(QUEUED, False):
                await self.inbox.ended(working=request.context.pop(WORKING, False))
        await self.inner.handle(request=request, response=response)


def _cancelled() -> bool:
    """The listener was cancelled (the process stops): it did not finish, so its request stays pending."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0

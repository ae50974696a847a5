"""Inbound requests: written to the inbox before the ack, done after the listener; what failed after
its ack is run again by the drain once its lease ran out; a redelivered event is dropped."""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

import bot.inbound as inbound
import handlers.events.message as message_listener
from bot.ama.views import UPVOTE_ACTION
from bot.dedup import MAX_ATTEMPTS, PROCESSING_LEASE
from bot.inbound import GroupCommit, drain_inbox
from bot.models import ProcessedEvent
from tests.faults.support import Outage
from tests.perf.queries import statements

THREAD = {"type": "message", "channel": "C0STUDY001", "user": "U1", "text": "my answer", "ts": "1772452800.000100",
          "thread_ts": "1772452800.000001"}


@pytest.fixture
def consumed(monkeypatch):  # type: ignore[no-untyped-def]
    """A consumer that fails while `failing` holds items, and records each message it processed."""
    seen: list[str] = []
    failing: list[bool] = []

    async def consumer(message, runtime, client) -> None:  # type: ignore[no-untyped-def]
        if failing:
            failing.pop()
            raise RuntimeError("database is locked")
        seen.append(message.ts)

    monkeypatch.setattr(message_listener, "CONSUMERS", (consumer,))
    return seen, failing


async def _statuses(bot) -> list[str]:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        return list(await session.scalars(select(ProcessedEvent.status).order_by(ProcessedEvent.id)))


async def drain(bot) -> int:  # type: ignore[no-untyped-def]
    taken = await drain_inbox(bot.server.app, bot.runtime)
    await bot.settle()
    return taken


def _reply(n: int) -> dict:  # type: ignore[type-arg]
    return {**THREAD, "ts": f"1772452800.00010{n}"}


async def test_a_listener_failing_after_its_ack_is_run_again_once_its_lease_ran_out(bot, consumed, clock):
    seen, failing = consumed
    failing.append(True)
    first = await bot.event(THREAD, event_id="EvLOST1")
    await bot.settle()
    assert first.status == 200 and seen == [] and await _statuses(bot) == ["pending"]
    # Real Slack never redelivers an event it got a 200 for; a duplicate delivery is dropped all the same.
    assert (await bot.event(THREAD, event_id="EvLOST1", retry_num=1)).status == 200
    await bot.settle()
    clock.advance(seconds=PROCESSING_LEASE.total_seconds() - 1)
    assert await drain(bot) == 0 and seen == []  # its listener may still be at work
    clock.advance(seconds=2)
    assert await drain(bot) == 1
    assert seen == [THREAD["ts"]] and await _statuses(bot) == ["done"]
    clock.advance(minutes=10)
    assert await drain(bot) == 0 and seen == [THREAD["ts"]]


async def test_an_event_delivered_twice_is_done_once(bot, consumed):
    seen, _failing = consumed
    for retry in (None, 1, 2):
        assert (await bot.event(THREAD, event_id="EvTWICE", retry_num=retry)).status == 200
    await bot.settle()
    assert seen == [THREAD["ts"]] and await _statuses(bot) == ["done"]


async def test_a_request_that_keeps_failing_is_given_up_after_its_attempts(bot, consumed, clock):
    seen, failing = consumed
    failing.extend([True] * 10)
    await bot.event(THREAD, event_id="EvPOISON")
    await bot.settle()
    runs = 1
    while await _statuses(bot) == ["pending"]:
        clock.advance(seconds=PROCESSING_LEASE.total_seconds() + 1)
        runs += await drain(bot)
    assert runs == MAX_ATTEMPTS and await _statuses(bot) == ["failed"] and seen == []
    async with bot.db.session() as session:
        assert await session.scalar(select(ProcessedEvent.body)) is None  # what the member wrote is not kept


async def test_a_database_down_before_the_ack_answers_503_and_nothing_acked_is_lost(bot, consumed, clock):
    """The write before the ack fails: a 503 (Slack delivers an event again later; a member who clicked
    sees an error). A failure after the ack (the done mark) leaves the request to the drain."""
    seen, _failing = consumed
    await bot.event(THREAD, event_id="EvWARM")  # the process has read which workspaces are stopped
    await bot.settle()
    seen.clear()
    outage = Outage(bot.db)
    outage.down = True
    assert (await bot.event(_reply(2), event_id="EvDOWN")).status == 503
    assert (await bot.click(UPVOTE_ACTION, "1")).status == 503
    assert seen == []
    outage.down = False
    assert (await bot.event(_reply(2), event_id="EvDOWN", retry_num=1)).status == 200
    await bot.settle()
    assert seen == [_reply(2)["ts"]]
    outage.down = True
    outage.allow_next(1)  # the inbox write gets through; the done mark does not
    assert (await bot.event(_reply(3), event_id="EvHALF")).status == 200
    await bot.settle()
    outage.down = False
    clock.advance(seconds=PROCESSING_LEASE.total_seconds() + 1)
    assert await drain(bot) == 1 and seen == [_reply(2)["ts"], _reply(3)["ts"], _reply(3)["ts"]]  # idempotent consumers
    assert await _statuses(bot) == ["done", "done", "done"]


async def test_two_replicas_draining_at_once_run_each_request_once(bot, consumed, clock):
    seen, failing = consumed
    failing.extend([True] * 3)
    for n in range(3):
        await bot.event(_reply(n), event_id=f"EvREP{n}")
    await bot.settle()
    clock.advance(seconds=PROCESSING_LEASE.total_seconds() + 1)
    taken = await asyncio.gather(drain_inbox(bot.server.app, bot.runtime), drain_inbox(bot.server.app, bot.runtime))
    await bot.settle()
    assert sum(taken) == 3 and sorted(seen) == sorted(_reply(n)["ts"] for n in range(3))


async def test_past_the_backlog_an_event_gets_a_503_and_its_redelivery_is_done(bot, consumed, monkeypatch):
    """Acked events wait in memory for a worker; past MAX_BACKLOG the ack refuses rather than hold more."""
    seen, _failing = consumed
    monkeypatch.setattr(inbound, "MAX_BACKLOG", 2)
    monkeypatch.setattr(inbound, "BACKLOG_WAIT_SECONDS", 0)
    gate = asyncio.Event()
    started = inbound.Inbox.started

    async def held(self) -> None:  # type: ignore[no-untyped-def]
        await started(self)
        await gate.wait()

    monkeypatch.setattr(inbound.Inbox, "started", held)
    statuses = []
    for n in range(3):
        statuses.append((await bot.event(_reply(n), event_id=f"EvBURST{n}")).status)
        await asyncio.sleep(0)  # its listener starts and joins the backlog
    assert statuses == [200, 200, 503] and seen == []
    gate.set()
    await bot.settle()
    again = await bot.event(_reply(2), event_id="EvBURST2", retry_num=1)
    await bot.settle()
    assert again.status == 200 and sorted(seen) == sorted(_reply(n)["ts"] for n in range(3))


async def test_requests_arriving_together_share_one_transaction():
    batches: list[list[int]] = []

    async def write(items: list[int]) -> list[int]:
        batches.append(items)
        await asyncio.sleep(0)
        return [item * 10 for item in items]

    commit = GroupCommit(write)
    assert await asyncio.gather(*(commit(n) for n in range(20))) == [n * 10 for n in range(20)]
    assert batches == [list(range(20))]
    assert await commit(7) == 70 and len(batches) == 2  # a lone request waits for no one


async def test_a_failed_group_write_fails_each_of_its_callers():
    async def write(items: list[int]) -> list[int]:
        raise OSError("database unreachable")

    commit = GroupCommit(write)
    results = await asyncio.gather(commit(1), commit(2), return_exceptions=True)
    assert [type(result) for result in results] == [OSError, OSError]



async def test_an_event_costs_the_inbox_two_writes_received_and_done(bot, consumed):
    seen, _failing = consumed
    await bot.event(THREAD, event_id="EvWARM")
    await bot.settle()
    with statements(bot.db, inbox=True) as ran:
        await bot.event(_reply(2), event_id="EvCOST")
        await bot.settle()
    inbox = [statement.split()[0] for statement in ran if "processed_events" in statement]
    assert inbox == ["INSERT", "UPDATE"] and seen == [THREAD["ts"], _reply(2)["ts"]]

"""Inbound events: claim → process → done; a failure releases the claim so a redelivery does the work."""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

import bot.inbound as inbound
import handlers.events.message as message_listener
from bot.models import ProcessedEvent
from tests.faults.support import Outage

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


def held_claims(monkeypatch) -> asyncio.Event:  # type: ignore[no-untyped-def]
    """Every event claim waits until the returned event is set."""
    gate = asyncio.Event()
    claim = inbound.claim_event

    async def held_claim(*args):  # type: ignore[no-untyped-def]
        await gate.wait()
        return await claim(*args)

    monkeypatch.setattr(inbound, "claim_event", held_claim)
    return gate


async def _statuses(bot) -> list[str]:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        return list(await session.scalars(select(ProcessedEvent.status)))


async def test_a_failed_listener_releases_the_event_so_the_redelivery_processes_it(bot, consumed):
    seen, failing = consumed
    failing.append(True)
    first = await bot.event(THREAD, event_id="EvLOST1")
    await bot.settle()
    assert first.status == 200 and seen == [] and await _statuses(bot) == []
    again = await bot.event(THREAD, event_id="EvLOST1", retry_num=1)
    await bot.settle()
    assert again.status == 200 and seen == [THREAD["ts"]]
    assert await _statuses(bot) == ["done"]
    await bot.event(THREAD, event_id="EvLOST1", retry_num=2)
    await bot.settle()
    assert seen == [THREAD["ts"]]


async def test_a_database_down_answers_503_from_its_first_failure_until_it_is_back(bot, consumed):
    """The claim is the listener's first step, after the ack: the first event to meet the outage has its
    200 already (the catch-ups record what it carried); from then on events are claimed before the ack
    and refused with a 503, so Slack delivers them again; once a claim gets through, claims move back
    after the ack."""
    seen, _failing = consumed
    await bot.event(THREAD, event_id="EvWARM")  # the process has read which workspaces are stopped
    await bot.settle()
    seen.clear()
    outage = Outage(bot.db)
    outage.down = True
    acked = await bot.event(_reply(2), event_id="EvDOWN0")
    await bot.settle()
    assert acked.status == 200 and seen == [] and outage.refused == 1  # its claim failed after the ack
    refused = await bot.event(_reply(3), event_id="EvDOWN1")
    assert refused.status == 503  # the database is unreachable: Slack is asked to retry
    outage.down = False
    accepted = await bot.event(_reply(3), event_id="EvDOWN1", retry_num=1)
    await bot.settle()
    assert accepted.status == 200 and seen == [_reply(3)["ts"]]
    outage.down = True
    assert (await bot.event(_reply(4), event_id="EvDOWN2")).status == 200  # claimed after the ack again
    await bot.settle()
    outage.down = False
    assert await _statuses(bot) == ["done", "done"]  # EvWARM, EvDOWN1


def _reply(n: int) -> dict:  # type: ignore[type-arg]
    return {**THREAD, "ts": f"1772452800.00010{n}"}


async def test_a_claim_whose_release_failed_is_taken_over_after_the_lease(bot, consumed, clock):
    """The database went down inside the listener: neither the work nor the release got through."""
    seen, failing = consumed
    outage = Outage(bot.db)
    outage.down = True
    outage.allow_next(2)  # the stopped-workspace check and the claim get through; the work and the release don't
    failing.append(True)
    await bot.event(THREAD, event_id="EvSTUCK")
    await bot.settle()
    outage.down = False
    assert await _statuses(bot) == ["processing"]
    clock.advance(seconds=5)
    # Immediate retry: someone may still be working. (The failed release switched claims before the ack:
    # this one is dropped there, with a 200.)
    assert (await bot.event(THREAD, event_id="EvSTUCK", retry_num=1)).status == 200
    await bot.settle()
    assert seen == []
    clock.advance(seconds=60)
    await bot.event(THREAD, event_id="EvSTUCK", retry_num=2)  # Slack's one-minute retry
    await bot.settle()
    assert seen == [THREAD["ts"]] and await _statuses(bot) == ["done"]


async def test_one_failing_consumer_does_not_starve_the_others(bot, monkeypatch):
    calls: list[str] = []

    async def broken(message, runtime, client) -> None:  # type: ignore[no-untyped-def]
        calls.append("broken")
        raise RuntimeError("boom")

    async def fine(message, runtime, client) -> None:  # type: ignore[no-untyped-def]
        calls.append("fine")

    monkeypatch.setattr(message_listener, "CONSUMERS", (broken, fine))
    await bot.event(THREAD, event_id="EvFAN")
    await bot.settle()
    assert calls == ["broken", "fine"] and await _statuses(bot) == []


async def test_the_ack_does_not_wait_for_the_claim(bot, consumed, monkeypatch):
    """The claim (a database write, queued behind the listeners' writes on SQLite) is taken after the ack,
    as the listener's first step, still before any of its effects."""
    seen, _failing = consumed
    gate = held_claims(monkeypatch)
    acked = await asyncio.wait_for(bot.event(THREAD, event_id="EvHELD"), timeout=5)
    assert acked.status == 200 and seen == [] and await _statuses(bot) == []
    gate.set()
    await bot.settle()
    assert seen == [THREAD["ts"]] and await _statuses(bot) == ["done"]


async def test_past_the_backlog_an_event_gets_a_503_and_its_redelivery_is_done(bot, consumed, monkeypatch):
    """Acked events wait in memory for a worker; past MAX_BACKLOG the ack refuses rather than hold more."""
    seen, _failing = consumed
    monkeypatch.setattr(inbound, "MAX_BACKLOG", 2)
    monkeypatch.setattr(inbound, "BACKLOG_WAIT_SECONDS", 0)
    gate = held_claims(monkeypatch)
    statuses = [(await bot.event(_reply(n), event_id=f"EvBURST{n}")).status for n in range(3)]
    assert statuses == [200, 200, 503] and seen == []
    gate.set()
    await bot.settle()
    again = await bot.event(_reply(2), event_id="EvBURST2", retry_num=1)
    await bot.settle()
    assert again.status == 200 and sorted(seen) == sorted(_reply(n)["ts"] for n in range(3))

"""Inbound events: claim → process → done; a failure releases the claim so a redelivery does the work."""
from __future__ import annotations

import pytest
from sqlalchemy import select

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


async def test_a_database_down_at_the_claim_answers_503_and_slack_redelivers(bot, consumed):
    seen, _failing = consumed
    outage = Outage(bot.db)
    outage.down = True
    refused = await bot.event(THREAD, event_id="EvDOWN1")
    assert refused.status == 503  # the database is unreachable: Slack is asked to retry
    outage.down = False
    accepted = await bot.event(THREAD, event_id="EvDOWN1", retry_num=1)
    await bot.settle()
    assert accepted.status == 200 and seen == [THREAD["ts"]]


async def test_a_claim_whose_release_failed_is_taken_over_after_the_lease(bot, consumed, clock):
    """The database went down inside the listener: neither the work nor the release got through."""
    seen, failing = consumed
    outage = Outage(bot.db)
    outage.down = True
    outage.allow_next(2)  # the claim and the stopped-workspace check get through; the work and the release don't
    failing.append(True)
    await bot.event(THREAD, event_id="EvSTUCK")
    await bot.settle()
    outage.down = False
    assert await _statuses(bot) == ["processing"]
    clock.advance(seconds=5)
    await bot.event(THREAD, event_id="EvSTUCK", retry_num=1)  # immediate retry: someone may still be working
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

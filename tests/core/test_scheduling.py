"""Exactly-once scheduled work: repeated ticks, concurrent ticks, stale occurrences, failures."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.models import JobRun
from bot.outbound import post_once
from bot.scheduling import JobContext, Occurrence, tick
from tests.emulator.state import TEAM_ID


class Announce:
    """A job due every day at noon UTC, stale a day later; it posts once per occurrence."""

    name = "test-announce"

    def __init__(self, fail_times: int = 0) -> None:
        self.fail_times = fail_times

    async def occurrences(self, session, now):  # type: ignore[no-untyped-def]
        noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
        if noon > now:
            noon -= timedelta(days=1)
        return [Occurrence(TEAM_ID, "cohort-1", noon.date().isoformat(), due_at=noon,
                           stale_at=noon + timedelta(days=1))]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        if self.fail_times:
            self.fail_times -= 1
            raise RuntimeError("Slack was down")
        posted = await post_once(ctx.db, ctx.client_for(occurrence.team_id), team_id=occurrence.team_id,
                                 key=f"test:{occurrence.key}", channel="C0STUDY001", text=f"day {occurrence.key}",
                                 now=ctx.now)
        return f"posted {posted.ts}"


def context(bot, now) -> JobContext:  # type: ignore[no-untyped-def]
    bot.clock.set(now)
    return bot.runtime.job_context()


async def test_repeated_ticks_post_once(bot, emulator, clock):
    job = Announce()
    first = await tick(bot.db, [job], context(bot, clock.now()))
    second = await tick(bot.db, [job], context(bot, clock.now() + timedelta(minutes=1)))
    assert [r.outcome for r in first] == ["ran"] and second == []
    assert len(emulator.posted("C0STUDY001")) == 1


async def test_concurrent_ticks_post_once(bot, emulator, clock):
    job = Announce()
    results = await asyncio.gather(*(tick(bot.db, [job], context(bot, clock.now())) for _ in range(4)))
    assert sum(len(r) for r in results) == 1
    assert len(emulator.posted("C0STUDY001")) == 1


async def test_a_stale_occurrence_is_skipped_not_posted(bot, emulator, clock):
    job = Announce()

    class LateOnly(Announce):
        async def occurrences(self, session, now):  # type: ignore[no-untyped-def]
            return [Occurrence(TEAM_ID, "cohort-1", "old", due_at=now - timedelta(days=3),
                               stale_at=now - timedelta(days=2))]

    results = await tick(bot.db, [LateOnly()], context(bot, clock.now()))
    assert [r.outcome for r in results] == ["skipped"]
    assert emulator.posted("C0STUDY001") == []
    assert job  # the ordinary job is untouched


async def test_a_failed_run_is_retried_on_the_next_tick(bot, emulator, clock):
    job = Announce(fail_times=1)
    failed = await tick(bot.db, [job], context(bot, clock.now()))
    retried = await tick(bot.db, [job], context(bot, clock.now() + timedelta(minutes=1)))
    assert [r.outcome for r in failed] == ["failed"]
    assert [r.outcome for r in retried] == ["ran"]
    async with bot.db.session() as session:
        statuses = list(await session.scalars(select(JobRun.status)))
    assert statuses == ["done"]
    assert len(emulator.posted("C0STUDY001")) == 1


async def test_post_once_recovers_after_a_crash_without_a_second_copy(bot, emulator, clock):
    """Slack accepted the post, then we crashed before recording it: the retry finds it."""
    client = bot.runtime.client
    original = bot.runtime.db

    posted = await post_once(original, client, team_id=TEAM_ID, key="k1", channel="C0STUDY001", text="once",
                             now=clock.now())
    from sqlalchemy import update

    from bot.models import OutboundMessage

    async with bot.db.session() as session:  # simulate the crash: the row never learned it was sent
        await session.execute(update(OutboundMessage).values(status="pending", ts=None))
    again = await post_once(original, client, team_id=TEAM_ID, key="k1", channel="C0STUDY001", text="once",
                            now=clock.now() + timedelta(minutes=10))
    assert again.ts == posted.ts and not again.fresh
    assert len(emulator.posted("C0STUDY001")) == 1


async def test_housekeeping_forgets_old_events_and_old_finished_runs(bot, clock):
    from sqlalchemy import func

    from bot.dedup import Receipt, Received, receive
    from bot.models import ProcessedEvent

    await tick(bot.db, [Announce()], context(bot, clock.now()))
    await receive(bot.db, [Received(Receipt(TEAM_ID, "Ev1"), "event:message", {})], clock.now())
    recent_event = clock.now() + timedelta(days=100)
    await receive(bot.db, [Received(Receipt(TEAM_ID, "Ev2"), "event:message", {})], recent_event)
    from schedules.housekeeping import Housekeeping

    results = await tick(bot.db, [Housekeeping()], context(bot, recent_event))
    assert results[0].detail == "removed 1 old event ids and 1 old job runs"
    async with bot.db.session() as session:
        assert list(await session.scalars(select(ProcessedEvent.event_id))) == ["Ev2"]
        assert await session.scalar(select(func.count()).select_from(JobRun).where(JobRun.job == "test-announce")) == 0

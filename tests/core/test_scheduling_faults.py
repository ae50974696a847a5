"""The scheduler under faults: isolated jobs, backoff with a cap, one report, owned leases, heartbeats."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from sqlalchemy import select

from bot.models import JobRun, OutboundMessage
from bot.scheduling import RUN_LEASE, Occurrence, tick
from tests.core.test_scheduling import Announce
from tests.emulator.state import TEAM_ID


def slack_error(code: str) -> SlackApiError:
    response = AsyncSlackResponse(client=None, http_verb="POST", api_url="chat.postMessage", req_args={},
                                  data={"ok": False, "error": code}, headers={}, status_code=200)
    return SlackApiError(code, response)


class Failing(Announce):
    name = "test-failing"

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error
        self.runs = 0

    async def run(self, ctx, occurrence):  # type: ignore[no-untyped-def]
        self.runs += 1
        raise self.error


def reporter(into: list):  # type: ignore[no-untyped-def,type-arg]
    async def report(ctx, failure) -> None:  # type: ignore[no-untyped-def]
        into.append(failure)
    return report


async def minutely(bot, jobs, minutes: int) -> list:  # type: ignore[no-untyped-def,type-arg]
    results = []
    for _ in range(minutes):
        bot.clock.advance(minutes=1)
        results += await tick(bot.db, jobs, bot.runtime.job_context())
    return results


async def test_a_job_whose_occurrences_raise_does_not_stop_the_tick(bot, emulator):
    class Broken(Announce):
        name = "test-broken"

        async def occurrences(self, session, now):  # type: ignore[no-untyped-def]
            raise RuntimeError("bad cohort row")

    results = await tick(bot.db, [Broken(), Announce()], bot.runtime.job_context())
    assert [(r.job, r.outcome) for r in results] == [("test-broken", "failed"), ("test-announce", "ran")]
    assert len(emulator.posted("C0STUDY001")) == 1


async def test_a_failing_run_backs_off_up_to_an_hour_and_is_reported_once(bot):
    job = Failing(RuntimeError("flaky"))
    reports: list = []  # type: ignore[type-arg]
    bot.runtime.report = reporter(reports)
    await tick(bot.db, [job], bot.runtime.job_context())
    await minutely(bot, [job], 4 * 60)
    # Runs at minute 0, 1, 3, 7, 15, 31, 63 (backoff doubling from 1 min), then hourly: 123, 183.
    assert job.runs == 9
    assert [(f.attempts, f.error, f.needs_a_person) for f in reports] == [(4, "RuntimeError('flaky')", False)]
    async with bot.db.session() as session:
        run = await session.scalar(select(JobRun))
    assert (run.status, run.attempts) == ("failed", 9)


async def test_a_failure_a_person_must_fix_is_reported_at_once_and_retried_hourly(bot):
    job = Failing(slack_error("not_in_channel"))
    reports: list = []  # type: ignore[type-arg]
    bot.runtime.report = reporter(reports)
    first = await tick(bot.db, [job], bot.runtime.job_context())
    assert [r.detail for r in first] == ["not_in_channel"]
    await minutely(bot, [job], 2 * 60)
    assert job.runs == 3  # at 0, 60 and 120 minutes, not 121 times
    assert [(f.error, f.needs_a_person) for f in reports] == [("not_in_channel", True)]


async def test_a_run_that_lost_its_lease_cannot_overwrite_the_new_owner(bot, emulator, clock):
    """Replica A's job outlives its lease; replica B takes over and finishes; A's late failure changes nothing."""

    class Slow(Announce):
        name = "test-slow"
        calls = 0

        async def run(self, ctx, occurrence):  # type: ignore[no-untyped-def]
            Slow.calls += 1
            if Slow.calls == 1:
                clock.advance(minutes=11)  # replica A stalls past its lease (no heartbeat got through)
                await tick(bot.db, [self], bot.runtime.job_context())  # replica B's tick
                raise RuntimeError("replica A finally fails")
            return await super().run(ctx, occurrence)

    ctx = bot.runtime.job_context()
    ctx.heartbeat_seconds = 3600
    await tick(bot.db, [Slow()], ctx)
    async with bot.db.session() as session:
        assert list(await session.scalars(select(JobRun.status))) == ["done"]
    assert len(emulator.posted("C0STUDY001")) == 1


async def test_a_heartbeat_keeps_a_long_job_from_being_taken_over(bot, emulator, clock):
    class Long(Announce):
        name = "test-long"
        calls = 0

        async def run(self, ctx, occurrence):  # type: ignore[no-untyped-def]
            Long.calls += 1
            clock.advance(minutes=11)
            await asyncio.sleep(0.05)  # the heartbeat (every 10 ms here) renews the lease meanwhile
            await tick(bot.db, [self], bot.runtime.job_context())  # another replica ticks: must not run it
            return await super().run(ctx, occurrence)

    ctx = bot.runtime.job_context()
    ctx.heartbeat_seconds = 0.01
    results = await tick(bot.db, [Long()], ctx)
    assert Long.calls == 1 and [r.outcome for r in results] == ["ran"]
    assert len(emulator.posted("C0STUDY001")) == 1


async def test_posts_late_in_a_long_job_are_claimed_at_the_moment_they_are_made(bot, clock):
    class TwoPosts(Announce):
        name = "test-two-posts"

        async def run(self, ctx, occurrence):  # type: ignore[no-untyped-def]
            from bot.outbound import post_once

            for n in range(2):
                await post_once(ctx.db, ctx.client_for(TEAM_ID), team_id=TEAM_ID, key=f"two:{n}",
                                channel="C0STUDY001", text=str(n), now=ctx.now)
                clock.advance(minutes=6)
            return "two"

    started = clock.now()
    await tick(bot.db, [TwoPosts()], bot.runtime.job_context())
    async with bot.db.session() as session:
        claimed = list(await session.scalars(select(OutboundMessage.claimed_at).order_by(OutboundMessage.key)))
    assert claimed == [started, started + timedelta(minutes=6)]
    assert RUN_LEASE > timedelta(minutes=6)
    assert Occurrence  # re-exported for jobs

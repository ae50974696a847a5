"""Scenario 5: two replicas on one PostgreSQL database — racing ticks, the same events delivered to both,
and a job whose lease expires in the middle of its fan-out. Every prompt is posted once, every answer
recorded and acknowledged once, and the run ends `done`."""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.models import JobRun
from bot.models.questionnaire import Answer
from tests.conftest import PG_URL
from tests.faults.conftest import tally
from tests.harness import StudyBot
from tests.questionnaire.conftest import CHANNEL, WEEK1, make_cohort, prompts_of

pytestmark = pytest.mark.skipif(not PG_URL, reason="two replicas need a shared PostgreSQL database "
                                                   "(SQLite serialises writers; set STUDYBOT_TEST_DATABASE_URL)")
QUESTIONS = 40
ANSWERS = 20


def posted_keys(emulator) -> list[str]:  # type: ignore[no-untyped-def]
    return [((m.metadata or {}).get("event_payload") or {}).get("key", "")
            for m in emulator.workspace.channels[CHANNEL].messages.values() if m.metadata]


async def test_two_replicas_racing_with_a_lease_expiring_mid_job(bot, emulator, clock, database_url):
    other = await StudyBot.start(emulator, database_url, clock)
    try:
        cohort = await make_cohort(bot, questions=QUESTIONS)
        clock.set(WEEK1)
        late: list[asyncio.Future] = []  # type: ignore[type-arg]

        def stall(call) -> None:  # type: ignore[no-untyped-def]
            """At the 10th post the running replica stalls past its lease; the other replica ticks."""
            if call.method == "chat.postMessage" and len(emulator.calls_to("chat.postMessage")) == 10:
                clock.advance(minutes=11)
                late.append(asyncio.ensure_future(other.tick()))

        emulator.on_call.append(stall)
        await asyncio.gather(bot.tick(), other.tick(), bot.tick())
        await asyncio.gather(*late)
        emulator.on_call.clear()
        for _ in range(3):  # later cron ticks on both replicas finish whatever a busy claim left
            clock.advance(minutes=6)
            await asyncio.gather(bot.tick(), other.tick())

        expected_prompts = [f"prompt:{cohort.id}:1:{n}" for n in range(1, QUESTIONS + 1)]
        assert tally("5 replicas: prompts", expected_prompts, posted_keys(emulator)) == (QUESTIONS, QUESTIONS, 0, 0)
        async with bot.db.session() as session:
            runs = (await session.execute(select(JobRun.status, JobRun.attempts)
                                          .where(JobRun.job == "questionnaire-prompts"))).all()
        assert {status for status, _ in runs} == {"done"}
        assert max(attempts for _, attempts in runs) >= 2  # the stalled run's lease was taken over

        prompt = (await prompts_of(bot))[1]
        replies = []
        for n in range(ANSWERS):
            reply = emulator.workspace.post(CHANNEL, f"answer {n}", user="U0ADA00001", thread_ts=prompt.ts)
            replies.append(reply.ts)
            event = {"type": "message", "channel": CHANNEL, "user": "U0ADA00001", "text": reply.text,
                     "ts": reply.ts, "thread_ts": prompt.ts}
            await asyncio.gather(bot.event(event, event_id=f"EvR{n:04d}"),
                                 other.event(event, event_id=f"EvR{n:04d}", retry_num=1))
        await bot.settle()
        async with bot.db.session() as session:
            recorded = list(await session.scalars(select(Answer.message_ts)))
        acknowledged = [c.args["timestamp"] for c in emulator.calls_to("reactions.add") if (c.response or {}).get("ok")]
        assert tally("5 replicas: answers recorded", replies, recorded) == (ANSWERS, ANSWERS, 0, 0)
        assert tally("5 replicas: answers acknowledged", replies, acknowledged) == (ANSWERS, ANSWERS, 0, 0)
    finally:
        await other.stop()

"""Scenario 1: the database refuses every write for 30 s while 200 answers arrive, with Slack's
redeliveries (after a 503, after a slow ack, and spontaneous duplicates). After it recovers, every
answer is recorded exactly once and acknowledged (✅) exactly once.

Every event is written to the inbox before its ack, so while the database is down each gets a 503
and Slack delivers it again later. An event whose write got in just before the database stalled,
and whose listener then failed, is acked and stays pending: the inbox's drain runs it again once
its lease ran out. Nothing acked is left to the catch-up."""
from __future__ import annotations

import heapq
import itertools
from datetime import timedelta

from sqlalchemy import select

from bot.dedup import PROCESSING_LEASE
from bot.inbound import drain_inbox
from bot.models.questionnaire import Answer
from tests.faults.conftest import tally
from tests.faults.support import RETRY_DELAYS_SECONDS, Delivery, Outage, without_fsync
from tests.questionnaire.conftest import CHANNEL, WEEK1, make_cohort, prompts_of, tick_questionnaire

ANSWERS = 200
OUTAGE = (timedelta(seconds=30), timedelta(seconds=60))  # from the first answer
EVERY = timedelta(milliseconds=500)


async def test_two_hundred_answers_through_a_thirty_second_outage(bot, emulator, clock):
    without_fsync(bot.db)
    await make_cohort(bot, questions=5)
    await tick_questionnaire(bot, WEEK1)
    prompts = list((await prompts_of(bot)).values())
    members = [f"U0M{n:07d}" for n in range(ANSWERS // len(prompts))]
    for member in members:
        emulator.workspace.add_user(member)
        emulator.workspace.channels[CHANNEL].members.add(member)

    start = WEEK1 + timedelta(hours=1)
    queue: list[tuple] = []  # type: ignore[type-arg]
    order = itertools.count()
    expected = []
    deliveries: list[Delivery] = []
    for n, (member, prompt) in enumerate(itertools.product(members, prompts)):
        clock.set(start + EVERY * n)
        reply = emulator.workspace.post(CHANNEL, f"answer {n}", user=member, thread_ts=prompt.ts)
        expected.append(reply.ts)
        event = {"type": "message", "channel": CHANNEL, "user": member, "text": reply.text, "ts": reply.ts,
                 "thread_ts": prompt.ts}
        deliveries.append(Delivery(event, f"EvA{n:05d}"))
        heapq.heappush(queue, (start + EVERY * n, next(order), deliveries[-1]))

    clock.set(start)
    outage = Outage(bot.db)
    slow_acks = 0
    acked_while_down = []  # acked without being written down: none
    while queue:
        at, _, delivery = heapq.heappop(queue)
        clock.set(max(clock.now(), at))
        outage.down = OUTAGE[0] <= clock.now() - start < OUTAGE[1]
        slow = outage.down and delivery.attempts == 0 and int(delivery.event_id[3:]) % 4 == 1
        if slow:  # the inbox write got in before the database stalled; Slack gave up waiting for the ack
            outage.allow_next(1)
            slow_acks += 1
        reply = await bot.event(delivery.event, event_id=delivery.event_id, retry_num=delivery.attempts or None)
        await bot.settle()
        delivery.statuses.append(reply.status)
        if outage.down and reply.status == 200 and not slow:
            acked_while_down.append(delivery.event["ts"])
        delivery.attempts += 1
        duplicate = not outage.down and int(delivery.event_id[3:]) % 10 == 0 and delivery.attempts == 1
        if (reply.status != 200 or slow or duplicate) and delivery.attempts <= len(RETRY_DELAYS_SECONDS):
            retry_at = clock.now() + timedelta(seconds=RETRY_DELAYS_SECONDS[delivery.attempts - 1])
            heapq.heappush(queue, (retry_at, next(order), delivery))
    outage.down = False
    refused = [d for d in deliveries if 503 in d.statuses]
    assert len(refused) > 40 and all(d.statuses[-1] == 200 for d in refused)  # Slack's retries got them in

    async with bot.db.session() as session:
        live = set(await session.scalars(select(Answer.message_ts).where(Answer.private.is_(False))))
    missed = [d.event["ts"] for d in deliveries if d.event["ts"] not in live]
    assert not acked_while_down and 0 < len(missed) <= slow_acks  # written down, their listener failed
    clock.advance(seconds=PROCESSING_LEASE.total_seconds() + 1)
    assert await drain_inbox(bot.server.app, bot.runtime) == len(missed)
    await bot.settle()

    async with bot.db.session() as session:
        recorded = list(await session.scalars(select(Answer.message_ts).where(Answer.private.is_(False))))
    acknowledged = [c.args["timestamp"] for c in emulator.calls_to("reactions.add") if (c.response or {}).get("ok")]
    assert outage.refused > 0 and slow_acks > 0
    assert tally("1 database outage: answers recorded", expected, recorded) == (ANSWERS, ANSWERS, 0, 0)
    assert tally("1 database outage: answers acknowledged", expected, acknowledged) == (ANSWERS, ANSWERS, 0, 0)

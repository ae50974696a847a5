"""Fault scenario 4 (issue 11): the bot is down for 6 hours while members answer in prompt threads.

Nothing reaches the bot while it is down (Slack gives up redelivering). After it
starts again, the questionnaire's catch-up reads the threads of this week's and
last week's prompts and records every answer exactly as the live path would:
new replies once, each with one ✅; edits applied; deletes followed; the counts on
the prompts right. Threads with nothing new are not read.
"""
from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.models import Cohort, Question
from bot.models.questionnaire import Answer, Prompt
from bot.scheduling import tick
from schedules.questionnaire import JOBS
from tests.emulator.state import Message

WEEK1 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)  # Europe/London = UTC in March
WEEK2 = WEEK1 + timedelta(days=7)
CHANNEL = "C0FASTBOOK1"
MEMBERS = [f"U0M{index:07d}" for index in range(40)]
QUESTIONS = 5
CHECK = "white_check_mark"


async def _cohort_with_two_weeks_of_prompts(bot, emulator) -> dict[tuple[int, int], Prompt]:  # type: ignore[no-untyped-def]
    for user in MEMBERS:
        emulator.workspace.add_user(user, user.lower())
    emulator.workspace.add_channel(CHANNEL, "fastbook-2026", members=set(MEMBERS))
    cohort = await bot.create_cohort(channel_id=CHANNEL)
    async with bot.db.session() as session:
        await session.execute(update(Cohort).where(Cohort.id == cohort.id).values(prompts_per_day=None))
        for chapter, position in itertools.product((1, 2), range(1, QUESTIONS + 1)):
            session.add(Question(team_id=bot.team_id, cohort_id=cohort.id, chapter=chapter, position=position,
                                 text=f"Chapter {chapter}, question {position}?", retired=False,
                                 imported_at=bot.clock.now()))
    for opens in (WEEK1, WEEK2):
        bot.clock.set(opens)
        await tick(bot.db, JOBS, bot.runtime.job_context())
    async with bot.db.session() as session:
        prompts = {(p.chapter, p.position): p for p in await session.scalars(select(Prompt))}
    assert len(prompts) == 2 * QUESTIONS
    return prompts


def _event(message: Message) -> dict:  # type: ignore[type-arg]
    return {"type": "message", "channel": CHANNEL, "user": message.user, "text": message.text, "ts": message.ts,
            "thread_ts": message.thread_ts, "event_ts": message.ts, "channel_type": "channel", **message.extra}


def _edit(emulator, message: Message, text: str) -> None:  # type: ignore[no-untyped-def]
    message.text = text
    message.extra["edited"] = {"user": message.user, "ts": emulator.workspace.next_ts()}


async def _answers(bot) -> list[Answer]:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        return list(await session.scalars(select(Answer).where(Answer.private.is_(False))))


async def _run_jobs(bot, at: datetime) -> list:  # type: ignore[no-untyped-def,type-arg]
    bot.clock.set(at)
    return await tick(bot.db, JOBS, bot.runtime.job_context())


async def test_six_hours_down_then_the_catch_up_records_every_answer_once(bot, emulator):
    prompts = await _cohort_with_two_weeks_of_prompts(bot, emulator)
    workspace = emulator.workspace
    members = itertools.cycle(MEMBERS)

    # Live, before the outage: ten answers arrive as events and are recorded (and ✅'d) at once.
    bot.clock.set(WEEK2 + timedelta(hours=1))
    live: list[Message] = []
    for chapter, position in [(2, 1)] * 5 + [(1, 2)] * 5:
        live.append(workspace.post(CHANNEL, f"live answer {len(live)}", user=next(members),
                                   thread_ts=prompts[(chapter, position)].ts))
        assert (await bot.event(_event(live[-1]))).status == 200
    await bot.settle()
    assert len(await _answers(bot)) == 10

    # Down for six hours: members keep answering; not one event reaches the bot.
    down_from = WEEK2 + timedelta(hours=1, minutes=1)
    written: list[Message] = []
    busy = prompts[(2, 1)].ts  # a thread longer than one page of conversations.replies
    quiet = (1, QUESTIONS)  # a thread nobody touches while the bot is down
    others = [key for key in sorted(prompts) if key not in {(2, 1), quiet}]
    plan = [busy] * 230 + [prompts[key].ts for key in others for _ in range(15)]
    for index, thread_ts in enumerate(plan):
        bot.clock.set(down_from + timedelta(seconds=index * 6 * 3600 // len(plan)))
        extra = {"subtype": "thread_broadcast"} if index in (7, 300) else {}
        written.append(workspace.post(CHANNEL, f"answer {index} in {thread_ts}", user=next(members),
                                      thread_ts=thread_ts, **extra))
    bot_reply = workspace.post(CHANNEL, "a reminder from another app", thread_ts=prompts[(1, 1)].ts)
    bot_reply.bot_id = "BOTHERAPP1"
    for index in range(250):  # chatter in the channel: the prompts' history spans more than one page
        workspace.post(CHANNEL, f"chat {index}", user=next(members))
    bot.clock.set(WEEK2 + timedelta(hours=7))
    for message in (live[0], live[6], written[3], written[240]):
        _edit(emulator, message, f"{message.text} (edited while the bot was down)")
    for message in (live[1], live[7], written[4], written[241], written[-1]):
        message.deleted = True

    # Start again: the first tick catches up.
    results = await _run_jobs(bot, WEEK2 + timedelta(hours=7, minutes=1))
    assert [(r.outcome, r.detail) for r in results if r.job == "questionnaire-catch-up"] == [(
        "ran", "10 prompts, 9 threads read: 347 answers recorded, 2 edited, 2 deleted meanwhile")]
    await _run_jobs(bot, WEEK2 + timedelta(hours=7, minutes=2))  # the counts' flush

    exists = {m.ts: m for m in [*live, *written] if not m.deleted}
    rows = await _answers(bot)
    by_ts = Counter(row.message_ts for row in rows)
    seen = {row.message_ts for row in rows if not row.deleted}
    duplicated = sum(count - 1 for count in by_ts.values())
    lost = set(exists) - seen
    assert (len(exists), len(seen), duplicated, len(lost)) == (10 + 350 - 2 - 3, 355, 0, 0)
    assert seen == set(exists)
    assert {row.message_ts for row in rows if row.deleted} == {live[1].ts, live[7].ts}  # deletes followed
    assert all(row.text == exists[row.message_ts].text for row in rows if not row.deleted)  # edits applied
    assert bot_reply.ts not in by_ts

    acknowledged = Counter(call.args["timestamp"] for call in emulator.calls_to("reactions.add")
                           if (call.response or {}).get("ok"))
    assert set(acknowledged) == set(exists) | {live[1].ts, live[7].ts}  # those two were ✅'d live, then deleted
    assert set(acknowledged.values()) == {1}
    assert all(workspace.message(CHANNEL, ts).reactions.get(CHECK) for ts in exists)

    read = Counter(call.args["ts"] for call in emulator.calls_to("conversations.replies"))
    assert prompts[quiet].ts not in read  # nothing moved in the quiet thread
    assert read[busy] == 2  # 230 + 3 replies: two pages

    async with bot.db.session() as session:
        shown = {(p.chapter, p.position): p.shown_count for p in await session.scalars(select(Prompt))}
    answered: dict[tuple[int, int], set[str]] = {key: set() for key in prompts}
    thread_of = {p.ts: key for key, p in prompts.items()}
    for ts in exists:
        answered[thread_of[exists[ts].thread_ts]].add(exists[ts].user)
    assert shown == {key: len(users) for key, users in answered.items()}

    # Ten minutes later the periodic catch-up finds nothing new: it reads only the thread where another
    # app replied (its reply counts in Slack's reply_count but is no answer, so it cannot tell without reading).
    calls_before = len(emulator.calls_to("conversations.replies"))
    results = await _run_jobs(bot, WEEK2 + timedelta(hours=7, minutes=11))
    assert [r.outcome for r in results if r.job == "questionnaire-catch-up"] == ["ran"]
    assert [call.args["ts"] for call in emulator.calls_to("conversations.replies")[calls_before:]] == [
        prompts[(1, 1)].ts]

    # Slack's late redelivery of a reply the catch-up recorded changes nothing.
    assert (await bot.event(_event(written[0]))).status == 200
    await bot.settle()
    assert len(await _answers(bot)) == len(rows)
    assert Counter(call.args["timestamp"] for call in emulator.calls_to("reactions.add"))[written[0].ts] == 1

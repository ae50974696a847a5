"""Fault scenario (issue 22): the process dies right after acking a burst of requests of every kind.

Slack never delivers an acked request again, so each must survive: written to the inbox before its ack,
run again by the restarted process's drain. The crash is simulated the way a `kill -9` lands: every
listener is held right after its ack (an event's after Bolt's automatic ack, a click's after its `ack()`,
a command's work after its empty ack) and then cancelled — nothing after the acks ran, nor was marked done.
"""
from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from slack_bolt.context.ack.async_ack import AsyncAck
from sqlalchemy import func, select, update

import bot.inbound as inbound
import handlers.commands.study as study_command
from bot.ama import views as ama_views
from bot.dedup import PROCESSING_LEASE
from bot.inbound import drain_inbox
from bot.models import Cohort, Question
from bot.models.ama import AmaQuestion, AmaVote
from bot.models.groups import GroupActivity, StudyGroup
from bot.models.questionnaire import Answer, Prompt
from bot.models.share import SharePost, ShareReaction
from bot.privacy.views import FORGET_CONFIRM_ACTION
from bot.scheduling import tick
from bot.workspaces.lifecycle import is_stopped
from schedules.questionnaire import JOBS
from tests.ama.conftest import CHANNEL, ORGANIZER, ask, click_payload, member
from tests.harness import StudyBot
from tests.share.conftest import SHARE, Channel

WEEK1 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
GROUP_CHANNEL = "G0GROUP001"
FORGOTTEN = "U0FORGET01"
BURST = 12  # requests of each kind


class Crash:
    """Holds every listener right after its ack; `now()` cancels them all, as a kill -9 would."""

    def __init__(self, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        self.held: list[asyncio.Task] = []  # type: ignore[type-arg]
        acknowledge, started, run = AsyncAck.__call__, inbound.Inbox.started, study_command._run

        async def ack_then_hold(ack, *args, **kwargs):  # type: ignore[no-untyped-def]
            response = await acknowledge(ack, *args, **kwargs)
            if _in_listener():  # an event's automatic ack comes before its listener: held at its start
                await self.hold()
            return response

        async def start_then_hold(inbox) -> None:  # type: ignore[no-untyped-def]
            await started(inbox)
            await self.hold()

        async def run_then_hold(*args):  # type: ignore[no-untyped-def]
            await self.hold()
            await run(*args)

        monkeypatch.setattr(AsyncAck, "__call__", ack_then_hold)
        monkeypatch.setattr(inbound.Inbox, "started", start_then_hold)
        monkeypatch.setattr(study_command, "_run", run_then_hold)
        monkeypatch.setattr(study_command, "ANSWER_IN_ACK_WITHIN", 0)  # a command's work after its ack

    async def hold(self) -> None:
        self.held.append(asyncio.current_task())  # type: ignore[arg-type]
        await asyncio.Event().wait()

    async def now(self) -> None:
        """Every listener ends: those held after their ack, and events still queued for a worker."""
        await asyncio.sleep(0)
        dying = self.held + [task for task in asyncio.all_tasks() if _is_listener(task)]
        for task in dying:
            task.cancel()
        await asyncio.gather(*dying, return_exceptions=True)


def _is_listener(task: asyncio.Task | None) -> bool:  # type: ignore[type-arg]
    return task is not None and "run_ack_function_asynchronously" in getattr(task.get_coro(), "__qualname__", "")


def _in_listener() -> bool:
    return _is_listener(asyncio.current_task())


async def _set_up(bot, emulator) -> tuple[list[Prompt], int, object]:  # type: ignore[no-untyped-def]
    people = {ORGANIZER, FORGOTTEN, *(member(n) for n in range(BURST))}
    for person in people:
        emulator.workspace.add_user(person, person.lower())
    emulator.workspace.add_channel(CHANNEL, "fastbook-2026", members=people)
    emulator.workspace.add_channel(SHARE, "share-your-work", members=people)
    emulator.workspace.add_channel(GROUP_CHANNEL, "group-1", members=people)
    cohort = await bot.create_cohort(channel_id=CHANNEL, session_time="thu 18:00", organizers=[ORGANIZER],
                                     share_channel_id=SHARE)
    async with bot.db.session() as session:
        await session.execute(update(Cohort).where(Cohort.id == cohort.id).values(prompts_per_day=None))
        for position in range(1, 3):
            session.add(Question(team_id=bot.team_id, cohort_id=cohort.id, chapter=1, position=position,
                                 text=f"Question {position}?", retired=False, imported_at=bot.clock.now()))
        session.add(StudyGroup(team_id=bot.team_id, cohort_id=cohort.id, name="Group 1", channel_id=GROUP_CHANNEL,
                               center_offset=0, status="ready", created_at=bot.clock.now()))
    bot.clock.set(WEEK1)
    await tick(bot.db, JOBS, bot.runtime.job_context())
    async with bot.db.session() as session:
        prompts = list(await session.scalars(select(Prompt).order_by(Prompt.position)))
    await ask(bot, ORGANIZER, "What is a learning rate?")
    async with bot.db.session() as session:
        question_id = await session.scalar(select(AmaQuestion.id))
    share = Channel(emulator, bot.clock)
    post = share.post(FORGOTTEN, "my first classifier")
    assert (await bot.event(share.events[-1])).status == 200
    answered = emulator.workspace.post(CHANNEL, "an answer to forget", user=FORGOTTEN, thread_ts=prompts[0].ts)
    await bot.event(_in_thread(answered, prompts[0]))
    await bot.settle()
    assert await _count(bot, Answer, Answer.user_id == FORGOTTEN) == 1
    return prompts, question_id, post


def _in_thread(message, prompt: Prompt) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return {"type": "message", "channel": CHANNEL, "user": message.user, "text": message.text, "ts": message.ts,
            "thread_ts": prompt.ts, "event_ts": message.ts, "channel_type": "channel"}


async def _count(bot, model, *where) -> int:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def _recorded(bot) -> dict[str, int]:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        group_messages = await session.scalar(select(func.sum(GroupActivity.messages)))
    return {
        "event: answer in a prompt thread": await _count(bot, Answer, Answer.user_id != FORGOTTEN),
        "event: reaction on a share post": await _count(bot, ShareReaction, ShareReaction.present),
        "event: group channel message": int(group_messages or 0),
        "action: AMA upvote": await _count(bot, AmaVote, AmaVote.active),
        "command: /study ask (work after the ack)": await _count(bot, AmaQuestion) - 1,
        "action: forget-me confirmation": int(not await _count(bot, SharePost, SharePost.user_id == FORGOTTEN)),
        "event: app_uninstalled": int(await is_stopped(bot.db, bot.team_id)),
    }


def _burst(bot, emulator, prompts, question_id, post) -> list[tuple[str, Callable[[], Awaitable]]]:  # type: ignore[no-untyped-def, type-arg]
    requests: list[tuple[str, Callable[[], Awaitable]]] = []  # type: ignore[type-arg]
    share, ts = Channel(emulator, bot.clock), itertools.count(1)
    for n in range(BURST):
        person, prompt = member(n), prompts[n % len(prompts)]
        answer = emulator.workspace.post(CHANNEL, f"answer {n}", user=person, thread_ts=prompt.ts)
        in_thread = _in_thread(answer, prompt)
        requests.append(("event: answer in a prompt thread", lambda e=in_thread: bot.event(e)))
        reaction = share.react(post, person, "tada")
        requests.append(("event: reaction on a share post", lambda e=reaction: bot.event(e)))
        message = {"type": "message", "channel": GROUP_CHANNEL, "user": person, "text": f"hi {n}",
                   "ts": f"1772560800.{next(ts):06d}", "channel_type": "group"}
        requests.append(("event: group channel message", lambda e=message: bot.event(e)))
        vote = click_payload(bot, ama_views.UPVOTE_ACTION, user=person, value=str(question_id))
        requests.append(("action: AMA upvote", lambda p=vote: bot.interact(p)))
        requests.append(("command: /study ask (work after the ack)",
                         lambda p=person, i=n: bot.slash(f"ask Question number {i}?", user=p, channel=CHANNEL)))
    requests.append(("action: forget-me confirmation",
                     lambda: bot.click(FORGET_CONFIRM_ACTION, "forget", user=FORGOTTEN)))
    requests.append(("event: app_uninstalled", lambda: bot.event({"type": "app_uninstalled"})))  # last: it stops all
    return requests


async def test_nothing_acked_is_lost_when_the_process_dies_right_after_its_acks(
        bot, emulator, database_url, clock, monkeypatch):
    prompts, question_id, post = await _set_up(bot, emulator)
    before = await _recorded(bot)
    crash = Crash(monkeypatch)
    acked: dict[str, int] = dict.fromkeys(before, 0)
    for kind, send in _burst(bot, emulator, prompts, question_id, post):
        reply = await send()
        assert reply.status == 200, kind
        acked[kind] += 1
    await crash.now()
    monkeypatch.undo()
    assert await _recorded(bot) == before  # the crash came after every ack, before any effect

    restarted = await StudyBot.start(emulator, database_url, clock)
    try:
        clock.advance(seconds=PROCESSING_LEASE.total_seconds() + 1)
        assert await drain_inbox(restarted.server.app, restarted.runtime) == sum(acked.values())
        await restarted.settle()
        after = await _recorded(restarted)
    finally:
        await restarted.stop()
    recorded = {kind: after[kind] - before[kind] for kind in acked}
    assert recorded == acked, table(acked, recorded)


def table(acked: dict[str, int], recorded: dict[str, int]) -> str:
    rows = [f"| {kind} | {acked[kind]} | {recorded[kind]} |" for kind in acked]
    return "\n".join(["| kind | acked | recorded after the crash and restart |", "|---|---|---|", *rows])

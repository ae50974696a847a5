"""Shared set-up for the questionnaire tests: a cohort with questions, and members who reply in threads.

Week 1 of the default cohort opens Tue 2026-03-03 18:00 Europe/London (= UTC in March).
"""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.models import Cohort, Question
from bot.models.questionnaire import Prompt
from tests.emulator import SlackEmulator
from tests.harness import StudyBot

WEEK1 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
CHANNEL = "C0FASTBOOK1"  # cohort channels and members need real-looking ids
ADA = "U0ADA00001"
GRACE = "U0GRACE001"


@pytest.fixture(autouse=True)
def cohort_channel(emulator):  # type: ignore[no-untyped-def]
    emulator.workspace.add_user(ADA, "ada")
    emulator.workspace.add_user(GRACE, "grace", tz="America/New_York", tz_offset=-18000)
    return emulator.workspace.add_channel(CHANNEL, "fastbook-2026", members={ADA, GRACE})


def question_text(chapter: int, position: int) -> str:
    return f"Chapter {chapter} question {position}: what does *this* mean?"


async def add_questions(bot: StudyBot, cohort_id: int, chapter: int, count: int, *,
                        retired: tuple[int, ...] = ()) -> None:
    async with bot.db.session() as session:
        for position in range(1, count + 1):
            session.add(Question(
                team_id=bot.team_id, cohort_id=cohort_id, chapter=chapter, position=position,
                text=question_text(chapter, position), retired=position in retired, imported_at=bot.clock.now(),
            ))


async def make_cohort(bot: StudyBot, *, questions: int = 5, per_day: int | None = None, chapter: int = 1,
                      **fields: Any) -> Cohort:
    cohort = await bot.create_cohort(**{"channel_id": CHANNEL, **fields})
    async with bot.db.session() as session:
        await session.execute(update(Cohort).where(Cohort.id == cohort.id).values(prompts_per_day=per_day))
    await add_questions(bot, cohort.id, chapter, questions)
    return cohort


async def tick_questionnaire(bot: StudyBot, at: datetime | None = None) -> list:  # type: ignore[type-arg]
    """Run only this feature's jobs (other features post in the same channel on their own schedule)."""
    from bot.scheduling import tick
    from schedules.questionnaire import JOBS

    if at is not None:
        bot.clock.set(at)
    return await tick(bot.db, JOBS, bot.runtime.job_context())


def prompt_posts(emulator: SlackEmulator, channel: str | None = None, delivered: bool = False) -> list:  # type: ignore[type-arg]
    """The prompts the bot posted (other features post in the channel too), in order."""
    return [
        call for call in emulator.posted(channel)
        if str(((call.args.get("metadata") or {}).get("event_payload") or {}).get("key", "")).startswith("prompt:")
        and (not delivered or (call.response or {}).get("ok"))
    ]


async def prompts_of(bot: StudyBot, chapter: int = 1) -> dict[int, Prompt]:
    async with bot.db.session() as session:
        rows = await session.scalars(select(Prompt).where(Prompt.chapter == chapter).order_by(Prompt.position))
        return {p.position: p for p in rows}


@dataclass
class Members:
    """Members writing in the emulated workspace; each action reaches the bot as Slack's event."""

    bot: StudyBot
    emulator: SlackEmulator
    channel: str = CHANNEL
    sent: list[str] = field(default_factory=list)  # event ids, for redelivery

    def _event_id(self) -> str:
        event_id = f"Ev{uuid.uuid4().hex[:12].upper()}"
        self.sent.append(event_id)
        return event_id

    async def reply(self, user: str, thread_ts: str, text: str, *, broadcast: bool = False,
                    event_id: str | None = None, settle: bool = True) -> dict[str, Any]:
        extra = {"subtype": "thread_broadcast"} if broadcast else {}
        message = self.emulator.workspace.post(self.channel, text, user=user, thread_ts=thread_ts, **extra)
        event = {"type": "message", "channel": self.channel, "user": user, "text": text, "ts": message.ts,
                 "thread_ts": thread_ts, "event_ts": message.ts, "channel_type": "channel", **extra}
        await self.send(event, event_id, settle)
        return event

    async def post(self, user: str, text: str, **extra: Any) -> dict[str, Any]:
        message = self.emulator.workspace.post(self.channel, text, user=user)
        event = {"type": "message", "channel": self.channel, "user": user, "text": text, "ts": message.ts,
                 "event_ts": message.ts, "channel_type": "channel", **extra}
        await self.send(event)
        return event

    async def edit(self, original: dict[str, Any], text: str, *, edit_ts: str | None = None,
                   settle: bool = True) -> dict[str, Any]:
        edit_ts = edit_ts or self.emulator.workspace.next_ts()
        stored = self.emulator.workspace.message(self.channel, original["ts"])
        if stored is not None:
            stored.text = text
        inner = {k: v for k, v in original.items() if k not in ("channel", "event_ts", "channel_type")}
        event = {"type": "message", "subtype": "message_changed", "channel": self.channel, "hidden": True,
                 "message": {**inner, "text": text, "edited": {"user": original.get("user"), "ts": edit_ts}},
                 "previous_message": inner, "event_ts": edit_ts, "ts": edit_ts}
        await self.send(event, settle=settle)
        return event

    async def delete(self, original: dict[str, Any], *, settle: bool = True) -> dict[str, Any]:
        stored = self.emulator.workspace.message(self.channel, original["ts"])
        if stored is not None:
            stored.deleted = True
        inner = {k: v for k, v in original.items() if k not in ("channel", "event_ts", "channel_type")}
        now = self.emulator.workspace.next_ts()
        event = {"type": "message", "subtype": "message_deleted", "channel": self.channel, "hidden": True,
                 "deleted_ts": original["ts"], "previous_message": inner, "event_ts": now, "ts": now}
        await self.send(event, settle=settle)
        return event

    async def send(self, event: dict[str, Any], event_id: str | None = None, settle: bool = True) -> None:
        reply = await self.bot.event(event, event_id=event_id or self._event_id())
        assert reply.status == 200
        if settle:
            await self.bot.settle()


@pytest.fixture
def members(bot, emulator) -> Members:  # type: ignore[no-untyped-def]
    return Members(bot, emulator)


async def gather_in_waves(coroutines: list, wave: int = 25) -> list:  # type: ignore[type-arg]
    """Run many members' actions concurrently, a wave at a time (as a busy channel would)."""
    results = []
    for start in range(0, len(coroutines), wave):
        results += await asyncio.gather(*coroutines[start:start + wave])
    return results

"""Set-up for the live-session questions: a cohort with a Thursday session, members, and the clicks
Slack sends for the board's buttons.

The default clock (Mon 2 Mar 2026 12:00 UTC) is before week 1 opens (Tue 3 Mar 18:00 Europe/London),
so questions go to week 1's session: Thu 5 Mar 2026 18:00 (UTC in March).
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.ama import views
from bot.models.ama import AmaQuestion
from bot.scheduling import tick
from tests.harness import StudyBot, text_of

CHANNEL = "C0AMA00001"
ORGANIZER = "U0ORGANIZE"
ASKER = "U0ASKER001"
SESSION = datetime(2026, 3, 5, 18, 0, tzinfo=UTC)


def member(n: int) -> str:
    return f"U0M{n:07d}"


@pytest.fixture(autouse=True)
def ama_channel(emulator):  # type: ignore[no-untyped-def]
    people = {ORGANIZER, ASKER, *(member(n) for n in range(100))}
    emulator.workspace.add_user(ORGANIZER, "olga")
    emulator.workspace.add_user(ASKER, "secretasker")
    for n in range(100):
        emulator.workspace.add_user(member(n), f"member{n}")
    return emulator.workspace.add_channel(CHANNEL, "fastbook-ama", members=people)


@pytest.fixture
async def cohort(bot):  # type: ignore[no-untyped-def]
    return await bot.create_cohort(channel_id=CHANNEL, session_time="thu 18:00", organizers=[ORGANIZER])


async def tick_ama(bot: StudyBot, at: datetime | None = None) -> list:  # type: ignore[type-arg]
    """Run only this feature's jobs (the rhythm would post announcements in the same channel)."""
    from schedules.ama import JOBS

    if at is not None:
        bot.clock.set(at)
    return await tick(bot.db, JOBS, bot.runtime.job_context())


async def ask(bot: StudyBot, user: str, text: str) -> dict[str, Any]:
    """`/study ask …` in the cohort channel; the ephemeral reply."""
    before = len(bot.emulator.responses)
    await bot.slash(f"ask {text}", user=user, channel=CHANNEL)
    await bot.settle()
    await bot.emulator.wait_for(lambda e: len(e.responses) > before)
    return bot.emulator.responses[before]


async def questions(bot: StudyBot) -> list[AmaQuestion]:
    async with bot.db.session() as session:
        return list(await session.scalars(select(AmaQuestion).order_by(AmaQuestion.id)))


def click_payload(bot: StudyBot, action_id: str, *, user: str, value: str = "", message_ts: str = "1.0",
                  action_ts: str | None = None, selected: str | None = None) -> dict[str, Any]:
    """A block_actions payload for a button (or overflow option) on a message in the cohort channel."""
    action: dict[str, Any] = {"action_id": action_id, "block_id": "b", "action_ts": action_ts or uuid.uuid4().hex}
    if selected is not None:
        action.update(type="overflow", selected_option={"value": selected, "text": {"type": "plain_text", "text": "x"}})
    else:
        action.update(type="button", value=value)
    return {
        "type": "block_actions", "user": {"id": user, "team_id": bot.team_id},
        "trigger_id": f"trigger-{uuid.uuid4().hex[:8]}", "actions": [action],
        "response_url": bot.emulator.response_url(), "channel": {"id": CHANNEL},
        "container": {"type": "message", "channel_id": CHANNEL, "message_ts": message_ts},
        "message": {"ts": message_ts, "text": ""},
    }


async def upvote(bot: StudyBot, user: str, question_id: int, **extra: Any) -> None:
    await bot.interact(click_payload(bot, views.UPVOTE_ACTION, user=user, value=str(question_id), **extra))


async def menu(bot: StudyBot, user: str, verb: str, question_id: int) -> None:
    await bot.interact(click_payload(bot, views.MENU_ACTION, user=user, selected=f"{verb}:{question_id}"))
    await bot.settle()


async def mark_answered(bot: StudyBot, user: str, question_id: int, moment: str = ""):  # type: ignore[no-untyped-def]
    """The "…" menu's "Mark answered…", then its form (the moment in the recording optional); the reply."""
    from bot.ama.recording_views import MOMENT_BLOCK, MOMENT_INPUT

    await menu(bot, user, "answered", question_id)
    modal = bot.emulator.calls_to("views.open")[-1].args["view"]
    reply = await bot.submit(modal, {MOMENT_BLOCK: {MOMENT_INPUT: {"value": moment or None}}}, user=user)
    await bot.settle()
    return reply


def thread_message(bot: StudyBot, question: AmaQuestion):  # type: ignore[no-untyped-def]
    return bot.emulator.workspace.message(CHANNEL, question.ts)


def shown_votes(bot: StudyBot, question: AmaQuestion) -> int:
    """The count on the question's Upvote button, as members see it now."""
    blocks = thread_message(bot, question).blocks
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == views.UPVOTE_ACTION:
                return int(element["text"]["text"].rsplit("·", 1)[1])
    raise AssertionError(f"no Upvote button on {text_of({'blocks': blocks})}")


def last_response_text(bot: StudyBot) -> str:
    return text_of(bot.emulator.responses[-1])

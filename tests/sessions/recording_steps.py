"""Shared steps of the recordings tests: the AMA test cohort (channel C0AMA00001, Thursday 18:00 UTC sessions,
week 1 opening Tue 3 Mar 2026 18:00), its week 1 announcement posted, and what organizers and members do."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.ama.recording_views import MOMENT_BLOCK, MOMENT_INPUT
from bot.models.ama import AmaQuestion
from bot.models.recordings import SessionRecording
from bot.outbound import posted_ts
from bot.rhythm.occurrences import announcement_key
from tests.ama.conftest import CHANNEL, ORGANIZER, SESSION, menu
from tests.harness import StudyBot, text_of

WEEK1_OPEN = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
AFTER_SESSION1 = SESSION + timedelta(hours=2)
WEEK2_OPEN = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
SESSION2 = datetime(2026, 3, 12, 18, 0, tzinfo=UTC)
YOUTUBE = "https://www.youtube.com/watch?v=abcDEF12345"


async def said(bot: StudyBot, text: str, user: str = ORGANIZER, channel: str = CHANNEL) -> str:
    """`/study …`: the reply the member sees (answered in the ack or later)."""
    before = len(bot.emulator.responses)
    await bot.slash(text, user=user, channel=channel)
    await bot.settle()
    await bot.emulator.wait_for(lambda e: len(e.responses) > before)
    return text_of(bot.emulator.responses[before])


async def announcement_ts(bot: StudyBot, cohort_id: int, week: int) -> str:
    """The ts of week `week`'s announcement (the rhythm's post)."""
    ts = await posted_ts(bot.db, bot.team_id, announcement_key(cohort_id, week))
    assert ts is not None, f"week {week} was not announced"
    return ts


async def answer_form(bot: StudyBot, question_id: int, moment: str, user: str = ORGANIZER):  # type: ignore[no-untyped-def]
    """"…" → "Mark answered…" (or "Moment in the recording…"), the moment typed; Slack's answer to the submit."""
    question = await question_row(bot, question_id)
    await menu(bot, user, "moment" if question.state == "answered" else "answered", question_id)
    modal = bot.emulator.calls_to("views.open")[-1].args["view"]
    reply = await bot.submit(modal, {MOMENT_BLOCK: {MOMENT_INPUT: {"value": moment or None}}}, user=user)
    await bot.settle()
    return reply


async def question_row(bot: StudyBot, question_id: int) -> AmaQuestion:
    async with bot.db.session() as session:
        question = await session.get(AmaQuestion, question_id)
        assert question is not None
        return question


async def recordings(bot: StudyBot) -> list[tuple[int, str]]:
    async with bot.db.session() as session:
        rows = await session.execute(select(SessionRecording.week, SessionRecording.url)
                                     .order_by(SessionRecording.week))
        return [(week, url) for week, url in rows]


def answer_dms(bot: StudyBot, user: str) -> list[dict[str, Any]]:
    """The answer-in-the-recording DMs in `user`'s DM with the bot, as Slack holds them (a post Slack refused
    is not there; one it took whose answer was lost is)."""
    dm = bot.emulator.workspace.channels.get("D" + user[1:])
    messages = dm.messages.values() if dm else []
    return [{"text": m.text, "blocks": m.blocks} for m in messages if "live session, at" in m.text]

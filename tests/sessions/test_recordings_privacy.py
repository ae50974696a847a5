"""Forget-me and my-data cover the recording DMs: the member's records of them are listed, then removed (and
nothing is sent to them again); the recordings an organizer added stay, without their id."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.models.recordings import SessionRecording
from bot.privacy.export import member_data
from bot.privacy.forget import forget_member
from tests.ama.conftest import CHANNEL, ORGANIZER, ama_channel, ask, member, questions, upvote  # noqa: F401
from tests.sessions.recording_steps import AFTER_SESSION1, WEEK1_OPEN, YOUTUBE, answer_dms, answer_form, said


@pytest.fixture
async def cohort(bot):  # type: ignore[no-untyped-def]
    return await bot.create_cohort(channel_id=CHANNEL, session_time="thu 18:00", organizers=[ORGANIZER])


async def test_my_data_lists_the_recording_dms_and_forget_me_removes_them(bot, emulator, cohort):
    await bot.tick(WEEK1_OPEN)
    await ask(bot, member(1), "Why fine-tune the head first?")
    (question,) = await questions(bot)
    await upvote(bot, member(2), question.id)
    await bot.settle()
    bot.clock.set(AFTER_SESSION1)
    await said(bot, f"admin recording 1 {YOUTUBE}")
    await answer_form(bot, question.id, "12:34")
    assert len(answer_dms(bot, member(2))) == 1

    data = await member_data(bot.db, bot.team_id, member(2), bot.clock.now())
    keys = [row["key"] for row in data["tables"]["outbound_messages"]]
    assert f"recording-dm:q{question.id}:{member(2)}" in keys

    await forget_member(bot.db, bot.team_id, member(2), bot.clock.now())
    await forget_member(bot.db, bot.team_id, ORGANIZER, bot.clock.now())
    data = await member_data(bot.db, bot.team_id, member(2), bot.clock.now())
    assert not any(key.startswith("recording-dm:") for row in data["tables"].get("outbound_messages", [])
                   for key in [row["key"]])
    async with bot.db.session() as session:
        (recording,) = await session.scalars(select(SessionRecording))
    assert recording.url == YOUTUBE and recording.added_by == "forgotten"

    for minutes in (1, 2):  # the sweep finds nothing for them: their vote went with them
        await bot.tick(bot.clock.now() + timedelta(minutes=minutes))
    assert len(answer_dms(bot, member(2))) == 1 and len(answer_dms(bot, member(1))) == 1

"""With `STUDYBOT_COMMAND=/fastbook`, replies and job-posted messages name `/fastbook`, never `/study`."""
from __future__ import annotations

from datetime import UTC, datetime

from bot.scheduling import tick
from schedules.rhythm import JOBS
from tests.harness import StudyBot, text_of
from tests.rhythm.support import rhythm_posts

COMMAND = "/fastbook"


async def test_replies_and_announcements_use_the_configured_command(emulator, database_url, clock):
    bot = await StudyBot.start(emulator, database_url, clock, command=COMMAND)
    try:
        # Week 1 opens Tue 3 Mar 18:00 London (UTC); the live session is Wed 18:00, reminded 24 h before.
        await bot.create_cohort(session_time="wed 18:00")

        await bot.slash("admin status", user="UADMIN", command=COMMAND)
        status = text_of(await bot.reply())
        await bot.slash("admin skip 2", user="UADMIN", command=COMMAND)
        skipped = text_of(await bot.reply())
        assert f"`{COMMAND} admin status`" in status
        assert f"`{COMMAND} admin rerun 2`" in skipped

        bot.clock.set(datetime(2026, 3, 3, 18, 0, tzinfo=UTC))
        await tick(bot.db, JOBS, bot.runtime.job_context())
        [announcement, reminder] = rhythm_posts(emulator, "C0STUDY001")
        assert announcement.key.startswith("announce:") and reminder.key.startswith("reminder:")
        for text in (announcement.text, reminder.text):
            assert f"`{COMMAND} help`" in text

        for text in (status, skipped, announcement.text, reminder.text):
            assert "/study" not in text
    finally:
        await bot.stop()

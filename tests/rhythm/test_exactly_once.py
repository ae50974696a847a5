"""Exactly once: repeated ticks, concurrent ticks, an outage, and two `studybot tick` processes."""
from __future__ import annotations

import asyncio
import logging
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.models import Cohort, JobRun
from tests.conftest import PG_URL
from tests.harness import BOT_TOKEN
from tests.rhythm.support import cohort_in_channel, rhythm_posts

STUDYBOT = Path(sys.executable).parent / "studybot"
LONDON_WEEK_2 = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)  # Tuesdays 18:00 Europe/London (GMT until 29 March)
SESSION_WEEK_2 = datetime(2026, 3, 12, 18, 0, tzinfo=UTC)  # Thursday 18:00


async def london(bot, emulator, **fields):  # type: ignore[no-untyped-def]
    values = {"timezone": "Europe/London", "start": "2026-03-03 18:00", "session_time": "thu 18:00", **fields}
    return await cohort_in_channel(bot, emulator, "london", "CLONDON001", **values)


async def job_runs(bot) -> dict[str, str]:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        rows = await session.execute(
            select(JobRun.job, JobRun.occurrence, JobRun.status).where(JobRun.job.like("rhythm-%")))
        return {f"{job}/{key}": status for job, key, status in rows}


async def test_repeated_and_concurrent_ticks_post_each_thing_once(bot, emulator):
    await london(bot, emulator)
    await bot.tick(at=LONDON_WEEK_2)
    await bot.tick(at=LONDON_WEEK_2)
    await asyncio.gather(*(bot.tick(at=LONDON_WEEK_2 + timedelta(minutes=1)) for _ in range(4)))
    await bot.tick(at=LONDON_WEEK_2 + timedelta(hours=1))
    assert [post.key.split(":", 2)[2] for post in rhythm_posts(emulator, "CLONDON001")] == ["week-2"]


async def test_a_three_day_outage_catches_up_the_announcement_once_and_skips_stale_reminders(bot, emulator, caplog):
    await london(bot, emulator)
    await bot.tick(at=LONDON_WEEK_2 - timedelta(days=1))  # week 1: its announcement, its session is over
    before = rhythm_posts(emulator, "CLONDON001")
    back = SESSION_WEEK_2 + timedelta(hours=15)  # down from Monday to Friday morning: past both reminders
    with caplog.at_level(logging.INFO, logger="bot.scheduling"):
        await bot.tick(at=back)
        await bot.tick(at=back + timedelta(minutes=1))
    caught_up = rhythm_posts(emulator, "CLONDON001")[len(before):]
    assert [(post.key.split(":", 2)[2], post.at) for post in caught_up] == [("week-2", back)]
    runs = await job_runs(bot)
    assert runs["rhythm-week-open/week-2"] == "done"
    assert runs["rhythm-session-reminder/week-2:24h"] == runs["rhythm-session-reminder/week-2:1h"] == "skipped"
    skipped = [r.getMessage() for r in caplog.records if r.getMessage().startswith("skipped")]
    assert len(skipped) == 2 and all("week-2:" in line and "no longer useful" in line for line in skipped)


async def test_weeks_of_downtime_post_only_the_current_week(bot, emulator):
    await london(bot, emulator)
    back = LONDON_WEEK_2 + timedelta(weeks=3, days=2)  # week 5 is open; weeks 1–4 went by unseen
    await bot.tick(at=back)
    await bot.tick(at=back + timedelta(hours=2))
    assert [post.key.split(":", 2)[2] for post in rhythm_posts(emulator, "CLONDON001")] == ["week-5"]
    runs = await job_runs(bot)
    assert runs["rhythm-week-open/week-4"] == "skipped"  # the previous week is logged as skipped, not posted
    assert "rhythm-week-open/week-3" not in runs


async def test_a_cohort_without_a_session_gets_no_reminders_and_no_session_line(bot, emulator):
    await london(bot, emulator, session_time=None)
    for hours in range(0, 24 * 7, 6):
        await bot.tick(at=LONDON_WEEK_2 + timedelta(hours=hours))
    posts = rhythm_posts(emulator, "CLONDON001")
    assert [post.key.split(":", 2)[2] for post in posts] == ["week-2"]
    assert "Live session" not in posts[0].text


async def test_an_inactive_cohort_is_left_alone(bot, emulator):
    cohort = await london(bot, emulator)
    async with bot.db.session() as session:
        (await session.get(Cohort, cohort.id)).active = False
    await bot.tick(at=LONDON_WEEK_2)
    assert rhythm_posts(emulator) == []


async def test_weeks_beyond_the_book_get_a_plain_announcement(bot, emulator):
    await london(bot, emulator, weeks=22, start="2025-10-21 18:00")
    await bot.tick(at=datetime(2026, 3, 17, 18, 0, tzinfo=UTC))  # week 22 of a 22-week cohort
    [post] = rhythm_posts(emulator, "CLONDON001")
    assert post.key.endswith("week-22") and post.text.startswith("Week 22 is open: Week 22.")


@pytest.mark.skipif(not PG_URL, reason="two processes sharing one database need PostgreSQL "
                                       "(set STUDYBOT_TEST_DATABASE_URL; scripts/test.sh does)")
async def test_two_studybot_tick_processes_on_one_postgresql_database_post_nothing_twice(bot, emulator, database_url):
    channels = [f"CRACE{n:05d}" for n in range(6)]
    for n, channel in enumerate(channels):
        await cohort_in_channel(bot, emulator, f"race-{n}", channel, timezone="Europe/London",
                                start="2026-03-03 18:00", session_time="wed 12:00")
    # Week 2 is open, and its session is 5 hours away: its 24 h reminder is due as well.
    now = "2026-03-11T07:00:00Z"
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": emulator.url, "DATABASE_URL": database_url,
           "SLACK_APP_TOKEN": "", "LOG_LEVEL": "WARNING"}
    # Slow replies keep the first process busy posting while the second one starts claiming.
    emulator.fail_next("chat.postMessage", delay=0.25, times=2 * len(channels))
    processes = [
        await asyncio.create_subprocess_exec(str(STUDYBOT), "tick", "--now", now, env=env,
                                             stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = await asyncio.gather(*(process.communicate() for process in processes))
    assert [process.returncode for process in processes] == [0, 0], outputs
    for channel in channels:
        keys = sorted(post.key.split(":", 2)[2] for post in rhythm_posts(emulator, channel))
        assert keys == ["week-2", "week-2:24h"], channel
    handled = [[line for line in stdout.decode().splitlines() if line.startswith("ran") and " rhythm-" in line]
               for stdout, _ in outputs]
    assert sum(map(len, handled)) == 2 * len(channels)  # each occurrence ran in exactly one of the two processes
    assert all(handled), "both processes should have won some occurrences, or there was no race to lose"

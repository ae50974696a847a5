"""The feeds are served on PORT in Socket Mode too (`studybot serve` as a real process, no HTTP events)."""
from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime

import aiohttp
from icalendar import Calendar

from bot.cohorts.store import create_cohort
from bot.database import Database
from bot.feeds.tokens import issue
from bot.models.feeds import COHORT_FEED
from tests.cli.test_serve import wait_until_healthy
from tests.emulator.state import TEAM_ID
from tests.feeds.conftest import PUBLIC
from tests.operations.test_serve_operations import serve


async def test_socket_mode_serves_the_cohort_feed_on_port(emulator, database_url, tmp_path):
    db = Database(database_url)
    try:
        async with db.session() as session:
            cohort = await create_cohort(session, team_id=TEAM_ID, name="fastbook", channel_id="C0STUDY001",
                                         timezone="Australia/Sydney", start="2026-03-03 18:00",
                                         now=datetime(2026, 3, 1, tzinfo=UTC), session_time="Tue 19:00", weeks=3)
            issued = await issue(session, TEAM_ID, cohort.id, COHORT_FEED, datetime(2026, 3, 1, tzinfo=UTC))
    finally:
        await db.dispose()
    assert issued.token is not None
    process, base = await serve(emulator, database_url, tmp_path, SLACK_APP_TOKEN="xapp-test",
                                STUDYBOT_PUBLIC_URL=PUBLIC)
    try:
        async with aiohttp.ClientSession() as session:
            await wait_until_healthy(session, f"{base}/healthz", process)
            async with session.get(f"{base}/calendar/{issued.token}.ics") as response:
                status, body = response.status, await response.read()
            async with session.get(f"{base}/calendar/{'z' * 43}.ics") as response:
                missing = response.status
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 10)
    assert (status, missing) == (200, 404)
    events = Calendar.from_ical(body).walk("VEVENT")
    assert [e.decoded("DTSTART") for e in events] == [  # Tuesdays 19:00 in Sydney (UTC+11 until 5 April)
        datetime(2026, 3, 3, 8, 0, tzinfo=UTC), datetime(2026, 3, 10, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 17, 8, 0, tzinfo=UTC)]
    assert str(events[0]["UID"]) == f"cohort-{cohort.id}-week-1@study.example.org"

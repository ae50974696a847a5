"""A bot that knows its public address (STUDYBOT_PUBLIC_URL), and reading its feeds back over HTTP."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from icalendar import Calendar

from bot.calendar.places import warm
from tests.harness import StudyBot

PUBLIC = "https://study.example.org"
URL = re.compile(r"https://study\.example\.org/calendar/([A-Za-z0-9_-]+)\.ics")


@pytest.fixture(scope="session", autouse=True)
def _places_index() -> None:
    warm()  # `/study join` reads zones with it: build it once, before a reply waits on it


@pytest.fixture
async def feeds_bot(emulator, database_url, clock):  # type: ignore[no-untyped-def]
    started = await StudyBot.start(emulator, database_url, clock, public_url=PUBLIC)
    yield started
    await started.stop()


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Any
    body: bytes

    def events(self) -> list[Any]:
        return list(Calendar.from_ical(self.body).walk("VEVENT"))


async def fetch(bot: StudyBot, token: str, **headers: str) -> Fetched:
    """GET the feed from the running server, as a calendar app does."""
    url = f"http://127.0.0.1:{bot.server.port}/calendar/{token}.ics"
    async with bot.session.get(url, headers={k.replace("_", "-"): v for k, v in headers.items()}) as response:
        return Fetched(response.status, response.headers, await response.read())


def starts(events: list[Any], prefix: str = "") -> dict[str, datetime]:
    """UID → start (aware, UTC) of the events whose summary starts with `prefix`."""
    return {str(e["UID"]): e.decoded("DTSTART") for e in events if str(e["SUMMARY"]).startswith(prefix)}

"""Shared set-up for the certificate tests: a 4-week cohort (the rule: 3 chapters), chapters done scripted
through a monkeypatched `chapters_done_by_member`, and a bot with a public address."""
from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import aiohttp
from sqlalchemy import select

from bot.cohorts.weeks import week_of
from bot.models.certificates import Certificate
from tests.harness import StudyBot

PUBLIC_URL = "https://study.example.org"
ORGANIZER = "UORGANIZE1"
M2, M3, M4 = "U0MEMBER02", "U0MEMBER03", "U0MEMBER04"  # ids the CLI accepts
MEMBERS = ("U1", M2, M3, M4)


class Done:
    """Chapters done per member, as the chapters-done feature would answer (the seam is monkeypatched)."""

    def __init__(self) -> None:
        self.by_member: dict[str, set[int]] = {}
        self.reads = 0

    def set(self, user_id: str, count: int) -> None:
        self.by_member[user_id] = set(range(1, count + 1))

    async def __call__(self, session: Any, cohort: Any) -> dict[str, set[int]]:
        self.reads += 1
        return {user: set(numbers) for user, numbers in self.by_member.items() if numbers}


async def four_week_cohort(bot: StudyBot):  # type: ignore[no-untyped-def]
    return await bot.create_cohort(weeks=4, organizers=[ORGANIZER])


def in_week(cohort: Any, number: int, days: int = 2):  # type: ignore[no-untyped-def]
    return week_of(cohort, number).opens_at + timedelta(days=days)


def window_end(cohort: Any):  # type: ignore[no-untyped-def]
    return week_of(cohort, cohort.weeks).closes_at + timedelta(weeks=2)


async def certificates(bot: StudyBot) -> dict[str, Certificate]:
    async with bot.db.session() as session:
        return {row.user_id: row for row in await session.scalars(select(Certificate))}


def dms_to(emulator, user_id: str) -> list:  # type: ignore[no-untyped-def]
    return emulator.posted(user_id)


async def get(bot: StudyBot, path: str) -> tuple[int, str, dict[str, str]]:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{bot.server.port}{path}") as got:
        return got.status, await got.text(), dict(got.headers)


class Page(HTMLParser):
    """What an accessibility check needs from the page: tags, attributes, the title, the h1s, the text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self.h1: list[str] = []
        self.text: list[str] = []
        self._open: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "link", "br", "img", "input"):
            self._open.append(tag)
        if tag == "h1":
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if "title" in self._open:
            self.title += data
        if "h1" in self._open:
            self.h1[-1] += data
        if "style" not in self._open:
            self.text.append(data)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())

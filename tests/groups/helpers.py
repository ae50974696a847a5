"""Shared set-up for the study-group tests: members with realistic time zones who join by slash command."""
from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.models.groups import GroupMember, StudyGroup
from tests.emulator.server import SlackEmulator
from tests.harness import StudyBot, text_of

ORGANIZER = "UORG0001"
MAIN = "C0STUDY001"  # the cohort channel
OTHER = "C0STUDY002"
DATE_TOKEN = re.compile(r"<!date\^(\d+)\^([^|>]+)\|([^>]+)>")

# (profile zone or None, what a member without a profile zone types, weight). Both hemispheres' DST
# (New York, London, Berlin / Sydney, Auckland, Santiago), and the odd offsets: +5:30, +5:45, +9:30, +12:45.
ZONE_MIX: list[tuple[str | None, str | None, int]] = [
    ("Asia/Kolkata", None, 60), ("America/New_York", None, 30), ("Europe/London", None, 20),
    ("Europe/Berlin", None, 25), ("America/Los_Angeles", None, 20), ("America/Sao_Paulo", None, 12),
    ("Asia/Kathmandu", None, 8), ("Australia/Darwin", None, 6), ("Australia/Adelaide", None, 6),
    ("Australia/Sydney", None, 12), ("Pacific/Auckland", None, 8), ("America/Santiago", None, 8),
    ("Asia/Tokyo", None, 15), ("Africa/Lagos", None, 15), ("Asia/Shanghai", None, 15),
    ("America/St_Johns", None, 4),
    (None, "UTC+12:45", 4), (None, "Kolkata", 6), (None, "UTC+5:45", 4), (None, "Asia/Singapore", 8),
    (None, "GMT-3", 9),
]


@dataclass(frozen=True)
class Person:
    user_id: str
    profile_zone: str | None
    typed: str | None

    def zone_name(self) -> str:
        """The zone the bot should end up storing for this person."""
        if self.profile_zone:
            return self.profile_zone
        fixed = {"UTC+12:45": "UTC+12:45", "Kolkata": "Asia/Kolkata", "UTC+5:45": "UTC+05:45", "GMT-3": "UTC-03:00"}
        return fixed.get(self.typed or "", self.typed or "")


async def make_cohort(bot: StudyBot, name: str = "fastbook", **fields):  # type: ignore[no-untyped-def]
    """A cohort in MAIN (week 1 opens Tue 3 Mar 2026 18:00 London: groups form Fri 6 Mar 18:00 UTC)."""
    channel = fields.get("channel_id", MAIN)
    if channel not in bot.emulator.workspace.channels:
        bot.emulator.workspace.add_channel(channel, name)
    return await bot.create_cohort(name, **{"channel_id": MAIN, **fields})


async def tick_groups(bot: StudyBot, at: datetime):  # type: ignore[no-untyped-def]
    """Run only the study-group jobs at `at` (other features' jobs are their tests' business)."""
    from bot.scheduling import tick
    from schedules.groups import JOBS

    bot.clock.set(at)
    return await tick(bot.db, JOBS, bot.runtime.job_context())


def people(count: int, prefix: str = "U") -> list[Person]:
    """`count` people spread over ZONE_MIX in proportion to its weights (deterministic)."""
    pool = [(zone, typed) for zone, typed, weight in ZONE_MIX for _ in range(weight)]
    step = len(pool) / count
    return [Person(f"{prefix}{i:05d}", *pool[int(i * step) % len(pool)]) for i in range(count)]


def add_to_workspace(emulator, persons: Sequence[Person], at: datetime) -> None:  # type: ignore[no-untyped-def]
    for person in persons:
        if person.profile_zone:
            offset = ZoneInfo(person.profile_zone).utcoffset(at.replace(tzinfo=None))
            emulator.workspace.add_user(person.user_id, tz=person.profile_zone, tz_offset=int(offset.total_seconds()))
        else:
            emulator.workspace.add_user(person.user_id, tz=None)


def _responses_reach(count: int) -> Callable[[SlackEmulator], bool]:
    return lambda emulator: len(emulator.responses) >= count


async def join_all(bot: StudyBot, persons: Sequence[Person], channel: str = MAIN, batch: int = 25) -> None:
    """Every person runs `/study join` (profile zone), and those without one are asked and answer with a zone."""
    for start in range(0, len(persons), batch):
        chunk = persons[start:start + batch]
        seen = len(bot.emulator.responses)
        await asyncio.gather(*(bot.slash("join", user=p.user_id, channel=channel) for p in chunk))
        await bot.emulator.wait_for(_responses_reach(seen + len(chunk)), timeout=20)
        typed = [p for p in chunk if not p.profile_zone]
        seen = len(bot.emulator.responses)
        await asyncio.gather(*(bot.slash(f"join {p.typed}", user=p.user_id, channel=channel) for p in typed))
        await bot.emulator.wait_for(_responses_reach(seen + len(typed)), timeout=20)
    bot._seen_replies = len(bot.emulator.responses)


async def slash_reply(bot: StudyBot, text: str, user: str = "U1", channel: str = MAIN) -> str:
    await bot.slash(text, user=user, channel=channel)
    return text_of(await bot.reply())


async def final_reply(bot: StudyBot, text: str, user: str = "U1", channel: str = MAIN) -> str:
    """What the member sees in the end for a command whose reply may be updated in place (progress, then outcome)."""
    await bot.slash(text, user=user, channel=channel)
    first = await bot.reply()
    await bot.settle()
    bot._seen_replies = len(bot.emulator.responses)
    return text_of(bot.emulator.shown[first["_key"]][-1])


async def members(bot: StudyBot) -> dict[str, GroupMember]:
    async with bot.db.session() as session:
        return {m.user_id: m for m in await session.scalars(select(GroupMember))}


async def groups(bot: StudyBot) -> list[StudyGroup]:
    async with bot.db.session() as session:
        return list(await session.scalars(select(StudyGroup).order_by(StudyGroup.id)))


def offset_at(zone_name: str, at: datetime) -> int:
    """Minutes east of UTC, computed independently of the bot's zone code."""
    if zone_name == "UTC":
        return 0
    match = re.fullmatch(r"UTC([+-])(\d\d):(\d\d)", zone_name)
    if match:
        sign, hours, minutes = match.groups()
        return (int(hours) * 60 + int(minutes)) * (1 if sign == "+" else -1)
    return int(at.astimezone(ZoneInfo(zone_name)).utcoffset().total_seconds() // 60)


def date_tokens(text: str) -> list[datetime]:
    """The instants of every `<!date^…>` token, each checked for Slack's syntax and a UTC fallback that agrees."""
    found = []
    for unix, fmt, fallback in DATE_TOKEN.findall(text):
        instant = datetime.fromtimestamp(int(unix), tz=UTC)
        assert "{" in fmt and "}" in fmt, fmt
        assert fallback.endswith("UTC") and f"{instant:%H:%M}" in fallback and str(instant.year) in fallback
        found.append(instant)
    return found

"""Set-up for the buddies' tests: members already in study groups (rows as `/study join` and formation leave
them), the buddies' jobs ticked alone, and readers of what reached the emulator."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.models.buddies import BuddyOptIn, BuddyPair, BuddyPairMember
from bot.models.groups import GroupMember, StudyGroup
from tests.harness import StudyBot, text_of

MAIN = "C0STUDY001"


async def seed(bot: StudyBot, cohort_id: int, members: Sequence[tuple[str, str, str | None]]) -> dict[str, int]:
    """(user, zone, group name or None) → group rows by name; each user added to the emulated workspace."""
    groups: dict[str, int] = {}
    now = bot.clock.now()
    async with bot.db.session() as session:
        for user, zone, group in members:
            if group is not None and group not in groups:
                row = StudyGroup(team_id=bot.team_id, cohort_id=cohort_id, name=group, channel_id=f"G{group.upper()}",
                                 center_offset=0, status="ready", created_at=now)
                session.add(row)
                await session.flush()
                groups[group] = row.id
            session.add(GroupMember(team_id=bot.team_id, cohort_id=cohort_id, user_id=user, zone=zone, prefers=[],
                                    joined_at=now, group_id=groups.get(group) if group else None))
    for user, zone, _ in members:
        offset = ZoneInfo(zone).utcoffset(now.replace(tzinfo=None)) if "/" in zone else None
        bot.emulator.workspace.add_user(user, tz=zone, tz_offset=int(offset.total_seconds()) if offset else 0)
    return groups


async def tick_buddies(bot: StudyBot, at: datetime | None = None):  # type: ignore[no-untyped-def]
    """Only the buddies' jobs (other features' jobs are their tests' business)."""
    from bot.scheduling import tick
    from schedules.buddies import JOBS

    if at is not None:
        bot.clock.set(at)
    results = await tick(bot.db, JOBS, bot.runtime.job_context())
    assert all(r.outcome != "failed" for r in results), [r.line() for r in results if r.outcome == "failed"]
    return results


async def command(bot: StudyBot, text: str, user: str) -> str:
    await bot.slash(text, user=user)
    await bot.settle()
    return (await bot.reply())["text"]


async def pairs(bot: StudyBot, *, active: bool = True) -> list[frozenset[str]]:
    async with bot.db.session() as session:
        query = select(BuddyPairMember.pair_id, BuddyPairMember.user_id).join(
            BuddyPair, BuddyPair.id == BuddyPairMember.pair_id)
        if active:
            query = query.where(BuddyPair.ended_at.is_(None))
        found: dict[int, set[str]] = {}
        for pair_id, user in await session.execute(query):
            found.setdefault(pair_id, set()).add(user)
    return sorted((frozenset(v) for v in found.values()), key=sorted)


async def optin(bot: StudyBot, user: str) -> BuddyOptIn | None:
    async with bot.db.session() as session:
        return await session.scalar(select(BuddyOptIn).where(BuddyOptIn.user_id == user))


def keyed(emulator: Any, prefix: str) -> list[dict[str, Any]]:
    """Messages the bot posted whose exactly-once key starts with `prefix`."""
    return [c.args for c in emulator.calls_to("chat.postMessage")
            if ((c.args.get("metadata") or {}).get("event_payload") or {}).get("key", "").startswith(prefix)]


def button_values(message: dict[str, Any]) -> dict[str, str]:
    """action id → value of every button in a message."""
    return {e["action_id"]: e.get("value", "") for b in message.get("blocks") or [] if b["type"] == "actions"
            for e in b["elements"]}


def mpims(emulator: Any) -> list[Any]:
    return [c for c in emulator.workspace.channels.values() if c.is_mpim]


__all__ = ["text_of"]

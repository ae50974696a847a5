"""What organizers look at: the groups and the waiting list, weekly activity, merge suggestions.
Also the counter behind activity: one message in a group channel, counted once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.weeks import utc_week_monday
from bot.database import Database
from bot.groups.placement import GroupRecency, suggest_merges
from bot.groups.provisioning import slots_for
from bot.groups.records import (
    LIVE_STATUSES,
    center_now,
    live_groups,
    members_by_group,
    zone_of,
)
from bot.messages import ChannelMessage
from bot.models import Cohort, ProcessedEvent
from bot.models.groups import GroupActivity, StudyGroup
from bot.store import insert_ignore

QUIET_WEEKS = 2
MERGE_DISTANCE = 180


@dataclass(frozen=True)
class GroupView:
    id: int
    name: str
    channel_id: str | None
    members: list[str]
    utc_offsets: list[int]  # minutes east of UTC, now, in the order of `members`
    meeting_slots: list[datetime]
    note: str


async def overview(session: AsyncSession, cohort: Cohort, now: datetime) -> tuple[list[GroupView], list[str]]:
    """Live groups (by zone, west to east) with current offsets and slots, and who is not in a group."""
    grouped = await members_by_group(session, cohort.id)
    views = []
    for group in await live_groups(session, cohort.id):
        members = sorted(grouped.get(group.id, []), key=lambda m: (zone_of(m).offset_minutes(now), m.user_id))
        slots = slots_for(members, now) if members else None
        views.append(GroupView(
            group.id, group.name, group.channel_id, [m.user_id for m in members],
            [zone_of(m).offset_minutes(now) for m in members],
            slots.slots if slots else [], slots.note if slots else "No members.",
        ))
    # Before formation everyone who joined is waiting for it; after, those no group could take yet.
    return views, sorted(m.user_id for m in grouped.get(None, []))


def offset_hours(minutes: int) -> int | float:
    """5:30 → 5.5, -3:00 → -3 (quarter hours are exact in binary floating point)."""
    return minutes // 60 if minutes % 60 == 0 else minutes / 60


def show_json(views: list[GroupView], waiting: list[str]) -> dict:
    """`studybot groups show --json`, exactly the documented shape."""
    return {
        "groups": [
            {
                "name": v.name,
                "channel": v.channel_id,
                "members": v.members,
                "utc_offsets": [offset_hours(o) for o in v.utc_offsets],
                "meeting_slots": [s.strftime("%Y-%m-%dT%H:%M:%SZ") for s in v.meeting_slots],
            }
            for v in views
        ],
        "waiting": waiting,
    }


# --- activity ------------------------------------------------------------------------


async def count_message(db: Database, team_id: str, channel_id: str, at: datetime, ts: str) -> bool:
    """Count one member's message in a group channel once, even when its event is run again after a crash
    (its ts claimed in processed_events, in the same transaction); False when the channel is no group's."""
    async with db.session() as session:
        group = await session.scalar(select(StudyGroup).where(
            StudyGroup.team_id == team_id, StudyGroup.channel_id == channel_id, StudyGroup.status.in_(LIVE_STATUSES)
        ))
        if group is None:
            return False
        if not await insert_ignore(session, ProcessedEvent, {
                "team_id": team_id, "event_id": f"group-message:{channel_id}:{ts}"[:64], "received_at": at}):
            return True
        week = utc_week_monday(at)
        await insert_ignore(session, GroupActivity,
                            {"team_id": team_id, "group_id": group.id, "week_start": week, "messages": 0})
        await session.execute(
            update(GroupActivity)
            .where(GroupActivity.group_id == group.id, GroupActivity.week_start == week)
            .values(messages=GroupActivity.messages + 1)
        )
        if group.last_message_at is None or at > group.last_message_at:
            group.last_message_at = at
    return True


@dataclass(frozen=True)
class GroupHealth:
    name: str
    channel_id: str | None
    members: list[str]
    weeks: list[tuple[date, int]]  # oldest first
    last_message_at: datetime | None
    quiet: bool


async def health(session: AsyncSession, cohort: Cohort, now: datetime, weeks: int = 4) -> list[GroupHealth]:
    """Each live group's members and messages per week over the last `weeks` weeks (this one included)."""
    grouped = await members_by_group(session, cohort.id)
    this_week = utc_week_monday(now)
    starts = [this_week - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
    report = []
    for group in await live_groups(session, cohort.id):
        counts = dict((await session.execute(
            select(GroupActivity.week_start, GroupActivity.messages)
            .where(GroupActivity.group_id == group.id, GroupActivity.week_start >= starts[0])
        )).all())
        quiet = (group.last_message_at or group.created_at) <= now - timedelta(weeks=QUIET_WEEKS)
        report.append(GroupHealth(group.name, group.channel_id, sorted(m.user_id for m in grouped.get(group.id, [])),
                                  [(s, counts.get(s, 0)) for s in starts], group.last_message_at, quiet))
    return report


def health_json(report: list[GroupHealth]) -> dict:
    return {"groups": [
        {
            "name": g.name, "channel": g.channel_id, "members": g.members,
            "messages_per_week": [{"week": s.isoformat(), "messages": n} for s, n in g.weeks],
            "last_message_at": g.last_message_at.strftime("%Y-%m-%dT%H:%M:%SZ") if g.last_message_at else None,
            "quiet": g.quiet,
        }
        for g in report
    ]}


async def merge_candidates(session: AsyncSession, cohort: Cohort, now: datetime) -> list[tuple[str, str]]:
    """(quiet group, group to merge it into) by channel name: quiet for two weeks, zones within 3 hours."""
    grouped = await members_by_group(session, cohort.id)
    groups = [g for g in await live_groups(session, cohort.id) if g.status == "ready"]
    states = [
        GroupRecency(str(g.id), center_now(grouped.get(g.id, []), g.center_offset, now), len(grouped.get(g.id, [])),
                      g.last_message_at, g.created_at)
        for g in groups
    ]
    names = {str(g.id): g.name for g in groups}
    pairs = suggest_merges(states, now, QUIET_WEEKS, MERGE_DISTANCE, cohort.group_max)
    return [(names[a], names[b]) for a, b in pairs]


async def consume_message(message: ChannelMessage, db: Database, client: AsyncWebClient) -> None:
    """Every member's message in a group channel counts towards the group's weekly activity."""
    if message.kind != "posted" or message.is_bot or not message.user_id:
        return
    await count_message(db, message.team_id, message.channel_id, message.posted_at, message.ts)

"""What a feed holds, read from the database: the cohort's live sessions, and for a member's feed their
study group's weekly meeting and their own reading time.

The group's meeting is the first of the weekly times its intro suggested (bot/groups/slots.py, from its
members' zones when it was created), kept at that wall-clock time in the zone most of its members share —
so every member's calendar shows the same instant, whichever side of a daylight-saving change they live on.
The reading time is the one `/study remind` DMs at (bot/retention/planning.py `planned_at`), week by week.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.timeparse import WeeklyTime
from bot.cohorts.weeks import Week, week_of
from bot.feeds.build import FeedEvent, group_events, reading_events, session_events
from bot.groups.provisioning import slots_for
from bot.groups.records import zone_of
from bot.models import Chapter, Cohort
from bot.models.feeds import COHORT_FEED
from bot.models.groups import GroupMember, StudyGroup
from bot.models.retention import MemberPreferences
from bot.retention.planning import local_wall, member_zone, planned_at, weekly_moment
from bot.sessions.schedule import live_sessions

GONE = ("merged", "archived")  # a group whose members were moved to another


@dataclass(frozen=True)
class FeedContent:
    name: str
    events: list[FeedEvent]


async def feed_content(session: AsyncSession, cohort: Cohort, user_id: str, host: str) -> FeedContent:
    """The cohort's feed (`user_id` is COHORT_FEED) or the member's private one."""
    chapters = {c.number: c for c in await session.scalars(select(Chapter).where(Chapter.cohort_id == cohort.id))}
    events = session_events(cohort.id, cohort.name, await live_sessions(session, cohort), chapters, host)
    if user_id == COHORT_FEED:
        return FeedContent(f"{cohort.name} live sessions", events)
    weeks = [week_of(cohort, number) for number in range(1, cohort.weeks + 1)]
    group = await _group_of(session, cohort, user_id)
    if group is not None:
        members = list(await session.scalars(select(GroupMember).where(
            GroupMember.group_id == group.id, GroupMember.left_at.is_(None))))
        events += group_events(cohort.id, group.id, group.name, group_meetings(members, group.created_at, weeks),
                               host)
    prefs = await session.scalar(select(MemberPreferences).where(
        MemberPreferences.cohort_id == cohort.id, MemberPreferences.user_id == user_id,
        MemberPreferences.team_id == cohort.team_id))
    if prefs is not None:
        zone = await member_zone(session, cohort, user_id, prefs)
        readings = [(week.number, at) for week in weeks if (at := planned_at(prefs, zone, week)) is not None]
        events += reading_events(cohort.id, user_id, cohort.name, readings, chapters, host)
    return FeedContent(f"{cohort.name} · my study calendar", events)


async def _group_of(session: AsyncSession, cohort: Cohort, user_id: str) -> StudyGroup | None:
    member = await session.scalar(select(GroupMember).where(
        GroupMember.cohort_id == cohort.id, GroupMember.user_id == user_id, GroupMember.team_id == cohort.team_id))
    if member is None or member.left_at is not None or member.group_id is None:
        return None
    group = await session.get(StudyGroup, member.group_id)
    return None if group is None or group.status in GONE else group


def group_meetings(members: Sequence[GroupMember], formed_at: datetime,
                   weeks: Sequence[Week]) -> list[tuple[int, datetime]]:
    """(week, UTC start) of the group's weekly meeting in each week from its formation on."""
    if not members:
        return []
    ordered = sorted(members, key=lambda m: (zone_of(m).offset_minutes(formed_at), m.user_id))
    suggestion = slots_for(ordered, formed_at)
    if not suggestion.slots:
        return []
    anchor = Counter(zone_of(m) for m in ordered).most_common(1)[0][0].name
    wall = local_wall(suggestion.slots[0], anchor)
    weekly = WeeklyTime(wall.weekday(), wall.hour, wall.minute)
    meetings = []
    for week in weeks:
        at = weekly_moment(weekly, anchor, week) if week.closes_at > formed_at else None
        if at is not None and at >= formed_at:
            meetings.append((week.number, at))
    return meetings

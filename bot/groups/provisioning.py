"""Carrying a planned formation out in Slack, group by group: the channel, the invitations,
the intro — whatever is missing, each result recorded as it comes back. A refused
`conversations.create`, a rate limit or a crash leaves work that the next run (the sync job,
`studybot groups form`, the next join) finds in the database and finishes.
"""
from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.zones import Zone
from bot.clock import Sleep
from bot.database import Database
from bot.groups import channels
from bot.groups import views as render
from bot.groups.records import (
    GroupsError,
    group_prefers,
    invited_users,
    live_groups,
    members_by_group,
    members_of_group,
    zone_of,
)
from bot.groups.slots import SlotSuggestion, meeting_slots
from bot.models import Cohort
from bot.models.groups import GroupFormation, GroupInvite, GroupMember, StudyGroup
from bot.outbound import post_once
from bot.progress import Progress, advance
from bot.scheduling import Busy
from bot.store import get_known, rowcount

LEASE = timedelta(minutes=10)
LEASE_PER_GROUP = timedelta(seconds=30)
PACE_SECONDS = 1.0  # between groups: a few Slack writes each, well inside Tier 2/3 limits


@dataclass
class Lease:
    """A held claim on a cohort's channel work. Its expiry doubles as the owner's token (a random
    sub-second part makes it unique), so extending and releasing touch only the holder's own claim:
    a run that outlived its lease cannot release, or extend, the lease a later run took over."""

    cohort_id: int
    until: datetime

    async def extend(self, db: Database, until: datetime) -> bool:
        until = _unique(until)
        async with db.session() as session:
            moved = await session.execute(update(GroupFormation).where(
                GroupFormation.cohort_id == self.cohort_id, GroupFormation.lease_until == self.until,
            ).values(lease_until=until))
        if rowcount(moved):
            self.until = until
        return bool(rowcount(moved))


def _unique(until: datetime) -> datetime:
    return until.replace(microsecond=0) + timedelta(microseconds=secrets.randbelow(1_000_000))


class ChannelsBusy(GroupsError, Busy):
    """Another run holds the cohort's channel lease: a friendly refusal on the CLI and in Slack, a clash at a tick."""


@asynccontextmanager
async def lease(db: Database, cohort_id: int, now: datetime) -> AsyncIterator[Lease]:
    """One run at a time sets up a cohort's channels, across processes and replicas."""
    held = Lease(cohort_id, _unique(now + LEASE))
    async with db.session() as session:
        claimed = await session.execute(
            update(GroupFormation)
            .where(GroupFormation.cohort_id == cohort_id)
            .where((GroupFormation.lease_until.is_(None)) | (GroupFormation.lease_until < now))
            .values(lease_until=held.until)
        )
    if not rowcount(claimed):
        raise ChannelsBusy("Another run is setting up this cohort's group channels right now;"
                           " try again in a few minutes.")
    try:
        yield held
    finally:
        async with db.session() as session:
            await session.execute(update(GroupFormation).where(
                GroupFormation.cohort_id == cohort_id, GroupFormation.lease_until == held.until,
            ).values(lease_until=None))


async def pending_groups(session: AsyncSession, cohort_id: int) -> list[int]:
    """Live groups with something left to do: no channel, no intro yet, or members not invited."""
    grouped = await members_by_group(session, cohort_id)
    groups = await live_groups(session, cohort_id)
    invited = set((await session.execute(
        select(GroupInvite.group_id, GroupInvite.user_id).where(GroupInvite.group_id.in_([g.id for g in groups]))
    )).all())
    return [
        group.id for group in groups
        if group.status == "creating" or not group.channel_id
        or any((group.id, m.user_id) not in invited for m in grouped.get(group.id, []))
    ]


async def materialize_pending(db: Database, client: AsyncWebClient, cohort_id: int, now: datetime, *,
                              sleep: Sleep, progress: Progress | None = None) -> int:
    """Set up every group that still needs it, telling `progress` after each; returns how many were touched."""
    async with lease(db, cohort_id, now) as held:
        async with db.session() as session:
            group_ids = await pending_groups(session, cohort_id)
        # A big cohort takes longer than one lease: hold it long enough for every group, generously.
        await held.extend(db, now + LEASE + LEASE_PER_GROUP * len(group_ids))
        await advance(progress, 0, len(group_ids))
        for index, group_id in enumerate(group_ids):
            if index:
                await sleep(PACE_SECONDS)
            await materialize_group(db, client, group_id, now)
            await advance(progress, index + 1, len(group_ids))
    return len(group_ids)


async def materialize_group(
    db: Database, client: AsyncWebClient, group_id: int, now: datetime, *, welcome_new: bool = True
) -> list[str]:
    """Channel, invitations, intro — whatever is missing. Returns the members invited by this call."""
    async with db.session() as session:
        group = await get_known(session, StudyGroup, group_id)
        cohort = await get_known(session, Cohort, group.cohort_id)
        members = await members_of_group(session, group_id)
        invited = await invited_users(session, group_id)
    channel_id = await channels.ensure_channel(db, client, group, cohort.name)
    member_ids = [m.user_id for m in members]
    wanted = member_ids + [o for o in (cohort.organizers or []) if o not in member_ids]
    pending = [u for u in wanted if u not in invited]
    outcomes = await channels.invite(db, client, group, pending, now) if pending else {}
    newly = [u for u in member_ids if outcomes.get(u) == "invited"]
    if group.status == "creating":
        await _post_intro(db, client, group, cohort, members, now)
        async with db.session() as session:
            await session.execute(update(StudyGroup).where(StudyGroup.id == group_id).values(status="ready"))
    elif welcome_new:
        for member in (m for m in members if m.user_id in newly):
            await post_once(db, client, team_id=group.team_id, channel=channel_id, now=now,
                            key=f"groups:welcome:{group_id}:{member.user_id}:{int(now.timestamp())}",
                            **render.welcome(member.user_id, zone_of(member).describe(now)))
    return newly


def member_lines(members: Sequence[GroupMember], now: datetime) -> list[render.MemberLine]:
    ordered = sorted(members, key=lambda m: (zone_of(m).offset_minutes(now), m.user_id))
    return [render.MemberLine(m.user_id, zone_of(m).describe(now)) for m in ordered]


def slots_for(members: Sequence[GroupMember], now: datetime) -> SlotSuggestion:
    """Weekly slots for the coming seven days, from the members' zones at that time.

    The candidates start at the first half hour at or after `now`, so the answer is the same for every
    `/study group` of one group within that half hour: computed once (~4.5 ms for 25 members) and kept."""
    first = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    while first < now:
        first += timedelta(minutes=30)
    found = _slots(tuple(zone_of(m) for m in members), first, group_prefers(members))
    return replace(found, slots=list(found.slots))


@lru_cache(maxsize=512)
def _slots(zones: tuple[Zone, ...], first: datetime, prefers: frozenset[str]) -> SlotSuggestion:
    return meeting_slots(list(zones), first, count=3, prefers=prefers)


async def _post_intro(db: Database, client: AsyncWebClient, group: StudyGroup, cohort: Cohort,
                      members: Sequence[GroupMember], now: datetime) -> None:
    assert group.channel_id, "ensure_channel made it"
    organizers = [o for o in (cohort.organizers or []) if o not in {m.user_id for m in members}]
    slots = slots_for(members, now) if members else SlotSuggestion([], True, "No members yet.")
    payload = render.intro(group.name, member_lines(members, now), slots, organizers)
    await post_once(db, client, team_id=group.team_id, key=f"groups:intro:{group.id}", channel=group.channel_id,
                    now=now, **payload)


async def resolve_pending_cohorts(session: AsyncSession) -> list[tuple[str, int]]:
    """(team, cohort) pairs whose groups still need channel work — what the sync job looks at."""
    formations = list(await session.scalars(select(GroupFormation)))
    pending = []
    for formation in formations:
        if await pending_groups(session, formation.cohort_id):
            pending.append((formation.team_id, formation.cohort_id))
    return pending


async def invite_now(db: Database, client: AsyncWebClient, cohort_id: int, group_id: int, user_id: str,
                     now: datetime, *, sleep: Sleep) -> bool:
    """Do the cohort's pending channel work now, for a member just put in a group; True when their
    invitation still waits (another run holds the lease, or Slack said no: the sync job finishes it)."""
    try:
        await materialize_pending(db, client, cohort_id, now, sleep=sleep)
    except GroupsError:
        return True
    async with db.session() as session:
        return user_id not in await invited_users(session, group_id)

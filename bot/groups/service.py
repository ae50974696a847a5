"""Study groups over the database and Slack: form them, set up their channels, place late
joiners, let members leave, merge groups.

Every step is planned in the database first (groups, who is in which) and then
carried out in Slack group by group, recording each result as it comes back.
Anything left undone — a refused `conversations.create`, a rate limit, a crash —
is picked up by the next run (`studybot groups form`, the sync job, or the next
join), which only does what is still missing.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Sleep
from bot.database import Database
from bot.groups import channels
from bot.groups.forming import form_groups
from bot.groups.naming import group_channel_name
from bot.groups.placement import GroupState, form_from_waiting, place_late_joiner
from bot.groups.records import (
    LIVE_STATUSES,
    GroupsError,
    active_members,
    as_member,
    center_now,
    find_group,
    formation_of,
    group_prefers,
    invited_users,
    live_groups,
    member_of,
    members_by_group,
    members_of_group,
    taken_names,
    zone_of,
)
from bot.groups.slots import SlotSuggestion, meeting_slots
from bot.models import Cohort
from bot.models.groups import GroupFormation, GroupInvite, GroupMember, StudyGroup
from bot.outbound import post_once
from bot.groups import views as render
from bot.store import insert_ignore

LEASE = timedelta(minutes=10)
LEASE_PER_GROUP = timedelta(seconds=30)
PACE_SECONDS = 1.0  # between groups: a few Slack writes each, well inside Tier 2/3 limits
LATE_JOIN_DISTANCE = 180  # minutes: farther than this, a late joiner waits for people nearer
MAX_GROUP_BOUND = 100


@dataclass
class FormReport:
    cohort: str
    first: bool  # this run did the cohort's first formation
    planned: int  # groups planned by this run
    groups: int  # live groups now
    grouped: int  # members in a live group now
    waiting: list[str]
    largest_spread: int
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.first:
            head = (f"Formed {self.planned} study group{'s' if self.planned != 1 else ''} for {self.grouped}"
                    f" member{'s' if self.grouped != 1 else ''} of {self.cohort};"
                    f" the widest group spans {_hours(self.largest_spread)} of time zones.")
        elif self.planned:
            head = f"Formed {self.planned} new group(s) from the waiting list of {self.cohort}."
        else:
            head = f"Groups of {self.cohort} were already formed; their channels are all set up."
        lines = [head, *self.notes]
        if self.waiting:
            lines.append(f"{len(self.waiting)} member(s) wait for people in a nearby time zone: "
                         + ", ".join(self.waiting[:50]) + (" …" if len(self.waiting) > 50 else ""))
        return lines


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def check_bounds(min_size: int, max_size: int) -> None:
    if not 2 <= min_size <= max_size <= MAX_GROUP_BOUND:
        raise GroupsError(f"Group sizes need 2 ≤ min ≤ max ≤ {MAX_GROUP_BOUND} (got min {min_size}, max {max_size}).")


# --- forming -------------------------------------------------------------------


async def form(
    db: Database,
    client: AsyncWebClient,
    cohort_id: int,
    now: datetime,
    *,
    sleep: Sleep,
    min_size: int | None = None,
    max_size: int | None = None,
) -> FormReport:
    """The cohort's first formation, or (when done before) groups from the waiting list; then set up channels."""
    async with db.session() as session:
        cohort = await _cohort(session, cohort_id)
        low = min_size if min_size is not None else cohort.group_min
        high = max_size if max_size is not None else cohort.group_max
        check_bounds(low, high)
        formation = await formation_of(session, cohort.id)
        if formation is None:
            planned, largest, notes = await _plan_first(session, cohort, now, low, high)
            first = planned is not None
        else:
            planned, largest, notes, first = None, formation.largest_spread, [], False
        if not first:
            formation = await formation_of(session, cohort.id)
            planned = await _plan_from_waiting(session, cohort, now, low, high)
            largest = formation.largest_spread if formation else largest
    await materialize_pending(db, client, cohort_id, now, sleep=sleep)
    async with db.session() as session:
        grouped = await members_by_group(session, cohort_id)
        groups = await live_groups(session, cohort_id)
    waiting = sorted(m.user_id for m in grouped.get(None, []))
    return FormReport(cohort.name, first, planned or 0, len(groups),
                      sum(len(grouped.get(g.id, [])) for g in groups), waiting, largest, notes)


async def _cohort(session: AsyncSession, cohort_id: int) -> Cohort:
    cohort = await session.get(Cohort, cohort_id)
    if cohort is None:
        raise GroupsError("That cohort no longer exists.")
    return cohort


async def _plan_first(
    session: AsyncSession, cohort: Cohort, now: datetime, low: int, high: int
) -> tuple[int | None, int, list[str]]:
    """Partition everyone who joined; None when another run planned it first (the unique row is the lock)."""
    members = await active_members(session, cohort.id)
    target = min(max(cohort.group_target, low), high)
    formation = form_groups([as_member(m, now) for m in members], low, high, target)
    notes = list(formation.notes)
    if not members:
        notes.append("Nobody had joined yet: everyone who joins from now on is placed as a late joiner.")
    inserted = await insert_ignore(session, GroupFormation, {
        "team_id": cohort.team_id, "cohort_id": cohort.id, "formed_at": now, "min_size": low, "max_size": high,
        "largest_spread": formation.largest_spread_minutes, "notes": "\n".join(notes) or None,
    })
    if not inserted:
        return None, 0, []
    by_user = {m.user_id: m for m in members}
    await _create_groups(session, cohort, [(g.center_offset_minutes, [by_user[x.user_id] for x in g.members])
                                           for g in formation.groups], now)
    return len(formation.groups), formation.largest_spread_minutes, notes


async def _plan_from_waiting(session: AsyncSession, cohort: Cohort, now: datetime, low: int, high: int) -> int:
    """New groups from waiting members who are close enough together (within 3 hours)."""
    waiting = [m for m in await active_members(session, cohort.id) if m.group_id is None]
    by_user = {m.user_id: m for m in waiting}
    runs = form_from_waiting([as_member(m, now) for m in waiting], low, high, LATE_JOIN_DISTANCE)
    planned = []
    for run in runs:
        chosen = [by_user[x.user_id] for x in run]
        planned.append((center_now(chosen, 0, now), chosen))
    await _create_groups(session, cohort, planned, now)
    return len(planned)


async def _create_groups(
    session: AsyncSession, cohort: Cohort, planned: Sequence[tuple[int, Sequence[GroupMember]]], now: datetime
) -> None:
    taken = await taken_names(session, cohort.team_id)
    for center, members in planned:
        name = group_channel_name(cohort.name, center, taken)
        taken.add(name)
        group = StudyGroup(team_id=cohort.team_id, cohort_id=cohort.id, name=name, center_offset=center,
                           status="creating", created_at=now)
        session.add(group)
        await session.flush()
        for member in members:
            member.group_id = group.id


# --- setting up channels ---------------------------------------------------------


@asynccontextmanager
async def _lease(db: Database, cohort_id: int, now: datetime) -> AsyncIterator[None]:
    """One run at a time sets up a cohort's channels, across processes and replicas."""
    async with db.session() as session:
        claimed = await session.execute(
            update(GroupFormation)
            .where(GroupFormation.cohort_id == cohort_id)
            .where((GroupFormation.lease_until.is_(None)) | (GroupFormation.lease_until < now))
            .values(lease_until=now + LEASE)
        )
    if not claimed.rowcount:
        raise GroupsError("Another run is setting up this cohort's group channels right now; try again in a few minutes.")
    try:
        yield
    finally:
        async with db.session() as session:
            await session.execute(
                update(GroupFormation).where(GroupFormation.cohort_id == cohort_id).values(lease_until=None)
            )


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
                              sleep: Sleep) -> int:
    """Set up every group that still needs it; returns how many were touched."""
    async with _lease(db, cohort_id, now):
        async with db.session() as session:
            group_ids = await pending_groups(session, cohort_id)
            # A big cohort takes longer than one lease: hold it long enough for every group, generously.
            await session.execute(update(GroupFormation).where(GroupFormation.cohort_id == cohort_id)
                                  .values(lease_until=now + LEASE + LEASE_PER_GROUP * len(group_ids)))
        for index, group_id in enumerate(group_ids):
            if index:
                await sleep(PACE_SECONDS)
            await materialize_group(db, client, group_id, now)
    return len(group_ids)


async def materialize_group(
    db: Database, client: AsyncWebClient, group_id: int, now: datetime, *, welcome_new: bool = True
) -> list[str]:
    """Channel, invitations, intro — whatever is missing. Returns the members invited by this call."""
    async with db.session() as session:
        group = await session.get(StudyGroup, group_id)
        cohort = await session.get(Cohort, group.cohort_id)
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
    """Weekly slots for the coming seven days, from the members' zones at that time."""
    return meeting_slots([zone_of(m) for m in members], now, count=3, prefers=group_prefers(members))


async def _post_intro(db: Database, client: AsyncWebClient, group: StudyGroup, cohort: Cohort,
                      members: Sequence[GroupMember], now: datetime) -> None:
    organizers = [o for o in (cohort.organizers or []) if o not in {m.user_id for m in members}]
    slots = slots_for(members, now) if members else SlotSuggestion([], True, "No members yet.")
    payload = render.intro(group.name, member_lines(members, now), slots, organizers)
    await post_once(db, client, team_id=group.team_id, key=f"groups:intro:{group.id}", channel=group.channel_id,
                    now=now, **payload)


# --- late joiners ----------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    formed: bool  # groups were formed already
    group: StudyGroup | None = None
    channel_pending: bool = False  # placed, but the channel invitation waits for another run


async def place(db: Database, client: AsyncWebClient, cohort_id: int, user_id: str, now: datetime, *,
                sleep: Sleep) -> Placement:
    """After formation: the nearest group with room within 3 hours, else the waiting list — from
    which a new group is formed as soon as enough waiting members are close together."""
    async with db.session() as session:
        formation = await formation_of(session, cohort_id)
        member = await member_of(session, cohort_id, user_id)
        if formation is None or member is None:
            return Placement(formed=False)
        if member.group_id is None:
            await _place_or_wait(session, formation, member, now)
    pending = False
    try:
        await materialize_pending(db, client, cohort_id, now, sleep=sleep)
    except GroupsError:
        pending = True  # another run holds the lease, or Slack said no: the sync job finishes it
    async with db.session() as session:
        member = await member_of(session, cohort_id, user_id)
        group = await session.get(StudyGroup, member.group_id) if member and member.group_id else None
        if group is not None:
            pending = pending or user_id not in await invited_users(session, group.id)
    return Placement(True, group, pending and group is not None)


async def _place_or_wait(session: AsyncSession, formation: GroupFormation, member: GroupMember, now: datetime) -> None:
    grouped = await members_by_group(session, formation.cohort_id)
    states = [
        GroupState(str(g.id), center_now(grouped.get(g.id, []), g.center_offset, now), len(grouped.get(g.id, [])))
        for g in await live_groups(session, formation.cohort_id)
    ]
    placed = place_late_joiner(as_member(member, now), states, formation.max_size, LATE_JOIN_DISTANCE)
    if placed.group_id is not None:
        member.group_id = int(placed.group_id)
        return
    cohort = await _cohort(session, formation.cohort_id)
    await session.flush()
    await _plan_from_waiting(session, cohort, now, formation.min_size, formation.max_size)


# --- leaving -----------------------------------------------------------------------


@dataclass(frozen=True)
class Departure:
    was: str  # "not_joined" | "already_left" | "signed_up" (before formation) | "waiting" | "group"
    group_name: str | None = None
    channel_id: str | None = None
    kick_error: str | None = None


async def leave(db: Database, client: AsyncWebClient, cohort_id: int, user_id: str, now: datetime) -> Departure:
    """Leave the cohort's groups: out of the group (and its channel where the bot can), off the waiting list."""
    async with db.session() as session:
        member = await member_of(session, cohort_id, user_id)
        if member is None:
            return Departure("not_joined")
        if member.left_at is not None:
            return Departure("already_left")
        group = await session.get(StudyGroup, member.group_id) if member.group_id else None
        member.left_at, member.group_id = now, None
        if group is None:
            return Departure("waiting" if await formation_of(session, cohort_id) else "signed_up")
        await session.execute(delete(GroupInvite).where(GroupInvite.group_id == group.id,
                                                        GroupInvite.user_id == user_id))
    error = await channels.remove(client, group.channel_id, user_id) if group.channel_id else None
    return Departure("group", group.name, group.channel_id, error)


# --- merging -----------------------------------------------------------------------


@dataclass(frozen=True)
class MergeReport:
    mover: str
    keeper: str
    keeper_channel: str | None
    moved: list[str]
    size: int
    over_max: bool


async def merge(db: Database, client: AsyncWebClient, cohort_id: int, mover_ref: str, keeper_ref: str,
                now: datetime, *, sleep: Sleep) -> MergeReport:
    """Move every member of one group into another; the old channel gets a pointer and is archived.

    Re-running the same merge after a failure resumes it."""
    async with db.session() as session:
        cohort = await _cohort(session, cohort_id)
        mover, keeper = await find_group(session, cohort_id, mover_ref), await find_group(session, cohort_id, keeper_ref)
        _check_merge(mover, keeper)
        moved = [m for m in await active_members(session, cohort_id) if m.group_id == mover.id]
        for member in moved:
            member.group_id = keeper.id
        archived = mover.status == "archived"
        if not archived:
            mover.status, mover.merged_into_id = "merged", keeper.id
        await session.flush()
        size = len(await members_of_group(session, keeper.id))
    async with _lease(db, cohort_id, now):
        await materialize_group(db, client, keeper.id, now, welcome_new=False)
        async with db.session() as session:
            keeper = await session.get(StudyGroup, keeper.id)
        await post_once(db, client, team_id=keeper.team_id, key=f"groups:merged-in:{mover.id}",
                        channel=keeper.channel_id, now=now, **render.merged_in([m.user_id for m in moved], mover.name))
        if mover.channel_id and not archived:
            await sleep(PACE_SECONDS)
            await post_once(db, client, team_id=mover.team_id, key=f"groups:pointer:{mover.id}",
                            channel=mover.channel_id, now=now, **render.pointer(keeper.channel_id))
            await channels.archive(client, mover.channel_id)
        async with db.session() as session:
            await session.execute(update(StudyGroup).where(StudyGroup.id == mover.id).values(status="archived"))
    return MergeReport(mover.name, keeper.name, keeper.channel_id, [m.user_id for m in moved], size,
                       size > cohort.group_max)


def _check_merge(mover: StudyGroup, keeper: StudyGroup) -> None:
    if mover.id == keeper.id:
        raise GroupsError("Those are the same group; name two different groups.")
    if keeper.status not in LIVE_STATUSES:
        raise GroupsError(f"#{keeper.name} has itself been merged away; merge into a live group.")
    if mover.status in ("merged", "archived") and mover.merged_into_id != keeper.id:
        raise GroupsError(f"#{mover.name} was already merged into another group.")


async def resolve_pending_cohorts(session: AsyncSession) -> list[tuple[str, int]]:
    """(team, cohort) pairs whose groups still need channel work — what the sync job looks at."""
    formations = list(await session.scalars(select(GroupFormation)))
    pending = []
    for formation in formations:
        if await pending_groups(session, formation.cohort_id):
            pending.append((formation.team_id, formation.cohort_id))
    return pending


"""Forming a cohort's study groups: the first formation at its scheduled time, then new groups
from the waiting list. Every step is planned in the database first (groups, who is in which);
`provisioning` then carries it out in Slack, and anything left undone is picked up by the next run.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted
from bot.clock import Sleep
from bot.cohorts.store import active_cohorts
from bot.database import Database
from bot.groups import views as render
from bot.groups.naming import group_channel_name
from bot.groups.notices import tell_organizers
from bot.groups.partition import form_groups
from bot.groups.placement import form_from_waiting
from bot.groups.provisioning import materialize_pending, pending_groups
from bot.groups.records import (
    LATE_JOIN_DISTANCE,
    GroupsError,
    active_members,
    as_member,
    center_now,
    cohort_of,
    form_at,
    formation_of,
    live_groups,
    members_by_group,
    taken_names,
)
from bot.models import Cohort
from bot.models.groups import GroupFormation, GroupMember, StudyGroup
from bot.progress import Progress
from bot.store import insert_ignore

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
    plan: Plan | None = None
    set_up: int = 0  # groups whose channel work this run did
    unfinished: int = 0  # groups still missing a channel, an invitation or the intro after this run

    def lines(self) -> list[str]:
        done, skipped, failed = self.outcome()
        return [*done, *skipped, *failed]

    def outcome(self) -> tuple[list[str], list[str], list[str]]:
        """What was done, what was skipped and why, what failed and what to do: the closing summary."""
        if self.first:
            head = (f"Formed {counted(self.planned, 'study group')} for {counted(self.grouped, 'member')}"
                    f" of {self.cohort};"
                    f" the widest group spans {_hours(self.largest_spread)} of time zones.")
        elif self.planned:
            head = f"Formed {counted(self.planned, 'new group')} from the waiting list of {self.cohort}."
        elif self.unfinished:
            head = f"Groups of {self.cohort} were already formed."
        else:
            head = f"Groups of {self.cohort} were already formed; their channels are all set up."
        skipped = []
        if self.waiting:
            skipped.append(f"{counted(len(self.waiting), 'member')} wait for people in a nearby time zone: "
                           + ", ".join(self.waiting[:50]) + (" …" if len(self.waiting) > 50 else ""))
        failed = []
        if self.unfinished:
            failed.append(f"{counted(self.unfinished, 'group')} still miss a channel, an invitation or their intro"
                          " (Slack refused or limited a step); run the formation again to finish them.")
        return [head, *self.notes], skipped, failed


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def check_bounds(min_size: int, max_size: int) -> None:
    if not 2 <= min_size <= max_size <= MAX_GROUP_BOUND:
        raise GroupsError(f"Group sizes need 2 ≤ min ≤ max ≤ {MAX_GROUP_BOUND} (got min {min_size}, max {max_size}).")


@dataclass(frozen=True)
class PlannedGroup:
    """A group a formation run decided on, before anything is set up in Slack."""

    name: str
    center_offset: int
    members: tuple[str, ...]  # user ids, in id order


@dataclass
class Plan:
    """What one run decides: the first formation (or groups from the waiting list), in the database only."""

    first: bool
    groups: list[PlannedGroup]
    largest_spread: int
    notes: list[str]


async def plan_formation(session: AsyncSession, cohort: Cohort, now: datetime,
                         min_size: int | None = None, max_size: int | None = None) -> Plan:
    """Decide the groups of this run inside `session`: commit it to act, roll it back to preview.

    The one planning path for the real run and the dry run, so the preview is what the run would do."""
    low = min_size if min_size is not None else cohort.group_min
    high = max_size if max_size is not None else cohort.group_max
    check_bounds(low, high)
    if await formation_of(session, cohort.id) is None:
        first = await _plan_first(session, cohort, now, low, high)
        if first is not None:
            return first
    formation = await formation_of(session, cohort.id)
    planned = await plan_from_waiting(session, cohort, now, low, high)
    return Plan(False, planned, formation.largest_spread if formation else 0, [])


async def form(
    db: Database,
    client: AsyncWebClient,
    cohort_id: int,
    now: datetime,
    *,
    sleep: Sleep,
    min_size: int | None = None,
    max_size: int | None = None,
    progress: Progress | None = None,
) -> FormReport:
    """The cohort's first formation, or (when done before) groups from the waiting list; then set up channels.

    `progress(done, total)` hears of each group whose channel was set up."""
    async with db.session() as session:
        cohort = await cohort_of(session, cohort_id)
        plan = await plan_formation(session, cohort, now, min_size, max_size)
    touched = await materialize_pending(db, client, cohort_id, now, sleep=sleep, progress=progress)
    async with db.session() as session:
        grouped = await members_by_group(session, cohort_id)
        groups = await live_groups(session, cohort_id)
        unfinished = len(await pending_groups(session, cohort_id))
    waiting = sorted(m.user_id for m in grouped.get(None, []))
    return FormReport(cohort.name, plan.first, len(plan.groups), len(groups),
                      sum(len(grouped.get(g.id, [])) for g in groups), waiting, plan.largest_spread, plan.notes,
                      plan=plan, set_up=touched, unfinished=unfinished)


async def _plan_first(session: AsyncSession, cohort: Cohort, now: datetime, low: int, high: int) -> Plan | None:
    """Partition everyone who joined; None when another run planned it first (the unique row is the lock)."""
    members = await active_members(session, cohort.id)
    target = min(max(cohort.group_target, low), high)
    partition = form_groups([as_member(m, now) for m in members], low, high, target)
    notes = list(partition.notes)
    if not members:
        notes.append("Nobody had joined yet: everyone who joins from now on is placed as a late joiner.")
    inserted = await insert_ignore(session, GroupFormation, {
        "team_id": cohort.team_id, "cohort_id": cohort.id, "formed_at": now, "min_size": low, "max_size": high,
        "largest_spread": partition.largest_spread_minutes, "notes": "\n".join(notes) or None,
    })
    if not inserted:
        return None
    by_user = {m.user_id: m for m in members}
    planned = await _create_groups(session, cohort, [(g.center_offset_minutes, [by_user[x.user_id] for x in g.members])
                                                     for g in partition.groups], now)
    return Plan(True, planned, partition.largest_spread_minutes, notes)


async def plan_from_waiting(session: AsyncSession, cohort: Cohort, now: datetime, low: int,
                            high: int) -> list[PlannedGroup]:
    """New groups from waiting members who are close enough together (within 3 hours)."""
    waiting = [m for m in await active_members(session, cohort.id) if m.group_id is None]
    by_user = {m.user_id: m for m in waiting}
    runs = form_from_waiting([as_member(m, now) for m in waiting], low, high, LATE_JOIN_DISTANCE)
    planned = []
    for run in runs:
        chosen = [by_user[x.user_id] for x in run]
        planned.append((center_now(chosen, 0, now), chosen))
    return await _create_groups(session, cohort, planned, now)


async def _create_groups(
    session: AsyncSession, cohort: Cohort, planned: Sequence[tuple[int, Sequence[GroupMember]]], now: datetime
) -> list[PlannedGroup]:
    taken = await taken_names(session, cohort.team_id)
    created = []
    for center, members in planned:
        name = group_channel_name(cohort.name, center, taken)
        taken.add(name)
        group = StudyGroup(team_id=cohort.team_id, cohort_id=cohort.id, name=name, center_offset=center,
                           status="creating", created_at=now)
        session.add(group)
        await session.flush()
        for member in members:
            member.group_id = group.id
        created.append(PlannedGroup(name, center, tuple(sorted(m.user_id for m in members))))
    return created


@dataclass(frozen=True)
class DueFormation:
    team_id: str
    cohort_id: int
    due_at: datetime


async def formations_due(session: AsyncSession) -> list[DueFormation]:
    """Active cohorts whose groups were never formed, with when they should be."""
    formed = set(await session.scalars(select(GroupFormation.cohort_id)))
    return [DueFormation(c.team_id, c.id, form_at(c)) for c in await active_cohorts(session) if c.id not in formed]


async def form_on_schedule(db: Database, client: AsyncWebClient, cohort_id: int, now: datetime, *,
                           sleep: Sleep) -> str:
    """The scheduled formation: form, then tell the organizers how it went. Returns the first line."""
    report = await form(db, client, cohort_id, now, sleep=sleep)
    async with db.session() as session:
        cohort = await cohort_of(session, cohort_id)
    await tell_organizers(db, client, cohort, f"groups:formed:{cohort.id}", render.organizer_note(report.lines()), now)
    return report.lines()[0]

"""Database look-ups the study-group use cases share, and their error type.

Offsets are computed here from each member's stored zone name at the instant
asked for — never stored — so daylight saving moves them when it should.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import BindParameter, Select, bindparam, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.weeks import week_opens_at
from bot.calendar.zones import Zone, ZoneError, parse_zone, zone_from_name
from bot.cohorts.store import rhythm_of
from bot.errors import StudyError
from bot.groups.circle import circular_center
from bot.groups.partition import Member
from bot.models import Cohort
from bot.models.groups import GroupFormation, GroupInvite, GroupMember, StudyGroup

LIVE_STATUSES = ("creating", "ready")
LATE_JOIN_DISTANCE = 180  # minutes: farther than this, a late joiner waits for people nearer
FORM_AFTER_WEEK_ONE_OPENS = timedelta(days=3)


class GroupsError(StudyError):
    """A refusal or a stop of the study groups, in one friendly sentence fit for Slack and the CLI."""


def form_at(cohort: Cohort) -> datetime:
    """When the cohort's groups are formed: its own setting, else 3 days after week 1 opens."""
    return cohort.groups_form_at or week_opens_at(rhythm_of(cohort), 1) + FORM_AFTER_WEEK_ONE_OPENS


def zone_of(member: GroupMember) -> Zone:
    """The member's stored zone; a name tzdata no longer knows falls back to parsing it (never crashes a run)."""
    try:
        return zone_from_name(member.zone)
    except ValueError:
        try:
            parsed = parse_zone(member.zone)
        except ZoneError:
            return Zone("UTC")
        return parsed if isinstance(parsed, Zone) else Zone("UTC")


def as_member(member: GroupMember, at: datetime) -> Member:
    return Member(member.user_id, zone_of(member).offset_minutes(at), frozenset(member.prefers or ()))


def group_prefers(members: Sequence[GroupMember]) -> frozenset[str]:
    """The most common stated preferences of a group (ties: the first stated), for its slot suggestions."""
    stated = Counter(frozenset(m.prefers) for m in members if m.prefers)
    return stated.most_common(1)[0][0] if stated else frozenset()


def center_now(members: Sequence[GroupMember], fallback: int, at: datetime) -> int:
    """A group's centre recomputed from its members' offsets at `at` (DST may have moved them)."""
    offsets = [zone_of(m).offset_minutes(at) for m in members]
    return circular_center(offsets) if offsets else fallback


async def cohort_of(session: AsyncSession, cohort_id: int) -> Cohort:
    cohort = await session.get(Cohort, cohort_id)
    if cohort is None:
        raise GroupsError("That cohort no longer exists.")
    return cohort


async def formation_of(session: AsyncSession, cohort_id: int) -> GroupFormation | None:
    return await session.scalar(select(GroupFormation).where(GroupFormation.cohort_id == cohort_id))


async def member_of(session: AsyncSession, cohort_id: int, user_id: str,
                    team_id: str | None = None) -> GroupMember | None:
    """The member's row in the cohort; with `team_id` (a value from a click), only in that workspace."""
    query = select(GroupMember).where(GroupMember.cohort_id == cohort_id, GroupMember.user_id == user_id)
    return await session.scalar(query if team_id is None else query.where(GroupMember.team_id == team_id))


def _standing_query() -> Select[GroupMember, StudyGroup | None, bool]:
    """Built once: `/study group` runs it on every request, and building it costs more than running it."""
    cohort_id: BindParameter[int] = bindparam("cohort_id")
    user_id: BindParameter[str] = bindparam("user_id")
    their_group = select(GroupMember.group_id).where(
        GroupMember.cohort_id == cohort_id, GroupMember.user_id == user_id).scalar_subquery()
    formed = select(GroupFormation.id).where(GroupFormation.cohort_id == cohort_id).exists()
    # The member's row, and their group's current members: a union of two index look-ups. (An OR of
    # the two in one WHERE read every member of the cohort: 10,000 rows for a large one.)
    wanted = union_all(
        select(GroupMember.id).where(GroupMember.cohort_id == cohort_id, GroupMember.user_id == user_id),
        select(GroupMember.id).where(GroupMember.group_id == their_group, GroupMember.left_at.is_(None)),
    )
    return (select(GroupMember, StudyGroup, formed)
            .outerjoin(StudyGroup, StudyGroup.id == GroupMember.group_id)
            .where(GroupMember.id.in_(wanted))
            .order_by(GroupMember.user_id))


_STANDING = _standing_query()


async def member_standing(
    session: AsyncSession, cohort_id: int, user_id: str,
) -> tuple[GroupMember | None, StudyGroup | None, list[GroupMember], bool]:
    """The member, their group, its current members and whether groups have formed — in one query,
    so `/study group` costs this and the cohort's lookup."""
    rows = (await session.execute(_STANDING, {"cohort_id": cohort_id, "user_id": user_id})).all()
    if not rows:
        return None, None, [], await formation_of(session, cohort_id) is not None
    member, group = next((m, g) for m, g, _ in rows if m.user_id == user_id)
    members = [m for m, _, _ in rows if group is not None and m.group_id == group.id and m.left_at is None]
    return member, group, members, bool(rows[0][2])


async def active_members(session: AsyncSession, cohort_id: int) -> list[GroupMember]:
    return list(await session.scalars(
        select(GroupMember)
        .where(GroupMember.cohort_id == cohort_id, GroupMember.left_at.is_(None))
        .order_by(GroupMember.user_id)
    ))


async def members_of_group(session: AsyncSession, group_id: int) -> list[GroupMember]:
    return list(await session.scalars(
        select(GroupMember)
        .where(GroupMember.group_id == group_id, GroupMember.left_at.is_(None))
        .order_by(GroupMember.user_id)
    ))


async def live_groups(session: AsyncSession, cohort_id: int) -> list[StudyGroup]:
    return list(await session.scalars(
        select(StudyGroup)
        .where(StudyGroup.cohort_id == cohort_id, StudyGroup.status.in_(LIVE_STATUSES))
        .order_by(StudyGroup.center_offset, StudyGroup.id)
    ))


async def members_by_group(session: AsyncSession, cohort_id: int) -> dict[int | None, list[GroupMember]]:
    """Active members keyed by their group id (None: not in a group)."""
    grouped: dict[int | None, list[GroupMember]] = {}
    for member in await active_members(session, cohort_id):
        grouped.setdefault(member.group_id, []).append(member)
    return grouped


async def invited_users(session: AsyncSession, group_id: int) -> set[str]:
    return set(await session.scalars(select(GroupInvite.user_id).where(GroupInvite.group_id == group_id)))


async def taken_names(session: AsyncSession, team_id: str) -> set[str]:
    """Every group channel name this workspace has used, archived ones included (Slack keeps those names)."""
    return set(await session.scalars(select(StudyGroup.name).where(StudyGroup.team_id == team_id)))


async def find_group(session: AsyncSession, cohort_id: int, reference: str) -> StudyGroup:
    """A group by channel name (with or without #), channel id or `<#C…|name>` mention."""
    cleaned = reference.strip().lstrip("#")
    if cleaned.startswith("<#") and cleaned.endswith(">"):
        cleaned = cleaned[2:-1].split("|")[0]
    groups = list(await session.scalars(select(StudyGroup).where(StudyGroup.cohort_id == cohort_id)))
    for group in groups:
        if cleaned in (group.name, group.channel_id):
            return group
    names = ", ".join(g.name for g in groups if g.status in LIVE_STATUSES) or "none yet"
    raise GroupsError(f'No group "{reference.strip()}" in this cohort. Groups: {names}.')


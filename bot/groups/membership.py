"""Signing up for a cohort's study groups, and members' meeting preferences."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.zones import Zone
from bot.database import Database
from bot.errors import StudyError
from bot.groups import views as render
from bot.groups.records import member_of
from bot.models import Cohort
from bot.models.groups import GroupMember
from bot.store import insert_ignore

KNOWN_PREFERENCES = ("weekdays", "weekends", "mornings", "afternoons", "evenings")


@dataclass(frozen=True)
class Joined:
    member_id: int
    first_time: bool
    zone_changed: bool
    rejoined: bool  # had left before
    group_id: int | None


async def join(session: AsyncSession, cohort: Cohort, user_id: str, zone: Zone, now: datetime) -> Joined:
    """Sign up (or update the zone of) a member. Idempotent: joining again only changes the zone.

    A member already in a group stays in it when their zone changes; the new zone
    is used from now on for their local time and the group's meeting slots.
    """
    first = await insert_ignore(session, GroupMember, {
        "team_id": cohort.team_id, "cohort_id": cohort.id, "user_id": user_id, "zone": zone.name,
        "prefers": [], "joined_at": now,
    })
    member = await member_of(session, cohort.id, user_id)
    assert member is not None
    changed = not first and member.zone != zone.name
    rejoined = member.left_at is not None
    member.zone, member.left_at = zone.name, None
    if rejoined:
        member.joined_at = now
    await session.flush()
    return Joined(member.id, first, changed, rejoined, member.group_id)


async def set_preferences(session: AsyncSession, team_id: str, cohort_id: int, user_id: str,
                          prefers: Iterable[str]) -> bool:
    """Store the member's preferences (unknown values dropped); False when they haven't joined (in this workspace)."""
    member = await member_of(session, cohort_id, user_id, team_id)
    if member is None or member.left_at is not None:
        return False
    member.prefers = sorted({p for p in prefers if p in KNOWN_PREFERENCES})
    return True


async def preferences_modal_for(db: Database, team_id: str, cohort_value: str, user_id: str,
                                command: str) -> dict | None:
    """The "Meeting preferences" modal for a member of the cohort the button names; None for a value we never
    rendered. Raises `StudyError` when the member hasn't joined (or has left), or the cohort is another workspace's."""
    if not cohort_value.isdigit():
        return None
    async with db.session() as session:
        member = await member_of(session, int(cohort_value), user_id, team_id)
    if member is None or member.left_at is not None:
        raise StudyError(render.join_first(command))
    return render.preferences_modal(int(cohort_value), member.prefers)


async def save_preferences(db: Database, team_id: str, view: dict, user_id: str, command: str) -> dict[str, str] | None:
    """Store what the modal says; the modal's field errors when the member isn't in the cohort (any more)."""
    metadata = view.get("private_metadata", "")
    saved = False
    if metadata.isdigit():
        async with db.session() as session:
            saved = await set_preferences(session, team_id, int(metadata), user_id, render.chosen_preferences(view))
    return None if saved else render.preferences_refused(command)

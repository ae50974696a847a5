"""The buddies' parts of other features' screens: the App Home's section, and the "Find me a study buddy"
button the planning DM's job adds for members who have none."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.buddies import views
from bot.buddies.records import pair_members
from bot.database import Database
from bot.groups.records import member_of
from bot.models.buddies import BuddyOptIn


async def _status(db: Database, cohort_id: int, user_id: str) -> tuple[str, list[str]] | None:
    """None for someone not in the cohort's groups (a buddy comes from there); else the status and partners."""
    async with db.session() as session:
        member = await member_of(session, cohort_id, user_id)
        if member is None or member.left_at is not None:
            return None
        optin = await session.scalar(select(BuddyOptIn).where(BuddyOptIn.cohort_id == cohort_id,
                                                              BuddyOptIn.user_id == user_id))
        if optin is None or not optin.active:
            return "none", []
        if optin.pair_id is None:
            return "waiting", []
        return "paired", [u for u in await pair_members(session, optin.pair_id) if u != user_id]


async def buddy_home_blocks(db: Database, cohort_id: int, user_id: str) -> list[dict[str, Any]]:
    status = await _status(db, cohort_id, user_id)
    return [] if status is None else views.home_blocks(cohort_id, *status)


async def with_buddy_offer(db: Database, cohort_id: int, user_id: str, payload: dict[str, Any]) -> dict[str, Any]:
    """`payload` with the "Find me a study buddy" button, for a member of the groups who has no buddy and isn't
    waiting for one; unchanged otherwise."""
    status = await _status(db, cohort_id, user_id)
    return views.with_buddy_button(payload, cohort_id) if status is not None and status[0] == "none" else payload

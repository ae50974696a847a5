"""Buddy pairs as other features read them (the organizers' report compares members with and without one)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models.buddies import BuddyPairMember


async def members_with_buddy(session: AsyncSession, cohort_id: int) -> set[str]:
    """Members of the cohort who were ever matched with a buddy."""
    return set(await session.scalars(select(BuddyPairMember.user_id).distinct()
                                     .where(BuddyPairMember.cohort_id == cohort_id)))

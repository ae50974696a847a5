"""Buddy pairs as other features read them (base version: none yet)."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


async def members_with_buddy(session: AsyncSession, cohort_id: int) -> set[str]:
    """Members of the cohort who were ever matched with a buddy."""
    return set()

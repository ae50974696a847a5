"""Commitments as other features read them (base version: none yet)."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


async def members_with_commitment(session: AsyncSession, cohort_id: int) -> set[str]:
    """Members of the cohort who made at least one commitment."""
    return set()


async def commitment_lines(session: AsyncSession, cohort_id: int, week: int, user_ids: list[str]) -> dict[str, str]:
    """What each of `user_ids` committed to in `week`, as one line for a buddy check-in ("finish chapter 5 by Thu")."""
    return {}

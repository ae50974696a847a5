"""Commitments as other features read them (base version: none yet)."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


async def members_with_commitment(session: AsyncSession, cohort_id: int) -> set[str]:
    """Members of the cohort who made at least one commitment."""
    return set()

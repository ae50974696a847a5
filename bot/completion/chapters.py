"""Which chapters each member has done (base version: none yet; the chapters-done feature fills it in)."""
from __future__ import annotations

import math

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Cohort


def complete_at(cohort: Cohort) -> int:
    """Chapters a member must have done to complete the cohort: 75% of its weeks, rounded up."""
    return math.ceil(cohort.weeks * 0.75)


async def chapters_done(session: AsyncSession, cohort: Cohort, user_id: str) -> set[int]:
    """The chapter numbers `user_id` has done in `cohort`."""
    return (await chapters_done_by_member(session, cohort)).get(user_id, set())


async def chapters_done_by_member(session: AsyncSession, cohort: Cohort) -> dict[str, set[int]]:
    """Every member's chapters done in `cohort` (members with none are absent)."""
    return {}

"""A cohort's AMA settings: where the top 10 go, and a board organizers opened for a later session."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Cohort
from bot.models.ama import AmaSetting
from bot.store import insert_ignore


async def setting_of(session: AsyncSession, cohort: Cohort) -> AmaSetting | None:
    return await session.scalar(select(AmaSetting).where(
        AmaSetting.team_id == cohort.team_id, AmaSetting.cohort_id == cohort.id))


async def change_setting(session: AsyncSession, cohort: Cohort, **values: Any) -> None:
    """Set some settings, creating the cohort's row on first use (concurrent first uses are fine)."""
    if await insert_ignore(session, AmaSetting, {"team_id": cohort.team_id, "cohort_id": cohort.id, **values}):
        return
    await session.execute(update(AmaSetting).where(
        AmaSetting.team_id == cohort.team_id, AmaSetting.cohort_id == cohort.id).values(**values))

"""Each week's live session as members and calendars should see it.

Base version: the cohort's weekly rhythm alone. The sessions feature adds the join link and the
per-week overrides (moved, relinked, cancelled); every reader goes through `live_sessions`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.weeks import week_of
from bot.models import Cohort


@dataclass(frozen=True)
class LiveSession:
    """Week `week`'s session; `starts_at` in UTC; `sequence` rises with each change to that week's session."""

    week: int
    starts_at: datetime
    link: str | None = None
    cancelled: bool = False
    sequence: int = 0


async def live_sessions(session: AsyncSession, cohort: Cohort) -> list[LiveSession]:
    """Every week's session of `cohort`, in week order (none when the cohort has no session)."""
    weeks = (week_of(cohort, number) for number in range(1, cohort.weeks + 1))
    return [LiveSession(week.number, week.session) for week in weeks if week.session is not None]

"""Each week's live session as members and calendars should see it.

The cohort's weekly rhythm gives each week's instant; the cohort's `session_link` is every week's join link;
an organizer's per-week override (`session_overrides`) moves, relinks or cancels one week's session and raises
its `sequence`. Every reader goes through `live_sessions` / `live_session`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.weeks import week_of
from bot.models import Cohort
from bot.models.sessions import SessionOverride


@dataclass(frozen=True)
class LiveSession:
    """Week `week`'s session; `starts_at` in UTC; `sequence` rises with each change to that week's session."""

    week: int
    starts_at: datetime
    link: str | None = None
    cancelled: bool = False
    sequence: int = 0
    moved: bool = False  # `starts_at` is an organizer's, not the rhythm's


def apply_override(cohort: Cohort, week: int, rhythm_at: datetime | None,
                   override: SessionOverride | None) -> LiveSession | None:
    """Week `week`'s session from the rhythm's instant and the week's override (None: no session that week)."""
    if override is None:
        return None if rhythm_at is None else LiveSession(week, rhythm_at, cohort.session_link)
    starts_at = override.starts_at or rhythm_at
    if starts_at is None:
        return None
    return LiveSession(week, starts_at, override.link or cohort.session_link, override.cancelled, override.sequence,
                       moved=override.starts_at is not None and override.starts_at != rhythm_at)


async def overrides_of(session: AsyncSession, cohort: Cohort) -> dict[int, SessionOverride]:
    rows = await session.scalars(select(SessionOverride).where(
        SessionOverride.team_id == cohort.team_id, SessionOverride.cohort_id == cohort.id))
    return {row.week: row for row in rows}


async def live_sessions(session: AsyncSession, cohort: Cohort) -> list[LiveSession]:
    """Every week's session of `cohort`, in week order (none when the cohort has no session), cancelled
    weeks included (`cancelled=True`)."""
    overrides = await overrides_of(session, cohort)
    found = (apply_override(cohort, number, week_of(cohort, number).session, overrides.get(number))
             for number in range(1, cohort.weeks + 1))
    return [live for live in found if live is not None]


async def live_session(session: AsyncSession, cohort: Cohort, week: int) -> LiveSession | None:
    """Week `week`'s session (cancelled or not); None without a session that week or outside the cohort."""
    if not 1 <= week <= cohort.weeks:
        return None
    override = await session.scalar(select(SessionOverride).where(
        SessionOverride.team_id == cohort.team_id, SessionOverride.cohort_id == cohort.id,
        SessionOverride.week == week))
    return apply_override(cohort, week, week_of(cohort, week).session, override)

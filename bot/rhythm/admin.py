"""What organizers may change in the rhythm, from Slack or the CLI.

Each change validates first and raises `StudyError` with a sentence for a
person; nothing is stored unless the whole change is valid.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.timeparse import parse_weekly_time
from bot.cohorts.weeks import current_week_of, next_week_of, week_of
from bot.database import Database
from bot.errors import StudyError
from bot.models import Chapter, Cohort, JobRun
from bot.rhythm.occurrences import WEEK_OPEN_JOB, next_posts, occurrence_for_week, scope_of
from bot.rhythm.summary import cohort_counts
from bot.rhythm.views import StatusCard, chapter_label
from bot.scheduling import Occurrence, record_skip, run_status
from bot.sessions.schedule import overrides_of
from bot.store import rowcount

T = TypeVar("T")
OFF_WORDS = {"off", "none", "no", "-"}


def parse_week_number(cohort: Cohort, text: str) -> int:
    cleaned = text.strip().lower().removeprefix("week").strip()
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= cohort.weeks:
        raise StudyError(f"Expected a week number from 1 to {cohort.weeks}, e.g. `5`.")
    return int(cleaned)


def pause_before(cohort: Cohort, number: int, now: datetime) -> datetime:
    """Insert a break week before week `number`: it and every later week open a week later.

    Returns when week `number` opens now.
    """
    if number < 2:
        raise StudyError("Week 1 cannot be paused; change the cohort's start instead.")
    if number in (cohort.breaks or []):
        raise StudyError(f"There is already a break before week {number}.")
    if week_of(cohort, number).opens_at <= now:
        raise StudyError(f"Week {number} has already opened; pause before a week that has not started yet.")
    cohort.breaks = sorted([*(cohort.breaks or []), number])  # a new list, so SQLAlchemy sees the change
    return week_of(cohort, number).opens_at


def unpause_before(cohort: Cohort, number: int, now: datetime) -> datetime:
    """Remove the break before week `number`, if that week has not opened yet; returns its new opening."""
    if number not in (cohort.breaks or []):
        raise StudyError(f"There is no break before week {number}.")
    if week_of(cohort, number).opens_at <= now:
        raise StudyError(f"Week {number} has already opened; its break is over.")
    cohort.breaks = sorted(week for week in cohort.breaks if week != number)
    return week_of(cohort, number).opens_at


def set_session(cohort: Cohort, text: str) -> str | None:
    """Set the weekly live session ("tue 18:00", in the cohort's zone) or remove it ("off")."""
    cleaned = text.strip().strip('"').strip()
    cohort.session = None if cleaned.lower() in OFF_WORDS else str(parse_weekly_time(cleaned))
    return cohort.session


async def skip_announcement(session: AsyncSession, cohort: Cohort, number: int, now: datetime) -> None:
    """Mark week `number`'s announcement as skipped so the scheduler never posts it."""
    occurrence = occurrence_for_week(cohort, number)
    if occurrence.stale_at is not None and occurrence.stale_at <= now:
        raise StudyError(f"Week {number} is over; there is nothing to skip.")
    if await record_skip(session, WEEK_OPEN_JOB, occurrence, now, "skipped by an organizer"):
        return
    status = await run_status(session, cohort.team_id, WEEK_OPEN_JOB, occurrence.scope, occurrence.key)
    if status == "skipped":
        raise StudyError(f"Week {number}'s announcement is already skipped.")
    if status == "failed" and await _skip_failed(session, cohort, occurrence, now):
        return
    if status == "done":
        raise StudyError(f"Week {number}'s announcement was already posted.")
    raise StudyError(f"Week {number}'s announcement is being posted right now.")


async def _skip_failed(session: AsyncSession, cohort: Cohort, occurrence: Occurrence, now: datetime) -> bool:
    """A failed run would be retried on the next tick; turn it into a skip instead (only if still failed)."""
    result = await session.execute(
        update(JobRun)
        .where(JobRun.team_id == cohort.team_id, JobRun.job == WEEK_OPEN_JOB, JobRun.scope == occurrence.scope,
               JobRun.occurrence == occurrence.key, JobRun.status == "failed")
        .values(status="skipped", detail="skipped by an organizer", finished_at=now)
    )
    return rowcount(result) > 0


async def announcement_status(session: AsyncSession, cohort: Cohort, number: int, now: datetime) -> str:
    status = await run_status(session, cohort.team_id, WEEK_OPEN_JOB, scope_of(cohort.id), f"week-{number}")
    return {"done": "posted", None: "not posted yet"}.get(status, status or "")


async def announcement_pending(session: AsyncSession, cohort: Cohort, number: int) -> bool:
    """Week `number`'s announcement was tried and failed (it is retried next tick), or is being posted now.

    Other features' week-opening posts wait while this is true, so members read "Week N is open" first.
    """
    status = await run_status(session, cohort.team_id, WEEK_OPEN_JOB, scope_of(cohort.id), f"week-{number}")
    return status in ("failed", "running")


async def status_card(session: AsyncSession, cohort: Cohort, now: datetime) -> StatusCard:
    current, upcoming = current_week_of(cohort, now), next_week_of(cohort, now)
    chapter = None
    announcement = None
    if current is not None:
        chapter = await session.scalar(
            select(Chapter).where(Chapter.cohort_id == cohort.id, Chapter.number == current.number)
        )
        announcement = await announcement_status(session, cohort, current.number, now)
    return StatusCard(
        name=cohort.name, channel_id=cohort.channel_id, timezone=cohort.timezone, start_local=cohort.start_local,
        weeks=cohort.weeks, session=cohort.session, breaks=list(cohort.breaks or []),
        organizers=list(cohort.organizers or []), share_channel_id=cohort.share_channel_id,
        current_week=current.number if current else None,
        current_label=chapter_label(current.number, chapter) if current else None,
        current_closes_at=current.closes_at if current else None, announcement=announcement,
        next_week=upcoming.number if upcoming else None, next_opens_at=upcoming.opens_at if upcoming else None,
        upcoming=next_posts(cohort, now, overrides=await overrides_of(session, cohort)),
        counts=await cohort_counts(session, cohort, current.number if current else None),
    )


async def change(db: Database, cohort_id: int, edit: Callable[[Cohort], T]) -> T:
    """Load the cohort, apply `edit(cohort)` (which validates, or raises StudyError), commit; its result."""
    async with db.session() as session:
        cohort = await session.get(Cohort, cohort_id)
        if cohort is None:
            raise StudyError("That cohort no longer exists.")
        return edit(cohort)

"""A member's retention preferences: read or create them, pause, nudges on/off, reminders off.

Each change is one small update on the member's row; the wording of the replies lives in `views`.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort
from bot.models.retention import MemberPreferences
from bot.retention import views
from bot.store import insert_ignore

MAX_PAUSE_WEEKS = 12
DEFAULT_PAUSE_WEEKS = 2


async def preferences_of(session: AsyncSession, team_id: str, cohort_id: int, user_id: str,
                         now: datetime) -> MemberPreferences:
    """The member's row, created with the defaults (nudges on, no plan) the first time it is needed."""
    await insert_ignore(session, MemberPreferences, {
        "team_id": team_id, "cohort_id": cohort_id, "user_id": user_id, "nudges": True,
        "session_reminder": False, "updated_at": now,
    })
    preferences = await session.scalar(select(MemberPreferences).where(
        MemberPreferences.team_id == team_id, MemberPreferences.cohort_id == cohort_id,
        MemberPreferences.user_id == user_id))
    assert preferences is not None, "inserted above when it was missing"
    return preferences


async def all_preferences(session: AsyncSession, cohort_id: int) -> dict[str, MemberPreferences]:
    rows = await session.scalars(select(MemberPreferences).where(MemberPreferences.cohort_id == cohort_id))
    return {row.user_id: row for row in rows}


def is_paused(prefs: MemberPreferences | None, now: datetime) -> bool:
    return prefs is not None and prefs.paused_until is not None and prefs.paused_until > now


def parse_pause_weeks(args: str) -> int:
    """`/study pause [weeks]`: 2 by default, 0 ends a pause; anything else is a friendly error."""
    text = args.strip()
    if not text:
        return DEFAULT_PAUSE_WEEKS
    if not text.isdigit() or int(text) > MAX_PAUSE_WEEKS:
        raise StudyError(f"Usage: `/study pause [weeks]` — a number of weeks from 0 (resume now) to"
                         f" {MAX_PAUSE_WEEKS}, e.g. `/study pause 2`. Nothing was changed.")
    return int(text)


async def pause(db: Database, team_id: str, cohort_id: int, user_id: str, weeks: int, now: datetime) -> datetime | None:
    """Pause nudges for `weeks` weeks (0 resumes); returns the end of the pause, None when not paused."""
    until = now + timedelta(weeks=weeks) if weeks else None
    async with db.session() as session:
        prefs = await preferences_of(session, team_id, cohort_id, user_id, now)
        prefs.paused_until, prefs.updated_at = until, now
    return until


async def set_nudges(db: Database, team_id: str, cohort_id: int, user_id: str, on: bool, now: datetime) -> None:
    """Turn nudges on or off; turning them on also ends a pause (the Home's one "undo" button)."""
    async with db.session() as session:
        prefs = await preferences_of(session, team_id, cohort_id, user_id, now)
        prefs.nudges, prefs.updated_at = on, now
        if on:
            prefs.paused_until = None


async def stop_reminders(db: Database, team_id: str, cohort_id: int, user_id: str, now: datetime) -> None:
    async with db.session() as session:
        prefs = await preferences_of(session, team_id, cohort_id, user_id, now)
        prefs.plan = prefs.week_plan_week = prefs.week_plan_at = None
        prefs.session_reminder, prefs.updated_at = False, now


async def request_cohort(db: Database, team_id: str, channel_id: str | None, user_id: str, *, command: str,
                         subcommand: str) -> Cohort:
    """The cohort a `/study remind|pause|nudges` means (StudyError with the reply when unclear)."""
    async with db.session() as session:
        return await cohort_for_request(session, team_id, channel_id, user_id, command=command, subcommand=subcommand)


async def pause_command(db: Database, team_id: str, channel_id: str, user_id: str, args: str, now: datetime,
                        command: str) -> str:
    weeks = parse_pause_weeks(args)
    cohort = await request_cohort(db, team_id, channel_id, user_id, command=command, subcommand="pause")
    return views.paused_text(await pause(db, team_id, cohort.id, user_id, weeks, now))


async def nudges_command(db: Database, team_id: str, channel_id: str, user_id: str, args: str, now: datetime,
                         command: str) -> str:
    choice = args.strip().lower()
    if choice not in ("on", "off"):
        raise StudyError(f"Usage: `{command} nudges off` or `{command} nudges on`. Nothing was changed.")
    cohort = await request_cohort(db, team_id, channel_id, user_id, command=command, subcommand="nudges")
    await set_nudges(db, team_id, cohort.id, user_id, choice == "on", now)
    return views.nudges_text(choice == "on")

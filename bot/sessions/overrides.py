"""One week's session changed by an organizer: moved (`at`), relinked, cancelled or restored.

Everything is validated before anything is stored (a StudyError says what is expected, in one line); a change
that changes something raises the week's `sequence`, and a move, a cancel or a restore also sets its
`notice_sequence`, which the channel notice (`bot.sessions.notices`) is keyed by.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.calendar.timeparse import parse_local_datetime
from bot.calendar.weeks import resolve_local
from bot.cohorts.weeks import week_of
from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort
from bot.models.sessions import SessionOverride
from bot.sessions.links import parse_session_link
from bot.sessions.schedule import LiveSession, apply_override
from bot.store import insert_ignore


@dataclass(frozen=True)
class WeekChange:
    """A validated change: `at` in UTC; None fields are left as they are."""

    week: int
    at: datetime | None = None
    link: str | None = None
    cancel: bool = False
    restore: bool = False


def parse_week(cohort: Cohort, text: str | int) -> int:
    cleaned = str(text).strip().lower().removeprefix("week").strip()
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= cohort.weeks:
        shown = str(text).strip()[:20]
        raise StudyError(f'{cohort.name} has weeks 1 to {cohort.weeks}; "{shown}" is not one of them.')
    return int(cleaned)


def parse_change(cohort: Cohort, *, week: str | int, at: str | None = None, link: str | None = None,
                 cancel: bool = False, restore: bool = False) -> WeekChange:
    """Check every part of a change (the week, the local time, the link) before anything is stored."""
    number = parse_week(cohort, week)
    if cancel and restore:
        raise StudyError("Give either cancel or restore, not both.")
    if at is None and link is None and not cancel and not restore:
        raise StudyError("Nothing to change: give a new time, a link, cancel or restore.")
    instant = resolve_local(parse_local_datetime(at), cohort.timezone) if at is not None else None
    return WeekChange(number, instant, parse_session_link(link) if link is not None else None, cancel, restore)


@dataclass(frozen=True)
class Changed:
    before: LiveSession | None
    after: LiveSession
    changed: bool

    def sentence(self, cohort: Cohort) -> str:
        live = self.after
        zone_time = f"{live.starts_at.astimezone(ZoneInfo(cohort.timezone)):%a %Y-%m-%d %H:%M} {cohort.timezone}"
        if not self.changed:
            return f"Week {live.week}'s session is already set that way ({zone_time}). Nothing was changed."
        state = "cancelled" if live.cancelled else f"at {zone_time}"
        link = f", link {live.link}" if live.link else ", no link"
        told = " Members are told in the cohort channel within a minute." if self._told() else ""
        return f"Week {live.week}'s live session is {state}{link}.{told}"

    def _told(self) -> bool:
        before = self.before
        return before is None or before.cancelled != self.after.cancelled or before.starts_at != self.after.starts_at


async def change_week(db: Database, cohort_id: int, change: WeekChange) -> Changed:
    """Apply `change` to its week in one transaction; StudyError (and nothing stored) when it cannot be."""
    now = db.clock.now()
    async with db.session() as session:
        cohort = await session.get(Cohort, cohort_id)
        if cohort is None:
            raise StudyError("That cohort no longer exists.")
        rhythm_at = week_of(cohort, change.week).session
        key = {"team_id": cohort.team_id, "cohort_id": cohort.id, "week": change.week}
        row = await session.scalar(select(SessionOverride).filter_by(**key).with_for_update())
        before = apply_override(cohort, change.week, rhythm_at, row)
        _check(cohort, change, before, now)
        starts_at = change.at or (row.starts_at if row else None)
        link = change.link or (row.link if row else None)
        cancelled = change.cancel or (not change.restore and bool(row and row.cancelled))
        if row is None:
            await insert_ignore(session, SessionOverride, {**key, "starts_at": None, "link": None, "cancelled": False,
                                                           "sequence": 0, "notice_sequence": 0, "changed_at": now})
            row = await session.scalar(select(SessionOverride).filter_by(**key).with_for_update())
            assert row is not None, "inserted just above"
        unchanged = (starts_at, link, cancelled) == (row.starts_at, row.link, row.cancelled)
        if not unchanged:
            moved_or_toggled = starts_at != row.starts_at or cancelled != row.cancelled
            row.starts_at, row.link, row.cancelled = starts_at, link, cancelled
            row.sequence += 1
            row.changed_at = now
            if moved_or_toggled:
                row.notice_sequence = row.sequence
        after = apply_override(cohort, change.week, rhythm_at, row)
        assert after is not None, "a session exists: checked above"
        return Changed(before, after, not unchanged)


def _check(cohort: Cohort, change: WeekChange, before: LiveSession | None, now: datetime) -> None:
    week = change.week
    if before is None and change.at is None:
        raise StudyError(f"Week {week} has no live session: give a time (`at`) to schedule one.")
    if before is not None and before.starts_at <= now and change.at is None:
        raise StudyError(f"Week {week}'s session has already happened.")
    if change.at is not None and change.at <= now:
        raise StudyError(f"{change.at:%Y-%m-%d %H:%M} UTC is already past; give a time still to come.")
    if change.restore and (before is None or not before.cancelled):
        raise StudyError(f"Week {week}'s session is not cancelled; there is nothing to restore.")
    if change.cancel and before is not None and before.cancelled:
        raise StudyError(f"Week {week}'s session is already cancelled.")

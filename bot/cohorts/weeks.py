"""Which week of a cohort it is, for every feature.

The questionnaire, the study groups and the share digest all ask the same
question — "what week is it for this cohort at `now`?" — and must get the same
answer as the announcement job, so it is answered here once, from the cohort's
stored settings through the pure time maths of `bot.calendar.weeks`.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime

from bot.calendar.weeks import Rhythm, current_week, session_at, week_closes_at, week_opens_at
from bot.cohorts.store import rhythm_of
from bot.models import Cohort


@dataclass(frozen=True)
class Week:
    """One week of one cohort, all instants in UTC; `session` is None without a live session."""

    number: int
    opens_at: datetime
    closes_at: datetime
    session: datetime | None


def week_of(cohort: Cohort, number: int) -> Week:
    """Week `number` (1..weeks) of `cohort`; ValueError outside that range."""
    return _week(rhythm_of(cohort), number)


def _week(rhythm: Rhythm, number: int) -> Week:
    return Week(number, week_opens_at(rhythm, number), week_closes_at(rhythm, number), session_at(rhythm, number))


def current_week_of(cohort: Cohort, now: datetime) -> Week | None:
    """The week open at `now`, or None before week 1, during a break, or after the last week."""
    number = current_week(rhythm_of(cohort), now)
    return None if number is None else week_of(cohort, number)


def next_week_of(cohort: Cohort, now: datetime) -> Week | None:
    """The first week that opens after `now` (None once the last week has opened)."""
    return weeks_around(cohort, now).next


@dataclass(frozen=True)
class Around:
    """The last week closed, the week open (if any) and the next week to open, at one instant."""

    previous: Week | None
    current: Week | None
    next: Week | None

    def weeks(self) -> list[Week]:
        return [week for week in (self.previous, self.current, self.next) if week is not None]


def next_session_at(cohort: Cohort, now: datetime) -> datetime | None:
    """The first live session at or after `now`: the open week's, else the next week's; None without one."""
    return next((w.session for w in weeks_around(cohort, now).weeks() if w.session is not None and w.session >= now),
                None)


def weeks_around(cohort: Cohort, now: datetime) -> Around:
    """Found by bisection over the (increasing) opening instants: cheap enough for every tick."""
    rhythm = rhythm_of(cohort)
    opened = bisect_right(range(1, rhythm.weeks + 1), now, key=lambda number: week_opens_at(rhythm, number))
    following = _week(rhythm, opened + 1) if opened < rhythm.weeks else None
    if opened == 0:
        return Around(None, None, following)
    last = _week(rhythm, opened)
    if now < last.closes_at:
        return Around(_week(rhythm, opened - 1) if opened > 1 else None, last, following)
    return Around(last, None, following)

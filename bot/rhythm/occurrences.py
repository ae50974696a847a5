"""The occurrences of the rhythm's two jobs, and the keys that make each one happen once.

Occurrence keys are week numbers, not instants: when an organizer pauses the
rhythm or moves the session, a week's announcement moves in time but keeps its
key, so it still runs exactly once.

Only the weeks around `now` are offered — the previous, current and next one —
so a bot that was down for weeks never floods the channel with a backlog: the
previous week's occurrences are past their `stale_at` and get recorded as
skipped (with a log line), the current week's announcement runs late, once.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from bot.calendar.weeks import reminders_before
from bot.cohorts.weeks import Week, week_of, weeks_around
from bot.models import Cohort
from bot.models.sessions import SessionOverride
from bot.scheduling import Occurrence
from bot.sessions.schedule import LiveSession, apply_override

WEEK_OPEN_JOB = "rhythm-week-open"
REMINDER_JOB = "rhythm-session-reminder"
MOVED_FAR = timedelta(days=2)  # a moved session this close to now is offered whichever week it belongs to
UPCOMING = 3  # scheduled posts shown by `studybot doctor`, `cohort show` and `/study admin status`


def scope_of(cohort_id: int) -> str:
    return f"cohort-{cohort_id}"


def announcement_key(cohort_id: int, week: int) -> str:
    """The `post_once` key of week `week`'s announcement; other features thread under its `posted_ts`."""
    return f"announce:cohort-{cohort_id}:week-{week}"


def rerun_key(cohort_id: int, week: int, run: int) -> str:
    return f"{announcement_key(cohort_id, week)}:rerun-{run}"


def reminder_key(cohort_id: int, week: int, label: str, moved_to: datetime | None = None) -> str:
    """A reminder of week `week`'s session; `moved_to` (an organizer's instant for that week) is part of the
    key, so a move makes new reminders, moving back finds the old ones done, and nothing is sent twice."""
    return f"reminder:cohort-{cohort_id}:week-{week}:{label}" + moved_suffix(moved_to)


def moved_suffix(moved_to: datetime | None) -> str:
    return "" if moved_to is None else f"@{moved_to.astimezone(UTC):%Y%m%dT%H%MZ}"


def week_open_occurrence(cohort: Cohort, week: Week) -> Occurrence:
    """Due when the week opens; still useful (so run late) until the week closes."""
    return Occurrence(
        cohort.team_id, scope_of(cohort.id), f"week-{week.number}", due_at=week.opens_at, stale_at=week.closes_at,
        data={"cohort_id": cohort.id, "week": week.number},
    )


def reminder_occurrences(cohort: Cohort, week: Week, live: LiveSession | None) -> list[Occurrence]:
    """24 h and 1 h before the week's session as it stands (`live`: moved or not; none when cancelled);
    useless (so skipped) once the session has started. A moved session's keys carry its instant."""
    if live is None or live.cancelled:
        return []
    moved_to = live.starts_at if live.moved else None
    return [
        Occurrence(
            cohort.team_id, scope_of(cohort.id), f"week-{week.number}:{label}{moved_suffix(moved_to)}", due_at=due_at,
            stale_at=live.starts_at,
            data={"cohort_id": cohort.id, "week": week.number, "label": label, "at": live.starts_at.isoformat()},
        )
        for label, due_at in reminders_before(live.starts_at)
    ]


def week_open_occurrences(cohort: Cohort, now: datetime) -> list[Occurrence]:
    return [week_open_occurrence(cohort, week) for week in weeks_around(cohort, now).weeks() if week.opens_at <= now]


def all_reminder_occurrences(cohort: Cohort, now: datetime,
                             overrides: Mapping[int, SessionOverride]) -> list[Occurrence]:
    """`overrides`: the cohort's per-week changes by week (`bot.sessions.schedule.overrides_of`)."""
    # The next week is included: its 24 h reminder may fall before it opens (a session on opening day).
    weeks = {week.number: week for week in weeks_around(cohort, now).weeks()}
    for number, row in sorted(overrides.items()):  # a session moved far from its week's days
        if row.starts_at is not None and abs(row.starts_at - now) <= MOVED_FAR and 1 <= number <= cohort.weeks:
            weeks.setdefault(number, week_of(cohort, number))
    return [o for week in weeks.values()
            for o in reminder_occurrences(cohort, week, apply_override(cohort, week.number, week.session,
                                                                       overrides.get(week.number)))
            if o.due_at <= now]


def occurrence_for_week(cohort: Cohort, number: int) -> Occurrence:
    """Week `number`'s announcement occurrence (for an organizer's skip)."""
    return week_open_occurrence(cohort, week_of(cohort, number))


def next_posts(cohort: Cohort, now: datetime, count: int = UPCOMING,
               overrides: Mapping[int, SessionOverride] | None = None) -> list[tuple[datetime, str]]:
    """The next `count` rhythm posts after `now`: week openings and session reminders (of each session as
    it stands, given the cohort's `overrides`), soonest first."""
    found: list[tuple[datetime, str]] = []
    for number in range(1, cohort.weeks + 1):
        week = week_of(cohort, number)
        live = apply_override(cohort, number, week.session, (overrides or {}).get(number))
        found.append((week.opens_at, f"week {number} opens"))
        found += [(at, f"week {number} reminder ({label})")
                  for label, at in reminders_before(live.starts_at if live and not live.cancelled else None)]
        if week.opens_at > now and len([f for f in found if f[0] > now]) >= count:
            break
    return sorted(f for f in found if f[0] > now)[:count]

"""When each week's share digest is due and which posts it covers
(a post's week: `bot.calendar.weeks.last_opened_week`).

Pure time maths over a cohort's :class:`~bot.calendar.weeks.Rhythm`; nothing here reads
the clock or the database.

* A post belongs to the week open when it was posted. A post made during a
  break belongs to the week before the break (it is still "that week's work");
  before week 1 opens or after the last week closes it belongs to no week.
* Week k's digest is due ``hours_before`` hours before week k+1 opens (for
  the last week: before it closes), never before week k itself opens.
* A digest lists the posts made since the previous digest was due, up to its
  own due time. That is week k's posts, except that the posts of the last
  hours of a week (made after its digest went out) appear in the next digest,
  so every post is celebrated exactly once. Posts made before week 1 opens
  appear in week 1's digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.calendar.weeks import Rhythm, week_closes_at, week_opens_at

# A digest not posted by this long after the next week opened is skipped, not posted late.
STALE_AFTER_NEXT_WEEK_OPENS = timedelta(hours=6)


@dataclass(frozen=True)
class DigestWindow:
    """Posts with ``start <= posted_at < end`` are in week ``week``'s digest; ``start`` None is unbounded."""

    week: int
    start: datetime | None
    end: datetime


def _week_end(rhythm: Rhythm, week: int) -> datetime:
    """Where a week's digest counts back from: the next week's open, or the last week's close."""
    return week_opens_at(rhythm, week + 1) if week < rhythm.weeks else week_closes_at(rhythm, week)


def digest_due_at(rhythm: Rhythm, week: int, hours_before: int) -> datetime:
    """When week ``week``'s digest is posted."""
    due = _week_end(rhythm, week) - timedelta(hours=max(0, hours_before))
    return max(due, week_opens_at(rhythm, week))


def digest_stale_at(rhythm: Rhythm, week: int) -> datetime:
    """After this, week ``week``'s digest is no longer news and is skipped."""
    return _week_end(rhythm, week) + STALE_AFTER_NEXT_WEEK_OPENS


def digest_window(rhythm: Rhythm, week: int, hours_before: int) -> DigestWindow:
    """The posting times week ``week``'s digest covers (see the module docstring)."""
    if not 1 <= week <= rhythm.weeks:
        raise ValueError(f"week must be between 1 and {rhythm.weeks}, got {week}")
    start = digest_due_at(rhythm, week - 1, hours_before) if week > 1 else None
    return DigestWindow(week, start, digest_due_at(rhythm, week, hours_before))


def latest_due_week(rhythm: Rhythm, hours_before: int, now: datetime) -> int | None:
    """The last week whose digest is due at or before ``now``, or None before the first."""
    latest = None
    for week in range(1, rhythm.weeks + 1):
        if digest_due_at(rhythm, week, hours_before) > now:
            break
        latest = week
    return latest

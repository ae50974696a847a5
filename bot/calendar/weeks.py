"""The weekly rhythm of a cohort: when each week opens and closes, when the live
session and its reminders happen, and when questions are dripped out.

Everything here is computed from the cohort's *local wall clock*: members meet
"Tuesdays at 18:00 in New York" all year, so across a daylight-saving change the
UTC instant moves and the local time stays put. Instants in and out are aware
datetimes; results are always in UTC. Nothing here reads the clock.

Local times that don't exist or exist twice are resolved one fixed way:

* nonexistent (spring-forward gap): moved forward by the gap, so 02:30 on a
  night that jumps 02:00 → 03:00 becomes 03:30 — nothing happens *earlier* than
  the organizer asked;
* ambiguous (fall-back overlap): the first occurrence (``fold=0``).
"""
from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.calendar.timeparse import WeeklyTime

WEEK = timedelta(days=7)
DAY = timedelta(days=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Rhythm:
    """When a cohort's weeks happen.

    ``breaks`` holds week numbers k meaning "pause for one week before week k":
    week k and every later week open one week later for each break ≤ their
    number. A break before week 1 is refused (move ``start_local`` instead).
    Being a set, it pauses at most one week before any given week.
    """

    timezone: str
    start_local: datetime  # naive: the local wall-clock time week 1 opens
    weeks: int = 20
    breaks: frozenset[int] = frozenset()
    session: WeeklyTime | None = None

    def __post_init__(self) -> None:
        zone_for(self.timezone)
        if self.start_local.tzinfo is not None:
            raise ValueError("start_local must be a naive local wall-clock time, not an aware datetime")
        if self.weeks < 1:
            raise ValueError(f"a cohort needs at least one week, got {self.weeks}")
        breaks = frozenset(self.breaks)
        object.__setattr__(self, "breaks", breaks)  # accept any iterable, keep the value hashable
        misplaced = sorted(week for week in breaks if not 2 <= week <= self.weeks)
        if misplaced:
            raise ValueError(
                f"break weeks must be between 2 and {self.weeks} (a break pauses before that week), got {misplaced}"
            )


def zone_for(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` for an IANA name, with a ``ValueError`` rather than a lookup error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'Unknown time zone "{name}".') from None


def resolve_local(wall: datetime, timezone: str) -> datetime:
    """The UTC instant of a naive local wall-clock time, by the module's gap/overlap rule.

    With ``fold=0`` zoneinfo reads a gap time with the offset from *before* the
    jump, which lands the same distance past the jump (02:30 → 03:30), and reads
    an overlap time as its first occurrence — exactly the rule we document.
    """
    return wall.replace(tzinfo=zone_for(timezone), fold=0).astimezone(UTC)


def _week_offset(rhythm: Rhythm, week: int) -> int:
    """Calendar weeks between the start and week ``week``'s open, breaks included."""
    return (week - 1) + sum(1 for pause in rhythm.breaks if pause <= week)


def _local_open(rhythm: Rhythm, week: int) -> datetime:
    """Week ``week``'s open as a naive local wall-clock time (possibly in a DST gap)."""
    _check_week(rhythm, week)
    return rhythm.start_local + WEEK * _week_offset(rhythm, week)


def _check_week(rhythm: Rhythm, week: int) -> None:
    if not 1 <= week <= rhythm.weeks:
        raise ValueError(f"week must be between 1 and {rhythm.weeks}, got {week}")


def _require_aware(instant: datetime, name: str) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (UTC), got naive {instant.isoformat()}")


def week_opens_at(rhythm: Rhythm, week: int) -> datetime:
    """When week ``week`` opens, in UTC: the start's local time, shifted by whole local weeks."""
    return resolve_local(_local_open(rhythm, week), rhythm.timezone)


def week_closes_at(rhythm: Rhythm, week: int) -> datetime:
    """When week ``week`` ends: seven local days after it opens.

    This is the next week's open unless a break follows; a break does not
    lengthen the week before it, it leaves a gap in which no week is open.
    """
    return resolve_local(_local_open(rhythm, week) + WEEK, rhythm.timezone)


def current_week(rhythm: Rhythm, now: datetime) -> int | None:
    """The week open at ``now`` (open ≤ now < close), or None before, after, or in a break.

    Exactly at a week's close the next week (if any, and if no break) is current.
    """
    _require_aware(now, "now")
    weeks = range(1, rhythm.weeks + 1)
    opened = bisect_right(weeks, now, key=lambda week: week_opens_at(rhythm, week))
    if opened == 0:
        return None
    return opened if now < week_closes_at(rhythm, opened) else None


def session_at(rhythm: Rhythm, week: int) -> datetime | None:
    """The live session of week ``week`` in UTC, or None if the cohort has no session.

    It is the first local occurrence of the session's weekday and time at or
    after the week's local open, which always falls within that week. If the
    week opens inside a DST gap (and so was moved forward), a session set
    within that hour is moved to the open instead of preceding it. Conversely a
    session set inside a gap in the final hour of the week can land just after
    the week closes; organizers don't schedule sessions at 02:00, so we accept it.
    """
    if rhythm.session is None:
        return None
    local_open = _local_open(rhythm, week)
    days_ahead = (rhythm.session.weekday - local_open.weekday()) % 7
    session_time = time(rhythm.session.hour, rhythm.session.minute)
    local_session = datetime.combine(local_open.date() + timedelta(days=days_ahead), session_time)
    if local_session < local_open:
        local_session += WEEK
    return max(resolve_local(local_session, rhythm.timezone), week_opens_at(rhythm, week))


REMINDER_HOURS = {"24h": 24, "1h": 1}  # a session's reminders: this many real hours before it


def reminders_before(session: datetime | None) -> list[tuple[str, datetime]]:
    """A session's reminders: ("24h", …) and ("1h", …), empty without a session.

    The offsets are absolute hours, not local-day arithmetic: across a DST change
    the "24h" reminder is still 24 real hours ahead, so its local clock time
    differs by an hour from the session's. It may fall before the week opens
    (a session on opening day); callers decide whether to send it then.
    """
    if session is None:
        return []
    return [(label, session - timedelta(hours=hours)) for label, hours in REMINDER_HOURS.items()]


def last_opened_week(rhythm: Rhythm, at: datetime) -> int | None:
    """The last week opened at or before ``at`` (a break counts with the week before it); None before week 1
    opens or once the last week has closed. Unlike `current_week`, a break is not "no week"."""
    if at < week_opens_at(rhythm, 1) or at >= week_closes_at(rhythm, rhythm.weeks):
        return None
    low, high = 1, rhythm.weeks
    while low < high:
        middle = (low + high + 1) // 2
        if week_opens_at(rhythm, middle) <= at:
            low = middle
        else:
            high = middle - 1
    return low


def utc_week_monday(at: datetime) -> date:
    """Monday of the UTC calendar week holding ``at`` (not a cohort's week): the same for every group."""
    day = at.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


def drip_schedule(
    opens_at: datetime,
    closes_at: datetime,
    question_count: int,
    per_day: int | None,
    timezone: str,
) -> list[datetime]:
    """When to post each question (index 0..n−1) of a chapter, in UTC, non-decreasing.

    ``per_day=None`` posts everything when the week opens. Otherwise questions go
    out in daily batches of ``per_day``, the first at ``opens_at`` and then at the
    same *local* time on each following day (so members see them at a familiar
    hour even across DST), only at times before ``closes_at``. If ``per_day``
    batches cannot fit in the days available, the per-day count is raised to
    ceil(count / days available) so that every question is out by the last day.
    """
    _require_aware(opens_at, "opens_at")
    _require_aware(closes_at, "closes_at")
    if closes_at <= opens_at:
        raise ValueError("closes_at must be after opens_at")
    if question_count < 0:
        raise ValueError(f"question_count must not be negative, got {question_count}")
    if per_day is not None and per_day < 1:
        raise ValueError(f"per_day must be at least 1 (or None for all at once), got {per_day}")
    opens = opens_at.astimezone(UTC)
    if question_count == 0:
        return []
    if per_day is None:
        return [opens] * question_count
    batches = _daily_batches(opens, closes_at, math.ceil(question_count / per_day), timezone)
    per_batch = max(per_day, math.ceil(question_count / len(batches)))
    return [batches[index // per_batch] for index in range(question_count)]


def _daily_batches(opens: datetime, closes_at: datetime, wanted: int, timezone: str) -> list[datetime]:
    """Up to ``wanted`` batch times: ``opens``, then the same local time each day, before ``closes_at``."""
    local_open = opens.astimezone(zone_for(timezone)).replace(tzinfo=None)
    batches = [opens]
    for day in range(1, wanted):
        batch = resolve_local(local_open + DAY * day, timezone)
        if batch >= closes_at:
            break
        batches.append(batch)
    return batches

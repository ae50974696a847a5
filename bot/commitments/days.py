"""The days a member may commit to, in their own zone, and what a typed day means. Pure functions.

A commitment to a day is due at `DEADLINE_HOUR` local on that day (a fixed local hour: the "did you make
it?" DM arrives in the evening, not at midnight). The days offered are the week's remaining ones: those
whose deadline is still ahead and not after the week closes.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

from bot.calendar.weeks import resolve_local
from bot.calendar.zones import zone_from_name
from bot.cohorts.weeks import Week
from bot.commitments.views import day_label
from bot.errors import StudyError

DEADLINE_HOUR = 20
_NAMES = {name: index for index, names in enumerate((
    ("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "weds", "wednesday"), ("thu", "thur", "thurs", "thursday"),
    ("fri", "friday"), ("sat", "saturday"), ("sun", "sunday"))) for name in names}


def local_day(instant: datetime, zone_name: str) -> date:
    """The member's calendar day at `instant`."""
    offset = zone_from_name(zone_name).offset_minutes(instant)
    return (instant.astimezone(UTC) + timedelta(minutes=offset)).date()


def deadline(day: date, zone_name: str) -> datetime:
    """`DEADLINE_HOUR` on `day` in the member's zone, as UTC."""
    wall = datetime.combine(day, time(DEADLINE_HOUR))
    zone = zone_from_name(zone_name)
    try:
        return resolve_local(wall, zone.name)
    except ValueError:  # a fixed offset such as UTC+05:30
        minutes = zone.offset_minutes(datetime(2000, 1, 1, tzinfo=UTC))
        return wall.replace(tzinfo=timezone(timedelta(minutes=minutes))).astimezone(UTC)


def open_days(week: Week, zone_name: str, now: datetime) -> list[date]:
    """The local days of `week` whose deadline is after `now` and not after the week closes."""
    first = local_day(max(now, week.opens_at), zone_name)
    days = (first + timedelta(days=offset) for offset in range(9))
    return [day for day in days if now < deadline(day, zone_name) <= week.closes_at]


def read_day(text: str, days: list[date], today: date, command: str) -> date:
    """The day a member typed ("thu", "Thursday", "today", "tomorrow", "2026-03-12") among `days`;
    a StudyError with one friendly sentence otherwise."""
    word = text.strip().lower().rstrip(".")
    wanted: date | None = None
    if word in ("today", "tonight"):
        wanted = today
    elif word == "tomorrow":
        wanted = today + timedelta(days=1)
    elif word in _NAMES:
        matching = [day for day in days if day.weekday() == _NAMES[word]]
        if matching:
            return matching[0]
        raise StudyError(f"{word.capitalize()} isn't one of this week's remaining days ({_listed(days)})."
                         " Nothing was changed.")
    else:
        try:
            wanted = date.fromisoformat(word)
        except ValueError:
            raise StudyError(f"I didn't understand “{text.strip()[:40]}” as a day. Usage: `{command} commit thu`"
                             f" — one of {_listed(days)}. Nothing was changed.") from None
    if wanted in days:
        return wanted
    if wanted < (days[0] if days else today) or wanted <= today:
        raise StudyError(f"That day has already passed (it's too late for a deadline at {DEADLINE_HOUR}:00)."
                         f" Pick one of {_listed(days)}. Nothing was changed.")
    raise StudyError(f"That's outside this week — pick one of {_listed(days)}. Nothing was changed.")


def _listed(days: list[date]) -> str:
    return ", ".join(day_label(day) for day in days) or "none left"

"""Validation of the dates and times organizers type, in the CLI and in Slack (zones: `bot.calendar.zones`).

Every parser returns a clean value or raises `StudyError` whose message says
what was expected, because the message is shown verbatim to a person who has to
fix their input without reading the code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.errors import StudyError

LOCAL_DATETIME_EXPECTED = 'Expected a local date and time like "2026-03-03 18:00".'
WEEKLY_TIME_EXPECTED = 'Expected a weekday and a time like "tue 18:00".'
ISO_INSTANT_EXPECTED = 'Expected an ISO-8601 instant like "2026-03-03T18:00:00Z" (no offset means UTC).'

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# --- local date and time ----------------------------------------------------

_LOCAL_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})")


def parse_local_datetime(text: str) -> datetime:
    """Parse "YYYY-MM-DD HH:MM" (or with a "T") into a naive local wall-clock datetime."""
    match = _LOCAL_DATETIME.fullmatch(text.strip())
    if match is None:
        raise StudyError(LOCAL_DATETIME_EXPECTED)
    try:
        year, month, day, hour, minute = (int(part) for part in match.groups())
        return datetime(year, month, day, hour, minute)
    except ValueError:
        raise StudyError(f'"{text.strip()}" is not a real date and time. {LOCAL_DATETIME_EXPECTED}') from None


# --- weekly time --------------------------------------------------------------


@dataclass(frozen=True)
class WeeklyTime:
    """A local weekday and time that repeats every week (e.g. the live session)."""

    weekday: int  # 0 = Monday, as datetime.weekday()
    hour: int
    minute: int

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {self.weekday}")
        if not 0 <= self.hour <= 23:
            raise ValueError(f"hour must be 0 to 23, got {self.hour}")
        if not 0 <= self.minute <= 59:
            raise ValueError(f"minute must be 0 to 59, got {self.minute}")

    def __str__(self) -> str:
        return f"{WEEKDAY_ABBREVIATIONS[self.weekday]} {self.hour:02d}:{self.minute:02d}"


_WEEKLY_TIME = re.compile(r"(?P<day>[a-z]+)\.?,?\s*(?:\bat\s+)?(?P<time>\d.*)")
_TIME_24H = re.compile(r"(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2})|h)")
_TIME_12H = re.compile(r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>[ap])\.?m\.?")


def parse_weekly_time(text: str) -> WeeklyTime:
    """Parse "tue 18:00", "Tuesday 18:00", "TUE 6pm", "tue 6:30 pm", "tue 18h30", "tue at 18h".

    A bare hour ("tue 18") is rejected: it is ambiguous between 24-hour and 12-hour habits.
    """
    match = _WEEKLY_TIME.fullmatch(text.strip().lower())
    if match is None:
        raise StudyError(WEEKLY_TIME_EXPECTED)
    weekday = _parse_weekday(match["day"])
    hour_minute = _parse_time_of_day(match["time"].strip())
    if weekday is None or hour_minute is None:
        raise StudyError(WEEKLY_TIME_EXPECTED)
    return WeeklyTime(weekday, *hour_minute)


def _parse_weekday(word: str) -> int | None:
    """Full names, plurals ("tuesdays") and any prefix of three letters or more ("tue", "thurs")."""
    if word == "weds":
        return 2
    for index, name in enumerate(WEEKDAY_NAMES):
        if word == name + "s" or (len(word) >= 3 and name.startswith(word)):
            return index
    return None


def _parse_time_of_day(text: str) -> tuple[int, int] | None:
    if (match := _TIME_24H.fullmatch(text)) is not None:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        return (hour, minute) if hour <= 23 and minute <= 59 else None
    if (match := _TIME_12H.fullmatch(text)) is not None:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        return (hour % 12 + (12 if match["half"] == "p" else 0), minute)
    return None


# --- instants -----------------------------------------------------------------


def parse_iso_instant(text: str) -> datetime:
    """Parse an ISO-8601 instant (for ``studybot tick --now``) into an aware UTC datetime.

    A value without an offset is read as UTC rather than the server's zone, so the
    same command means the same instant on every machine.
    """
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise StudyError(ISO_INSTANT_EXPECTED) from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)

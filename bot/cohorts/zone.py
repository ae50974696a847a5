"""A cohort's time zone from what an organizer types: the same reader as `/study join` (`bot.calendar.zones`)."""
from __future__ import annotations

from zoneinfo import available_timezones

from bot.calendar.zones import zone_for_organizer
from bot.errors import StudyError


def cohort_timezone(text: str) -> str:
    """The IANA name for `text` (a city, country, state, abbreviation or zone name); StudyError when it is
    unknown, ambiguous (the line lists the choices), or a fixed offset.

    A cohort's weeks open at a local wall-clock time, so its zone must carry the
    place's daylight-saving rules: "UTC+5" is refused with a request for a city.
    """
    zone = zone_for_organizer(text)
    if zone.name not in available_timezones():
        raise StudyError(f'"{text.strip()[:40]}" is a fixed offset ({zone.name}), which never follows daylight saving;'
                         " a cohort's weeks open at local time, so give a city or an Area/City name such as"
                         " Asia/Kolkata or America/New_York.")
    return zone.name

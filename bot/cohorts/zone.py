"""A cohort's time zone from what an organizer types: the same parser as `/study join`.

SEAM (issue 10, "one parser for the whole product"): `bot.groups.zones.parse_zone`
is being rewritten to accept cities, countries and abbreviations; this module only
maps its three outcomes (a zone, a choice, an error) onto what a cohort needs. When
that parser moves to a shared module, only the import below changes.
"""
from __future__ import annotations

from zoneinfo import available_timezones

from bot.errors import StudyError
from bot.groups.zones import AmbiguousZone, ZoneError, parse_zone


def cohort_timezone(text: str) -> str:
    """The IANA name for `text`; StudyError when it is unknown, ambiguous, or a fixed offset.

    A cohort's weeks open at a local wall-clock time, so its zone must carry the
    place's daylight-saving rules: "UTC+5" is refused with a request for a city.
    """
    parsed = parse_zone(text)
    if isinstance(parsed, ZoneError):
        raise StudyError(parsed.message)
    if isinstance(parsed, AmbiguousZone):
        names = " or ".join(f"--timezone {choice.name}" for choice in parsed.choices)
        raise StudyError(f"{parsed.message} Give one of: {names}.")
    if parsed.name not in available_timezones():
        raise StudyError(f'"{text.strip()}" is a fixed offset ({parsed.name}), which never follows daylight saving;'
                         " a cohort's weeks open at local time, so give a city or an Area/City name such as"
                         " Asia/Kolkata or America/New_York.")
    return parsed.name

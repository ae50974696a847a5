"""Everyday ways of naming a time zone that `bot.calendar.places` can't index as they are typed.

Slack's time-zone picker writes "(GMT-08:00) Pacific Time (US & Canada)"; people add "time" or
"time zone" to a place ("Sydney time"), write "Islands" as "Is.", or name a region no gazetteer
holds ("east coast", "Delhi NCR"). `everyday_name` reads the small table below; `rewritings` gives
what else the text may be read as, each shorter than the text; babel's own names of zones
("Pacific Time", "India Standard Time") are in the places index already.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from bot.calendar.places import key

# Names no package gives, each → a name the places index knows.
EVERYDAY_NAMES = {
    "East Coast": "Eastern Time", "US East Coast": "Eastern Time", "East Coast US": "Eastern Time",
    "West Coast": "Pacific Time", "US West Coast": "Pacific Time", "West Coast US": "Pacific Time",
    "Mountain Time (US & Canada)": "Denver", "Atlantic Time (Canada)": "Halifax",  # the picker's words for these
    "Indiana (East)": "Indianapolis", "Central America": "Guatemala City",
    "Hawaii-Aleutian Standard Time": "Hawaii",  # Slack's label for Honolulu; CLDR's name for Adak (300 people)
    "Indian Standard Time": "India Standard Time", "Indian time": "India Standard Time",
    "Bay Area": "San Francisco", "SF Bay Area": "San Francisco", "Silicon Valley": "San Jose, California",
    "Delhi NCR": "New Delhi", "Chatham Islands": "Pacific/Chatham", "Midway Island": "Pacific/Midway",
    "International Date Line West": "UTC-12", "West Central Africa": "West Africa Standard Time",
}
_PICKER_OFFSET = re.compile(r"\(\s*(?:gmt|utc)\s*[+\-\u2212]?\s*\d{1,2}(?::?\d{2})?\s*\)\s*", re.IGNORECASE)
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)$")  # "Pacific Time (US & Canada)", "Indiana (East)"
_TIME_SUFFIX = re.compile(r"\s+(?:(?:standard|daylight|summer)\s+)?time(?:\s*zone)?$", re.IGNORECASE)
_ISLANDS = re.compile(r"\bIs\.?$", re.IGNORECASE)


def everyday_name(text: str) -> str | None:
    """What the table above says `text` means, before any other reading."""
    return _everyday().get(_name_key(text))


def rewritings(text: str) -> Iterator[str]:
    """What else `text` may be read as, most likely first ("Cape Verde Is.": Cape Verde Islands, Cape Verde)."""
    for pattern, replacement in ((_PICKER_OFFSET, ""), (_TRAILING_NOTE, ""), (_TIME_SUFFIX, ""),
                                 (_ISLANDS, "Islands"), (_ISLANDS, "")):
        changed = pattern.sub(replacement, text, count=1).strip()
        if changed and changed != text:
            yield changed


def _name_key(text: str) -> str:
    return key(text.replace("&", "and"))


@cache
def _everyday() -> dict[str, str]:
    return {_name_key(name): meant for name, meant in EVERYDAY_NAMES.items()}

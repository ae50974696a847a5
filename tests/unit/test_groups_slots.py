from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.zones import Zone
from bot.groups.slots import meeting_slots

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
US_DST_WEEK = datetime(2026, 3, 5, tzinfo=UTC)  # US clocks go forward on Sunday 8 March 2026
HOUR = timedelta(hours=1)


def local(zone: Zone, instant: datetime) -> datetime:
    """Independent of the code under test: zoneinfo, or a plain shift for fixed offsets."""
    if zone.name.startswith("UTC"):
        sign = -1 if zone.name[3:4] == "-" else 1
        hours, minutes = (int(part) for part in zone.name[4:].split(":")) if len(zone.name) > 3 else (0, 0)
        return (instant + sign * timedelta(hours=hours, minutes=minutes)).replace(tzinfo=None)
    return instant.astimezone(ZoneInfo(zone.name)).replace(tzinfo=None)


def fits(zone: Zone, start: datetime, earliest: int = 7, latest: int = 22) -> bool:
    begins, ends = local(zone, start), local(zone, start + HOUR)
    day = begins.replace(hour=0, minute=0)
    return day + timedelta(hours=earliest) <= begins and ends <= day + timedelta(hours=latest)


def zones(*names: str) -> list[Zone]:
    return [Zone(name) for name in names]


def test_slots_fit_everyone_and_fall_on_different_days() -> None:
    group = zones("Asia/Kolkata", "Asia/Kathmandu", "Europe/London", "Africa/Lagos")
    suggestion = meeting_slots(group, MONDAY)
    assert suggestion.all_fit
    assert len(suggestion.slots) == 3
    assert suggestion.slots == sorted(suggestion.slots)
    assert len({local(Zone("Asia/Kolkata"), s).date() for s in suggestion.slots}) == 3
    for start in suggestion.slots:
        assert MONDAY <= start < MONDAY + timedelta(days=7)
        assert start.minute in (0, 30) and start.tzinfo is not None
        assert all(fits(zone, start) for zone in group)


def test_a_single_zone_gets_its_local_evening() -> None:
    suggestion = meeting_slots(zones("Asia/Kolkata"), MONDAY)
    assert all(18 <= local(Zone("Asia/Kolkata"), s).hour < 21 for s in suggestion.slots)


def test_evening_for_as_many_members_as_possible() -> None:
    # Three in New York and one in London: nobody can share an evening, so London's evening is
    # used and New York gets the afternoon nearest to its own evening.
    suggestion = meeting_slots(zones(*["America/New_York"] * 3, "Europe/London"), MONDAY)
    london = Zone("Europe/London")
    assert all(18 <= local(london, s).hour and local(london, s + HOUR).hour <= 21 for s in suggestion.slots)
    assert all(local(Zone("America/New_York"), s).hour >= 15 for s in suggestion.slots)


def test_daylight_saving_is_honoured_in_the_week_it_changes() -> None:
    group = zones("America/Los_Angeles", "Europe/London")
    suggestion = meeting_slots(group, US_DST_WEEK, count=7)
    assert suggestion.all_fit
    for start in suggestion.slots:
        assert all(fits(zone, start) for zone in group)
    la_offsets = {Zone("America/Los_Angeles").offset_minutes(s) for s in suggestion.slots}
    assert la_offsets == {-480, -420}  # slots on both sides of the change


def test_weekend_preference_is_honoured() -> None:
    suggestion = meeting_slots(zones("Asia/Tokyo", "Asia/Seoul"), MONDAY, prefers=frozenset({"weekends"}))
    assert suggestion.all_fit
    assert all(local(Zone("Asia/Tokyo"), s).weekday() >= 5 for s in suggestion.slots)


def test_weekday_preference_is_honoured() -> None:
    suggestion = meeting_slots(zones("Europe/Berlin"), MONDAY, count=5, prefers=frozenset({"weekdays"}))
    assert all(local(Zone("Europe/Berlin"), s).weekday() < 5 for s in suggestion.slots)


def test_morning_preference() -> None:
    suggestion = meeting_slots(zones("Europe/Berlin"), MONDAY, prefers=frozenset({"mornings"}))
    assert all(7 <= local(Zone("Europe/Berlin"), s).hour < 12 for s in suggestion.slots)


def worst_minutes_outside(group: list[Zone], start: datetime) -> int:
    """Brute force: how far the worst-off member's start must move (round the clock) to fit 07:00-21:00 starts."""
    worst = 0
    for zone in group:
        begins = local(zone, start)
        minute = begins.hour * 60 + begins.minute
        if not fits(zone, start):
            worst = max(worst, min((420 - minute) % 1440, (minute - 1260) % 1440))
    return worst


def test_when_nothing_fits_the_least_bad_slots_come_back() -> None:
    group = zones("America/Los_Angeles", "Europe/London", "Asia/Singapore")  # eight hours apart each
    week = datetime(2026, 1, 12, tzinfo=UTC)
    suggestion = meeting_slots(group, week)
    assert not suggestion.all_fit
    assert "No hour" in suggestion.note
    starts = [week + timedelta(minutes=30 * k) for k in range(7 * 48)]
    best = min(worst_minutes_outside(group, s) for s in starts)
    assert best > 0
    assert [worst_minutes_outside(group, s) for s in suggestion.slots] == [best] * len(suggestion.slots)
    assert f"{best} minutes" in suggestion.note


def test_least_bad_beats_spreading_over_days() -> None:
    # After the US change on 8 March, Los Angeles is an hour closer to the others: that day's
    # slot is the least bad of the week and must come back even though it is on a single day.
    group = zones("America/Los_Angeles", "Europe/London", "Asia/Singapore")
    suggestion = meeting_slots(group, MONDAY)
    starts = [MONDAY + timedelta(minutes=30 * k) for k in range(7 * 48)]
    best = min(worst_minutes_outside(group, s) for s in starts)
    assert min(worst_minutes_outside(group, s) for s in suggestion.slots) == best
    assert worst_minutes_outside(group, suggestion.slots[-1]) == best


@settings(max_examples=25, derandomize=True, deadline=None)
@given(
    names=st.lists(
        st.sampled_from(
            [
                "America/Sao_Paulo", "America/St_Johns", "Europe/Lisbon", "Africa/Nairobi", "Asia/Kolkata",
                "Asia/Kathmandu", "Australia/Adelaide", "Pacific/Chatham", "Pacific/Tongatapu", "Pacific/Honolulu",
                "UTC+05:30", "UTC-03:00",
            ]
        ),
        min_size=1,
        max_size=5,
    ),
    day=st.integers(0, 364),
)
def test_all_fit_means_every_slot_fits_and_is_never_a_false_negative(names: list[str], day: int) -> None:
    group = zones(*names)
    week = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=day)
    suggestion = meeting_slots(group, week)
    anything_fits = any(all(fits(z, week + timedelta(minutes=30 * k)) for z in group) for k in range(7 * 48))
    assert suggestion.all_fit == anything_fits
    assert 1 <= len(suggestion.slots) <= 3
    if suggestion.all_fit:
        assert all(fits(zone, s) for s in suggestion.slots for zone in group)


def test_unaligned_week_start_moves_to_the_next_half_hour() -> None:
    start = datetime(2026, 3, 2, 10, 17, tzinfo=UTC)
    suggestion = meeting_slots(zones("UTC"), start, count=20)
    assert all(s >= start and s.minute in (0, 30) for s in suggestion.slots)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        meeting_slots([], MONDAY)
    with pytest.raises(ValueError):
        meeting_slots(zones("UTC"), datetime(2026, 3, 2))
    with pytest.raises(ValueError):
        meeting_slots(zones("UTC"), MONDAY, earliest=22, latest=7)

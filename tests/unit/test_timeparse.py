"""Parsing of organizer input: clean values, or errors that say what was expected."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.timeparse import (
    WeeklyTime,
    parse_iso_instant,
    parse_local_datetime,
    parse_weekly_time,
)

# --- local date and time ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["2026-03-03 18:00", "2026-03-03T18:00", " 2026-03-03 18:00 "])
def test_local_datetime_accepts_both_separators(text: str) -> None:
    parsed = parse_local_datetime(text)
    assert parsed == datetime(2026, 3, 3, 18, 0)
    assert parsed.tzinfo is None


@pytest.mark.parametrize(
    "text", ["2026-03-03", "2026-3-3 18:00", "2026-03-03 6pm", "2026-03-03 18:00:00", "2026-03-03 18:00Z", "tomorrow"]
)
def test_local_datetime_rejects_other_shapes(text: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_local_datetime(text)
    assert str(error.value) == 'Expected a local date and time like "2026-03-03 18:00".'


@pytest.mark.parametrize("text", ["2026-02-30 18:00", "2026-03-03 24:00", "2026-13-01 10:00", "2026-03-03 18:60"])
def test_local_datetime_rejects_impossible_dates_and_says_why(text: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_local_datetime(text)
    assert str(error.value) == (
        f'"{text}" is not a real date and time. Expected a local date and time like "2026-03-03 18:00".'
    )


# --- weekly time ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tue 18:00", WeeklyTime(1, 18, 0)),
        ("Tuesday 18:00", WeeklyTime(1, 18, 0)),
        ("TUE 6pm", WeeklyTime(1, 18, 0)),
        ("tue 6 PM", WeeklyTime(1, 18, 0)),
        ("tues 6:30pm", WeeklyTime(1, 18, 30)),
        ("tue 18h30", WeeklyTime(1, 18, 30)),
        ("tue 18h", WeeklyTime(1, 18, 0)),
        ("Tuesdays at 18:00", WeeklyTime(1, 18, 0)),
        ("thurs 9:05", WeeklyTime(3, 9, 5)),
        ("weds 07:00", WeeklyTime(2, 7, 0)),
        ("Sun, 12am", WeeklyTime(6, 0, 0)),
        ("sat 12pm", WeeklyTime(5, 12, 0)),
        ("mon 0:00", WeeklyTime(0, 0, 0)),
        ("fri 23:59", WeeklyTime(4, 23, 59)),
        ("Fri. 11.15 a.m.", WeeklyTime(4, 11, 15)),
    ],
)
def test_weekly_time_forms(text: str, expected: WeeklyTime) -> None:
    assert parse_weekly_time(text) == expected


@pytest.mark.parametrize(
    "text",
    ["tue", "18:00", "tue 18", "tu 18:00", "t 18:00", "tue 24:00", "tue 18:60", "tue 13pm", "tue 0am",
     "funday 18:00", "tue 18:00 utc", ""],
)
def test_weekly_time_rejects_the_rest(text: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_weekly_time(text)
    assert str(error.value) == 'Expected a weekday and a time like "tue 18:00".'


def test_weekly_time_str_and_round_trip() -> None:
    assert str(WeeklyTime(1, 18, 0)) == "Tue 18:00"
    assert str(WeeklyTime(6, 7, 5)) == "Sun 07:05"


@settings(max_examples=100, derandomize=True)
@given(st.builds(WeeklyTime, st.integers(0, 6), st.integers(0, 23), st.integers(0, 59)))
def test_weekly_time_str_parses_back(weekly: WeeklyTime) -> None:
    assert parse_weekly_time(str(weekly)) == weekly


@pytest.mark.parametrize(("weekday", "hour", "minute"), [(7, 0, 0), (-1, 0, 0), (0, 24, 0), (0, 0, 60)])
def test_weekly_time_refuses_out_of_range_fields(weekday: int, hour: int, minute: int) -> None:
    with pytest.raises(ValueError):
        WeeklyTime(weekday, hour, minute)


# --- instants --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-03T18:00:00Z", datetime(2026, 3, 3, 18, tzinfo=UTC)),
        ("2026-03-03T18:00:00+00:00", datetime(2026, 3, 3, 18, tzinfo=UTC)),
        ("2026-03-03T13:00:00-05:00", datetime(2026, 3, 3, 18, tzinfo=UTC)),
        ("2026-03-03 18:00", datetime(2026, 3, 3, 18, tzinfo=UTC)),  # naive → UTC
        ("2026-03-03T18:00:00.250", datetime(2026, 3, 3, 18, 0, 0, 250000, tzinfo=UTC)),
    ],
)
def test_iso_instants_become_aware_utc(text: str, expected: datetime) -> None:
    parsed = parse_iso_instant(text)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)
    assert parsed.tzinfo is UTC


def test_iso_instant_keeps_the_instant_not_the_wall_time() -> None:
    offset = timezone(timedelta(hours=10, minutes=30))
    adelaide_style = datetime(2026, 3, 3, 4, 30, tzinfo=offset).isoformat()
    assert parse_iso_instant(adelaide_style) == datetime(2026, 3, 2, 18, tzinfo=UTC)


@pytest.mark.parametrize("text", ["yesterday", "2026-02-30T10:00", "03/03/2026 18:00", ""])
def test_iso_instant_errors(text: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_iso_instant(text)
    assert str(error.value) == 'Expected an ISO-8601 instant like "2026-03-03T18:00:00Z" (no offset means UTC).'

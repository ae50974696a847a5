"""The questionnaire drip schedule: daily batches at the week's local time, all out before close."""
from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.weeks import drip_schedule

NEW_YORK = "America/New_York"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def batch_sizes(schedule: list[datetime]) -> list[int]:
    counts = Counter(schedule)
    return [counts[t] for t in sorted(counts)]


def test_all_at_open_without_a_per_day_limit() -> None:
    opens, closes = utc(2026, 1, 6, 23), utc(2026, 1, 13, 23)

    assert drip_schedule(opens, closes, 5, None, NEW_YORK) == [opens] * 5


def test_per_day_batches_one_local_day_apart() -> None:
    opens, closes = utc(2026, 1, 6, 23), utc(2026, 1, 13, 23)
    schedule = drip_schedule(opens, closes, 14, 2, NEW_YORK)

    assert batch_sizes(schedule) == [2] * 7
    assert sorted(set(schedule)) == [opens + timedelta(days=d) for d in range(7)]


def test_fewer_questions_than_capacity_end_early() -> None:
    opens, closes = utc(2026, 1, 6, 23), utc(2026, 1, 13, 23)

    assert drip_schedule(opens, closes, 5, 2, NEW_YORK) == [
        opens,
        opens,
        opens + timedelta(days=1),
        opens + timedelta(days=1),
        opens + timedelta(days=2),
    ]


def test_per_day_is_raised_when_the_week_is_too_short() -> None:
    opens, closes = utc(2026, 1, 6, 23), utc(2026, 1, 13, 23)

    # 20 questions at 2/day would need 10 days; 7 are available → 3/day.
    assert batch_sizes(drip_schedule(opens, closes, 20, 2, NEW_YORK)) == [3, 3, 3, 3, 3, 3, 2]


def test_the_close_instant_itself_is_not_a_posting_day() -> None:
    opens, closes = utc(2026, 1, 6, 23), utc(2026, 1, 13, 23)
    schedule = drip_schedule(opens, closes, 8, 1, NEW_YORK)

    assert max(schedule) < closes
    assert batch_sizes(schedule) == [2, 2, 2, 2]


def test_short_window_still_posts_everything() -> None:
    opens = utc(2026, 1, 6, 23)

    assert batch_sizes(drip_schedule(opens, opens + timedelta(days=2), 10, 1, NEW_YORK)) == [5, 5]
    assert drip_schedule(opens, opens + timedelta(minutes=1), 3, 1, NEW_YORK) == [opens] * 3


def test_batches_keep_local_time_across_dst() -> None:
    # Opens Tue 2026-03-03 18:00 EST; DST starts Sunday 2026-03-08.
    opens, closes = utc(2026, 3, 3, 23), utc(2026, 3, 10, 22)
    schedule = drip_schedule(opens, closes, 7, 1, NEW_YORK)

    assert [t.hour for t in schedule] == [23, 23, 23, 23, 23, 22, 22]
    local = [t.astimezone(ZoneInfo(NEW_YORK)) for t in schedule]
    assert {(t.hour, t.minute) for t in local} == {(18, 0)}
    assert schedule[5] - schedule[4] == timedelta(hours=23)


def test_opens_in_another_zone_are_returned_in_utc() -> None:
    opens = datetime(2026, 1, 6, 18, tzinfo=ZoneInfo(NEW_YORK))
    schedule = drip_schedule(opens, opens + timedelta(days=7), 2, 1, NEW_YORK)

    assert schedule == [utc(2026, 1, 6, 23), utc(2026, 1, 7, 23)]
    assert all(t.tzinfo is UTC for t in schedule)


def test_no_questions_no_posts() -> None:
    assert drip_schedule(utc(2026, 1, 6), utc(2026, 1, 13), 0, 3, NEW_YORK) == []


@pytest.mark.parametrize(
    ("opens", "closes", "count", "per_day", "message"),
    [
        (utc(2026, 1, 13), utc(2026, 1, 6), 3, 1, "after"),
        (utc(2026, 1, 6), utc(2026, 1, 6), 3, 1, "after"),
        (utc(2026, 1, 6), utc(2026, 1, 13), -1, 1, "negative"),
        (utc(2026, 1, 6), utc(2026, 1, 13), 3, 0, "at least 1"),
        (datetime(2026, 1, 6), utc(2026, 1, 13), 3, 1, "aware"),
    ],
)
def test_invalid_inputs_are_refused(
    opens: datetime, closes: datetime, count: int, per_day: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        drip_schedule(opens, closes, count, per_day, NEW_YORK)


# --- properties ---------------------------------------------------------------------

ZONES = [NEW_YORK, "Australia/Sydney", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]


def days_available(opens: datetime, closes: datetime, timezone: str) -> int:
    """Brute force: local days on which the open's wall time (or its gap-shifted instant) is before close."""
    zone = ZoneInfo(timezone)
    wall = opens.astimezone(zone).replace(tzinfo=None)
    day = 1
    while (wall + timedelta(days=day)).replace(tzinfo=zone).astimezone(UTC) < closes:
        day += 1
    return day


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    opens=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)),
    length=st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=10)),
    count=st.integers(0, 60),
    per_day=st.none() | st.integers(1, 10),
    timezone=st.sampled_from(ZONES),
)
def test_drip_invariants(
    opens: datetime, length: timedelta, count: int, per_day: int | None, timezone: str
) -> None:
    closes = opens + length
    schedule = drip_schedule(opens, closes, count, per_day, timezone)

    assert len(schedule) == count
    assert schedule == sorted(schedule)
    assert all(opens <= t < closes for t in schedule)
    if count == 0:
        return
    assert schedule[0] == opens
    sizes = batch_sizes(schedule)
    if per_day is None:
        assert sizes == [count]
        return
    available = days_available(opens, closes, timezone)
    if math.ceil(count / per_day) <= available:
        assert max(sizes) <= per_day
        assert sizes[:-1] == [per_day] * (len(sizes) - 1)
    else:
        raised = math.ceil(count / available)
        assert sizes[:-1] == [raised] * (len(sizes) - 1)
        assert len(sizes) <= available
    # Batch j goes out on local day j after the open.
    zone = ZoneInfo(timezone)
    open_date = opens.astimezone(zone).date()
    assert [(t.astimezone(zone).date() - open_date).days for t in sorted(set(schedule))] == list(range(len(sizes)))

"""`bot.cohorts.weeks`: the shared "which week is it" answer, checked against brute force, breaks included."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.timeparse import parse_local_datetime
from bot.cohorts.weeks import current_week_of, next_week_of, week_of, weeks_around
from bot.models import Cohort

ZONES = ["America/New_York", "Australia/Sydney", "Europe/London", "Asia/Kolkata", "Pacific/Chatham"]


def cohort(zone: str, breaks: list[int], weeks: int = 8) -> Cohort:
    return Cohort(id=1, team_id="T1", name="c", channel_id="C1", timezone=zone, weeks=weeks, breaks=breaks,
                  start_local=parse_local_datetime("2026-02-24 19:30"), session="wed 08:00", organizers=[])


@settings(max_examples=150, deadline=None)
@given(zone=st.sampled_from(ZONES), breaks=st.sets(st.integers(2, 8), max_size=3),
       hours=st.integers(-24 * 10, 24 * 7 * 13))
def test_weeks_around_matches_brute_force(zone, breaks, hours):
    c = cohort(zone, sorted(breaks))
    now = datetime(2026, 2, 24, tzinfo=UTC) + timedelta(hours=hours, minutes=7)
    weeks = [week_of(c, n) for n in range(1, c.weeks + 1)]
    current = [w for w in weeks if w.opens_at <= now < w.closes_at]
    upcoming = [w for w in weeks if w.opens_at > now]
    closed = [w for w in weeks if w.closes_at <= now]
    around = weeks_around(c, now)
    assert around.current == (current[0] if current else None) == current_week_of(c, now)
    assert around.next == (upcoming[0] if upcoming else None) == next_week_of(c, now)
    assert around.previous == (closed[-1] if closed else None)
    assert all(w.session is not None and w.opens_at <= w.session < w.closes_at for w in weeks)


def test_a_break_leaves_a_week_with_no_current_week():
    c = cohort("Europe/London", [3])
    week_2, week_3 = week_of(c, 2), week_of(c, 3)
    assert week_3.opens_at - week_2.opens_at == timedelta(weeks=2)
    in_break = week_2.closes_at + timedelta(days=2)
    assert current_week_of(c, in_break) is None and next_week_of(c, in_break) == week_3
    assert weeks_around(c, in_break).previous == week_2

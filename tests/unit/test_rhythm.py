"""Week open/close times, current week, sessions and reminders across DST and breaks."""
from __future__ import annotations

import calendar
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks import slack_date
from bot.calendar.timeparse import WeeklyTime
from bot.calendar.weeks import (
    Rhythm,
    current_week,
    reminders_before,
    session_at,
    week_closes_at,
    week_opens_at,
)

NEW_YORK = "America/New_York"
SYDNEY = "Australia/Sydney"
TINY = timedelta(microseconds=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local_wall(instant: datetime, timezone: str) -> datetime:
    return instant.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def exists(wall: datetime, timezone: str) -> bool:
    """A wall time exists iff it survives a round trip through UTC."""
    zone = ZoneInfo(timezone)
    return wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall


# --- week opens across DST ---------------------------------------------------------


def test_new_york_spring_cohort_keeps_18_local_and_utc_hour_moves_on_march_8() -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 2, 24, 18, 0))  # a Tuesday, EST (UTC−5)
    opens = [week_opens_at(rhythm, week) for week in range(1, 21)]

    assert [local_wall(o, NEW_YORK).time().isoformat() for o in opens] == ["18:00:00"] * 20
    assert [local_wall(o, NEW_YORK).weekday() for o in opens] == [1] * 20
    # Weeks 1–2 (Feb 24, Mar 3) are before 2026-03-08; from week 3 (Mar 10) it is EDT (UTC−4).
    assert opens[0] == utc(2026, 2, 24, 23, 0)
    assert opens[1] == utc(2026, 3, 3, 23, 0)
    assert opens[2] == utc(2026, 3, 10, 22, 0)
    assert [o.hour for o in opens] == [23, 23] + [22] * 18
    assert opens[19] == utc(2026, 7, 7, 22, 0)


def test_new_york_autumn_cohort_utc_hour_moves_back_on_november_1() -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 9, 15, 18, 0))  # EDT
    opens = [week_opens_at(rhythm, week) for week in range(1, 21)]

    assert all(local_wall(o, NEW_YORK) == datetime(2026, 9, 15, 18) + timedelta(weeks=i) for i, o in enumerate(opens))
    # Week 7 opens Oct 27 (EDT); week 8 opens Nov 3, after the 2026-11-01 fall-back (EST).
    assert opens[6] == utc(2026, 10, 27, 22, 0)
    assert opens[7] == utc(2026, 11, 3, 23, 0)
    assert [o.hour for o in opens] == [22] * 7 + [23] * 13
    assert opens[7] - opens[6] == timedelta(days=7, hours=1)


def test_sydney_cohort_across_april_change_southern_hemisphere() -> None:
    rhythm = Rhythm(SYDNEY, datetime(2026, 3, 2, 19, 0))  # AEDT (UTC+11) until 2026-04-05
    opens = [week_opens_at(rhythm, week) for week in range(1, 21)]

    assert opens[0] == utc(2026, 3, 2, 8, 0)
    assert opens[4] == utc(2026, 3, 30, 8, 0)  # Mar 30, still AEDT
    assert opens[5] == utc(2026, 4, 6, 9, 0)  # Apr 6, AEST (UTC+10)
    assert [o.hour for o in opens] == [8] * 5 + [9] * 15
    assert {local_wall(o, SYDNEY).time().isoformat() for o in opens} == {"19:00:00"}


def test_sydney_cohort_across_october_change_southern_hemisphere() -> None:
    rhythm = Rhythm(SYDNEY, datetime(2026, 9, 7, 19, 0), weeks=10)  # AEST until 2026-10-04
    opens = [week_opens_at(rhythm, week) for week in range(1, 11)]

    assert opens[3] == utc(2026, 9, 28, 9, 0)  # Sep 28, AEST
    assert opens[4] == utc(2026, 10, 5, 8, 0)  # Oct 5, AEDT (UTC+11)
    assert [o.hour for o in opens] == [9] * 4 + [8] * 6


def test_start_in_spring_forward_gap_moves_forward_then_returns_to_asked_time() -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 3, 8, 2, 30), weeks=3)  # 02:00 → 03:00 that night

    assert week_opens_at(rhythm, 1) == utc(2026, 3, 8, 7, 30)
    assert local_wall(week_opens_at(rhythm, 1), NEW_YORK) == datetime(2026, 3, 8, 3, 30)
    assert local_wall(week_opens_at(rhythm, 2), NEW_YORK) == datetime(2026, 3, 15, 2, 30)
    assert week_closes_at(rhythm, 1) == week_opens_at(rhythm, 2) == utc(2026, 3, 15, 6, 30)


def test_sydney_gap_start_resolves_forward() -> None:
    rhythm = Rhythm(SYDNEY, datetime(2026, 10, 4, 2, 30), weeks=2)  # 02:00 → 03:00 AEDT

    assert local_wall(week_opens_at(rhythm, 1), SYDNEY) == datetime(2026, 10, 4, 3, 30)
    assert week_opens_at(rhythm, 1) == utc(2026, 10, 3, 16, 30)


def test_ambiguous_fall_back_time_takes_first_occurrence() -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 11, 1, 1, 30), weeks=2)  # 01:30 happens twice

    assert week_opens_at(rhythm, 1) == utc(2026, 11, 1, 5, 30)  # 01:30 EDT, not 01:30 EST (06:30)
    assert week_opens_at(rhythm, 2) == utc(2026, 11, 8, 6, 30)


def test_closes_seven_local_days_after_opening_even_across_dst() -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 3, 3, 18, 0), weeks=1)

    assert week_closes_at(rhythm, 1) == utc(2026, 3, 10, 22, 0)
    assert week_closes_at(rhythm, 1) - week_opens_at(rhythm, 1) == timedelta(days=6, hours=23)


# --- breaks -------------------------------------------------------------------------


def test_break_shifts_that_week_and_all_later_weeks_by_one_week() -> None:
    plain = Rhythm("Europe/London", datetime(2026, 1, 6, 19, 0), weeks=8)
    paused = Rhythm("Europe/London", datetime(2026, 1, 6, 19, 0), weeks=8, breaks=frozenset({4, 7}))

    shifts = [week_opens_at(paused, week) - week_opens_at(plain, week) for week in range(1, 9)]
    assert shifts == [timedelta(0)] * 3 + [timedelta(weeks=1)] * 3 + [timedelta(weeks=2)] * 2


def test_break_leaves_a_gap_and_does_not_lengthen_the_week_before() -> None:
    rhythm = Rhythm("Europe/London", datetime(2026, 1, 6, 19, 0), weeks=6, breaks=frozenset({4}))

    assert week_closes_at(rhythm, 3) == utc(2026, 1, 27, 19, 0)
    assert week_opens_at(rhythm, 4) == utc(2026, 2, 3, 19, 0)
    assert week_closes_at(rhythm, 3) - week_opens_at(rhythm, 3) == timedelta(weeks=1)


def test_breaks_accept_any_iterable_and_stay_hashable() -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 1, 6, 19), weeks=5, breaks={3})  # type: ignore[arg-type]

    assert rhythm.breaks == frozenset({3})
    assert hash(rhythm) == hash(Rhythm(NEW_YORK, datetime(2026, 1, 6, 19), weeks=5, breaks=frozenset({3})))


@pytest.mark.parametrize("breaks", [{1}, {0}, {6}, {-2}])
def test_breaks_outside_two_to_weeks_are_refused(breaks: set[int]) -> None:
    with pytest.raises(ValueError, match="between 2 and 5"):
        Rhythm(NEW_YORK, datetime(2026, 1, 6, 19), weeks=5, breaks=frozenset(breaks))


def test_invalid_rhythms_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        Rhythm("Mars/Olympus_Mons", datetime(2026, 1, 6, 19))
    with pytest.raises(ValueError, match="naive"):
        Rhythm(NEW_YORK, datetime(2026, 1, 6, 19, tzinfo=UTC))
    with pytest.raises(ValueError, match="at least one week"):
        Rhythm(NEW_YORK, datetime(2026, 1, 6, 19), weeks=0)


@pytest.mark.parametrize("week", [0, 21, -1])
def test_week_numbers_outside_the_cohort_are_refused(week: int) -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 1, 6, 19))
    with pytest.raises(ValueError, match="between 1 and 20"):
        week_opens_at(rhythm, week)


# --- current week -------------------------------------------------------------------


def test_current_week_at_the_edges() -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 2, 24, 18, 0), weeks=4)
    first_open = week_opens_at(rhythm, 1)
    last_close = week_closes_at(rhythm, 4)

    assert current_week(rhythm, first_open - TINY) is None
    assert current_week(rhythm, first_open) == 1
    assert current_week(rhythm, week_opens_at(rhythm, 2) - TINY) == 1
    assert current_week(rhythm, week_closes_at(rhythm, 2)) == 3  # exactly at close → next week
    assert current_week(rhythm, week_opens_at(rhythm, 3)) == 3  # across DST: Mar 10 22:00 UTC
    assert current_week(rhythm, utc(2026, 3, 10, 22, 30)) == 3
    assert current_week(rhythm, utc(2026, 3, 10, 21, 59)) == 2  # 17:59 local: still week 2
    assert current_week(rhythm, last_close - TINY) == 4
    assert current_week(rhythm, last_close) is None


def test_current_week_is_none_inside_a_break() -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 2, 24, 18, 0), weeks=4, breaks=frozenset({3}))

    assert current_week(rhythm, week_closes_at(rhythm, 2) - TINY) == 2
    assert current_week(rhythm, week_closes_at(rhythm, 2)) is None
    assert current_week(rhythm, week_opens_at(rhythm, 3) - TINY) is None
    assert current_week(rhythm, week_opens_at(rhythm, 3)) == 3


def test_current_week_accepts_any_aware_zone_and_refuses_naive() -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 2, 24, 18, 0))
    tokyo = ZoneInfo("Asia/Tokyo")

    assert current_week(rhythm, datetime(2026, 2, 25, 8, 0, tzinfo=tokyo)) == 1  # = Feb 24 23:00 UTC
    with pytest.raises(ValueError, match="aware"):
        current_week(rhythm, datetime(2026, 3, 1, 12, 0))


# --- sessions and reminders ---------------------------------------------------------


def test_session_is_first_occurrence_after_open_within_the_week() -> None:
    tuesday_open = datetime(2026, 1, 6, 18, 0)
    cases = {
        WeeklyTime(1, 18, 0): utc(2026, 1, 6, 23, 0),  # same moment as the open
        WeeklyTime(1, 19, 30): utc(2026, 1, 7, 0, 30),  # later the same evening
        WeeklyTime(1, 9, 0): utc(2026, 1, 13, 14, 0),  # earlier on Tuesday → next Tuesday, last day
        WeeklyTime(3, 12, 0): utc(2026, 1, 8, 17, 0),  # Thursday noon
        WeeklyTime(0, 18, 0): utc(2026, 1, 12, 23, 0),  # Monday
    }
    for session, expected in cases.items():
        rhythm = Rhythm(NEW_YORK, tuesday_open, weeks=2, session=session)
        assert session_at(rhythm, 1) == expected, session
        assert week_opens_at(rhythm, 1) <= session_at(rhythm, 1) < week_closes_at(rhythm, 1)


def test_no_session_means_no_reminders() -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 1, 6, 18, 0))

    assert session_at(rhythm, 1) is None
    assert reminders_before(session_at(rhythm, 1)) == []


def test_session_keeps_local_time_across_dst_and_24h_reminder_is_24_real_hours_before() -> None:
    # Session Sunday 18:00; DST starts 02:00 on Sunday 2026-03-08, inside week 1.
    rhythm = Rhythm(NEW_YORK, datetime(2026, 3, 3, 18, 0), weeks=2, session=WeeklyTime(6, 18, 0))
    session = session_at(rhythm, 1)

    assert session == utc(2026, 3, 8, 22, 0)  # 18:00 EDT
    assert reminders_before(session_at(rhythm, 1)) == [("24h", utc(2026, 3, 7, 22, 0)), ("1h", utc(2026, 3, 8, 21, 0))]
    # 24 real hours before 18:00 EDT Sunday is 17:00 EST on Saturday, not 18:00.
    assert local_wall(reminders_before(session_at(rhythm, 1))[0][1], NEW_YORK) == datetime(2026, 3, 7, 17, 0)
    assert session_at(rhythm, 2) == utc(2026, 3, 15, 22, 0)


def test_sydney_session_across_april_change() -> None:
    # Session Sunday 10:00; AEDT ends 03:00 → 02:00 on Sunday 2026-04-05.
    rhythm = Rhythm(SYDNEY, datetime(2026, 3, 30, 19, 0), weeks=2, session=WeeklyTime(6, 10, 0))

    assert session_at(rhythm, 1) == utc(2026, 4, 5, 0, 0)  # 10:00 AEST (UTC+10)
    assert reminders_before(session_at(rhythm, 1))[0] == ("24h", utc(2026, 4, 4, 0, 0))  # 11:00 AEDT on Saturday
    assert local_wall(reminders_before(session_at(rhythm, 1))[0][1], SYDNEY) == datetime(2026, 4, 4, 11, 0)


def test_session_in_gap_hour_of_a_gap_opening_is_not_before_the_open() -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 3, 8, 2, 30), weeks=2, session=WeeklyTime(6, 3, 0))

    # Open moved to 03:30 EDT; 03:00 EDT would precede it, so the session starts with the week.
    assert session_at(rhythm, 1) == week_opens_at(rhythm, 1) == utc(2026, 3, 8, 7, 30)
    assert session_at(rhythm, 2) == utc(2026, 3, 15, 7, 0)


def test_session_after_a_break_follows_the_shifted_week() -> None:
    rhythm = Rhythm(NEW_YORK, datetime(2026, 1, 6, 18, 0), weeks=3, breaks=frozenset({2}), session=WeeklyTime(3, 18, 0))

    assert session_at(rhythm, 1) == utc(2026, 1, 8, 23, 0)
    assert session_at(rhythm, 2) == utc(2026, 1, 22, 23, 0)


# --- properties over many zones -------------------------------------------------------

ZONES = [
    NEW_YORK,
    SYDNEY,
    "Europe/London",
    "America/Santiago",
    "Australia/Lord_Howe",  # 30-minute DST shift
    "Pacific/Chatham",  # +12:45 / +13:45
    "Asia/Kolkata",
    "Antarctica/Troll",  # 2-hour DST shift
    "UTC",
]

rhythms = st.builds(
    Rhythm,
    timezone=st.sampled_from(ZONES),
    start_local=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    weeks=st.integers(1, 30),
    session=st.none() | st.builds(WeeklyTime, st.integers(0, 6), st.integers(0, 23), st.integers(0, 59)),
).flatmap(
    lambda r: st.frozensets(st.integers(2, r.weeks), max_size=4).map(
        lambda breaks: Rhythm(r.timezone, r.start_local, r.weeks, breaks, r.session)
    )
    if r.weeks >= 2
    else st.just(r)
)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(rhythms)
def test_every_week_opens_at_the_start_wall_time_unless_it_does_not_exist(rhythm: Rhythm) -> None:
    for week in range(1, rhythm.weeks + 1):
        calendar_weeks = week - 1 + sum(1 for b in rhythm.breaks if b <= week)
        asked = rhythm.start_local + timedelta(weeks=calendar_weeks)
        got = local_wall(week_opens_at(rhythm, week), rhythm.timezone)
        if exists(asked, rhythm.timezone):
            assert got == asked
        else:
            assert asked < got <= asked + timedelta(hours=2)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(rhythms)
def test_weeks_are_ordered_and_only_breaks_leave_gaps(rhythm: Rhythm) -> None:
    for week in range(1, rhythm.weeks + 1):
        assert week_opens_at(rhythm, week) < week_closes_at(rhythm, week)
        if week < rhythm.weeks:
            gap = week_opens_at(rhythm, week + 1) - week_closes_at(rhythm, week)
            assert (gap > timedelta(days=6)) if week + 1 in rhythm.breaks else (gap == timedelta(0))


@settings(max_examples=150, derandomize=True, deadline=None)
@given(rhythms, st.floats(-0.1, 1.1))
def test_current_week_matches_a_linear_scan(rhythm: Rhythm, fraction: float) -> None:
    start, end = week_opens_at(rhythm, 1), week_closes_at(rhythm, rhythm.weeks)
    now = start + (end - start) * fraction
    expected = [w for w in range(1, rhythm.weeks + 1) if week_opens_at(rhythm, w) <= now < week_closes_at(rhythm, w)]

    assert current_week(rhythm, now) == (expected[0] if expected else None)
    for week in range(1, rhythm.weeks + 1):
        assert current_week(rhythm, week_opens_at(rhythm, week)) == week


@settings(max_examples=150, derandomize=True, deadline=None)
@given(rhythms)
def test_sessions_fall_in_their_week_at_their_local_time(rhythm: Rhythm) -> None:
    if rhythm.session is None:
        return
    session = rhythm.session
    for week in range(1, rhythm.weeks + 1):
        at = session_at(rhythm, week)
        assert at is not None
        opens, closes = week_opens_at(rhythm, week), week_closes_at(rhythm, week)
        assert opens <= at
        # Only a session inside a DST gap (≤ 2 h here) can spill past the close.
        assert at < closes + timedelta(hours=2)
        wall = local_wall(at, rhythm.timezone)
        if (wall.hour, wall.minute) == (session.hour, session.minute):
            assert wall.weekday() == session.weekday
        elif at != opens:  # not moved to the open, so it must have been pushed out of a gap
            assert not exists(datetime.combine(wall.date(), time(session.hour, session.minute)), rhythm.timezone)
            assert wall.weekday() == session.weekday
        assert [t for _, t in reminders_before(session_at(rhythm, week))] == [at - timedelta(hours=24),
                                                                              at - timedelta(hours=1)]


# --- Slack date tokens ------------------------------------------------------------------


def test_slack_date_token_with_utc_fallback() -> None:
    instant = utc(2026, 3, 3, 18, 0)
    unix = calendar.timegm((2026, 3, 3, 18, 0, 0))

    assert slack_date(instant) == f"<!date^{unix}^{{date_short_pretty}} at {{time}}|Tue 3 Mar 2026 18:00 UTC>"
    assert unix == 1772560800


def test_slack_date_converts_other_zones_and_drops_seconds() -> None:
    instant = datetime(2026, 3, 3, 13, 0, 59, 999999, tzinfo=ZoneInfo(NEW_YORK))

    assert slack_date(instant, fmt="{time}") == "<!date^1772560859^{time}|Tue 3 Mar 2026 18:00 UTC>"


def test_slack_date_escapes_a_custom_fallback() -> None:
    token = slack_date(utc(2026, 3, 3, 18, 0), fallback="Tue <18:00> & later")

    assert token.endswith("|Tue &lt;18:00&gt; &amp; later>")


def test_slack_date_refuses_naive_instants() -> None:
    with pytest.raises(ValueError, match="aware"):
        slack_date(datetime(2026, 3, 3, 18, 0))

"""Pure parts: which week a post belongs to, digest times and windows, and replies topped up from history."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.weeks import Rhythm, last_opened_week, week_closes_at, week_opens_at
from bot.share.digest_timing import (
    digest_due_at,
    digest_stale_at,
    digest_window,
    latest_due_week,
)
from bot.share.store import effective_reply_users, version_at, version_of

RHYTHM = Rhythm("America/New_York", datetime(2026, 3, 3, 18, 0), weeks=4, breaks=frozenset({3}))


def test_a_post_belongs_to_the_week_open_when_it_was_posted_and_a_break_to_the_week_before():
    week1 = week_opens_at(RHYTHM, 1)
    assert last_opened_week(RHYTHM, week1 - timedelta(seconds=1)) is None
    assert last_opened_week(RHYTHM, week1) == 1
    assert last_opened_week(RHYTHM, week_opens_at(RHYTHM, 2) - timedelta(microseconds=1)) == 1
    in_break = week_closes_at(RHYTHM, 2) + timedelta(days=2)
    assert last_opened_week(RHYTHM, in_break) == 2
    assert last_opened_week(RHYTHM, week_opens_at(RHYTHM, 3)) == 3
    assert last_opened_week(RHYTHM, week_closes_at(RHYTHM, 4)) is None


def test_the_digest_is_due_a_day_before_the_next_week_across_dst_and_breaks():
    # New York springs forward on 8 March 2026: week 2 opens at 22:00 UTC, so the digest is at 22:00 UTC too.
    assert digest_due_at(RHYTHM, 1, 24) == datetime(2026, 3, 9, 22, 0, tzinfo=UTC)
    assert digest_due_at(RHYTHM, 2, 24) == week_opens_at(RHYTHM, 3) - timedelta(hours=24)  # after the break
    assert digest_due_at(RHYTHM, 4, 24) == week_closes_at(RHYTHM, 4) - timedelta(hours=24)
    assert digest_due_at(RHYTHM, 1, 10_000) == week_opens_at(RHYTHM, 1)  # never before its own week opens
    assert digest_stale_at(RHYTHM, 1) == week_opens_at(RHYTHM, 2) + timedelta(hours=6)
    with pytest.raises(ValueError):
        digest_window(RHYTHM, 5, 24)


@settings(max_examples=60, derandomize=True)
@given(st.integers(0, 40 * 24 * 60), st.integers(0, 72))
def test_every_post_until_the_last_digest_is_in_exactly_one_digest(minutes: int, hours_before: int):
    posted = week_opens_at(RHYTHM, 1) - timedelta(days=5) + timedelta(minutes=minutes)
    windows = [digest_window(RHYTHM, week, hours_before) for week in range(1, RHYTHM.weeks + 1)]
    containing = [w.week for w in windows if (w.start is None or w.start <= posted) and posted < w.end]
    assert len(containing) == (1 if posted < windows[-1].end else 0)


def test_latest_due_week():
    assert latest_due_week(RHYTHM, 24, digest_due_at(RHYTHM, 1, 24) - timedelta(seconds=1)) is None
    assert latest_due_week(RHYTHM, 24, digest_due_at(RHYTHM, 2, 24)) == 2
    assert latest_due_week(RHYTHM, 24, datetime(2030, 1, 1, tzinfo=UTC)) == 4


def test_replies_missed_while_offline_are_topped_up_from_the_history_snapshot():
    assert effective_reply_users(["UA", "UB"], 2, ["UA", "UB"]) == ("UA", "UB")
    assert effective_reply_users(["UA"], 4, ["UA", "UB", "UC"]) == ("UA", "UB", "UC", "UA")
    assert effective_reply_users([], 3, ["UA"]) == ("UA", "UA", "UA")
    assert effective_reply_users(["UA", "UA", "UB"], 1, ["UA"]) == ("UA", "UA", "UB")  # events know more: kept
    assert effective_reply_users([], 2, []) == ()


def test_versions_order_like_the_instants_they_stand_for():
    assert version_of("999999999.9") < version_of("1000000000.000001") < version_of("1000000000.1")
    instant = datetime(2026, 3, 2, 12, 0, 0, 123456, tzinfo=UTC)
    assert version_at(instant) == version_of(f"{int(instant.timestamp())}.123456")

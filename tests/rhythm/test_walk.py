"""Two cohorts walked week by week through the emulator, across daylight-saving changes.

A New York and a Sydney cohort run side by side for 20 weeks. The expected
instants are computed here independently of `bot.calendar.weeks`, straight from the
wall clock: week k opens at the start's local time k−1 weeks later.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling import tick
from schedules.rhythm import JOBS
from tests.rhythm.support import cohort_in_channel, rhythm_posts

WEEKS = 20
SEASONS = {
    # US springs forward on 8 Mar 2026; Sydney falls back on 5 Apr 2026.
    "northern-spring": (date(2026, 2, 3), date(2026, 2, 4)),
    # Sydney springs forward on 4 Oct 2026; US falls back on 1 Nov 2026.
    "northern-autumn": (date(2026, 8, 4), date(2026, 8, 5)),
}
US = ("America/New_York", time(18, 0), "thu 12:00", 2)  # session two days after the Tuesday opening
AU = ("Australia/Sydney", time(19, 0), "wed 20:00", 0)  # session one hour after the Wednesday opening


async def tick_rhythm(bot, at: datetime) -> None:  # type: ignore[no-untyped-def]
    """The real scheduler with only this feature's jobs: the walk stays fast whatever other jobs cost."""
    bot.clock.set(at)
    await tick(bot.db, JOBS, bot.runtime.job_context())


def local(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def expected(start: date, spec) -> dict[str, datetime]:  # type: ignore[no-untyped-def]
    """Post key suffix → the instant it must be posted, for all 20 weeks."""
    zone, opens_at, session_text, session_offset_days = spec
    session_clock = time(*map(int, session_text.split()[1].split(":")))
    instants = {}
    for week in range(1, WEEKS + 1):
        day = start + timedelta(weeks=week - 1)
        session = local(day + timedelta(days=session_offset_days), session_clock, zone)
        instants[f"week-{week}"] = local(day, opens_at, zone)
        instants[f"week-{week}:24h"] = session - timedelta(hours=24)
        instants[f"week-{week}:1h"] = session - timedelta(hours=1)
    return instants


def suffix(key: str) -> str:
    return key.split(":", 2)[2]


@pytest.mark.parametrize("season", sorted(SEASONS))
async def test_each_announcement_and_reminder_once_at_its_instant_across_dst(bot, emulator, season):
    us_start, au_start = SEASONS[season]
    cohorts = {}
    for name, channel, start, spec in (("nyc", "CNEWYORK01", us_start, US), ("syd", "CSYDNEY001", au_start, AU)):
        zone, opens_at, session_text, _ = spec
        cohort = await cohort_in_channel(bot, emulator, name, channel, timezone=zone,
                                         start=f"{start} {opens_at:%H:%M}", session_time=session_text, weeks=WEEKS)
        cohorts[channel] = (cohort, expected(start, spec))

    # A second before each due instant (nothing yet), the instant itself (posted), and mid-week (no repeat).
    instants = sorted({at + nudge for _, due in cohorts.values() for at in due.values()
                       for nudge in (timedelta(seconds=-1), timedelta(0))}
                      | {at + timedelta(days=3, hours=5) for _, due in cohorts.values()
                         for key, at in due.items() if ":" not in key})
    for at in instants:
        await tick_rhythm(bot, at)
        for channel, (_, due) in cohorts.items():
            posted = [suffix(post.key) for post in rhythm_posts(emulator, channel)]
            assert sorted(posted) == sorted(key for key, instant in due.items() if instant <= at), at

    for channel, (_, due) in cohorts.items():
        posts = rhythm_posts(emulator, channel)
        assert len(posts) == 3 * WEEKS
        assert {suffix(post.key): post.at for post in posts} == due
        announcements = [post for post in posts if post.key.startswith("announce:")]
        assert [post.text.splitlines()[0] for post in announcements][:2] == [
            f"Week 1 is open: Chapter 1 — Your Deep Learning Journey. Live session {_token(due['week-1:1h'])}.",
            f"Week 2 is open: Chapter 2 — From Model to Production. Live session {_token(due['week-2:1h'])}.",
        ]


def _token(one_hour_before: datetime) -> str:
    session = one_hour_before + timedelta(hours=1)
    return (f"<!date^{int(session.timestamp())}^{{date_short_pretty}} at {{time}}"
            f"|{session:%a} {session.day} {session:%b %Y %H:%M} UTC>")


async def test_the_utc_instant_moves_with_dst_and_the_local_time_stays(bot, emulator):
    """Spot checks written out by hand, so a shared mistake in the maths above cannot hide."""
    await cohort_in_channel(bot, emulator, "nyc", "CNEWYORK01", timezone="America/New_York",
                            start="2026-03-03 18:00", weeks=2)
    await cohort_in_channel(bot, emulator, "syd", "CSYDNEY001", timezone="Australia/Sydney",
                            start="2026-03-31 19:00", weeks=2)
    for at in ("2026-03-03T23:00:00", "2026-03-10T22:00:00", "2026-03-31T08:00:00", "2026-04-07T09:00:00"):
        await tick_rhythm(bot, datetime.fromisoformat(at).replace(tzinfo=UTC))
    assert [post.at.isoformat() for post in rhythm_posts(emulator, "CNEWYORK01")] == [
        "2026-03-03T23:00:00+00:00", "2026-03-10T22:00:00+00:00"]  # EST (−5) then EDT (−4): still 18:00 local
    assert [post.at.isoformat() for post in rhythm_posts(emulator, "CSYDNEY001")] == [
        "2026-03-31T08:00:00+00:00", "2026-04-07T09:00:00+00:00"]  # AEDT (+11) then AEST (+10): still 19:00 local

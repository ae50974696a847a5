"""The cohort's feed over HTTP: 20 weeks across the US and the Australian daylight-saving changes, parsed back
with icalendar; stable UIDs; 304 for an unchanged feed and 200 after a change; 404 with no hint."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from bot.cohorts.store import edit_cohort
from bot.feeds.cohort import cohort_feed
from bot.models import Cohort
from bot.models.feeds import FeedToken
from bot.models.workspaces import Workspace
from tests.feeds.conftest import PUBLIC, URL, fetch, starts
from tests.harness import StudyBot

# Week 1 opens Tue 3 Feb 2026 09:00 local; the session is Tuesdays 18:00 local. The US springs forward on
# Sun 8 Mar 2026 (between weeks 5 and 6), Sydney falls back on Sun 5 Apr 2026 (between weeks 9 and 10).
START = "2026-02-03 09:00"


async def make_feed(bot: StudyBot, zone: str, name: str = "fastbook") -> tuple[Cohort, str]:
    cohort = await bot.create_cohort(name, timezone=zone, start=START, session_time="Tue 18:00", weeks=20)
    feed = await cohort_feed(bot.db, None, cohort, bot.clock.now(), public_url=PUBLIC)
    assert feed.urls is not None
    match = URL.fullmatch(feed.urls[0])
    assert match is not None and feed.urls[1] == feed.urls[0].replace("https://", "webcal://")
    return cohort, match.group(1)


def local_sessions(zone: str) -> list[datetime]:
    """The oracle: Tuesday 18:00 in `zone`, 20 weeks from 3 Feb 2026, as UTC instants."""
    first = datetime(2026, 2, 3, 18, 0)
    return [(first + timedelta(weeks=n)).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC) for n in range(20)]


@pytest.mark.parametrize("zone, before, after, week", [
    ("America/New_York", datetime(2026, 3, 3, 23, 0, tzinfo=UTC), datetime(2026, 3, 10, 22, 0, tzinfo=UTC), 5),
    ("Australia/Sydney", datetime(2026, 3, 31, 7, 0, tzinfo=UTC), datetime(2026, 4, 7, 8, 0, tzinfo=UTC), 9),
])
async def test_twenty_weeks_across_daylight_saving_give_exact_instants(feeds_bot, zone, before, after, week):
    cohort, token = await make_feed(feeds_bot, zone)
    fetched = await fetch(feeds_bot, token)
    assert fetched.status == 200 and fetched.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = fetched.events()
    by_uid = starts(events)
    uids = [f"cohort-{cohort.id}-week-{n}@study.example.org" for n in range(1, 21)]
    assert sorted(by_uid) == sorted(uids)
    assert [by_uid[uid] for uid in uids] == local_sessions(zone)
    assert (by_uid[uids[week - 1]], by_uid[uids[week]]) == (before, after)  # the hour either side of the change
    assert all(e.decoded("DTSTART").tzinfo is not None and e.decoded("DTSTART").utcoffset() == timedelta(0)
               for e in events)
    first = next(e for e in events if str(e["UID"]) == uids[0])
    assert str(first["SUMMARY"]) == "fastbook live session · Chapter 1 — Your Deep Learning Journey"
    assert "Notebook: https://github.com/fastai/fastbook/blob/master/01_intro.ipynb" in str(first["DESCRIPTION"])
    assert first.decoded("DURATION") == timedelta(minutes=90)
    assert str(first["STATUS"]) == "CONFIRMED" and int(first["SEQUENCE"]) == 0


async def test_uids_stay_and_304_until_something_changes(feeds_bot):
    cohort, token = await make_feed(feeds_bot, "America/New_York")
    first = await fetch(feeds_bot, token)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = await fetch(feeds_bot, token)
    assert again.status == 200 and again.body == first.body  # the same bytes: DTSTAMP is when it last changed

    queries: list[str] = []
    event.listen(feeds_bot.db.engine.sync_engine, "before_cursor_execute", count := (
        lambda _c, _cur, statement, *_: queries.append(statement)))
    not_modified = await fetch(feeds_bot, token, If_None_Match=etag)
    event.remove(feeds_bot.db.engine.sync_engine, "before_cursor_execute", count)
    assert not_modified.status == 304 and not_modified.body == b"" and not_modified.headers["ETag"] == etag
    assert len(queries) == 1  # calendar apps polling an unchanged feed cost one query
    assert (await fetch(feeds_bot, token, If_Modified_Since=modified)).status == 304
    assert (await fetch(feeds_bot, token, If_None_Match='"something-else"')).status == 200

    feeds_bot.clock.advance(hours=3)
    async with feeds_bot.db.session() as session:
        await edit_cohort(session, await session.get(Cohort, cohort.id), session_time="Wed 19:30")
    changed = await fetch(feeds_bot, token, If_None_Match=etag, If_Modified_Since=modified)
    assert changed.status == 200 and changed.headers["ETag"] != etag
    assert changed.headers["Last-Modified"] != modified
    moved = starts(changed.events())
    assert sorted(moved) == sorted(starts(first.events()))  # the same events, moved: the same UIDs
    assert moved[f"cohort-{cohort.id}-week-6@study.example.org"] == datetime(2026, 3, 11, 23, 30, tzinfo=UTC)
    assert (await fetch(feeds_bot, token, If_None_Match=changed.headers["ETag"])).status == 304


async def test_wrong_malformed_and_other_workspace_tokens_get_a_bare_404(feeds_bot):
    cohort, token = await make_feed(feeds_bot, "America/New_York")
    other_workspace = "x" * 43
    async with feeds_bot.db.session() as session:  # a row claiming this cohort from another workspace
        from bot.feeds.version import token_digest

        session.add(FeedToken(team_id="T0OTHER002", cohort_id=cohort.id, user_id="U0OTHER01", token_hash=token_digest(
            other_workspace), created_at=feeds_bot.clock.now()))
    answers = [await fetch(feeds_bot, name) for name in (
        token[:-1] + ("A" if token[-1] != "A" else "B"), other_workspace, "short", token + ".ics", "../" + token)]
    assert [a.status for a in answers] == [404] * 5
    assert {a.body for a in answers[:3]} == {b"Not found"}
    assert (await fetch(feeds_bot, token)).status == 200
    async with feeds_bot.db.session() as session:  # the workspace uninstalls the bot: its feeds go quiet
        session.add(Workspace(team_id=feeds_bot.team_id, installed_at=feeds_bot.clock.now(),
                              stopped_at=feeds_bot.clock.now(), stop_reason="app_uninstalled"))
    assert (await fetch(feeds_bot, token)).status == 404


async def test_a_new_cohort_url_replaces_the_old_one(feeds_bot):
    cohort, old = await make_feed(feeds_bot, "America/New_York")
    again = await cohort_feed(feeds_bot.db, None, cohort, feeds_bot.clock.now(), public_url=PUBLIC)
    assert again.urls is None  # shown once: only its fingerprint is kept
    new = await cohort_feed(feeds_bot.db, None, cohort, feeds_bot.clock.now(), public_url=PUBLIC, new=True)
    assert new.urls is not None
    match = URL.fullmatch(new.urls[0])
    assert match is not None
    assert (await fetch(feeds_bot, old)).status == 404
    assert (await fetch(feeds_bot, match.group(1))).status == 200

"""One week's session moved, relinked, cancelled and restored — in Slack (`/study admin session …`) and on the
CLI (`studybot session set …`) — as calendar apps see it over HTTP: the cohort's feed and a member's, parsed
back with icalendar. The week keeps its UID, its SEQUENCE rises with each change, a cancelled week stays as
CANCELLED; a client holding the old ETag or Last-Modified gets a 200 after each change, and a 304 when
nothing changed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.feeds.cohort import cohort_feed
from tests.feeds.conftest import PUBLIC, URL, Fetched, fetch
from tests.groups.helpers import slash_reply
from tests.harness import StudyBot
from tests.sessions.support import in_thread

ORGANIZER = "UADMIN"
MEMBER = "UMEMBER01"
LINK = "https://zoom.us/j/123456789"
MEET = "https://meet.google.com/abc-defg-hij"
# Week 1 opens Tue 3 March 2026 09:00 New York; the session is Tuesdays 18:00 local. The clock starts on
# Mon 2 March 12:00 UTC, so weeks 3 and 5 are still to come. The US springs forward on Sun 8 March.
WEEK_3 = datetime(2026, 3, 17, 22, 0, tzinfo=UTC)  # Tue 17 March 18:00 EDT
WEEK_3_MOVED = datetime(2026, 3, 18, 23, 0, tzinfo=UTC)  # Wed 18 March 19:00 EDT
WEEK_5 = datetime(2026, 3, 31, 22, 0, tzinfo=UTC)
WEEK_5_MOVED = datetime(2026, 4, 2, 16, 30, tzinfo=UTC)  # Thu 2 April 12:30 EDT


@dataclass
class Client:
    """A calendar app subscribed to one feed: it keeps the validators of what it fetched last."""

    name: str
    token: str
    etag: str = ""
    modified: str = ""

    async def poll(self, bot: StudyBot) -> Fetched:
        """Fetch with both validators, then with each alone (apps send one or the other); all must agree."""
        both = await fetch(bot, self.token, If_None_Match=self.etag, If_Modified_Since=self.modified)
        etag_only = await fetch(bot, self.token, If_None_Match=self.etag)
        modified_only = await fetch(bot, self.token, If_Modified_Since=self.modified)
        assert both.status == etag_only.status == modified_only.status, self.name
        return both if both.status == 304 else etag_only

    def keep(self, fetched: Fetched) -> None:
        self.etag, self.modified = fetched.headers["ETag"], fetched.headers["Last-Modified"]


def week(fetched: Fetched, cohort_id: int, number: int) -> Any:
    [found] = [e for e in fetched.events() if str(e["UID"]) == f"cohort-{cohort_id}-week-{number}@study.example.org"]
    return found


def state(event: Any) -> tuple[datetime, int, str]:
    return event.decoded("DTSTART"), int(event["SEQUENCE"]), str(event["STATUS"])


async def subscribed(bot: StudyBot) -> tuple[int, list[Client]]:
    cohort = await bot.create_cohort(timezone="America/New_York", start="2026-03-03 09:00",
                                     session_time="Tue 18:00", weeks=10, organizers=[ORGANIZER])
    await slash_reply(bot, "join", user=MEMBER)
    await in_thread(bot.db.url, "cohort", "set", "fastbook", "--session-link", LINK)
    feed = await cohort_feed(bot.db, None, cohort, bot.clock.now(), public_url=PUBLIC)
    assert feed.urls is not None
    cohort_token = URL.fullmatch(feed.urls[0])
    member_token = URL.search(await slash_reply(bot, "calendar", user=MEMBER))
    assert cohort_token is not None and member_token is not None
    clients = [Client("cohort", cohort_token.group(1)), Client("member", member_token.group(1))]
    for client in clients:
        first = await fetch(bot, client.token)
        assert first.status == 200
        client.keep(first)
    return cohort.id, clients


async def changed(bot: StudyBot, clients: list[Client]) -> list[Fetched]:
    """Each client's poll after a change: a 200 with new validators; then a 304 with those."""
    feeds = []
    for client in clients:
        fetched = await client.poll(bot)
        assert fetched.status == 200, client.name
        assert fetched.headers["ETag"] != client.etag and fetched.headers["Last-Modified"] != client.modified
        client.keep(fetched)
        assert (await client.poll(bot)).status == 304, client.name
        feeds.append(fetched)
    return feeds


async def admin(bot: StudyBot, text: str) -> str:
    bot.clock.advance(minutes=5)  # Last-Modified has one-second steps: an organizer's changes are minutes apart
    return await slash_reply(bot, f"admin {text}", user=ORGANIZER)


async def cli(bot: StudyBot, *args: str) -> str:
    bot.clock.advance(minutes=5)
    result = await in_thread(bot.db.url, "session", "set", "fastbook", *args, "--now",
                             bot.clock.now().isoformat())
    assert result.exit_code == 0, result.output
    return result.output


async def test_moves_links_cancels_and_restores_reach_both_feeds_over_http(feeds_bot):
    bot = feeds_bot
    cohort_id, clients = await subscribed(bot)
    for client in clients:  # nothing changed yet
        assert (await client.poll(bot)).status == 304
        assert state(week(await fetch(bot, client.token), cohort_id, 3)) == (WEEK_3, 0, "CONFIRMED")

    reply = await admin(bot, 'session 3 at "2026-03-18 19:00"')
    assert "Week 3's live session is at Wed 2026-03-18 19:00 America/New_York" in reply
    for fetched in await changed(bot, clients):
        assert state(week(fetched, cohort_id, 3)) == (WEEK_3_MOVED, 1, "CONFIRMED")
        assert state(week(fetched, cohort_id, 5)) == (WEEK_5, 0, "CONFIRMED")  # the other weeks stay
        assert LINK in str(week(fetched, cohort_id, 3)["DESCRIPTION"])

    assert "link https://meet.google.com/abc-defg-hij" in await cli(bot, "--week", "3", "--link", MEET)
    for fetched in await changed(bot, clients):
        moved = week(fetched, cohort_id, 3)
        assert state(moved) == (WEEK_3_MOVED, 2, "CONFIRMED")
        assert f"Join: {MEET}" in str(moved["DESCRIPTION"]) and str(moved["URL"]) == MEET
        assert f"Join: {LINK}" in str(week(fetched, cohort_id, 4)["DESCRIPTION"])

    assert "Thu 2026-04-02 12:30" in await cli(bot, "--week", "5", "--at", "2026-04-02 12:30")
    for fetched in await changed(bot, clients):
        assert state(week(fetched, cohort_id, 5)) == (WEEK_5_MOVED, 1, "CONFIRMED")
        assert state(week(fetched, cohort_id, 3)) == (WEEK_3_MOVED, 2, "CONFIRMED")

    assert "Week 3's live session is cancelled" in await admin(bot, "session 3 cancel")
    for fetched in await changed(bot, clients):
        cancelled = week(fetched, cohort_id, 3)
        assert state(cancelled) == (WEEK_3_MOVED, 3, "CANCELLED")
        assert "URL" not in cancelled and "cancelled" in str(cancelled["DESCRIPTION"])

    assert "already cancelled" in await admin(bot, "session 3 cancel")  # refused: nothing changed
    for client in clients:
        assert (await client.poll(bot)).status == 304, client.name

    assert "at Wed 2026-03-18 19:00" in await cli(bot, "--week", "3", "--restore")
    for fetched in await changed(bot, clients):
        restored = week(fetched, cohort_id, 3)
        assert state(restored) == (WEEK_3_MOVED, 4, "CONFIRMED")
        assert str(restored["URL"]) == MEET
        assert len([e for e in fetched.events() if "week-3@" in str(e["UID"])]) == 1  # one event, never two

    bot.clock.advance(hours=1)  # time passes, nothing changes: still the client's copy
    for client in clients:
        assert (await client.poll(bot)).status == 304, client.name

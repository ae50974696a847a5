"""The join link everywhere members look (announcement, both reminders, the Home, `cohort show`), the
"Add to Google Calendar" link, and bad input refused in one line with nothing changed."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from bot.models import Cohort
from bot.models.sessions import SessionOverride
from bot.organizers import REFUSAL
from bot.sessions.links import google_calendar_link
from tests.harness import text_of
from tests.home.helpers import open_home
from tests.sessions.support import LINK, ORGANIZER, buttons, in_thread, london, session_posts, studybot

WEEK_2_OPENS = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
WEEK_2_SESSION = datetime(2026, 3, 12, 18, 0, tzinfo=UTC)
CREATE = ["cohort", "create", "linked", "--channel", "C0123ABCDEF", "--start", "2026-03-03 18:00",
          "--timezone", "Europe/London", "--team", "T0123ABCDEF", "--allow-past", "--session", "thu 18:00"]


def test_the_google_calendar_link_holds_the_sessions_instant_title_and_details():
    url = google_calendar_link("fastbook · week 2", WEEK_2_SESSION, details=f"Join: {LINK}")
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://calendar.google.com/calendar/render"
    assert query == {"action": ["TEMPLATE"], "text": ["fastbook · week 2"],
                     "dates": ["20260312T180000Z/20260312T190000Z"], "details": [f"Join: {LINK}"]}


async def test_the_link_is_in_the_announcement_both_reminders_and_the_home(bot, emulator):  # type: ignore[no-untyped-def]
    await london(bot)
    await bot.tick(at=WEEK_2_OPENS)
    [announcement] = session_posts(emulator, "announce:")
    assert f"Join here: <{LINK}|{LINK}>" in announcement.text
    calendar = buttons(announcement)["Add to Google Calendar"]["url"]
    query = parse_qs(urlsplit(calendar).query)
    assert query["dates"] == ["20260312T180000Z/20260312T190000Z"] and LINK in query["details"][0]
    assert "Chapter 2" in query["text"][0] and buttons(announcement)["Join"]["url"] == LINK

    await bot.tick(at=WEEK_2_SESSION - timedelta(hours=24))
    await bot.tick(at=WEEK_2_SESSION - timedelta(hours=1))
    day, hour = session_posts(emulator, "reminder:")
    assert LINK in day.text and LINK in hour.text
    assert set(buttons(day)) == {"I'll be there"} and set(buttons(hour)) == {"Join"}
    assert buttons(hour)["Join"]["url"] == LINK

    await bot.slash("join", user="U1")  # a member: the Home shows their next session
    home = await open_home(bot, "U1")
    shown = text_of(home)
    assert f"<!date^{int(WEEK_2_SESSION.timestamp())}^" in shown
    home_buttons = {e["text"]["text"]: e for b in home["blocks"] if b.get("type") == "actions" for e in b["elements"]}
    assert home_buttons["Join"]["url"] == LINK and "20260312T180000Z" in home_buttons["Add to Google Calendar"]["url"]


def test_cohort_create_set_and_show_carry_the_link(database_url):
    created = studybot(database_url, *CREATE, "--session-link", LINK)
    assert created.exit_code == 0, created.output
    shown = studybot(database_url, "cohort", "show", "linked", "--now", "2026-03-10T19:00:00+00:00")
    assert f"live session link: {LINK}" in shown.stdout
    assert "next live session: week 2, Thu 2026-03-12 18:00 Europe/London · join " + LINK in shown.stdout
    other = "https://www.youtube.com/live/abc"
    assert studybot(database_url, "cohort", "set", "linked", "--session-link", other).exit_code == 0
    assert f"live session link: {other}" in studybot(database_url, "cohort", "show", "linked").stdout


async def count(database_url: str, model: type) -> int:
    from bot.database import Database

    db = Database(database_url)
    try:
        async with db.session() as session:
            return await session.scalar(select(func.count()).select_from(model))
    finally:
        await db.dispose()


async def test_bad_input_is_one_line_and_changes_nothing(bot, emulator, database_url):  # type: ignore[no-untyped-def]
    await london(bot)
    now = ("--now", "2026-03-10T19:00:00+00:00")
    for args in (("--session-link", "http://zoom.us/j/1"), ("--session-link", "zoom.us/j/1"),
                 ("--session-link", "https://")):
        refused = await in_thread(database_url, *CREATE, *args)
        assert refused.exit_code != 0 and refused.stdout == "" and len(refused.stderr.strip().splitlines()) == 1
        assert "not a session link" in refused.stderr
    assert await count(database_url, Cohort) == 1
    unchanged = await in_thread(database_url, "cohort", "set", "fastbook", "--session-link", "ftp://files.example")
    assert unchanged.exit_code != 0 and len(unchanged.stderr.strip().splitlines()) == 1
    for args, says in ((("--week", "21", "--cancel"), "weeks 1 to 20"),
                       (("--week", "0", "--cancel"), "weeks 1 to 20"),
                       (("--week", "3", "--at", "next thursday"), "Expected a local date and time"),
                       (("--week", "3", "--at", "2026-02-30 18:00"), "not a real date"),
                       (("--week", "3", "--link", "http://zoom.us/j/1"), "not a session link"),
                       (("--week", "3", "--cancel", "--restore"), "not both"),
                       (("--week", "3", "--restore"), "not cancelled"),
                       (("--week", "1", "--cancel"), "already happened"),
                       (("--week", "3",), "Nothing to change")):
        refused = await in_thread(database_url, "session", "set", "fastbook", *args, *now)
        assert refused.exit_code != 0, (args, refused.output)
        assert len(refused.stderr.strip().splitlines()) == 1 and says in refused.stderr, (args, refused.stderr)
    assert await count(database_url, SessionOverride) == 0
    async with bot.db.session() as session:
        assert (await session.scalar(select(Cohort))).session_link == LINK

    bot.clock.set(WEEK_2_OPENS)
    for text in ("admin session 3 link http://zoom.us/j/1", "admin session 42 cancel",
                 'admin session 3 at "soon"', "admin session 3 frobnicate"):
        await bot.slash(text, user=ORGANIZER)
        reply = await bot.reply()
        assert reply["response_type"] == "ephemeral" and "Nothing was changed." in reply["text"], (text, reply)
    await bot.slash("admin session 3 cancel", user="U1")  # not an organizer
    assert (await bot.reply())["text"] == REFUSAL
    assert await count(database_url, SessionOverride) == 0

"""Moving, cancelling and restoring one week's session: one notice in the channel per change, and the
reminders at the session's time as it stands — never both the old and the new — across ticks, a restart
and a daylight-saving change."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.models.sessions import SessionOverride
from tests.harness import StudyBot
from tests.sessions.support import LINK, ORGANIZER, buttons, in_thread, london, session_posts

WEEK_4_OPENS = datetime(2026, 3, 24, 18, 0, tzinfo=UTC)  # Tue 24 March 18:00 GMT
WEEK_4_SESSION = datetime(2026, 3, 26, 18, 0, tzinfo=UTC)  # Thu 26 March 18:00 GMT
MOVED = datetime(2026, 4, 1, 18, 0, tzinfo=UTC)  # Wed 1 April 19:00 BST: after the clocks went forward
WEEK_2_SESSION = datetime(2026, 3, 12, 18, 0, tzinfo=UTC)
WEEK_3_SESSION = datetime(2026, 3, 19, 18, 0, tzinfo=UTC)


def keys(posts) -> list[str]:  # type: ignore[no-untyped-def]
    return [post.key.split(":", 2)[2] for post in posts]


async def test_a_move_is_announced_once_and_the_reminders_follow_it_across_dst_and_a_restart(
        bot, emulator, database_url, clock):  # type: ignore[no-untyped-def]
    await london(bot)
    await bot.tick(at=WEEK_4_OPENS)
    [announcement] = session_posts(emulator, "announce:")[-1:]
    assert "week-4" in announcement.key and LINK in announcement.text

    await bot.slash('admin session 4 at "2026-04-01 19:00"', user=ORGANIZER)
    reply = await bot.reply()
    assert "Week 4's live session is at Wed 2026-04-01 19:00 Europe/London" in reply["text"]

    for minutes in (1, 2, 3):  # the notice goes out once, whatever the ticks
        await bot.tick(at=WEEK_4_OPENS + timedelta(minutes=minutes))
    notices = session_posts(emulator, "session-notice:")
    assert len(notices) == 1 and "<!date^1775066400^" in notices[0].text and LINK in notices[0].text
    shown = await in_thread(database_url, "cohort", "show", "fastbook", "--now", WEEK_4_OPENS.isoformat())
    assert "week 4 reminder (24h): Tue 2026-03-31 19:00 Europe/London = Tue 18:00 UTC" in shown.stdout
    assert "week 4 reminder (24h): Wed 2026-03-25" not in shown.stdout

    # The old reminder times pass: nothing for week 4.
    for at in (WEEK_4_SESSION - timedelta(hours=24), WEEK_4_SESSION - timedelta(hours=1), WEEK_4_SESSION):
        await bot.tick(at=at)
    assert [k for k in keys(session_posts(emulator, "reminder:")) if k.startswith("week-4")] == []

    await bot.stop()  # a restart: a new process on the same database
    bot = await StudyBot.start(emulator, database_url, clock)
    try:
        for at in (MOVED - timedelta(hours=24), MOVED - timedelta(hours=24, minutes=-1),
                   MOVED - timedelta(hours=1), MOVED - timedelta(minutes=59)):
            await bot.tick(at=at)
        week_4 = [post for post in session_posts(emulator, "reminder:") if ":week-4:" in post.key]
        assert [(post.key.rsplit(":", 1)[1], post.at) for post in week_4] == [
            ("24h@20260401T1800Z", MOVED - timedelta(hours=24)), ("1h@20260401T1800Z", MOVED - timedelta(hours=1))]
        assert "I'll be there" in buttons(week_4[0]) and "Join" not in buttons(week_4[0])
        assert buttons(week_4[1])["Join"]["url"] == LINK and LINK in week_4[1].text
        assert len(session_posts(emulator, "session-notice:")) == 1
    finally:
        await bot.stop()


async def test_moving_back_to_the_rhythms_time_never_reminds_twice(bot, emulator):  # type: ignore[no-untyped-def]
    await london(bot)
    await bot.tick(at=WEEK_2_SESSION - timedelta(hours=24))
    await bot.slash('admin session 2 at "2026-03-12 20:00"', user=ORGANIZER)
    await bot.reply()
    await bot.slash('admin session 2 at "2026-03-12 18:00"', user=ORGANIZER)  # back to where it was
    await bot.reply()
    for minutes in range(1, 4):
        await bot.tick(at=WEEK_2_SESSION - timedelta(hours=24, minutes=-minutes))
    await bot.tick(at=WEEK_2_SESSION - timedelta(hours=1))
    week_2 = keys(session_posts(emulator, "reminder:cohort"))
    assert week_2.count("week-2:24h") == 1 and week_2.count("week-2:1h") == 1
    assert not [k for k in week_2 if "@" in k]
    notices = session_posts(emulator, "session-notice:")
    assert len(notices) == 1 and notices[0].key.endswith(":seq-2")  # the first move was superseded unseen


async def test_cancel_means_no_reminders_and_restore_brings_them_back(bot, emulator, database_url):  # type: ignore[no-untyped-def]
    cohort = await london(bot)
    await bot.tick(at=WEEK_2_SESSION - timedelta(hours=30))
    now = (WEEK_2_SESSION - timedelta(hours=30)).isoformat()
    cancelled = await in_thread(database_url, "session", "set", cohort.name, "--week", "2", "--cancel", "--now", now)
    assert cancelled.exit_code == 0, cancelled.output
    assert "cancelled" in cancelled.stdout
    also = await in_thread(database_url, "session", "set", cohort.name, "--week", "3", "--cancel", "--now", now)
    assert also.exit_code == 0, also.output
    await bot.tick(at=WEEK_2_SESSION - timedelta(hours=29))
    await bot.tick(at=WEEK_2_SESSION - timedelta(hours=29, minutes=-1))
    notices = session_posts(emulator, "session-notice:")
    assert sorted(n.key.split(":")[2] for n in notices) == ["week-2", "week-3"]
    assert all("cancelled" in n.text for n in notices)

    restored = await in_thread(database_url, "session", "set", cohort.name, "--week", "2", "--restore",
                               "--now", (WEEK_2_SESSION - timedelta(hours=28)).isoformat())
    assert restored.exit_code == 0, restored.output
    await bot.tick(at=WEEK_2_SESSION - timedelta(hours=28))
    assert len(session_posts(emulator, "session-notice:")) == 3
    for at in (WEEK_2_SESSION - timedelta(hours=24), WEEK_2_SESSION - timedelta(hours=1),
               WEEK_3_SESSION - timedelta(hours=24), WEEK_3_SESSION - timedelta(hours=1), WEEK_3_SESSION):
        await bot.tick(at=at)
    reminded = keys(session_posts(emulator, "reminder:"))
    assert [k for k in reminded if k.startswith("week-2")] == ["week-2:24h", "week-2:1h"]
    assert [k for k in reminded if k.startswith("week-3")] == []  # week 3 stays cancelled
    async with bot.db.session() as session:
        rows = {row.week: (row.cancelled, row.sequence) for row in await session.scalars(select(SessionOverride))}
    assert rows == {2: (False, 2), 3: (True, 1)}

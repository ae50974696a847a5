"""Recordings through Slack and the CLI: posted once in the week's announcement thread (a replaced link edits
that message), listed by `/study recordings`, on the Home, in the next week's announcement; bad input refused
in one line with nothing changed."""
from __future__ import annotations

import pytest

from bot.organizers import REFUSAL
from tests.ama.conftest import CHANNEL, ORGANIZER, ama_channel, member  # noqa: F401  (ama_channel: a fixture)
from tests.ama.test_cli import studybot
from tests.harness import text_of
from tests.home.helpers import open_home
from tests.sessions.recording_steps import (
    AFTER_SESSION1,
    SESSION2,
    WEEK1_OPEN,
    WEEK2_OPEN,
    YOUTUBE,
    announcement_ts,
    recordings,
    said,
)

NEW_LINK = "https://vimeo.com/123456789"


@pytest.fixture
async def cohort(bot):  # type: ignore[no-untyped-def]
    """The AMA tests' cohort: channel C0AMA00001, sessions on Thursdays at 18:00 UTC, one organizer."""
    return await bot.create_cohort(channel_id=CHANNEL, session_time="thu 18:00", organizers=[ORGANIZER])


def thread_posts(emulator, ts: str) -> list:  # type: ignore[no-untyped-def]
    return [c for c in emulator.posted(CHANNEL) if c.args.get("thread_ts") == ts and "recording" in c.args["text"]]


async def test_a_recording_is_posted_once_in_its_thread_listed_on_the_home_and_in_the_next_announcement(
        bot, emulator, cohort):
    await bot.tick(WEEK1_OPEN)
    thread = await announcement_ts(bot, cohort.id, 1)
    bot.clock.set(AFTER_SESSION1)

    reply = await said(bot, f"admin recording 1 {YOUTUBE}")
    assert "week 1's recording is saved" in reply and "posted in the week's announcement thread" in reply
    (post,) = thread_posts(emulator, thread)
    assert YOUTUBE in text_of(post.args)
    assert "already that link" in await said(bot, f"admin recording 1 {YOUTUBE}")
    for minutes in (1, 2, 3):  # the job finds nothing left to post
        await bot.tick(AFTER_SESSION1.replace(minute=minutes))
    assert len(thread_posts(emulator, thread)) == 1

    reply = await said(bot, f"admin recording 1 {NEW_LINK}")  # replaced: the same message now shows the new link
    assert "now points to the new link" in reply and YOUTUBE in reply
    assert len(thread_posts(emulator, thread)) == 1
    (edit,) = [c for c in emulator.calls_to("chat.update") if c.args["ts"] == post.response["ts"]]
    assert NEW_LINK in text_of(edit.args) and YOUTUBE not in text_of(edit.args)
    assert await recordings(bot) == [(1, NEW_LINK)]

    listed = await said(bot, "recordings", user=member(1))
    assert "Week 1" in listed and NEW_LINK in listed and YOUTUBE not in listed

    await said(bot, "join Europe/London", user=member(1))  # a member: their cohort's section on the Home
    home = text_of(await open_home(bot, member(1)))
    assert "Missed it?" in home and "Watch week 1's session" in home and NEW_LINK in home
    assert "`/study recordings` lists every session's recording" in home

    await bot.tick(WEEK2_OPEN)
    second = [c for c in emulator.posted(CHANNEL) if c.response and c.response.get("ts") ==
              await announcement_ts(bot, cohort.id, 2)]
    assert "Last week's recording" in text_of(second[0].args) and NEW_LINK in text_of(second[0].args)


async def test_a_week_never_announced_gets_its_recording_in_the_channel(bot, emulator, cohort):
    bot.clock.set(AFTER_SESSION1)  # no tick: week 1's announcement was never posted
    await said(bot, f"admin recording 1 {YOUTUBE}")
    (post,) = [c for c in emulator.posted(CHANNEL) if "recording" in c.args["text"]]
    assert not post.args.get("thread_ts")


async def test_the_list_says_when_there_is_none_yet(bot, emulator, cohort):
    assert "No recording yet" in await said(bot, "recordings", user=member(2))
    await said(bot, "join Europe/London", user=member(2))
    assert "Missed it?" not in text_of(await open_home(bot, member(2)))


@pytest.mark.parametrize(("args", "expected"), [
    ("1 http://youtu.be/abc", "is not an https:// link"),
    ("1 ftp://example.com/x.mp4", "is not an https:// link"),
    ("1 https://", "is not an https:// link"),
    ("1 not-a-link", "is not an https:// link"),
    ("1", "Try `/study admin recording <week> <https://link>`"),
    ("one https://youtu.be/abc", "Try `/study admin recording"),
    ("0 https://youtu.be/abc", "there is no week 0"),
    ("99 https://youtu.be/abc", "there is no week 99"),
    ("2 https://youtu.be/abc", "Week 2's session hasn't happened yet"),
])
async def test_bad_input_is_one_line_and_changes_nothing(bot, emulator, cohort, args, expected):
    bot.clock.set(AFTER_SESSION1)
    reply = await said(bot, f"admin recording {args}")
    assert expected in reply and "Nothing was changed" in reply and "\n" not in reply
    assert await recordings(bot) == [] and not emulator.posted(CHANNEL)


async def test_only_organizers_add_recordings(bot, emulator, cohort):
    bot.clock.set(AFTER_SESSION1)
    assert await said(bot, f"admin recording 1 {YOUTUBE}", user=member(3)) == REFUSAL
    assert await recordings(bot) == []


async def test_the_cli_adds_and_refuses_in_one_line(bot, emulator, cohort, database_url):
    await bot.tick(WEEK1_OPEN)
    early = await studybot(emulator, database_url, "session", "recording", "fastbook", "--week", "1", YOUTUBE,
                           "--now", WEEK1_OPEN.isoformat())
    assert early.exit_code == 1 and early.output.strip().splitlines() == [
        "studybot: Week 1's session hasn't happened yet; add its recording after it. Nothing was changed."]
    outside = await studybot(emulator, database_url, "session", "recording", "fastbook", "--week", "40", YOUTUBE)
    assert outside.exit_code == 1 and "there is no week 40" in outside.output
    done = await studybot(emulator, database_url, "session", "recording", "fastbook", "--week", "1", YOUTUBE,
                          "--now", SESSION2.isoformat())
    assert done.exit_code == 0, done.output
    assert "week 1's recording is saved" in done.output
    bad = await studybot(emulator, database_url, "session", "recording", "fastbook", "--week", "1", "http://x.org/v")
    assert bad.exit_code == 1 and len(bad.output.strip().splitlines()) == 1 and "https://" in bad.output
    assert await recordings(bot) == [(1, YOUTUBE)]
    thread = await announcement_ts(bot, cohort.id, 1)
    assert len(thread_posts(emulator, thread)) == 1

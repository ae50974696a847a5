"""A re-posted announcement (`/study admin rerun N`, `studybot cohort rerun`) is composed as the week-open job's
(bot/rhythm/compose.py): the join link, [I'll be there] with its count, [Join], [Add to Google Calendar] and
the planning button; its count follows clicks in place. The reminders, composed there too, keep theirs."""
from __future__ import annotations

from datetime import timedelta

from tests.cohorts.test_cli import in_thread as cli_with_env
from tests.harness import BOT_TOKEN
from tests.sessions.support import CHANNEL, LINK, ORGANIZER, buttons, london, session_posts
from tests.sessions.test_rsvp import WEEK_2_OPENS, WEEK_2_SESSION, rsvp_click, shown_count

SESSION_PARTS = {"I'll be there", "Join", "Add to Google Calendar"}


def ts_of(emulator, key_suffix: str) -> str:  # type: ignore[no-untyped-def]
    return next(call.response["ts"] for call in emulator.posted(CHANNEL) if call.response.get("ok") and (
        (call.args.get("metadata") or {}).get("event_payload") or {}).get("key", "").endswith(key_suffix))


async def test_a_rerun_carries_the_same_session_parts_as_the_jobs_announcement(bot, emulator, database_url):  # type: ignore[no-untyped-def]
    await london(bot)
    await bot.tick(at=WEEK_2_OPENS)
    [job] = session_posts(emulator, "announce:")
    assert SESSION_PARTS <= set(buttons(job)) and LINK in job.text

    bot.clock.set(WEEK_2_OPENS + timedelta(hours=2))
    await bot.slash("admin rerun 2", user=ORGANIZER)
    assert "Re-posted week 2's announcement" in (await bot.reply())["text"]
    slack = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": emulator.url}
    cli = await cli_with_env(database_url, "cohort", "rerun", "fastbook", "--week", "2", **slack)
    assert cli.exit_code == 0, cli.stderr

    job_again, *reruns = session_posts(emulator, "announce:")
    assert [post.key.rsplit(":", 1)[1] for post in reruns] == ["rerun-1", "rerun-2"]
    for post in reruns:  # the very message the job posted: text, buttons, links, count and planning button
        assert post.text == job.text and post.blocks == job.blocks
        assert buttons(post)["Join"]["url"] == LINK
        assert buttons(post)["Add to Google Calendar"]["url"] == buttons(job)["Add to Google Calendar"]["url"]

    rerun_ts = ts_of(emulator, ":rerun-1")  # a click on the re-posted message: its own count follows
    await bot.interact(rsvp_click(bot, "U0M0000001", buttons(reruns[0])["I'll be there"]["value"], rerun_ts))
    await bot.settle()
    await bot.tick(at=bot.clock.now() + timedelta(minutes=1))
    assert "1 member will be there." in shown_count(bot, rerun_ts)

    await bot.tick(at=WEEK_2_SESSION - timedelta(hours=24))
    await bot.tick(at=WEEK_2_SESSION - timedelta(hours=1))
    day, hour = session_posts(emulator, "reminder:")
    assert "I'll be there" in buttons(day) and "1 member will be there." in day.text
    assert buttons(hour)["Join"]["url"] == LINK and "I'll be there" not in buttons(hour)

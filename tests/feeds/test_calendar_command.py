"""`/study calendar [reset]` as a member uses it, `studybot cohort calendar` and `cohort show` as an organizer
does, and forget-me / my-data for the calendar link."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.models.feeds import FeedToken
from bot.privacy.export import member_data
from tests.cohorts.test_cli import in_thread
from tests.feeds.conftest import PUBLIC, URL, fetch
from tests.groups.helpers import slash_reply
from tests.harness import BOT_TOKEN, text_of
from tests.home.helpers import open_home


async def tokens(bot) -> int:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        return await session.scalar(select(func.count()).select_from(FeedToken)) or 0


async def test_without_a_public_url_the_member_is_told_what_to_set(bot):
    await bot.create_cohort()
    reply = await slash_reply(bot, "calendar")
    assert "STUDYBOT_PUBLIC_URL" in reply and "Nothing was changed" in reply
    assert await tokens(bot) == 0


async def test_calendar_gives_the_link_once_and_reset_replaces_it(feeds_bot):
    await feeds_bot.create_cohort()
    reply = await slash_reply(feeds_bot, "calendar")
    [https_url] = {m.group(0) for m in URL.finditer(reply)}
    token = URL.fullmatch(https_url).group(1)  # type: ignore[union-attr]
    assert https_url.replace("https://", "webcal://") in reply
    assert all(app in reply for app in ("Google Calendar", "Apple Calendar", "Outlook"))
    assert len(token) >= 43 and (await fetch(feeds_bot, token)).status == 200

    again = await slash_reply(feeds_bot, "calendar")
    assert "/study calendar reset" in again and URL.search(again) is None  # only a fingerprint is kept
    assert "Usage: `/study calendar`" in await slash_reply(feeds_bot, "calendar please")
    assert await tokens(feeds_bot) == 1

    reset = await slash_reply(feeds_bot, "calendar reset")
    new = URL.search(reset)
    assert new is not None and new.group(1) != token and "old one no longer works" in reset
    assert (await fetch(feeds_bot, token)).status == 404
    assert (await fetch(feeds_bot, new.group(1))).status == 200
    assert await tokens(feeds_bot) == 1
    help_text = await slash_reply(feeds_bot, "help")
    assert "`/study calendar [reset]`" in help_text


async def test_forget_me_removes_the_link_and_my_data_mentions_it_without_the_secret(feeds_bot):
    await feeds_bot.create_cohort()
    token = URL.search(await slash_reply(feeds_bot, "calendar")).group(1)  # type: ignore[union-attr]
    data = await member_data(feeds_bot.db, feeds_bot.team_id, "U1", feeds_bot.clock.now())
    [row] = data["tables"]["feed_tokens"]
    assert row["user_id"] == "U1" and "token_hash" not in row
    dumped = json.dumps(data, default=str)
    assert token not in dumped

    from bot.privacy.forget import forget_member

    forgotten = await forget_member(feeds_bot.db, feeds_bot.team_id, "U1", feeds_bot.clock.now())
    assert forgotten.deleted.get("feed_tokens") == 1
    assert (await fetch(feeds_bot, token)).status == 404


async def test_organizers_get_post_and_replace_the_cohort_url_from_the_cli(feeds_bot, emulator, database_url):
    await feeds_bot.create_cohort()
    env = {"STUDYBOT_PUBLIC_URL": PUBLIC, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": emulator.url}
    shown = await in_thread(database_url, "cohort", "show", "fastbook", **env)
    assert "calendar feed: none yet — studybot cohort calendar fastbook" in shown.stdout

    posted = await in_thread(database_url, "cohort", "calendar", "fastbook", "--post", **env)
    assert posted.exit_code == 0, posted.output
    token = URL.search(posted.stdout).group(1)  # type: ignore[union-attr]
    message = emulator.posted("C0STUDY001")[-1].args
    assert f"{PUBLIC}/calendar/{token}.ics" in message["text"]
    assert (await fetch(feeds_bot, token)).status == 200

    assert "issued" in (await in_thread(database_url, "cohort", "show", "fastbook", **env)).stdout
    repeat = await in_thread(database_url, "cohort", "calendar", "fastbook", "--post", **env)
    assert repeat.exit_code == 1 and "--new --post" in repeat.output
    assert len(emulator.posted("C0STUDY001")) == 1  # nothing posted again

    replaced = await in_thread(database_url, "cohort", "calendar", "fastbook", "--new", **env)
    assert replaced.exit_code == 0 and URL.search(replaced.stdout).group(1) != token  # type: ignore[union-attr]
    assert (await fetch(feeds_bot, token)).status == 404

    unset = await in_thread(database_url, "cohort", "calendar", "fastbook", "--new")
    assert unset.exit_code == 1 and "set STUDYBOT_PUBLIC_URL" in unset.output


async def test_a_members_home_points_to_the_calendar_and_a_newcomers_does_not(feeds_bot):
    await feeds_bot.create_cohort()
    assert "/study calendar" not in text_of(await open_home(feeds_bot))  # not a member yet: the welcome
    await slash_reply(feeds_bot, "join London")
    home = text_of(await open_home(feeds_bot))
    assert "`/study calendar` — the live sessions, your group's meeting and your reading time" in home

"""`studybot digest show|post`, run as an organizer would, against the test database and the emulator."""
from __future__ import annotations

import asyncio
import json

from click.testing import CliRunner

from bot.main.cli import cli
from tests.harness import BOT_TOKEN, text_of
from tests.share.conftest import MAIN, WEEK2_DIGEST, at, deliver, digest_posts


async def studybot(emulator, database_url: str, *args: str):  # type: ignore[no-untyped-def]
    """Run the CLI in a thread (it has its own event loop) while the emulator keeps serving on ours."""
    env = {"DATABASE_URL": database_url, "SLACK_API_URL": emulator.url, "SLACK_BOT_TOKEN": BOT_TOKEN,
           "SLACK_APP_TOKEN": "", "LOG_LEVEL": "WARNING"}
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args), env=env, catch_exceptions=False)


async def a_week_of_sharing(bot, channel) -> None:  # type: ignore[no-untyped-def]
    channel.post("UOLD", "week one", at(5, 9))
    first = channel.post("UA", "Bear classifier", at(11, 9))
    second = channel.post("UB", "MNIST basics", at(12, 9))
    channel.react(second, "UA", "tada", at(12, 10))
    channel.react(second, "UC", "fire", at(12, 11))
    channel.reply(first, "UC", "cool", at(12, 12))
    await deliver(bot, channel.events)


async def test_digest_show_prints_the_week_without_posting(bot, emulator, channel, cohort, database_url):
    await a_week_of_sharing(bot, channel)
    emulator.calls.clear()

    result = await studybot(emulator, database_url, "digest", "show", "--week", "2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["cohort"], data["week"], data["post_count"], data["sharer_count"]) == ("fastbook", 2, 2, 2)
    assert data["first_timers"] == ["UA", "UB"]
    assert [(p["rank"], p["author"], p["title"], p["score"], p["week"]) for p in data["posts"]] == [
        (1, "UB", "MNIST basics", 8.0, 2), (2, "UA", "Bear classifier", 4.5, 2)]
    assert data["window"]["to"].startswith("2026-03-16T18:00")

    text = await studybot(emulator, database_url, "digest", "show", "--week", "2")
    assert text.exit_code == 0 and "2 posts from 2 people" in text.output and "MNIST basics — UB" in text.output
    assert emulator.calls == []  # show never calls Slack


async def test_digest_post_reposts_under_new_keys_each_time(bot, emulator, channel, cohort, database_url):
    await a_week_of_sharing(bot, channel)
    await bot.tick(at=WEEK2_DIGEST)
    now = (WEEK2_DIGEST.replace(hour=20)).isoformat()
    for json_summary in (False, True):
        flags = ("--json",) if json_summary else ()
        result = await studybot(emulator, database_url, "digest", "post", "--week", "2", "--now", now, *flags)
        assert result.exit_code == 0, result.output
        assert "posted week 2 digest" in result.stdout
    summary = json.loads(result.stdout)  # the --json run: one object, progress and all
    assert summary["ok"] is True and summary["week"] == 2 and len(summary["ts"]) >= 1
    keys = [((m.get("metadata") or {}).get("event_payload") or {}).get("key") for m in digest_posts(emulator)]
    assert keys == [f"share-digest:c{cohort.id}:w2:main", f"share-digest:c{cohort.id}:w2:r1:main",
                    f"share-digest:c{cohort.id}:w2:r2:main"]
    assert all(m["channel"] == MAIN and "MNIST basics" in text_of(m) for m in digest_posts(emulator))


async def test_digest_commands_refuse_bad_input_in_one_line(bot, emulator, channel, cohort, database_url):
    for args, expected in [
        (("digest", "show", "--week", "21"), "--week is a week number from 1 to 20"),
        (("digest", "show", "--cohort", "nope", "--week", "1"), 'No cohort named "nope"'),
        (("digest", "post", "--now", "2026-03-04T12:00"), "No digest of \"fastbook\" is due yet"),
        (("digest", "post", "--now", "yesterday"), "ISO"),
    ]:
        result = await studybot(emulator, database_url, *args)
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("studybot: ") and expected in lines[0], result.output
    assert digest_posts(emulator) == []

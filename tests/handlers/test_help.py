"""`/study help`, `/study` alone and unknown subcommands, over signed HTTP."""
from __future__ import annotations

import time
from pathlib import Path

from tests.harness import sign, text_of


async def test_help_answers_ephemerally_with_the_commands(bot):
    ack = await bot.slash("help")
    assert ack.status == 200
    reply = await bot.reply()
    assert reply["response_type"] == "ephemeral"
    assert "/study help" in text_of(reply)


async def test_bare_command_is_help(bot):
    await bot.slash("")
    assert "/study help" in text_of(await bot.reply())


async def test_unknown_subcommand_suggests_the_closest(bot):
    await bot.slash("hlep me")
    reply = await bot.reply()
    assert "Did you mean `/study help`?" in reply["text"]
    assert "/study help" in text_of(reply)


async def test_forged_and_stale_signatures_are_refused_and_change_nothing(bot, emulator):
    body = "command=%2Fstudy&text=help&user_id=U1&team_id=T0STUDY01"
    forged = await bot.post(body, "application/x-www-form-urlencoded", signature=sign(body, secret="wrong"))
    stale = await bot.post(body, "application/x-www-form-urlencoded", signature=sign(body, int(time.time()) - 6 * 60))
    unsigned = await bot.post(body, "application/x-www-form-urlencoded", signature={})
    assert (forged.status, stale.status, unsigned.status) == (401, 401, 401)
    assert emulator.responses == []


# The commands issues 23 (the live session) and 24 (finishing the book) added, as `/study help` must show them.
SESSION_AND_FINISHING = (
    "/study calendar [reset]", "/study recordings", "/study done [N] [undo]", "/study buddy [off]",
    "/study commit [day]", "/study certificate name off|on", "/study admin certificates",
    "/study admin recording <week> <https://link>", "answered <id> [12:34]",
    "session <week> [at YYYY-MM-DD HH:MM] [link URL] [cancel|restore]",
)


async def test_help_lists_the_live_session_and_finishing_commands(bot):
    await bot.slash("help")
    help_text = text_of(await bot.reply())
    missing = [usage for usage in SESSION_AND_FINISHING if usage not in help_text]
    assert not missing, f"/study help no longer shows: {missing}"


def test_the_readme_shows_them_to_organizers_too():
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    first_hour = readme.split("## Running a cohort", 1)[1].split("### The weekly rhythm", 1)[0]
    for shown in ("studybot session set", "studybot session recording", "/study admin session", "--session-link",
                  "/study admin recording", "/study admin ama answered", "--complete-at", "studybot certificates",
                  "/study admin certificates", "/study calendar", "calendar reset", "/study recordings",
                  "/study done [N] [undo]", "/study buddy", "buddy off", "/study certificate name off"):
        assert shown in first_hour, f"the organizer's first hour in README.md no longer shows {shown}"
    for shown in ("studybot certificates list", "studybot certificates issue", "studybot certificates revoke"):
        assert shown in readme

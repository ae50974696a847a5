"""`/study help`, `/study` alone and unknown subcommands, over signed HTTP."""
from __future__ import annotations

import time

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

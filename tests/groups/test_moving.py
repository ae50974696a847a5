"""A member whose zone changes after groups formed is offered the nearest group with room, and moves by click."""
from __future__ import annotations

from datetime import UTC, datetime

from tests.groups.helpers import groups, make_cohort, members, slash_reply, tick_groups
from tests.harness import text_of

FORMED_AT = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)


async def india_and_california(bot, emulator):  # type: ignore[no-untyped-def]
    await make_cohort(bot)
    for i in range(8):
        user, zone = f"U{i:05d}", ("Asia/Kolkata" if i < 4 else "America/Los_Angeles")
        emulator.workspace.add_user(user, tz=zone)
        await slash_reply(bot, "join", user=user)
    await tick_groups(bot, FORMED_AT)
    california, india = sorted(await groups(bot), key=lambda g: g.center_offset)
    return india, california


async def test_a_new_zone_far_from_the_group_offers_a_move_and_a_click_moves(bot, emulator):
    india, california = await india_and_california(bot, emulator)
    text = await slash_reply(bot, "join San Francisco", user="U00000")
    assert "Updated: your time zone is now *America/Los_Angeles*" in text
    assert f"#{india.name} now meets far from your time of day; #{california.name} is the nearest group" in text
    assert (await members(bot))["U00000"].group_id == india.id  # nothing moves without the member's say
    reply = emulator.responses[-1]
    move = next(e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["text"]["text"] == f"Move to #{california.name}")
    await bot.click(move["action_id"], move["value"], user="U00000")
    moved = text_of(await bot.reply())
    assert moved.startswith(f"Moved. You're in the group <#{california.channel_id}>")
    assert (await members(bot))["U00000"].group_id == california.id
    assert "U00000" in emulator.workspace.channels[california.channel_id].members
    assert "U00000" not in emulator.workspace.channels[india.channel_id].members


async def test_a_new_zone_near_the_group_offers_no_move(bot, emulator):
    india, _ = await india_and_california(bot, emulator)
    text = await slash_reply(bot, "join Dubai", user="U00001")  # 90 minutes from Kolkata
    assert "Updated" in text and "Move to" not in text and "nearest group" not in text
    assert (await members(bot))["U00001"].group_id == india.id

"""Matching is exactly-once: two rounds at once (replicas, a CLI `tick` beside `serve`) or a round run again never
put a member in two pairs or introduce a pair twice; a member Slack no longer knows ends the pairing kindly."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from bot.buddies.tending import tend
from bot.direct_messages import unreachable_because
from bot.models.buddies import BuddyPair, BuddyPairMember
from tests.buddies.helpers import keyed, optin, pairs, seed, tick_buddies


async def test_two_rounds_at_once_make_each_pair_once(bot, emulator):
    cohort = await bot.create_cohort()
    members = [(f"U{i:02d}", "Europe/London", "a" if i < 6 else None) for i in range(11)]
    await seed(bot, cohort.id, members)
    for user, _, _ in members:
        await bot.slash("buddy", user=user)
    await bot.settle()
    client = bot.runtime.client_for(bot.team_id)
    now = bot.clock.now()
    await asyncio.gather(*(tend(bot.db, client, cohort.id, now, command="/study") for _ in range(3)))
    await tend(bot.db, client, cohort.id, now + timedelta(seconds=30), command="/study")
    found = await pairs(bot)
    assert sorted(len(p) for p in found) == [2, 2, 2, 2, 2]  # 10 matched; the 11th waits for 48 hours
    assert len(set().union(*found)) == 10
    assert len([p for p in found if p <= {f"U{i:02d}" for i in range(6)}]) == 3  # group a among themselves
    async with bot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(BuddyPair)) == 5
        assert await session.scalar(select(func.count()).select_from(BuddyPairMember)) == 10
    assert len(keyed(emulator, "buddies:intro:")) == 5
    for pair in found:
        for user in pair:
            assert (await optin(bot, user)).pair_id is not None


async def test_a_member_slack_no_longer_knows_ends_the_pairing_before_it_starts(bot, emulator):
    cohort = await bot.create_cohort()
    await seed(bot, cohort.id, [("U1", "Europe/London", "a"), ("U2", "Europe/London", "a")])
    for user in ("U1", "U2"):
        await bot.slash("buddy", user=user)
    await bot.settle()
    emulator.workspace.users["U2"].deleted = True
    await tick_buddies(bot)
    await tick_buddies(bot, bot.clock.now() + timedelta(minutes=1))
    assert await pairs(bot) == [] and keyed(emulator, "buddies:intro:") == []
    assert sorted(o["channel"] for o in keyed(emulator, "buddies:offer:")) == ["U1", "U2"]  # both offered alike
    assert "D1" in emulator.workspace.channels and "D2" not in emulator.workspace.channels  # U2's refused
    assert await unreachable_because(bot.db, bot.team_id, "U2") == "channel_not_found"  # recorded for the doctor

"""post_once after a crash or an unclear answer: it looks for its own message far and wide before posting again."""
from __future__ import annotations

from sqlalchemy import select, update

from bot.models import OutboundMessage
from bot.outbound import post_once
from tests.emulator.state import TEAM_ID

CHANNEL = "C0STUDY001"


async def _post(bot, key="k1", at=None):  # type: ignore[no-untyped-def]
    return await post_once(bot.db, bot.runtime.client, team_id=TEAM_ID, key=key, channel=CHANNEL, text="once",
                           now=at or bot.clock.now())


async def _crash_before_commit(bot) -> None:  # type: ignore[no-untyped-def]
    """Slack accepted the post, and the process died before recording it."""
    async with bot.db.session() as session:
        await session.execute(update(OutboundMessage).values(status="pending", ts=None))


async def test_recovery_after_a_long_outage_in_a_busy_channel_finds_the_post(bot, emulator, clock):
    posted = await _post(bot)
    await _crash_before_commit(bot)
    for hour in range(6):  # six hours of a busy channel: 600 messages after ours
        clock.advance(hours=1)
        for n in range(100):
            emulator.workspace.post(CHANNEL, f"chatter {hour}:{n}", user="U1")
    again = await _post(bot, at=clock.now())
    assert again.ts == posted.ts and not again.fresh
    assert len(emulator.posted(CHANNEL)) == 1
    assert len(emulator.calls_to("conversations.history")) == 4  # 601 messages, pages of 200


async def test_a_second_retake_still_searches_from_the_first_claim(bot, emulator, clock):
    posted = await _post(bot)
    await _crash_before_commit(bot)
    emulator.fail_next("conversations.history", error="ratelimited")  # the first recovery attempt fails
    clock.advance(hours=1)
    try:
        await _post(bot)
    except Exception:  # noqa: BLE001 - expected: the lookup failed
        pass
    clock.advance(hours=1)
    again = await _post(bot)
    assert again.ts == posted.ts
    assert len(emulator.posted(CHANNEL)) == 1


async def test_a_5xx_after_slack_posted_records_the_post_without_a_second_copy(bot, emulator):
    emulator.accept_then_fail("chat.postMessage", status=503)
    posted = await _post(bot)
    assert posted is not None and posted.fresh
    assert posted.ts == next(iter(emulator.workspace.channels[CHANNEL].messages))
    assert await _post(bot) == posted.__class__(posted.key, CHANNEL, posted.ts, fresh=False)
    assert len(emulator.posted(CHANNEL)) == 1


async def test_a_refused_post_is_posted_afresh_without_looking(bot, emulator):
    emulator.fail_next("chat.postMessage", error="channel_not_found")
    try:
        await _post(bot)
    except Exception:  # noqa: BLE001 - expected
        pass
    again = await _post(bot)
    assert again.fresh
    assert emulator.calls_to("conversations.history") == []


async def test_a_taken_over_attempt_cannot_overwrite_the_new_owner(bot, emulator, clock):
    """An attempt that outlived its lease reports late: the row keeps the newer attempt's outcome."""
    from bot.outbound import _mark

    posted = await _post(bot)
    async with bot.db.session() as session:
        row = await session.scalar(select(OutboundMessage))
    await _mark(bot.db, TEAM_ID, "k1", "someone-else", status="failed", error="late")
    async with bot.db.session() as session:
        assert (await session.scalar(select(OutboundMessage.status))) == "sent"
    assert row.ts == posted.ts

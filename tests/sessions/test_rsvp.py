""""I'll be there": exact counts under double clicks, redelivered actions and a restart; the count on the
announcement refreshed with throttling; a forged click from another workspace; the report, my-data and
forget-me."""
from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.models.sessions import SessionRsvp
from bot.privacy.export import member_data
from bot.privacy.forget import forget_member
from bot.sessions.rsvp import DOUBLE_CLICK, NOT_HERE
from bot.sessions.views import COUNT_BLOCK, RSVP_ACTION
from tests.harness import StudyBot, text_of
from tests.sessions.support import CHANNEL, buttons, in_thread, london, session_posts

WEEK_2_OPENS = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
WEEK_2_SESSION = datetime(2026, 3, 12, 18, 0, tzinfo=UTC)
MEMBERS = [f"U0M{n:07d}" for n in range(12)]


def rsvp_click(bot: StudyBot, user: str, value: str, ts: str, *, team: str | None = None) -> dict[str, Any]:
    team_id = team or bot.team_id
    return {
        "type": "block_actions", "team": {"id": team_id}, "user": {"id": user, "team_id": team_id},
        "trigger_id": f"trigger-{uuid.uuid4().hex[:8]}",
        "actions": [{"action_id": RSVP_ACTION, "block_id": "session_actions", "type": "button", "value": value,
                     "action_ts": uuid.uuid4().hex}],
        "response_url": bot.emulator.response_url(), "channel": {"id": CHANNEL},
        "container": {"type": "message", "channel_id": CHANNEL, "message_ts": ts},
        "message": {"ts": ts, "text": ""},
    }


async def attending(bot: StudyBot) -> set[str]:
    async with bot.db.session() as session:
        return set(await session.scalars(select(SessionRsvp.user_id).where(SessionRsvp.active.is_(True))))


def shown_count(bot: StudyBot, ts: str) -> str:
    message = bot.emulator.workspace.message(CHANNEL, ts)
    assert message is not None
    return next(text_of({"blocks": [block]}) for block in message.blocks or [] if block.get("block_id") == COUNT_BLOCK)


async def test_counts_are_exact_under_double_clicks_redelivery_and_a_restart(bot, emulator, database_url, clock):  # type: ignore[no-untyped-def]
    await london(bot)
    await bot.tick(at=WEEK_2_OPENS)
    [announcement] = session_posts(emulator, "announce:")
    button = buttons(announcement)["I'll be there"]
    ts = next(c.response["ts"] for c in emulator.posted(CHANNEL) if c.response.get("ok"))
    assert "Nobody has said they'll be there yet." in shown_count(bot, ts)

    first = {user: rsvp_click(bot, user, button["value"], ts) for user in MEMBERS}
    double = [rsvp_click(bot, user, button["value"], ts) for user in MEMBERS[::3]]  # a second click at once
    await asyncio.gather(*(bot.interact(p) for p in first.values()), *(bot.interact(p) for p in double),
                         *(bot.interact(first[user]) for user in MEMBERS[::4]))  # redelivered
    await bot.settle(timeout=60)
    assert await attending(bot) == set(MEMBERS)

    await bot.stop()  # a restart: a new process on the same database
    bot = await StudyBot.start(emulator, database_url, clock)
    try:
        bot.clock.set(WEEK_2_OPENS + DOUBLE_CLICK + timedelta(seconds=1))
        taken_back = MEMBERS[:3]  # a real second click: no longer coming
        await asyncio.gather(*(bot.interact(rsvp_click(bot, user, button["value"], ts)) for user in taken_back),
                             *(bot.interact(first[user]) for user in MEMBERS[1::2]))  # redelivered after the restart
        await bot.settle(timeout=60)
        assert await attending(bot) == set(MEMBERS) - set(taken_back)

        updates_before = len(emulator.calls_to("chat.update"))
        await bot.tick(at=WEEK_2_OPENS + timedelta(minutes=1))  # the throttled count shows the final number
        assert "9 members will be there." in shown_count(bot, ts)
        await bot.tick(at=WEEK_2_OPENS + timedelta(minutes=2))
        assert len(emulator.calls_to("chat.update")) - updates_before == 1

        await bot.tick(at=WEEK_2_SESSION - timedelta(hours=24))  # the 24-hour reminder: the button and the count
        [reminder] = session_posts(emulator, "reminder:")
        assert "I'll be there" in buttons(reminder) and "9 members will be there." in reminder.text

        report = await in_thread(database_url, "report", "--json", "--week", "2")
        assert report.exit_code == 0, report.output
        assert json.loads(report.stdout)["rsvps_per_week"] == {"2": 9}

        exported = await member_data(bot.db, bot.team_id, MEMBERS[5], bot.clock.now())
        assert [(row["week"], row["active"]) for row in exported["tables"]["session_rsvps"]] == [(2, True)]
        await forget_member(bot.db, bot.team_id, MEMBERS[5], bot.clock.now())
        assert MEMBERS[5] not in await attending(bot)
        await bot.tick(at=WEEK_2_SESSION - timedelta(hours=23, minutes=59))  # the counts no longer count them
        assert "8 members will be there." in shown_count(bot, ts)
        async with bot.db.session() as session:
            assert await session.scalar(select(func.count()).select_from(SessionRsvp).where(
                SessionRsvp.user_id == MEMBERS[5])) == 0
    finally:
        await bot.stop()


async def test_a_click_from_another_workspace_changes_nothing(bot, emulator):  # type: ignore[no-untyped-def]
    cohort = await london(bot)
    await bot.tick(at=WEEK_2_OPENS)
    before = len(emulator.responses)
    await bot.interact(rsvp_click(bot, "U1", f"{cohort.id}:2", "1.0", team="T0OTHER002"))
    await bot.settle()
    await emulator.wait_for(lambda e: len(e.responses) > before)
    assert [r["text"] for r in emulator.responses[before:]] == [NOT_HERE]
    assert await attending(bot) == set()

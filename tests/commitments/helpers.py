"""Shared set-up for the commitment tests: a cohort in its first week and a member of its study groups.

The default cohort's week 1 opens Tue 2026-03-03 18:00 London (= UTC in March) and closes a week later;
a commitment is due at 20:00 on the chosen day in the member's zone.
"""
from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.commitments import views
from bot.database import Database
from bot.models.commitments import Commitment
from bot.models.groups import GroupMember
from bot.runtime import Runtime
from tests.harness import StudyBot

WEDNESDAY = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # week 1 is open
JOINED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MEMBER = "U1"


async def cohort_with_member(bot: StudyBot, *users: str, zone: str = "Europe/London"):  # type: ignore[no-untyped-def]
    """The default cohort with `users` (U1 by default) in its study groups; every earlier post made."""
    cohort = await bot.create_cohort()
    async with bot.db.session() as session:
        for user in users or (MEMBER,):
            if user not in bot.emulator.workspace.users:
                bot.emulator.workspace.add_user(user)
            session.add(GroupMember(team_id=bot.team_id, cohort_id=cohort.id, user_id=user, zone=zone, prefers=[],
                                    joined_at=JOINED))
    await bot.tick(WEDNESDAY)  # the announcement and the first questions, out of the way
    bot.emulator.calls.clear()
    return cohort


async def commitments(bot: StudyBot) -> list[Commitment]:
    async with bot.db.session() as session:
        return list(await session.scalars(select(Commitment).order_by(Commitment.id)))


async def slash(bot: StudyBot, text: str, user: str = MEMBER) -> dict[str, Any]:
    """`/study TEXT` and the member's (ephemeral) reply."""
    await bot.slash(text, user=user)
    return await bot.reply()


async def pick(bot: StudyBot, value: str, *, user: str = MEMBER, channel: str | None = None,
               view: dict[str, Any] | None = None) -> None:
    """The member picks a day in the menu: in a message (a DM or an ephemeral reply) or on the App Home."""
    payload: dict[str, Any] = {
        "type": "block_actions", "user": {"id": user, "team_id": bot.team_id},
        "trigger_id": f"trigger-{uuid.uuid4().hex[:8]}",
        "actions": [{"action_id": views.DAY_ACTION, "block_id": "commitment", "type": "static_select",
                     "selected_option": {"value": value, "text": {"type": "plain_text", "text": "a day"}}}],
    }
    if channel is not None:
        payload |= {"response_url": bot.emulator.response_url(), "channel": {"id": channel},
                    "container": {"type": "message", "channel_id": channel, "message_ts": "1.0"}}
    if view is not None:
        payload |= {"view": view, "container": {"type": "view", "view_id": view.get("id", "V1")}}
    await bot.interact(payload)
    await bot.settle()


def menu(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """The day menu among `blocks` (a section's accessory)."""
    (found,) = [b["accessory"] for b in blocks if (b.get("accessory") or {}).get("action_id") == views.DAY_ACTION]
    return found


def labels(menu_element: dict[str, Any]) -> list[str]:
    return [option["text"]["text"] for option in menu_element["options"]]


def asks_in_dms(bot: StudyBot) -> list[Any]:
    """Every "Did you make it?" message in members' DMs, as they exist in Slack (emulator messages)."""
    return [m for channel in bot.emulator.workspace.channels.values() if channel.id.startswith("D")
            for m in channel.messages.values() if "commitments:ask" in str(m.metadata)]


async def restart(bot: StudyBot) -> None:
    """A new process on the same database (the HTTP server is not the point here: ticks are)."""
    await bot.runtime.db.dispose()
    bot.runtime = Runtime(settings=bot.runtime.settings, db=Database(bot.runtime.db.url), clock=bot.clock,
                          sleep=bot.runtime.sleep, random=lambda: 1.0)


async def tick_dying_after_posts(bot: StudyBot, posts: int) -> None:
    """A tick whose process dies right after Slack posted its `posts`-th message (nothing after it runs)."""
    running = asyncio.ensure_future(bot.tick())

    def crash(call: Any) -> None:
        if call.method == "chat.postMessage" and len(bot.emulator.calls_to("chat.postMessage")) == posts:
            running.cancel()

    bot.emulator.on_call.append(crash)
    try:
        await running
    except asyncio.CancelledError:
        pass
    else:
        raise AssertionError(f"the tick ended before its {posts}th post")
    finally:
        bot.emulator.on_call.remove(crash)
    await restart(bot)

"""A redelivered event (same event_id, X-Slack-Retry-Num) has no second effect."""
from __future__ import annotations

from sqlalchemy import func, select

from bot.models import ProcessedEvent


async def test_redelivered_home_opened_publishes_once(bot, emulator):
    event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.0"}
    first = await bot.event(event, event_id="Ev0001")
    await emulator.wait_for(lambda e: e.calls_to("views.publish"))
    again = await bot.event(event, event_id="Ev0001", retry_num=1)
    other = await bot.event({**event, "user": "UADMIN"}, event_id="Ev0002")  # a new event: another member's Home
    await emulator.wait_for(lambda e: len(e.calls_to("views.publish")) >= 2)
    assert (first.status, again.status, other.status) == (200, 200, 200)
    assert len(emulator.calls_to("views.publish")) == 2
    async with bot.db.session() as session:
        # Not claimed: publishing only a changed view makes the redelivery harmless (and two writes cheaper).
        assert await session.scalar(select(func.count()).select_from(ProcessedEvent)) == 0

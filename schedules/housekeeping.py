"""Daily clean-up of processed event ids (Slack stops retrying after a few hours)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dedup import forget_old_events
from bot.scheduling import JobContext, Occurrence


class ForgetOldEvents:
    name = "forget-old-events"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        day = now.astimezone(timezone.utc).date()
        start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        return [Occurrence("*", "global", day.isoformat(), due_at=start, stale_at=start + timedelta(days=1))]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        removed = await forget_old_events(ctx.db, ctx.now)
        return f"removed {removed} old event ids"


JOBS = [ForgetOldEvents()]

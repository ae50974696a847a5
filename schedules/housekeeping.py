"""Daily clean-up: processed event ids (Slack stops retrying after a few hours) and old finished job runs."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.dedup import forget_old_events
from bot.scheduling import JobContext, Occurrence, forget_old_runs, once_a_day


class Housekeeping:
    name = "housekeeping"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return [once_a_day(now)]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        events = await forget_old_events(ctx.db, ctx.now)
        runs = await forget_old_runs(ctx.db, ctx.now)
        return f"removed {events} old event ids and {runs} old job runs"


JOBS = [Housekeeping()]
